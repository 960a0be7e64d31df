// The undici files registry/undici.ts loads by path: CommonJS modules without
// declarations of their own; undici.ts gives each export its type.
declare module 'undici/lib/dispatcher/agent.js';
declare module 'undici/lib/dispatcher/dispatcher.js';
declare module 'undici/lib/api/api-request.js';
declare module 'undici/lib/core/util.js';

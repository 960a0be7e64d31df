/**
 * The CLI program: everything a command needs, as one module. The bundler
 * turns it into the script dist/cli/program-<hash>.cjs, which the executable
 * (cli/main.ts) runs through V8's code cache (cli/code-cache.ts).
 */
export { processContext } from './context.js';
export { reportError, runCli } from './run.js';

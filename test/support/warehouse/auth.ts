/**
 * Who is uploading (fact sheet §3; warehouse accounts/security_policy.py,
 * macaroons/security_policy.py): Basic `__token__:<token>`, or `Bearer` /
 * `token` schemes carry an API token; any other Basic username is a
 * username/password attempt, which is refused outright. Never 401.
 */
import type { TokenSpec } from './types.js';

export type Identity =
  | { kind: 'anonymous'; authUser?: string }
  | { kind: 'password'; authUser: string }
  | { kind: 'token'; authUser?: string; token: Required<Pick<TokenSpec, 'user'>> & TokenSpec };

function decodeBasic(value: string): { user: string; password: string } | undefined {
  const raw = value.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) return undefined;
  const text = Buffer.from(raw, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function identify(authorization: string | undefined, tokens: Record<string, TokenSpec>): Identity {
  if (!authorization) return { kind: 'anonymous' };
  const space = authorization.indexOf(' ');
  if (space < 0) return { kind: 'anonymous' };
  const scheme = authorization.slice(0, space).toLowerCase();
  const rest = authorization.slice(space + 1);
  let token: string | undefined;
  let authUser: string | undefined;
  if (scheme === 'basic') {
    const creds = decodeBasic(rest);
    if (!creds) return { kind: 'anonymous' };
    authUser = creds.user;
    if (creds.user !== '__token__') return { kind: 'password', authUser };
    token = creds.password;
  } else if (scheme === 'bearer' || scheme === 'token') {
    token = rest;
  } else {
    return { kind: 'anonymous' };
  }
  // Whitespace around the token is ignored (§3).
  const spec = tokens[token.trim()];
  if (!spec) return authUser === undefined ? { kind: 'anonymous' } : { kind: 'anonymous', authUser };
  return authUser === undefined ? { kind: 'token', token: spec } : { kind: 'token', authUser, token: spec };
}

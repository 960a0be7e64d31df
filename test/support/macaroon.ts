/**
 * Builds PyPI-shaped API tokens at test time (fact sheet §10): `pypi-` + a
 * pymacaroons v2 macaroon in URL-safe base64, with JSON first-party caveats.
 * The signature is random bytes: only a server can judge it, which is the point
 * of a token that decodes but fails there. Never a real token.
 */
import { randomBytes } from 'node:crypto';

function field(type: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, value.length]), value]);
}

export function makeToken(options: { location: string; caveats?: unknown[] }): string {
  const parts = [Buffer.from([2]), field(1, Buffer.from(options.location)), field(2, randomBytes(16)), Buffer.from([0])];
  for (const caveat of options.caveats ?? []) parts.push(field(2, Buffer.from(JSON.stringify(caveat))), Buffer.from([0]));
  parts.push(Buffer.from([0]), field(6, randomBytes(32)));
  return `pypi-${Buffer.concat(parts).toString('base64url')}`;
}

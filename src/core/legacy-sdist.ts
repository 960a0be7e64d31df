/**
 * The placeholders pypi-reserve built before it had its own deflate
 * (core/gzip.ts): the very same tar, gzipped by fflate 0.8.3 at level 4 with
 * no time in the header. Projects holding them must still count as ours under
 * the file rule, so `check` rebuilds this variant, but only for a file that is
 * not the current format (ops/check.ts), and test/legacy-placeholders.test.ts
 * holds real files of that time to prove it.
 *
 * fflate is loaded on first use: it builds its tables as it loads, which no
 * other path should pay for. Its version is pinned in package.json because its
 * output is what those bytes were.
 */
import { hash } from 'node:crypto';
import type { PlaceholderMetadata } from './metadata.js';
import { placeholderTar, type BuildOptions } from './sdist.js';

const LEGACY_LEVEL = 4;

/** The legacy archive's bytes. */
export async function buildLegacySdistBytes(meta: PlaceholderMetadata, options: BuildOptions = {}): Promise<Uint8Array> {
  const { gzipSync } = await import('fflate');
  return gzipSync(placeholderTar(meta, options), { level: LEGACY_LEVEL, mtime: 0 });
}

export async function legacySdistSha256(meta: PlaceholderMetadata, options: BuildOptions = {}): Promise<string> {
  return hash('sha256', await buildLegacySdistBytes(meta, options), 'hex');
}

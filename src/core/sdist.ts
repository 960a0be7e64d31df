/**
 * A placeholder sdist, built in memory from its metadata: the PEP 625 filename,
 * one top-level directory `{stem}-{version}/` (with its own entry, as PyPI's
 * archive check wants), and the rendered templates inside it.
 */
import { createHash } from 'node:crypto';
import type { PlaceholderMetadata } from './metadata.js';
import { createTarGz, type ArchiveEntry } from './tar.js';
import { renderFiles, type Template } from './templates.js';

/** Used when SOURCE_DATE_EPOCH is not set: 1980-01-01, the earliest time every archive format can hold. */
export const DEFAULT_MTIME = 315532800;

export interface Sdist {
  filename: string;
  bytes: Uint8Array;
  sha256: string;
  md5: string;
  size: number;
  /** The rendered README.md, which is also PKG-INFO's body and the upload's description. */
  description: string;
}

export interface BuildOptions {
  /** Seconds since the epoch for every entry (SOURCE_DATE_EPOCH). */
  mtime?: number;
  templates?: Template[];
}

export function buildSdist(meta: PlaceholderMetadata, options: BuildOptions = {}): Sdist {
  const files = renderFiles(meta, options.templates);
  const entries: ArchiveEntry[] = [{ path: `${meta.baseName}/` }];
  for (const [path, text] of files) entries.push({ path: `${meta.baseName}/${path}`, content: text });
  const bytes = createTarGz(entries, options.mtime ?? DEFAULT_MTIME);
  return {
    filename: meta.filename,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    md5: createHash('md5').update(bytes).digest('hex'),
    size: bytes.length,
    description: files.get('README.md') ?? '',
  };
}

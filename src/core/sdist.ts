/**
 * A placeholder sdist, built in memory from its metadata: the PEP 625 filename,
 * one top-level directory `{stem}-{version}/` (with its own entry, as PyPI's
 * archive check wants), and the rendered templates inside it.
 */
import { hash } from 'node:crypto';
import { placeholderMetadata, PLACEHOLDER_OPTION_KEYS, type PlaceholderMetadata, type PlaceholderOptions } from './metadata.js';
import { gzip, gzipReference, prepareGzip, type GzipReference } from './gzip.js';
import { createTar, writeTar, type ArchiveEntry } from './tar.js';
import { loadTemplates, renderFiles, type Template } from './templates.js';

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
  const templates = options.templates ?? loadTemplates();
  const mtime = options.mtime ?? DEFAULT_MTIME;
  const files = renderFiles(meta, templates);
  // The reference first: making one writes a tar too, which would overwrite writeTar's shared buffer.
  const reference = referenceFor(meta, mtime, templates);
  const bytes = gzip(writeTar(archiveEntries(meta, files), mtime), reference);
  return {
    filename: meta.filename,
    bytes,
    sha256: hash('sha256', bytes, 'hex'),
    // Only an upload needs it: `build` and `check` never pay for it.
    get md5() {
      return hash('md5', bytes, 'hex');
    },
    size: bytes.length,
    description: files.get('README.md') ?? '',
  };
}

/**
 * Makes ready what every placeholder of this configuration is built from (the
 * templates and the archive reference), which the first buildSdist would
 * otherwise make: 5-10 ms on Node 20 that a caller can spend while it waits
 * anyway.
 */
export function prepareSdists(placeholder: PlaceholderOptions, options: BuildOptions = {}): void {
  prepareGzip(referenceFor(placeholder, options.mtime ?? DEFAULT_MTIME, options.templates ?? loadTemplates()));
}

/** A placeholder's tar (not yet compressed), in memory of its own: what the archive reference and the legacy format start from. */
export function placeholderTar(meta: PlaceholderMetadata, options: BuildOptions = {}): Uint8Array {
  return createTar(archiveEntries(meta, renderFiles(meta, options.templates ?? loadTemplates())), options.mtime ?? DEFAULT_MTIME);
}

/** The top-level directory, then the rendered files inside it. */
export function archiveEntries(meta: PlaceholderMetadata, files: Map<string, string>): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [{ path: `${meta.baseName}/` }];
  for (const [path, text] of files) entries.push({ path: `${meta.baseName}/${path}`, content: text });
  return entries;
}

/**
 * The archive every placeholder of a configuration is compressed against
 * (core/gzip.ts): the placeholder of this one-letter stand-in name, so that
 * every real name is only text put in. The stand-in is part of the archive
 * format: another one would change every placeholder's bytes.
 */
const STAND_IN = { name: 'x', normalized: 'x', source: 'stand-in' };
/** References kept per template set; a run uses one (check, several versions: a few). */
const MAX_REFERENCES = 8;
const references = new WeakMap<Template[], Map<string, GzipReference>>();

function referenceFor(meta: PlaceholderOptions, mtime: number, templates: Template[]): GzipReference {
  const key = JSON.stringify([mtime, ...PLACEHOLDER_OPTION_KEYS.map((k) => meta[k] ?? null)]);
  let cache = references.get(templates);
  if (!cache) references.set(templates, (cache = new Map()));
  let reference = cache.get(key);
  if (!reference) {
    const standIn = placeholderMetadata(STAND_IN, meta); // which takes the options only
    reference = gzipReference(placeholderTar(standIn, { templates, mtime }));
    if (cache.size >= MAX_REFERENCES) cache.delete(cache.keys().next().value!);
    cache.set(key, reference);
  }
  return reference;
}

/**
 * Where `watch` left off, kept between polls in a small JSON file (by default in
 * the user's cache directory, one file per feed). A missing or damaged file is
 * no error: the next poll checks every name, which is always safe.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MAX_SEEN_IDS, type WatchState } from '../core/watch-poll.js';
import { writeAtomically } from './atomic-write.js';

/** A state file is a few kilobytes; anything far larger is not ours. */
const MAX_STATE_BYTES = 256 * 1024;

/** One file per feed and names list, so two lists watched from one machine do not undo each other's state. */
export function defaultStatePath(cacheDir: string, feedUrl: string, namesDigest: string): string {
  const key = createHash('sha256').update(feedUrl).update('\0').update(namesDigest).digest('hex').slice(0, 16);
  return join(cacheDir, `watch-${key}.json`);
}

export type StateRead = { state: WatchState | undefined; problem?: string };

export async function readWatchState(path: string): Promise<StateRead> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_STATE_BYTES) return { state: undefined, problem: `${path} is too large to be a watch state (${bytes.length} bytes)` };
    text = bytes.toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: undefined };
    return { state: undefined, problem: `cannot read ${path} (${code ?? String(err)})` };
  }
  const state = parseState(text);
  return state ? { state } : { state: undefined, problem: `${path} is not a watch state file` };
}

export async function writeWatchState(path: string, state: WatchState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeAtomically(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

function parseState(text: string): WatchState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const s = raw as Partial<WatchState>;
  const isString = (v: unknown): v is string => typeof v === 'string';
  if (s?.version !== 1 || !isString(s.feedUrl) || !isString(s.namesDigest) || !isString(s.polledAt)) return undefined;
  if (!Array.isArray(s.seen) || !s.seen.every(isString) || s.seen.length > MAX_SEEN_IDS) return undefined;
  if ((s.etag !== undefined && !isString(s.etag)) || (s.lastModified !== undefined && !isString(s.lastModified))) return undefined;
  return {
    version: 1,
    feedUrl: s.feedUrl,
    seen: s.seen,
    namesDigest: s.namesDigest,
    polledAt: s.polledAt,
    ...(s.etag !== undefined ? { etag: s.etag } : {}),
    ...(s.lastModified !== undefined ? { lastModified: s.lastModified } : {}),
  };
}

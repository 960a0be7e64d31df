/**
 * Reads an index's newest-projects feed (fact sheet §10) with a conditional
 * request, so a poll that finds nothing new costs a 304 and a few hundred bytes.
 */
import type { Dispatcher } from 'undici';
import { HttpError, retryAfterMs } from './http.js';
import { besideSimpleIndex } from './beside-index.js';
import { getText, header } from './read.js';
import type { Repository } from './repositories.js';

export type FeedAnswer =
  | { kind: 'not-modified' }
  | { kind: 'feed'; body: string; etag: string | undefined; lastModified: string | undefined };

export interface FeedValidators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

const FEED_ACCEPT = 'application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1';

/** PyPI's feed is about 10 KB; a megabyte is already far more than any feed of 40 items. */
export const FEED_MAX_BYTES = 1024 * 1024;
/** A poll is one small request: a server that cannot answer it within a minute is not answering. */
export const FEED_DEADLINE_MS = 60_000;

export async function fetchFeed(url: string, validators: FeedValidators, dispatcher: Dispatcher | undefined, signal?: AbortSignal): Promise<FeedAnswer> {
  const conditional: Record<string, string> = {};
  if (validators.etag) conditional['if-none-match'] = validators.etag;
  if (validators.lastModified) conditional['if-modified-since'] = validators.lastModified;
  const limits = { maxBytes: FEED_MAX_BYTES, deadlineMs: FEED_DEADLINE_MS, ...(signal ? { signal } : {}) };
  const response = await getText(url, FEED_ACCEPT, dispatcher, limits, conditional);
  if (response.status === 304) return { kind: 'not-modified' };
  if (response.status !== 200) {
    const retryAfter = retryAfterMs(header(response.headers, 'retry-after'), Date.now());
    throw new HttpError({ method: 'GET', url, status: response.status, body: response.body, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) });
  }
  return { kind: 'feed', body: response.body, etag: header(response.headers, 'etag'), lastModified: header(response.headers, 'last-modified') };
}

/**
 * The feed beside the index actually read, never chosen by the repository's
 * name (an --index-url elsewhere must not send a request to pypi.org): PyPI's
 * and TestPyPI's come out of the same rule, and for another index laid out like
 * Warehouse the first poll confirms or refutes it. Anything else needs `--feed-url`.
 */
export function feedUrlFor(repository: Repository): string | undefined {
  return besideSimpleIndex(repository.indexUrl, 'rss/packages.xml');
}

/**
 * What one poll of the newest-projects feed means for a list of private names
 * (pure; ops/watch.ts does the reading and checking).
 *
 * The feed holds only the 40 newest projects (fact sheet §10), so a poll must
 * know where it left off: the state keeps the ids of the items the last poll
 * saw, and every item not among them is new, wherever it stands in the feed. Not
 * just those above the newest one seen: a project whose only release was
 * deleted leaves the feed and returns at its old place when a release is
 * uploaded again, and a project deleted and re-created moves back to the top
 * under a new creation time. When none of the ids is left (more than a feed's
 * worth of projects were created since), or there is no state yet, nothing can
 * be said about the gap from the feed alone, and the caller checks every name.
 */
import { createHash } from 'node:crypto';
import type { FeedItem } from './feed.js';
import type { ProjectName } from './names.js';
import { ultranormalizeName } from './ultranormalize.js';

/** PyPI's feed length (rss/views.py). A feed this full may have dropped items we never saw. */
export const FEED_LENGTH = 40;
/** The ids remembered between polls: the whole feed, bounded for a feed longer than PyPI's. */
export const MAX_SEEN_IDS = 200;

export interface WatchState {
  version: 1;
  feedUrl: string;
  /** Ids of the items the last poll saw, newest first. */
  seen: string[];
  /** Digest of the names watched then: a name added since has no history in the feed. */
  namesDigest: string;
  etag?: string;
  lastModified?: string;
  /** ISO time of the last successful poll. */
  polledAt: string;
}

export type Gap = 'no-state' | 'dropped-off' | 'names-changed';

/** A digest of the watched names, so the state file does not list private names. */
export function namesDigest(names: readonly ProjectName[]): string {
  const sorted = [...new Set(names.map((n) => n.normalized))].sort();
  return createHash('sha256').update(sorted.join('\n')).digest('hex');
}

export interface FeedMatch {
  item: FeedItem;
  name: ProjectName;
}

export interface PollPlan {
  /** Items created since the last poll, newest first. */
  newItems: FeedItem[];
  /** Why the feed alone cannot tell what happened since the last poll: check every name. */
  gap: Gap | undefined;
  /** New items whose name is one of ours (PEP 503). */
  hits: FeedMatch[];
  /** New items PyPI would treat as the same name as one of ours (ultranormalized), but spelled differently. */
  lookalikes: FeedMatch[];
  seen: string[];
}

export function planPoll(items: readonly FeedItem[], previous: WatchState | undefined, names: readonly ProjectName[]): PollPlan {
  const seen = items.slice(0, MAX_SEEN_IDS).map((i) => i.id);
  let newItems: FeedItem[];
  let gap: Gap | undefined;
  if (!previous) {
    gap = 'no-state';
    newItems = [...items];
  } else {
    const known = new Set(previous.seen);
    newItems = items.filter((i) => !known.has(i.id));
    // Nothing we saw is left: items may have dropped off unseen, unless the last
    // feed was empty and this one is not yet full.
    const anyKnownLeft = newItems.length < items.length;
    if (!anyKnownLeft && (previous.seen.length > 0 || items.length >= FEED_LENGTH)) gap = 'dropped-off';
    if (previous.namesDigest !== namesDigest(names)) gap = 'names-changed';
  }
  const byNormalized = new Map(names.map((n) => [n.normalized, n]));
  const byUltra = new Map<string, ProjectName[]>();
  for (const n of names) {
    const key = ultranormalizeName(n.normalized);
    byUltra.set(key, [...(byUltra.get(key) ?? []), n]);
  }
  const hits: FeedMatch[] = [];
  const lookalikes: FeedMatch[] = [];
  for (const item of newItems) {
    const own = item.names.flatMap((n) => byNormalized.get(n) ?? []);
    if (own.length) {
      for (const name of own) hits.push({ item, name });
      continue;
    }
    const alike = new Set(item.names.flatMap((n) => byUltra.get(ultranormalizeName(n)) ?? []));
    for (const name of alike) lookalikes.push({ item, name });
  }
  return { newItems, gap, hits, lookalikes, seen };
}


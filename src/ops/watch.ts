/**
 * `watch`: one poll of the newest-projects feed, judged with `check`'s rules.
 *
 * The feed only says that a project with one of our names was created; whether
 * it is ours is decided exactly as `check` decides it (ownership, status), so a
 * placeholder we just uploaded raises nothing and a stranger's raises the alarm.
 * When the feed cannot account for the time since the last poll (no state yet,
 * or more projects created than the feed holds), every name is checked instead.
 */
import { parseNewProjectsFeed, type FeedItem } from '../core/feed.js';
import type { CheckOutcome, CheckStatus, NameOutcome } from '../core/outcomes.js';
import { EXIT, ReserveError } from '../core/errors.js';
import type { ProjectName } from '../core/names.js';
import { printable } from '../core/text-rules.js';
import { namesDigest, planPoll, type Gap, type WatchState } from '../core/watch-poll.js';
import { fetchFeed } from '../registry/feed.js';
import { HttpError, withReadRetries } from '../registry/http.js';
import { checkNames, type CheckRequest } from './check.js';
import { readRetryContext, shownText, type World } from './world.js';

export type WatchStatus = CheckStatus | 'lookalike';
export type WatchOutcome = NameOutcome<WatchStatus> & {
  /** The feed item that led here, when one did. */
  feedItem?: { name: string; link: string | undefined; publishedAt: string | undefined };
};

export interface WatchRequest {
  feedUrl: string;
  names: readonly ProjectName[];
  /** Everything `check` needs except the names, so the verdicts are `check`'s own. */
  check: Omit<CheckRequest, 'names'>;
  state: WatchState | undefined;
}

export interface PollReport {
  feedUrl: string;
  /** The feed was unchanged since the last poll (a 304). */
  notModified: boolean;
  newProjects: number;
  /** Why every name was checked, when it was. */
  fullCheck: Gap | undefined;
  /** Names examined this poll (feed hits, or all on a full check), and lookalikes. */
  results: WatchOutcome[];
  /** The results that raise the alarm: taken, or not provably ours. */
  alarms: WatchOutcome[];
  state: WatchState;
}

/** Statuses that need a person now: a stranger holds the name, or nothing proves it is ours. */
const ALARMING: ReadonlySet<WatchStatus> = new Set(['taken', 'unknown']);

export async function pollOnce(request: WatchRequest, world: World): Promise<PollReport> {
  const retry = readRetryContext(world, (r) =>
    world.log(`feed: ${shownText(world, r.reason)}; retrying in ${((r.delayMs * (world.waitScale ?? 1)) / 1000).toFixed(1)} s`),
  );
  // A state kept for another feed says nothing about this one.
  const validators = request.state?.feedUrl === request.feedUrl ? request.state : undefined;
  // With names added since, an unchanged feed still leaves them to check: ask for the whole feed.
  const conditional = validators?.namesDigest === namesDigest(request.names) ? validators : {};
  const answer = await withReadRetries(() => fetchFeed(request.feedUrl, conditional, world.dispatcher, world.signal), retry).catch((err: unknown) => {
    throw feedError(request.feedUrl, err);
  });
  const polledAt = new Date(world.now()).toISOString();
  if (answer.kind === 'not-modified' && validators && conditional === validators) {
    return { feedUrl: request.feedUrl, notModified: true, newProjects: 0, fullCheck: undefined, results: [], alarms: [], state: { ...validators, polledAt } };
  }
  // Neither answer tells what was created: nothing is known, which needs a person (exit 1), never silence.
  if (answer.kind === 'not-modified') {
    throw new ReserveError('E_FEED_UNREADABLE', `${request.feedUrl} answered 304 Not Modified to a request that was not conditional, so nothing is known about new projects`, {
      exitCode: EXIT.ATTENTION,
    });
  }
  const feed = parseNewProjectsFeed(answer.body);
  if (!feed.ok) {
    throw new ReserveError('E_NOT_A_FEED', `${request.feedUrl} is not a newest-projects feed, so nothing is known about new projects: ${printable(feed.reason)}`, {
      exitCode: EXIT.ATTENTION,
      hint: 'PyPI serves it at https://pypi.org/rss/packages.xml; pass --feed-url with the feed of your index',
    });
  }
  if (feed.unreadable > 0) world.log(`feed: ${feed.unreadable} item(s) without a project name were passed over`);

  const plan = planPoll(feed.items, validators, request.names);
  const state: WatchState = {
    version: 1,
    feedUrl: request.feedUrl,
    seen: plan.seen,
    namesDigest: namesDigest(request.names),
    ...(answer.etag ? { etag: answer.etag } : {}),
    ...(answer.lastModified ? { lastModified: answer.lastModified } : {}),
    polledAt,
  };
  const toCheck = plan.gap ? request.names : uniqueNames(plan.hits.map((h) => h.name));
  const checked = toCheck.length ? await checkNames({ ...request.check, names: toCheck }, world) : [];
  const hitItems = new Map(plan.hits.map((h) => [h.name.normalized, h.item]));
  const results: WatchOutcome[] = checked.map((outcome) => fromFeed(outcome, hitItems.get(outcome.normalized)));
  for (const { item, name } of plan.lookalikes) {
    results.push({
      name: name.name,
      normalized: name.normalized,
      status: 'lookalike',
      detail: printable(`${item.name} was just created and PyPI treats it as the same name as ${name.name}: a typo-squat of a private name, not dependency confusion itself`),
      feedItem: itemSummary(item),
    });
  }
  return {
    feedUrl: request.feedUrl,
    notModified: false,
    newProjects: plan.newItems.length,
    fullCheck: plan.gap,
    results,
    alarms: results.filter((r) => ALARMING.has(r.status)),
    state,
  };
}

/**
 * A feed that is not there is a wrong address (exit 2); one that cannot be read
 * now leaves the names unwatched, which needs a person (exit 1), never silence.
 */
function feedError(feedUrl: string, err: unknown): unknown {
  if (!(err instanceof HttpError)) return err;
  if (err.status === 404 || err.status === 410) {
    return new ReserveError('E_NO_FEED', `${feedUrl} serves no newest-projects feed (${err.status})`, {
      hint: 'PyPI and TestPyPI serve one; for another index pass --feed-url with its feed, if it has one',
    });
  }
  return new ReserveError('E_FEED_UNREADABLE', `the feed could not be read, so nothing is known about new projects: ${err.message}`, {
    exitCode: EXIT.ATTENTION,
  });
}

/**
 * A name the feed reports as created but the index calls free was deleted since,
 * or the index's cache is not purged yet: either way nothing proves it is ours.
 */
function fromFeed(outcome: CheckOutcome, item: FeedItem | undefined): WatchOutcome {
  if (!item) return outcome;
  const withItem = { ...outcome, feedItem: itemSummary(item) };
  if (outcome.status !== 'free') return withItem;
  return {
    ...withItem,
    status: 'unknown',
    detail: 'the feed lists it as just created, but the index answers that no such project exists (deleted since, or not yet visible): check it again',
  };
}

function itemSummary(item: FeedItem): NonNullable<WatchOutcome['feedItem']> {
  return {
    name: printable(item.name),
    link: item.link === undefined ? undefined : printable(item.link),
    publishedAt: item.publishedAt === undefined ? undefined : new Date(item.publishedAt).toISOString(),
  };
}

function uniqueNames(names: readonly ProjectName[]): ProjectName[] {
  return [...new Map(names.map((n) => [n.normalized, n])).values()];
}

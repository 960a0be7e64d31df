/**
 * `check`: where each name stands on the index, read concurrently with
 * keep-alive connections and the read retry policy. Read-only: needs no token.
 */
import type { CheckOutcome } from '../core/outcomes.js';
import type { PlaceholderOptions } from '../core/metadata.js';
import type { ProjectName } from '../core/names.js';
import { judgeOwnership } from '../core/ownership.js';
import { planPlaceholders, STDLIB_DETAIL, type PlannedName } from '../core/plan.js';
import { buildSdist } from '../core/sdist.js';
import { HttpError, withReadRetries } from '../index/http.js';
import { fetchProjectInfo, fetchProjectPresence } from '../index/project-status.js';
import type { Repository } from '../index/repositories.js';
import type { World } from './world.js';
import { matchProjectList, type ProjectListMatch } from './preflight.js';

export interface CheckRequest {
  names: readonly ProjectName[];
  options: PlaceholderOptions;
  repository: Repository;
  /** Archive timestamp, so the expected file matches what `reserve` uploads. */
  mtime?: number;
  concurrency?: number;
  /**
   * The index's full project list (similarity preflight): a free name whose
   * ultranormalized form matches an existing project is `too-similar`, since
   * PyPI would refuse it and the attempt could still cost quota.
   */
  projectList?: readonly string[];
}

export const DEFAULT_CONCURRENCY = 8;

export async function checkNames(request: CheckRequest, world: World): Promise<CheckOutcome[]> {
  const planned = planPlaceholders(request.names, request.options);
  const collisions = request.projectList ? matchProjectList(request.names, request.projectList) : undefined;
  world.progress?.({ type: 'phase', phase: 'check', total: planned.length });
  return mapConcurrently(planned, request.concurrency ?? DEFAULT_CONCURRENCY, async (p) => {
    let outcome = await checkOne(p, request, world);
    if (outcome.status === 'free' && collisions) outcome = withSimilarity(outcome, collisions);
    world.progress?.({ type: 'checked', name: outcome.name, status: outcome.status });
    return outcome;
  });
}

export async function checkOne(p: PlannedName, request: CheckRequest, world: World): Promise<CheckOutcome> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  if (p.kind === 'protected-by-pypi') return { ...base, status: 'protected-by-pypi', detail: STDLIB_DETAIL };
  const retry = {
    sleep: world.sleep,
    now: world.now,
    ...(world.random ? { random: world.random } : {}),
    onRetry: (r: { delayMs: number; reason: string }) => world.progress?.({ type: 'waiting', reason: r.reason, delayMs: r.delayMs }),
  };
  try {
    const presence = await withReadRetries(() => fetchProjectPresence(request.repository.indexUrl, p.name.normalized, world.dispatcher), retry);
    if (!presence.exists) return { ...base, status: 'free', detail: 'no project with this name' };
    const sdist = buildSdist(p.meta, request.mtime === undefined ? {} : { mtime: request.mtime });
    const expected = { filename: sdist.filename, sha256: sdist.sha256, owner: request.options.owner };
    let verdict = judgeOwnership({ files: presence.files }, expected);
    if (!verdict.ours && verdict.needsInfo && request.repository.jsonApiUrl) {
      const jsonApiUrl = request.repository.jsonApiUrl;
      const info = await withReadRetries(() => fetchProjectInfo(jsonApiUrl, p.name.normalized, world.dispatcher), retry);
      verdict = judgeOwnership({ files: presence.files, info: info ?? { keywords: [] } }, expected);
    }
    return { ...base, status: verdict.ours ? 'reserved' : 'taken', detail: verdict.detail };
  } catch (err) {
    if (err instanceof HttpError) return { ...base, status: 'unknown', detail: `could not be checked: ${err.message}` };
    throw err;
  }
}

/** A free name PyPI would still refuse: it looks like an existing project, or like an earlier name of this list. */
function withSimilarity(outcome: CheckOutcome, collisions: ProjectListMatch): CheckOutcome {
  const existing = collisions.similar.get(outcome.normalized);
  if (existing) {
    return { ...outcome, status: 'too-similar', detail: `PyPI would refuse it as too similar to ${existing.join(', ')}` };
  }
  const earlier = collisions.amongRequested.get(outcome.normalized);
  if (earlier) {
    return { ...outcome, status: 'too-similar', detail: `too similar to ${earlier.join(', ')}, earlier in this list: only one of them can be created` };
  }
  return outcome;
}

/** Runs `fn` over items with at most `limit` in flight; results keep the input order. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

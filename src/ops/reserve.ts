/**
 * `reserve`: check every name, then claim the free ones in priority order.
 *
 * Safety rules, each a consequence of how PyPI behaves (fact sheet §3–§5):
 * - at most `maxNew` creation attempts per run, since even a refused attempt
 *   may spend one of the ~4 daily creations;
 * - a 429 stops all uploading at once and is never retried: the rest wait;
 * - a refused credential stops the run: never try the next name with it;
 * - server errors and broken connections are retried a bounded number of
 *   times, which is safe because the sdist is byte-for-byte reproducible and
 *   PyPI answers 200 to an identical re-upload.
 * A run interrupted anywhere is completed by the next: it re-derives every
 * name's state from the index, so nothing is uploaded twice and nothing lost.
 */
import type { PlaceholderOptions } from '../core/metadata.js';
import type { ProjectName } from '../core/names.js';
import type { CheckOutcome, ReserveOutcome } from '../core/outcomes.js';
import { computePace, type Pace, type RateLimitInfo } from '../core/pace.js';
import { planPlaceholders, type PlannedName } from '../core/plan.js';
import { buildSdist } from '../core/sdist.js';
import { buildUploadForm } from '../core/upload-form.js';
import type { Credential } from '../index/credentials.js';
import { backoffDelay, HttpError, UPLOAD_RETRY } from '../index/http.js';
import type { Repository } from '../index/repositories.js';
import { sendUpload } from '../index/upload.js';
import { judgeUploadAnswer, type UploadVerdict } from '../index/upload-answer.js';
import { checkNames, checkOne } from './check.js';
import type { World } from './world.js';

export interface ReserveRequest {
  names: readonly ProjectName[];
  options: PlaceholderOptions;
  repository: Repository;
  /** Creation attempts allowed this run; undefined = no limit. */
  maxNew?: number;
  dryRun?: boolean;
  mtime?: number;
  concurrency?: number;
  /** Asked only when the first upload is due, so a run with nothing to do needs no token. */
  credential: () => Promise<Credential>;
  /** Set on Ctrl-C: no new upload starts; the one under way finishes. */
  signal?: AbortSignal;
  /** The index's project list for the similarity preflight (see CheckRequest). */
  projectList?: readonly string[];
}

export interface ReserveReport {
  results: ReserveOutcome[];
  /**
   * Why uploading stopped early, if it did. `fatal` means the configuration or
   * credential is wrong (exit 2); otherwise the index asked us to wait (exit 3).
   */
  stopped?: { code: string; message: string; hint?: string; fatal: boolean };
  rate?: RateLimitInfo;
  pace?: Pace;
  newProjects: number;
}

export async function reserveNames(request: ReserveRequest, world: World): Promise<ReserveReport> {
  const checks = await checkNames(request, world);
  const planned = planPlaceholders(request.names, request.options);
  const results: ReserveOutcome[] = checks.map(fromCheck);
  const free = planned.flatMap((p, i) => (checks[i]!.status === 'free' && p.kind === 'placeholder' ? [{ p, i }] : []));
  const report: ReserveReport = { results, newProjects: 0 };
  world.progress?.({ type: 'phase', phase: 'upload', total: free.length });

  let credential: Credential | undefined;
  for (const { p, i } of free) {
    const defer = (detail: string) => (results[i] = { ...results[i]!, status: 'deferred', detail });
    if (report.stopped) {
      defer(`not attempted: ${report.stopped.message}`);
      continue;
    }
    if (request.signal?.aborted) {
      defer('not attempted: the run was interrupted; run again to continue');
      continue;
    }
    if (request.maxNew !== undefined && report.newProjects >= request.maxNew) {
      defer(`waiting for the next run: --max-new ${request.maxNew} reached`);
      continue;
    }
    report.newProjects++;
    if (request.dryRun) {
      results[i] = { ...results[i]!, status: 'would-upload', detail: `would upload ${p.kind === 'placeholder' ? p.meta.filename : ''}` };
      continue;
    }
    credential ??= await request.credential();
    world.progress?.({ type: 'uploading', name: p.name.name });
    const outcome = await uploadOne(p, credential, request, world, report);
    results[i] = outcome;
    world.progress?.({ type: 'uploaded', name: outcome.name, status: outcome.status });
  }
  const waiting = results.filter((r) => r.status === 'deferred').length;
  if (waiting > 0 || request.dryRun) {
    report.pace = computePace(waiting, request.maxNew, report.rate, world.now());
  }
  return report;
}

function fromCheck(c: CheckOutcome): ReserveOutcome {
  switch (c.status) {
    case 'free':
      return { ...c, status: 'deferred', detail: 'not attempted' };
    case 'reserved':
    case 'taken':
    case 'protected-by-pypi':
    case 'too-similar':
      return { ...c, status: c.status };
    default:
      return { ...c, status: 'failed', detail: c.detail };
  }
}

async function uploadOne(
  p: Extract<PlannedName, { kind: 'placeholder' }>,
  credential: Credential,
  request: ReserveRequest,
  world: World,
  report: ReserveReport,
): Promise<ReserveOutcome> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  const sdist = buildSdist(p.meta, request.mtime === undefined ? {} : { mtime: request.mtime });
  const form = buildUploadForm(p.meta, sdist);
  let verdict: UploadVerdict;
  for (let attempt = 0; ; attempt++) {
    try {
      verdict = judgeUploadAnswer(await sendUpload(request.repository.uploadUrl, form, credential, world.dispatcher));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      verdict = { kind: 'retryable', message: err.message };
    }
    if (verdict.kind !== 'retryable' || attempt + 1 >= UPLOAD_RETRY.attempts) break;
    const delayMs = backoffDelay(UPLOAD_RETRY, attempt, world.random);
    world.log(`${p.name.name}: ${verdict.message}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 2} of ${UPLOAD_RETRY.attempts})`);
    world.progress?.({ type: 'waiting', reason: verdict.message, delayMs });
    await world.sleep(delayMs);
  }
  if ('rate' in verdict && verdict.rate) report.rate = verdict.rate;
  switch (verdict.kind) {
    case 'uploaded':
      return { ...base, status: 'uploaded', detail: `uploaded ${sdist.filename} (sha256 ${sdist.sha256.slice(0, 12)}…)` };
    case 'exists-recheck': {
      const again = await checkOne(p, request, world);
      if (again.status === 'reserved') return { ...base, status: 'reserved', detail: again.detail };
      if (again.status === 'taken') return { ...base, status: 'taken', detail: `${again.detail} (${verdict.message})` };
      return { ...base, status: 'failed', detail: verdict.message };
    }
    case 'taken':
    case 'prohibited':
    case 'too-similar':
      return { ...base, status: verdict.kind, detail: verdict.message };
    case 'quota':
      report.stopped = { code: 'E_QUOTA', message: `the index's new-project quota is used up (${verdict.message})`, fatal: false };
      return { ...base, status: 'deferred', detail: `quota: ${verdict.message}` };
    case 'index-closed':
      report.stopped = { code: 'E_INDEX_CLOSED', message: `the index is not accepting new projects now (${verdict.message})`, fatal: false };
      return { ...base, status: 'deferred', detail: verdict.message };
    case 'credential':
      report.stopped = { code: verdict.code, message: `${verdict.message} (token from ${credential.source})`, hint: verdict.hint, fatal: true };
      return { ...base, status: 'failed', detail: verdict.message };
    case 'redirect':
      report.stopped = { code: 'E_UPLOAD_REDIRECT', message: verdict.message, hint: verdict.hint, fatal: true };
      return { ...base, status: 'failed', detail: verdict.message };
    case 'retryable':
      return { ...base, status: 'failed', detail: `${verdict.message} (gave up after ${UPLOAD_RETRY.attempts} attempts; run again)` };
    case 'failed':
      return { ...base, status: 'failed', detail: verdict.message };
  }
}

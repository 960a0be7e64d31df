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
import type { PlannedName } from '../core/plan.js';
import { buildSdist, type Sdist } from '../core/sdist.js';
import { buildUploadForm } from '../core/upload-form.js';
import type { Credential } from '../registry/credentials.js';
import { backoffDelay, HttpError, UPLOAD_RETRY } from '../registry/http.js';
import type { Repository } from '../registry/repositories.js';
import { sendUpload } from '../registry/upload.js';
import { judgeUploadAnswer, type UploadVerdict } from '../registry/upload-answer.js';
import { checkNamesDetailed, checkOne } from './check.js';
import { printable } from '../core/text-rules.js';
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
  /** See CheckRequest: no name is `free` on an index not shown to be one. */
  indexUnproven?: string;
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
  const findings = await checkNamesDetailed(request, world);
  const results: ReserveOutcome[] = findings.map((f) => fromCheck(f.outcome));
  const free = findings.flatMap(({ planned: p, outcome }, i) => (outcome.status === 'free' && p.kind === 'placeholder' ? [{ p, i }] : []));
  const claimed = findings.flatMap(({ planned: p, claim }, i) => (claim && p.kind === 'placeholder' ? [{ p, i }] : []));
  const report: ReserveReport = { results, newProjects: 0 };
  world.progress?.({ type: 'phase', phase: 'upload', total: free.length + claimed.length });

  let credential: Credential | undefined;
  const useCredential = async () => (credential ??= await request.credential());

  // First settle claims: placeholders naming us that we cannot prove are ours.
  // An upload to an existing project creates nothing, so it costs no quota.
  for (const { p, i } of claimed) {
    if (report.stopped || request.signal?.aborted || request.dryRun) continue;
    world.progress?.({ type: 'uploading', name: p.name.name });
    results[i] = await verifyClaim(p, await useCredential(), request, world, report);
    world.progress?.({ type: 'uploaded', name: p.name.name, status: results[i]!.status });
  }

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
      results[i] = { ...results[i]!, status: 'would-upload', detail: `would upload ${p.meta.filename}` };
      continue;
    }
    const credentialNow = await useCredential();
    world.progress?.({ type: 'uploading', name: p.name.name });
    const outcome = await uploadOne(p, credentialNow, request, world, report);
    results[i] = outcome;
    world.progress?.({ type: 'uploaded', name: outcome.name, status: outcome.status });
  }
  for (const r of results) r.detail = printable(r.detail);
  if (report.stopped) report.stopped.message = printable(report.stopped.message);
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

type Placeholder = Extract<PlannedName, { kind: 'placeholder' }>;

/** Sends this name's placeholder, retrying server errors and broken connections (never a 429). */
async function sendWithRetries(p: Placeholder, credential: Credential, request: ReserveRequest, world: World): Promise<{ verdict: UploadVerdict; sdist: Sdist }> {
  const sdist = buildSdist(p.meta, request.mtime === undefined ? {} : { mtime: request.mtime });
  const form = buildUploadForm(p.meta, sdist);
  for (let attempt = 0; ; attempt++) {
    let verdict: UploadVerdict;
    try {
      verdict = judgeUploadAnswer(await sendUpload(request.repository.uploadUrl, form, credential, world.dispatcher));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      verdict = { kind: 'retryable', message: err.message };
    }
    if (verdict.kind !== 'retryable' || attempt + 1 >= UPLOAD_RETRY.attempts) return { verdict, sdist };
    const delayMs = backoffDelay(UPLOAD_RETRY, attempt, world.random);
    world.log(`${p.name.name}: ${printable(verdict.message)}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 2} of ${UPLOAD_RETRY.attempts})`);
    world.progress?.({ type: 'waiting', reason: printable(verdict.message), delayMs });
    await world.sleep(delayMs);
  }
}

/** Stops the run for answers that make every further upload pointless: a refused credential, a redirect. */
function stopIfFatal(verdict: UploadVerdict, credential: Credential, report: ReserveReport): boolean {
  if (verdict.kind === 'credential') {
    report.stopped = { code: verdict.code, message: `${verdict.message} (token from ${credential.source})`, hint: verdict.hint, fatal: true };
    return true;
  }
  if (verdict.kind === 'redirect') {
    report.stopped = { code: 'E_UPLOAD_REDIRECT', message: verdict.message, hint: verdict.hint, fatal: true };
    return true;
  }
  return false;
}

/**
 * Settles a claim (a placeholder naming us, not byte-identical to ours) by
 * asking the index: it checks upload permission before it looks for duplicate
 * files (fact sheet §4, steps 7 and 14–17), so any answer from those later
 * steps proves the project is ours, and "isn't allowed to upload" proves it is not.
 */
async function verifyClaim(p: Placeholder, credential: Credential, request: ReserveRequest, world: World, report: ReserveReport): Promise<ReserveOutcome> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  const { verdict, sdist } = await sendWithRetries(p, credential, request, world);
  if (stopIfFatal(verdict, credential, report)) return { ...base, status: 'failed', detail: report.stopped!.message };
  switch (verdict.kind) {
    case 'uploaded':
      return { ...base, status: 'uploaded', detail: `ownership confirmed: uploaded ${sdist.filename}, this configuration's placeholder, as a new release` };
    case 'file-exists':
      return { ...base, status: 'reserved', detail: 'ownership confirmed by the index (upload permitted; an older placeholder holds this version)' };
    case 'taken':
      return { ...base, status: 'taken', detail: `a placeholder naming ${request.options.owner}, but not yours: ${verdict.message}` };
    case 'failed':
      if (/previously used by a file that has since been deleted|older than 14 days|Only one sdist may be uploaded per release/i.test(verdict.message)) {
        return { ...base, status: 'reserved', detail: `ownership confirmed by the index (upload permitted: ${verdict.message})` };
      }
      return { ...base, status: 'taken', detail: `ownership of this placeholder could not be verified: ${verdict.message}` };
    default:
      return { ...base, status: 'taken', detail: `ownership of this placeholder could not be verified: ${verdict.message}` };
  }
}

async function uploadOne(p: Placeholder, credential: Credential, request: ReserveRequest, world: World, report: ReserveReport): Promise<ReserveOutcome> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  const { verdict, sdist } = await sendWithRetries(p, credential, request, world);
  if ('rate' in verdict && verdict.rate) report.rate = verdict.rate;
  if (stopIfFatal(verdict, credential, report)) return { ...base, status: 'failed', detail: report.stopped!.message };
  switch (verdict.kind) {
    case 'uploaded':
      return { ...base, status: 'uploaded', detail: `uploaded ${sdist.filename} (sha256 ${sdist.sha256.slice(0, 12)}…)` };
    case 'file-exists':
      return { ...base, status: 'reserved', detail: `the index already holds ${sdist.filename} and accepts our uploads to this project` };
    case 'exists-recheck': {
      const again = (await checkOne(p, request, world)).outcome;
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
    case 'retryable':
      return { ...base, status: 'failed', detail: `${verdict.message} (gave up after ${UPLOAD_RETRY.attempts} attempts; run again)` };
    default:
      return { ...base, status: 'failed', detail: verdict.message };
  }
}

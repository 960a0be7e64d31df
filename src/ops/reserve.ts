/**
 * `reserve`: check every name, then claim the free ones in priority order.
 *
 * Safety rules, each a consequence of how PyPI behaves (fact sheet §3–§5, §10):
 * - at most `maxNew` attempts that may create a project per run, since even a
 *   refused attempt may spend one of the ~4 daily creations; name refusals
 *   (stdlib, prohibited, too similar, 409) come before the quota hit and cost nothing;
 * - a 429 stops all uploading at once, settling uploads included, and is never retried;
 * - a refused credential stops the run: never try the next name with it, since
 *   PyPI checks a token's caveats only after it has created the project;
 * - what a token says about itself (expiry, project scope) is read before the
 *   first upload, so a token that cannot work spends nothing;
 * - a server error or broken connection on a new name is followed by a read of
 *   the index: a project that now exists is settled, never uploaded again
 *   (a second attempt could spend a second slot); only a project that was not
 *   created is sent again.
 * A run interrupted anywhere is completed by the next: it re-derives every
 * name's state from the index, so nothing is uploaded twice and nothing lost.
 */
import { EXIT, ReserveError } from '../core/errors.js';
import type { PlaceholderMetadata, PlaceholderOptions } from '../core/metadata.js';
import type { ProjectNameInput } from '../core/names.js';
import type { CheckOutcome, ReserveOutcome } from '../core/outcomes.js';
import { afterOwnHit, computePace, type Pace, type RateLimitInfo } from '../core/pace.js';
import type { PlannedName } from '../core/plan.js';
import type { OwnAccounts } from '../core/ownership.js';
import { readPypiToken, type PypiTokenFacts } from '../core/pypi-token.js';
import type { Sdist } from '../core/sdist.js';
import type { Credential } from '../registry/credentials.js';
import { backoffDelay, HttpError, UPLOAD_RETRY } from '../registry/http.js';
import type { Repository } from '../registry/repositories.js';
import { sendUpload } from '../registry/upload.js';
import { judgeUploadAnswer, type UploadVerdict } from '../registry/upload-answer.js';
import { checkNamesDetailed, checkOne, type CheckRequest } from './check.js';
import { PlaceholderBuilds } from './placeholder-builds.js';
import { shownText, type World } from './world.js';

export interface ReserveRequest {
  /** Plain strings are validated as the command line's names are. */
  names: readonly ProjectNameInput[];
  options: PlaceholderOptions;
  repository: Repository;
  /** Attempts that may create a project allowed this run; undefined = no limit. */
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
  /** Our accounts on the index (see CheckRequest): with them, no claim needs settling by upload. */
  ownership?: OwnAccounts;
  /** See CheckRequest: no name is `free` on an index not shown to be one. */
  indexUnproven?: string;
}

/**
 * Why uploading stopped early. `credential`: the token is missing, unusable or
 * refused, or the configuration is wrong (exit 2); `wait`: the index asked us
 * to wait (exit 3, unless a name needs attention); `internal`: a bug, reported
 * after the results (exit 1).
 */
export type StopKind = 'credential' | 'wait' | 'internal';

export interface ReserveStop {
  code: string;
  message: string;
  hint?: string;
  kind: StopKind;
  /** True for `credential`: kept for readers of the JSON summary. */
  fatal: boolean;
}

export interface ReserveReport {
  results: ReserveOutcome[];
  stopped?: ReserveStop;
  /** The index's quota state after the last upload that told it. */
  rate?: RateLimitInfo;
  /** Absent when nothing can be promised (a refused credential, `--max-new 0` with nothing waiting). */
  pace?: Pace;
  /** Projects this run actually created. */
  newProjects: number;
  /** Uploads sent that may have spent a quota slot (what `--max-new` bounds). */
  creationAttempts: number;
}

type Placeholder = Extract<PlannedName, { kind: 'placeholder' }>;

/** What one run shares between its uploads. */
interface Run {
  request: ReserveRequest;
  /** The request as the check and every re-read see it: with the run's builds, so each placeholder is built once. */
  checkRequest: CheckRequest;
  builds: PlaceholderBuilds;
  /** The placeholder the run will upload after the one under way, if it uploads any: built while the index answers. */
  upNext?: Placeholder;
  world: World;
  report: ReserveReport;
  credential?: Credential;
  token?: PypiTokenFacts;
  /**
   * Set when the index refused a new name after creating it (fact sheet §10) for a
   * reason that is not the name's: the same refusal would meet every further new
   * name, each spending another quota slot, so no further project is created.
   */
  unexplainedRefusal?: string;
}

/** Why the names after an unexplained refusal of a new project were not attempted. */
const UNEXPLAINED_REFUSAL =
  "not attempted: the index refused the last new project for a reason that is not the name's; fix it before spending more quota";

export async function reserveNames(request: ReserveRequest, world: World): Promise<ReserveReport> {
  const builds = new PlaceholderBuilds(request.mtime);
  // The version this run uploads is kept for its upload; another version's file is compared once and dropped.
  const sdistFor = (meta: PlaceholderMetadata) => (meta.version === request.options.version ? builds.sdist(meta) : builds.once(meta));
  const checkRequest: CheckRequest = { ...request, sdistFor, ...(request.dryRun || request.maxNew === 0 ? {} : { onFinding: prepareWhileChecking(request, builds) }) };
  const findings = await checkNamesDetailed(checkRequest, world);
  // Only free names and claims are uploaded: what was built to judge the others is not kept for the run.
  for (const { planned: p, outcome, claim } of findings) if (p.kind === 'placeholder' && outcome.status !== 'free' && !claim) builds.release(p.meta);
  const results: ReserveOutcome[] = findings.map((f) => fromCheck(f.outcome));
  const free = findings.flatMap(({ planned: p, outcome }, i) => (outcome.status === 'free' && p.kind === 'placeholder' ? [{ p, i }] : []));
  const claimed = findings.flatMap(({ planned: p, claim }, i) => (claim && p.kind === 'placeholder' ? [{ p, i }] : []));
  const report: ReserveReport = { results, newProjects: 0, creationAttempts: 0 };
  const run: Run = { request, checkRequest, builds, world, report };
  const cap = request.maxNew ?? Infinity;
  // What this run may really send: a dry run sends nothing; new names stop at the cap.
  const uploadTotal = request.dryRun ? 0 : claimed.length + Math.min(free.length, cap);
  world.progress?.({ type: 'phase', phase: 'upload', total: uploadTotal });

  try {
    // First settle claims: placeholders naming us that we cannot prove are ours.
    for (const [k, { p, i }] of claimed.entries()) {
      if (report.stopped || request.signal?.aborted || request.dryRun) break;
      // The project existed at the check, so settling normally creates nothing and needs no slot.
      // One that vanished meanwhile is created by the upload: that counts, and once the cap is
      // reached so no further settling upload is sent (a race costs at most one slot beyond it).
      if (report.creationAttempts > 0 && report.creationAttempts >= cap) {
        results[i] = { ...results[i]!, detail: `${results[i]!.detail} (not settled: --max-new ${request.maxNew} reached)` };
        continue;
      }
      if (!(await ready(run))) break;
      if (!tokenMayUploadTo(run.token, p.name.normalized)) {
        results[i] = { ...results[i]!, detail: `${results[i]!.detail} (not settled: the token is scoped to other projects)` };
        continue;
      }
      world.progress?.({ type: 'uploading', name: p.name.name });
      run.upNext = (claimed[k + 1] ?? free[0])?.p;
      results[i] = await verifyClaim(p, results[i]!, run);
      builds.release(p.meta);
      world.progress?.({ type: 'uploaded', name: p.name.name, status: results[i]!.status });
    }

    for (const [k, { p, i }] of free.entries()) {
      const defer = (detail: string) => (results[i] = { ...results[i]!, status: 'deferred', detail });
      if (report.stopped) {
        defer(`not attempted: ${report.stopped.message}`);
        continue;
      }
      if (request.signal?.aborted) {
        defer('not attempted: the run was interrupted; run again to continue');
        continue;
      }
      if (run.unexplainedRefusal) {
        defer(`${UNEXPLAINED_REFUSAL} (${run.unexplainedRefusal})`);
        continue;
      }
      if (report.creationAttempts >= cap) {
        defer(`waiting for the next run: --max-new ${request.maxNew} reached`);
        continue;
      }
      if (request.dryRun) {
        report.creationAttempts++;
        results[i] = { ...results[i]!, status: 'would-upload', detail: `would upload ${p.meta.filename}` };
        continue;
      }
      if (!(await ready(run)) || !tokenMayCreate(run, free.length)) {
        defer(`not attempted: ${report.stopped!.message}`);
        continue;
      }
      world.progress?.({ type: 'uploading', name: p.name.name });
      run.upNext = report.creationAttempts + 1 < cap ? free[k + 1]?.p : undefined;
      const outcome = await uploadOne(p, run);
      builds.release(p.meta);
      results[i] = outcome;
      world.progress?.({ type: 'uploaded', name: outcome.name, status: outcome.status });
    }
  } catch (err) {
    // Whatever broke, the uploads already made must still be reported (Ctrl-C at the prompt excepted).
    if (err instanceof ReserveError && err.exitCode === EXIT.INTERRUPTED) throw err;
    report.stopped =
      err instanceof ReserveError && err.exitCode === EXIT.USAGE
        ? { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), kind: 'credential', fatal: true }
        : { code: 'E_INTERNAL', message: `internal error (please report): ${err instanceof Error ? err.message : String(err)}`, kind: 'internal', fatal: false };
    for (const [i, r] of results.entries()) {
      if (r.status === 'deferred' && r.detail === 'not attempted') results[i] = { ...r, detail: `not attempted: ${report.stopped.message}` };
    }
  }
  for (const r of results) r.detail = shownText(world, r.detail);
  if (report.stopped) report.stopped.message = shownText(world, report.stopped.message);
  report.pace = paceFor(run);
  return report;
}

/**
 * Work the first upload would otherwise start with, done while the check's
 * other reads are under way (on Node 20 5-10 ms of code run for the first
 * time): at the first answer, the archive reference every placeholder of this
 * configuration is built from; at the first free name, its upload, which the
 * run keeps until that name is sent. A failure is left for the upload itself
 * to meet, where it is reported with its name.
 */
function prepareWhileChecking(request: ReserveRequest, builds: PlaceholderBuilds): NonNullable<CheckRequest['onFinding']> {
  let prepared = false;
  let freeBuilt = false;
  return ({ planned, outcome }) => {
    try {
      if (!prepared) {
        prepared = true;
        builds.prepare(request.options);
      }
      if (!freeBuilt && outcome.status === 'free' && planned.kind === 'placeholder') {
        freeBuilt = true;
        builds.upload(planned.meta);
      }
    } catch {
      // Met again, and reported, where the upload builds it.
    }
  };
}

/**
 * What a later run will do with the names still waiting: nothing is promised
 * when the credential failed (they were never tried, and cannot be until it is
 * fixed), after an unexplained refusal, or after an internal error.
 */
function paceFor({ request, report, world, unexplainedRefusal }: Run): Pace | undefined {
  if (report.stopped && report.stopped.kind !== 'wait') return undefined;
  // Names held back by an unexplained refusal wait for a fix, not for the quota.
  if (unexplainedRefusal) return undefined;
  const waiting = report.results.filter((r) => r.status === 'deferred').length;
  if (waiting === 0 && !request.dryRun) return undefined;
  return computePace(waiting, request.maxNew, report.rate, world.now());
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

/**
 * Reads the credential when the first upload is due and what the token says
 * about itself (fact sheet §10). False, with `report.stopped` set, when there is
 * none or it cannot work: nothing is sent then.
 */
async function ready(run: Run): Promise<boolean> {
  if (run.credential) return true;
  if (run.report.stopped) return false;
  let credential: Credential;
  try {
    credential = await run.request.credential();
  } catch (err) {
    // Only a credential problem becomes a stop that still reports; Ctrl-C at the prompt ends the run (exit 130).
    if (!(err instanceof ReserveError) || err.exitCode !== EXIT.USAGE) throw err;
    run.report.stopped = { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), kind: 'credential', fatal: true };
    return false;
  }
  const token = readPypiToken(credential.token);
  const stale = token && staleness(token, run.world.now());
  if (stale) {
    run.report.stopped = {
      code: stale.code,
      message: `the token from ${credential.source} ${stale.why}; nothing was sent with it`,
      hint: 'create a new API token on the index (Account settings → API tokens) and store it where this run reads it',
      kind: 'credential',
      fatal: true,
    };
    return false;
  }
  run.credential = credential;
  if (token) run.token = token;
  return true;
}

function staleness(token: PypiTokenFacts, nowMs: number): { code: string; why: string } | undefined {
  const now = nowMs / 1000;
  if (token.expiresAt !== undefined && token.expiresAt <= now) {
    return { code: 'E_TOKEN_EXPIRED', why: `expired at ${isoSeconds(token.expiresAt)}` };
  }
  if (token.notBefore !== undefined && token.notBefore > now) {
    return { code: 'E_TOKEN_NOT_YET_VALID', why: `is not valid before ${isoSeconds(token.notBefore)}` };
  }
  return undefined;
}

function isoSeconds(unixSeconds: number): string {
  const ms = unixSeconds * 1000;
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : `${unixSeconds} (Unix time)`;
}

/** A token scoped to projects by name uploads only to those; by id, the index decides. */
function tokenMayUploadTo(token: PypiTokenFacts | undefined, normalized: string): boolean {
  return token?.scope.kind !== 'projects' || token.scope.names.includes(normalized);
}

/**
 * A project-scoped token cannot create projects: PyPI would create the project,
 * then refuse the token and keep the quota slot. Scoped by name, by project id,
 * or minted for a trusted publisher (whose tokens upload only to the projects
 * that trust it) all count as project-scoped. Sets `report.stopped` for it.
 */
function tokenMayCreate(run: Run, freeNames: number): boolean {
  const scope = run.token?.scope;
  if (scope === undefined || scope.kind === 'account') return true;
  const names =
    scope.kind === 'projects' ? `names only ${scope.names.join(', ')}` : scope.kind === 'project-ids' ? 'names only projects by id' : 'is a trusted publisher\'s, bound to the projects that trust it';
  run.report.stopped = {
    code: 'E_TOKEN_SCOPE',
    message: `a project-scoped token cannot create projects: the token from ${run.credential!.source} ${names}, and ${freeNames} name${freeNames === 1 ? '' : 's'} need${freeNames === 1 ? 's' : ''} a new project`,
    hint: 'create an API token with the scope "Entire account" to reserve new names (a project-scoped token can only settle claims on its own projects)',
    kind: 'credential',
    fatal: true,
  };
  return false;
}

/**
 * Sends a placeholder once; a broken connection becomes a retryable verdict,
 * and no answer within the deadline (or one past the size cap) a final one:
 * read the index, never wait the deadline out again.
 */
async function sendOnce(p: Placeholder, run: Run): Promise<{ verdict: UploadVerdict; sdist: Sdist }> {
  const { sdist, body } = run.builds.upload(p.meta);
  try {
    const answer = await sendUpload(run.request.repository.uploadUrl, body, run.credential!, run.world.dispatcher, { whileWaiting: () => prepareWhileWaiting(run) });
    return { verdict: judgeUploadAnswer(answer), sdist };
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { verdict: { kind: 'retryable', message: err.message, ...(FINAL_UPLOAD_CODES.has(err.code) ? { final: true } : {}) }, sdist };
  }
}

const FINAL_UPLOAD_CODES: ReadonlySet<string> = new Set(['ETIMEOUT', 'ETOOLARGE', 'EINTERRUPTED']);

/**
 * Builds the next upload's sdist and body while the index answers this one,
 * in an immediate queued after undici's write of the request (see
 * UploadLimits.whileWaiting), so the build overlaps the server's time instead
 * of delaying the request. Building is pure: no request, no credential,
 * nothing reported, so doing it early changes only when the CPU does it. One
 * placeholder ahead at most (a re-send finds it built); a build that fails is
 * left for that upload to meet and report.
 */
function prepareWhileWaiting(run: Run): void {
  const next = run.upNext;
  if (!next) return;
  setImmediate(() => {
    if (run.report.stopped || run.request.signal?.aborted) return;
    try {
      run.builds.upload(next.meta);
    } catch {
      /* met again, and reported, when this name's upload is due */
    }
  });
}

/** Waits before attempt `attempt + 2`, saying why. */
async function backOff(p: Placeholder, message: string, attempt: number, world: World): Promise<void> {
  const delayMs = backoffDelay(UPLOAD_RETRY, attempt, world.random);
  world.log(`${p.name.name}: ${shownText(world, message)}; retrying in ${((delayMs * (world.waitScale ?? 1)) / 1000).toFixed(1)} s (attempt ${attempt + 2} of ${UPLOAD_RETRY.attempts})`);
  world.progress?.({ type: 'waiting', reason: shownText(world, message), delayMs });
  await world.sleep(delayMs);
}

/** Stops the run for answers that make every further upload pointless: a refused credential, a redirect, a 429. */
function stopIfFinal(verdict: UploadVerdict, run: Run): boolean {
  const { report } = run;
  if (verdict.kind === 'credential') {
    report.stopped = { code: verdict.code, message: `${verdict.message} (token from ${run.credential!.source})`, hint: verdict.hint, kind: 'credential', fatal: true };
  } else if (verdict.kind === 'redirect') {
    report.stopped = { code: 'E_UPLOAD_REDIRECT', message: verdict.message, hint: verdict.hint, kind: 'credential', fatal: true };
  } else if (verdict.kind === 'quota') {
    report.stopped = { code: 'E_QUOTA', message: `the index's new-project quota is used up (${verdict.message})`, kind: 'wait', fatal: false };
  } else if (verdict.kind === 'index-closed') {
    report.stopped = { code: 'E_INDEX_CLOSED', message: `the index is not accepting new projects now (${verdict.message})`, kind: 'wait', fatal: false };
  } else return false;
  return true;
}

/**
 * Whether an answer means the request went past the quota hit (fact sheet
 * §10): name refusals and refusals before login come first and cost nothing;
 * anything else may have created a project, and is counted as if it did.
 */
function mayHaveSpentSlot(verdict: UploadVerdict): boolean {
  switch (verdict.kind) {
    case 'prohibited':
    case 'too-similar':
    case 'exists-recheck':
    case 'taken':
    case 'quota':
    case 'index-closed':
    case 'redirect':
      return false;
    case 'credential':
      return verdict.code === 'E_TOKEN_REFUSED' || verdict.code === 'E_TOKEN_SCOPE';
    default:
      return true;
  }
}

/** Records what an answer says about the quota: a slot possibly spent (once per name), and the index's RateLimit state. */
function tally(verdict: UploadVerdict, run: Run, alreadyCounted: boolean): boolean {
  const spent = mayHaveSpentSlot(verdict);
  if (spent && !alreadyCounted) run.report.creationAttempts++;
  if (verdict.rate) run.report.rate = afterOwnHit(verdict.rate, spent);
  return alreadyCounted || spent;
}

/**
 * Settles a claim (a placeholder naming us, not byte-identical to ours) by
 * asking the index: it checks upload permission before it looks for duplicate
 * files (fact sheet §4, steps 7 and 14–17), so any answer from those later
 * steps proves the project is ours, and "isn't allowed to upload" proves it is not.
 * The project exists, so re-sending after a server error is safe.
 */
async function verifyClaim(p: Placeholder, before: ReserveOutcome, run: Run): Promise<ReserveOutcome> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  let sent = await sendOnce(p, run);
  for (let attempt = 0; sent.verdict.kind === 'retryable' && !sent.verdict.final && attempt + 1 < UPLOAD_RETRY.attempts; attempt++) {
    await backOff(p, sent.verdict.message, attempt, run.world);
    sent = await sendOnce(p, run);
  }
  const { verdict, sdist } = sent;
  // Only an answer from the new-project path (it carries RateLimit headers) can have created the project.
  if (verdict.rate !== undefined) {
    tally(verdict, run, false);
    if (verdict.kind === 'uploaded') run.report.newProjects++;
  }
  if (stopIfFinal(verdict, run)) {
    const stop = run.report.stopped!;
    return stop.kind === 'wait' ? { ...before, detail: `${before.detail} (not settled: ${stop.message})` } : { ...base, status: 'failed', detail: stop.message };
  }
  switch (verdict.kind) {
    case 'uploaded':
      return { ...base, status: 'uploaded', detail: `ownership confirmed: uploaded ${sdist.filename}, this configuration's placeholder, as a new release` };
    case 'file-exists':
      return { ...base, status: 'reserved', detail: 'ownership confirmed by the index (upload permitted; an older placeholder holds this version)' };
    case 'filename-reused':
      return { ...base, status: 'reserved', detail: `ownership confirmed by the index (upload permitted: ${verdict.message})` };
    case 'taken':
      return { ...base, status: 'taken', detail: `a placeholder naming ${run.request.options.owner}, but not yours: ${verdict.message}` };
    case 'failed':
      if (/older than 14 days|Only one sdist may be uploaded per release/i.test(verdict.message)) {
        return { ...base, status: 'reserved', detail: `ownership confirmed by the index (upload permitted: ${verdict.message})` };
      }
      return { ...base, status: 'taken', detail: `ownership of this placeholder could not be verified: ${verdict.message}` };
    default:
      return { ...base, status: 'taken', detail: `ownership of this placeholder could not be verified: ${verdict.message}` };
  }
}

/**
 * Creates a project for a free name. After a server error or a broken
 * connection the index is read first: the first attempt may have created the
 * project (and spent a slot) before failing.
 */
async function uploadOne(p: Placeholder, run: Run): Promise<ReserveOutcome> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  let counted = false;
  for (let attempt = 0; ; attempt++) {
    const { verdict, sdist } = await sendOnce(p, run);
    counted = tally(verdict, run, counted);
    if (verdict.kind === 'retryable') {
      const settled = await settleAfterFailure(p, verdict.message, run);
      if (settled) return settled;
      if (verdict.final) {
        return { ...base, status: 'failed', detail: `${verdict.message}; not sent again: the index still shows the name free, and another attempt would wait as long; run again` };
      }
      if (attempt + 1 >= UPLOAD_RETRY.attempts) {
        return { ...base, status: 'failed', detail: `${verdict.message} (gave up after ${UPLOAD_RETRY.attempts} attempts; run again)` };
      }
      await backOff(p, verdict.message, attempt, run.world);
      continue;
    }
    if (verdict.kind === 'uploaded') run.report.newProjects++;
    // Every `failed` here is past the quota hit and not about the name (those have their own kinds).
    if (verdict.kind === 'failed') run.unexplainedRefusal = verdict.message;
    return judgeNewNameAnswer(p, verdict, sdist, run);
  }
}

function judgeNewNameAnswer(p: Placeholder, verdict: UploadVerdict, sdist: Sdist, run: Run): Promise<ReserveOutcome> | ReserveOutcome {
  const base = { name: p.name.name, normalized: p.name.normalized };
  if (stopIfFinal(verdict, run)) {
    const stop = run.report.stopped!;
    if (stop.kind !== 'wait') return { ...base, status: 'failed', detail: stop.message };
    return { ...base, status: 'deferred', detail: verdict.kind === 'quota' ? `quota: ${verdict.message}` : stop.message };
  }
  switch (verdict.kind) {
    case 'uploaded':
      return { ...base, status: 'uploaded', detail: `uploaded ${sdist.filename} (sha256 ${sdist.sha256.slice(0, 12)}…)` };
    case 'file-exists':
      return { ...base, status: 'reserved', detail: `the index already holds ${sdist.filename} and accepts our uploads to this project` };
    case 'filename-reused':
      return {
        ...base,
        status: 'filename-reused',
        detail:
          `PyPI refuses ${sdist.filename} forever: a deleted file once had this name (${verdict.message}). ` +
          `This attempt spent a new-project quota slot. Fix: reserve this name with another version, e.g. --version 0.0.1`,
      };
    case 'exists-recheck':
      return recheck(p, verdict.message, run);
    case 'taken':
    case 'prohibited':
    case 'too-similar':
      return { ...base, status: verdict.kind, detail: verdict.message };
    default:
      return { ...base, status: 'failed', detail: verdict.message };
  }
}

/** 409: someone created the project meanwhile; whose it is decides. */
async function recheck(p: Placeholder, message: string, run: Run): Promise<ReserveOutcome> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  const again = (await checkOne(p, run.checkRequest, run.world)).outcome;
  if (again.status === 'reserved') return { ...base, status: 'reserved', detail: again.detail };
  if (again.status === 'taken') return { ...base, status: 'taken', detail: `${again.detail} (${message})` };
  return { ...base, status: 'failed', detail: message };
}

/**
 * After a failed attempt on a new name: the outcome when the project now exists
 * (ours: our upload created it; anyone else's: taken), or undefined when it
 * still does not and sending again is safe. A project whose state cannot be
 * read is not sent again: that could spend a second slot.
 */
async function settleAfterFailure(p: Placeholder, failure: string, run: Run): Promise<ReserveOutcome | undefined> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  const now = (await checkOne(p, run.checkRequest, run.world)).outcome;
  switch (now.status) {
    case 'free':
      return undefined;
    case 'reserved':
      run.report.newProjects++;
      return { ...base, status: 'uploaded', detail: `created by this upload, confirmed by reading the index after "${failure}": ${now.detail}` };
    case 'taken':
      return { ...base, status: 'taken', detail: `${now.detail} (the index holds it since our attempt failed: ${failure})` };
    default:
      return {
        ...base,
        status: 'failed',
        detail: `${failure}; not sent again: whether the attempt created the project could not be read (${now.detail}), and a second attempt could spend another quota slot; run again`,
      };
  }
}

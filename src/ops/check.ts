/**
 * `check`: where each name stands on the index, read concurrently with
 * keep-alive connections and the read retry policy. Read-only: needs no token.
 */
import type { CheckOutcome } from '../core/outcomes.js';
import type { PlaceholderOptions } from '../core/metadata.js';
import { applyProjectStatus, judgeByRecord, judgeOwnership, type ExpectedDigest, type ExistingVerdict, type OwnAccounts, type Ownership, QUARANTINED_DETAIL } from '../core/ownership.js';
import { filenameStem, toProjectNames, type ProjectNameInput } from '../core/names.js';
import { placeholderMetadata, type PlaceholderMetadata } from '../core/metadata.js';
import { checkVersion } from '../core/version.js';
import { planPlaceholders, STDLIB_DETAIL, type PlannedName } from '../core/plan.js';
import { buildSdist, type Sdist } from '../core/sdist.js';
import { legacySdistSha256 } from '../core/legacy-sdist.js';
import { HttpError, withReadRetries } from '../registry/http.js';
import { fetchProjectPresence, type ProjectPage } from '../registry/project-status.js';
import { fetchProjectInfo, type ProjectInfo } from '../registry/json-api.js';
import type { Repository } from '../registry/repositories.js';
import { readRetryContext, shownText, type World } from './world.js';
import { mapConcurrently } from './concurrency.js';
import { matchProjectList, type ProjectListMatch } from './preflight.js';

export interface CheckRequest {
  /** Plain strings are validated as the command line's names are. */
  names: readonly ProjectNameInput[];
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
  /**
   * Our accounts on the index (`--account`, `--organization`): when given, an
   * existing project the JSON API describes is ours exactly when its record
   * lists one of them, whatever its files are.
   */
  ownership?: OwnAccounts;
  /**
   * Why the index could not be shown to be a simple index (ops/index-sanity.ts):
   * a 404 from an address that may not be an index proves nothing, so names
   * otherwise `free` are `unknown`.
   */
  indexUnproven?: string;
  /** Builds a placeholder's sdist (to compare digests); `reserve` passes its own, so what check built is what it uploads. */
  sdistFor?: (meta: PlaceholderMetadata) => Sdist;
  /**
   * Called with each name's finding as soon as it is judged, while the other
   * reads may still be under way: work the caller needs later (reserve
   * prepares its placeholder builds) is done while the index answers them
   * instead of after the check. The finding is the one the check returns:
   * read it, do not change it.
   */
  onFinding?: (finding: CheckFinding & { planned: PlannedName }) => void;
}

export const DEFAULT_CONCURRENCY = 8;

/** The detail of a name whose read was cut short or never started because of Ctrl-C or SIGTERM (which one is not known here). */
export const NOT_CHECKED = 'not checked: the run was interrupted; run again to check it';

export async function checkNames(request: CheckRequest, world: World): Promise<CheckOutcome[]> {
  return (await checkNamesDetailed(request, world)).map((f) => f.outcome);
}

/** A check outcome plus what only `reserve` acts on: a claim of ownership to verify. */
export interface CheckFinding {
  outcome: CheckOutcome;
  claim?: 'placeholder-metadata';
}

/** Each finding with the plan it was checked against, so a caller never plans twice. */
export async function checkNamesDetailed(request: CheckRequest, world: World): Promise<(CheckFinding & { planned: PlannedName })[]> {
  const names = toProjectNames(request.names, 'checkNames');
  const planned = planPlaceholders(names, request.options);
  if (request.ownership && !request.repository.jsonApiUrl) {
    world.log(
      `note: ${request.repository.indexUrl} is not laid out like PyPI's (…/simple/), so no JSON API is known beside it: ` +
        '--account/--organization cannot be checked there, and ownership is judged by files',
    );
  }
  // Matched at the first free name, once the first reads are under way: against PyPI's listing
  // (700,000 names) the match takes 0.1-0.2 s, which then overlaps the index's first answers.
  // Its input is checked now, before any request (10 ms for PyPI's listing).
  const { projectList } = request;
  if (projectList) assertProjectList(projectList);
  let collisions: ReturnType<typeof matchProjectList> | undefined;
  world.progress?.({ type: 'phase', phase: 'check', total: planned.length });
  return mapConcurrently(planned, request.concurrency ?? DEFAULT_CONCURRENCY, async (p) => {
    const finding = await checkOne(p, request, world);
    if (finding.outcome.status === 'free' && projectList) finding.outcome = withSimilarity(finding.outcome, (collisions ??= matchProjectList(names, projectList)));
    if (finding.outcome.status === 'free' && request.indexUnproven !== undefined) {
      finding.outcome = { ...finding.outcome, status: 'unknown', detail: `no project page, but the index could not be shown to be a simple index: ${request.indexUnproven}` };
    }
    finding.outcome.detail = shownText(world, finding.outcome.detail);
    const judged = { ...finding, planned: p };
    request.onFinding?.(judged);
    world.progress?.({ type: 'checked', name: finding.outcome.name, status: finding.outcome.status });
    return judged;
  });
}

/** A project list as the check matches names against it: an array of strings (the library's callers may pass anything). */
function assertProjectList(list: unknown): void {
  if (!Array.isArray(list)) throw new TypeError(`checkNames: projectList must be an array of project names, got ${typeof list}`);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') throw new TypeError(`checkNames: projectList[${i}] must be a project name (a string), got ${list[i] === null ? 'null' : typeof list[i]}`);
  }
}

export async function checkOne(p: PlannedName, request: CheckRequest, world: World): Promise<CheckFinding> {
  const base = { name: p.name.name, normalized: p.name.normalized };
  const retry = readRetryContext(world, (r) => world.progress?.({ type: 'waiting', reason: shownText(world, r.reason), delayMs: r.delayMs }));
  const limits = world.signal ? { signal: world.signal } : {};
  if (world.signal?.aborted) return { outcome: { ...base, status: 'unknown', detail: NOT_CHECKED } };
  try {
    // Standard-library names are asked about too: PyPI refuses to create them,
    // but old projects under such names exist (argparse, typing) and may be anyone's.
    const presence = await withReadRetries(() => fetchProjectPresence(request.repository.indexUrl, p.name.normalized, world.dispatcher, limits), retry);
    if (!presence.exists) {
      return p.kind === 'protected-by-pypi'
        ? { outcome: { ...base, status: 'protected-by-pypi', detail: STDLIB_DETAIL } }
        : { outcome: { ...base, status: 'free', detail: 'no project with this name' } };
    }
    const verdict = await judgeExisting(p, presence, request, world, retry);
    return { outcome: { ...base, status: verdict.status, detail: verdict.detail, projectStatus: presence.status }, ...(verdict.claim ? { claim: verdict.claim } : {}) };
  } catch (err) {
    if (err instanceof HttpError) {
      const detail = world.signal?.aborted ? NOT_CHECKED : `could not be checked: ${err.message}`;
      return { outcome: { ...base, status: 'unknown', detail } };
    }
    throw err;
  }
}

type ReadRetry = Parameters<typeof withReadRetries>[1];

/**
 * An existing project's verdict: PyPI's ownership record when we know our
 * accounts and the JSON API has one, else the files; then its PEP 792 status.
 */
async function judgeExisting(p: PlannedName, page: ProjectPage, request: CheckRequest, world: World, retry: ReadRetry): Promise<ExistingVerdict> {
  // A quarantined project's files are hidden, and what was quarantined is someone's malware: the status decides.
  if (page.status === 'quarantined') return { status: 'taken', detail: QUARANTINED_DETAIL };
  const jsonApiUrl = request.repository.jsonApiUrl;
  const lookUp = (url: string) => withReadRetries(() => fetchProjectInfo(url, p.name.normalized, world.dispatcher, world.signal ? { signal: world.signal } : {}), retry);
  if (request.ownership && jsonApiUrl) {
    const info = await lookUp(jsonApiUrl);
    if (info?.ownership) return applyProjectStatus(judgeByRecord(info.ownership, request.ownership), 'record', page);
    if (page.files.length > 0) noteFallbackOnce(world, jsonApiUrl, p.name.name, info !== undefined);
    // Its metadata, if any, still serves the file rule: no second read.
    return applyProjectStatus(await judgeByFiles(p, page, request, async () => info), 'files', page);
  }
  return applyProjectStatus(await judgeByFiles(p, page, request, jsonApiUrl ? () => lookUp(jsonApiUrl) : undefined), 'files', page);
}

/** The file rule (core/ownership.ts), reading the latest release's metadata only when the files alone cannot tell. */
async function judgeByFiles(
  p: PlannedName,
  page: ProjectPage,
  request: CheckRequest,
  readInfo: (() => Promise<ProjectInfo | undefined>) | undefined,
): Promise<Ownership> {
  const expectedDigest = await withLegacyDigests(p, request, page.files);
  const verdict = judgeOwnership({ files: page.files }, expectedDigest, request.options.owner);
  if (verdict.ours || !verdict.needsInfo || !readInfo) return verdict;
  const info = await readInfo();
  return judgeOwnership({ files: page.files, info: info ?? { keywords: [] } }, expectedDigest, request.options.owner);
}

/** Runs that were already told ownership falls back to files: the note is said once per run, not per name. */
const toldFallback = new WeakSet<World>();

function noteFallbackOnce(world: World, jsonApiUrl: string, name: string, answered: boolean): void {
  if (toldFallback.has(world)) return;
  toldFallback.add(world);
  const why = answered ? 'answers without an ownership record' : 'has no record';
  world.log(
    `note: the JSON API at ${jsonApiUrl} ${why} for ${name}, which has files (as on pypiserver): ` +
      'ownership of such projects is judged by their files, not by --account/--organization',
  );
}

/**
 * The placeholder this configuration builds under a given file name:
 * `{stem}-{version}.tar.gz` for any version, so a project holding our
 * placeholders of several versions is still recognised as ours.
 */
function placeholderFor(p: PlannedName, request: CheckRequest, filename: string): PlaceholderMetadata | undefined {
  const prefix = `${filenameStem(p.name.name)}-`;
  if (!filename.startsWith(prefix) || !filename.endsWith('.tar.gz')) return undefined;
  const version = checkVersion(filename.slice(prefix.length, -'.tar.gz'.length));
  if (!version.ok) return undefined;
  const meta = placeholderMetadata(p.name, { ...request.options, version: version.normalized });
  return meta.filename === filename ? meta : undefined;
}

/** The digest of that placeholder, per file name. */
function expectedDigests(p: PlannedName, request: CheckRequest): ExpectedDigest {
  const cache = new Map<string, string | undefined>();
  return (filename) => {
    if (!cache.has(filename)) {
      const meta = placeholderFor(p, request, filename);
      cache.set(filename, meta && (request.sdistFor?.(meta) ?? buildSdist(meta, request.mtime === undefined ? {} : { mtime: request.mtime })).sha256);
    }
    return cache.get(filename);
  };
}

/**
 * The same, also accepting a file in the archive format of earlier versions
 * (core/legacy-sdist.ts) when it is that file's exact bytes; the older format
 * is built only for a file the current one does not match.
 */
async function withLegacyDigests(p: PlannedName, request: CheckRequest, files: ProjectPage['files']): Promise<ExpectedDigest> {
  const current = expectedDigests(p, request);
  const legacy = new Map<string, string>();
  for (const file of files) {
    if (file.sha256 === undefined) continue;
    const digest = current(file.filename);
    if (digest === undefined || digest === file.sha256) continue;
    const meta = placeholderFor(p, request, file.filename)!;
    const old = await legacySdistSha256(meta, request.mtime === undefined ? {} : { mtime: request.mtime });
    if (old === file.sha256) legacy.set(file.filename, old);
  }
  return legacy.size === 0 ? current : (filename) => legacy.get(filename) ?? current(filename);
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

/**
 * POST /legacy/ (fact sheet §2–§6, warehouse forklift/legacy.py `file_upload`):
 * Warehouse's checks in Warehouse's order, the first failure wins. Nothing is
 * written to the store until every check has passed, which is Warehouse's
 * rollback; the rate-limit hit of a new project is recorded at creation and
 * survives a later failure (§5).
 */
import { inspectDistribution, pathJoin } from './archive.js';
import type { Identity } from './auth.js';
import { filenameProblem, sdistFilenameProblem } from './dist-filename.js';
import { validateMetadata } from './metadata.js';
import { MultiDict } from './multidict.js';
import type { ParsedBody } from './multipart.js';
import { isStdlibName, normalize } from './names.js';
import { pyRepr } from './python-text.js';
import { type MovingWindow, rateLimitHeaders } from './rate-limit.js';
import { descriptionProblem } from './readme.js';
import { type Answer, WarehouseError, renderError, uploadOk } from './responses.js';
import { type Project, type Store, fileHashes } from './store.js';
import type { StoredFile, TokenSpec } from './types.js';
import { canonicalVersion, normalizeVersion, parseVersion } from './versions.js';
import { validateUploadForm } from './upload-form.js';

const FOURTEEN_DAYS_MS = 14 * 24 * 3600 * 1000;
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export interface UploadContext {
  store: Store;
  now: () => number;
  indexHost: string;
  readOnly: boolean;
  disallowNewUploads: boolean;
  disallowNewProjects: boolean;
  prohibited: ReadonlySet<string>;
  extraClassifiers: ReadonlySet<string>;
  fileLimit: number;
  projectLimit: number;
  limiters: { user: MovingWindow; ip: MovingWindow };
}

export interface UploadRequest {
  identity: Identity;
  ip: string;
  query: URLSearchParams;
  body: ParsedBody;
  accept: string | undefined;
}

/** `_exc_with_message`: the message is the reason phrase and the body detail. */
function fail(status: number, message: string): never {
  throw new WarehouseError(status, message, { withMessage: true });
}

const help = (ctx: UploadContext, anchor: string) => `https://${ctx.indexHost}/help/#${anchor}`;

function checkAccount(ctx: UploadContext, token: TokenSpec): void {
  if (token.verifiedEmail === false) {
    fail(
      403,
      `User ${pyRepr(token.user)} does not have a verified primary email address. Please add a verified primary email ` +
        `before attempting to upload to PyPI. See ${help(ctx, 'verified-email')} for more information.`,
    );
  }
  if (token.twoFactor === false) {
    fail(
      403,
      `User ${pyRepr(token.user)} does not have two-factor authentication enabled. Please enable two-factor authentication ` +
        `before attempting to upload to PyPI. See ${help(ctx, 'two-factor-authentication')} for more information.`,
    );
  }
}

/** ProjectService.create_project up to the point of creation (§4 step 6). */
function checkNewProject(ctx: UploadContext, name: string, user: string, ip: string): void {
  if (!ctx.limiters.ip.test(ip) || !ctx.limiters.user.test(user)) fail(429, 'Too many new projects created');
  if (ctx.disallowNewProjects) {
    fail(403, `New project registration temporarily disabled. See ${help(ctx, 'admin-intervention')} for more information.`);
  }
  const seeProjectName = `See ${help(ctx, 'project-name')} for more information.`;
  if (isStdlibName(name)) {
    fail(400, `The name ${pyRepr(name)} isn't allowed (conflict with Python Standard Library module name). ${seeProjectName}`);
  }
  if (ctx.store.find(name)) fail(409, `The name ${pyRepr(name)} conflicts with an existing project. ${seeProjectName}`);
  if (ctx.prohibited.has(normalize(name))) fail(400, `The name ${pyRepr(name)} isn't allowed. ${seeProjectName}`);
  if (ctx.store.similar(name)) fail(400, `The name ${pyRepr(name)} is too similar to an existing project. ${seeProjectName}`);
}

/** Wheel filename checks of legacy.py, reduced to name and version. */
function wheelFilenameProblem(filename: string, project: { name: string; normalized: string }, metaName: string, version: string): string | undefined {
  const parts = filename.slice(0, -'.whl'.length).split('-');
  if (parts.length < 5 || parts.length > 6) return `Invalid wheel filename (wrong number of parts): ${pyRepr(filename)}`;
  const [fileName, fileVersion] = parts as [string, string];
  if (normalize(metaName) !== normalize(fileName)) {
    return `Start filename for ${pyRepr(project.name)} with ${pyRepr(normalize(metaName).replace(/-/g, '_'))}.`;
  }
  const underscored = project.normalized.replace(/-/g, '_');
  if (fileName !== underscored) {
    return `Filename ${pyRepr(filename)} should contain the normalized project name ${pyRepr(underscored)}, not ${pyRepr(fileName)}.`;
  }
  const fv = parseVersion(fileVersion);
  const mv = parseVersion(version)!;
  if (!fv || canonicalVersion(fv) !== canonicalVersion(mv) || normalizeVersion(fv) !== normalizeVersion(mv)) {
    return `Version in filename should be ${pyRepr(normalizeVersion(mv))} not ${pyRepr(fv ? normalizeVersion(fv) : fileVersion)}.`;
  }
  return undefined;
}

/** True for an identical re-upload; throws "File already exists" for a clash; false when the file is new. */
function isDuplicate(ctx: UploadContext, filename: string, hashes: { sha256: string; blake2_256: string }): boolean {
  const existing = ctx.store.existingFile(filename, hashes.blake2_256);
  if (!existing) return false;
  if (existing.filename === filename && existing.sha256 === hashes.sha256 && existing.blake2_256 === hashes.blake2_256) return true;
  fail(
    400,
    `File already exists (${pyRepr(filename)}, with blake2_256 hash ${pyRepr(hashes.blake2_256)}). ` +
      `See ${help(ctx, 'file-name-reuse')} for more information.`,
  );
}

interface PipelineState {
  /**
   * Set once the request reached the new-project rate-limit check: its answer
   * carries these RateLimit headers, computed there, before this request's own
   * hit (§10: the first creation of a window answers r=4).
   */
  rateLimitHeaders?: Record<string, string>;
}

async function fileUpload(ctx: UploadContext, req: UploadRequest, state: PipelineState): Promise<Answer> {
  // §4 step 1: guards, then identity (decorators.py / file_upload preamble).
  if (ctx.readOnly) fail(403, 'Read-only mode: Uploads are temporarily disabled.');
  if (ctx.disallowNewUploads) fail(403, `New uploads are temporarily disabled. See ${help(ctx, 'admin-intervention')} for more information.`);
  if (req.identity.kind === 'password') {
    fail(
      403,
      'Username/Password authentication is no longer supported. Migrate to API Tokens or Trusted Publishers instead. ' +
        `See ${help(ctx, 'apitoken')} and ${help(ctx, 'trusted-publishers')}`,
    );
  }
  if (req.identity.kind !== 'token') fail(403, `Invalid or non-existent authentication information. See ${help(ctx, 'invalid-auth')} for more information.`);
  const token = req.identity.token;

  // Sanitizing (decorators.py `sanitize`): "UNKNOWN" values are dropped, NULs escaped.
  const form = new MultiDict(req.body.fields);
  for (const key of form.keys()) {
    const value = form.get(key)!;
    if (value.trim() === 'UNKNOWN') form.delete(key);
    else if (value.includes('\0')) form.set(key, value.replace(/\0/g, '\\x00'));
  }

  // §4 step 2.
  if ((form.get('protocol_version') ?? '1') !== '1') fail(400, 'Unknown protocol version.');
  const tupleField = [...new Set(req.body.files.map((f) => f.field))].filter((f) => f !== 'content' && f !== 'gpg_signature').sort()[0];
  if (tupleField !== undefined) fail(400, `${tupleField}: Should not be a tuple.`);

  // §4 steps 3–4.
  const checked = validateUploadForm(form);
  if ('error' in checked) fail(400, checked.error);
  const data = checked.data;
  const validated = validateMetadata(form, ctx.extraClassifiers);
  if ('error' in validated) fail(400, validated.error);
  const meta = validated.meta;

  // §4 step 5 (a `content` sent as a plain field counts as missing here).
  const content = req.body.files.filter((f) => f.field === 'content').pop();
  if (!content) fail(400, 'Upload payload does not have a file.');

  // §4 step 6: lookup; creation of a new project.
  const user = token.user;
  let project: Project | undefined = ctx.store.find(data.name);
  const isNew = !project;
  if (!project) {
    checkAccount(ctx, token);
    state.rateLimitHeaders = rateLimitHeaders([
      { limiter: ctx.limiters.user, id: user },
      { limiter: ctx.limiters.ip, id: req.ip },
    ]);
    checkNewProject(ctx, data.name, user, req.ip);
    project = ctx.store.unsavedProject(data.name, user);
    ctx.limiters.user.hit(user);
    ctx.limiters.ip.hit(req.ip);
  }

  // §4 step 7: permission (token caveats first, then roles), then the account prerequisites.
  // Caveats are judged only here, after creation: a failing token has spent the slot (§10).
  if (token.expiresAt !== undefined && ctx.now() / 1000 >= token.expiresAt) fail(403, 'Invalid API Token: token is expired');
  if (token.caveatFailure !== undefined) fail(403, `Invalid API Token: ${token.caveatFailure}`);
  if (token.scope && token.scope !== 'account') {
    const allowed = token.scope.projects.map(normalize);
    if (!allowed.includes(project.normalized)) {
      fail(403, `Invalid API Token: project-scoped token is not valid for project: ${pyRepr(project.name)}`);
    }
  }
  // An archived project refuses everyone, owners included, with the stranger's text (§10); the
  // stand-in refuses a quarantined one the same way (stricter than §10 states: no upload can lift it).
  if (!project.roles.has(user) || project.status === 'archived' || project.status === 'quarantined') {
    fail(403, `The user '${user}' isn't allowed to upload to project '${project.name}'. See ${help(ctx, 'project-name')} for more information.`);
  }
  if (!isNew) checkAccount(ctx, token);

  // §4 step 8: the display name follows the metadata when only normalization differs.
  const displayName = meta.name;

  // §4 step 9.
  const rendering = descriptionProblem(meta.description, meta.descriptionContentType);
  if (rendering) fail(400, `${rendering} See ${help(ctx, 'description-content-type')} for more information.`);

  // §4 step 10: release by canonical version.
  const release = project.releases.get(canonicalVersion(meta.version));

  // §4 step 11.
  const filename = content.filename;
  const badName = filenameProblem(filename, data.filetype);
  if (badName) fail(400, badName);
  if (!content.mimeType || content.mimeType.startsWith('image/')) fail(400, 'Invalid distribution file.');

  // §4 step 12.
  if (content.size > ctx.fileLimit) {
    fail(
      400,
      `File too large. Limit for project ${pyRepr(displayName)} is ${Math.floor(ctx.fileLimit / MIB)} MB. ` +
        'See https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase for more information.',
    );
  }
  const projectSize = project.files.reduce((n, f) => n + f.size, 0);
  if (content.size + projectSize > ctx.projectLimit) {
    fail(
      400,
      `Project size too large. Limit for project ${pyRepr(displayName)} total size is ${Math.floor(ctx.projectLimit / GIB)} GB. ` +
        'See https://docs.pypi.org/project-management/storage-limits#requesting-a-project-size-limit-increase',
    );
  }

  // §4 step 13.
  const hashes = fileHashes(content.content);
  const sent: Array<[string | undefined, string]> = [
    [data.digests.md5, hashes.md5],
    [data.digests.sha256, hashes.sha256],
    [data.digests.blake2_256, hashes.blake2_256],
  ];
  if (sent.some(([given, actual]) => given && given.toLowerCase() !== actual)) {
    fail(400, 'The digest supplied does not match a digest calculated from the uploaded file.');
  }

  // §4 step 14: duplicates across all projects; an identical re-upload is a no-op 200 (transaction doomed).
  if (isDuplicate(ctx, filename, hashes)) return uploadOk(req.accept);

  // §4 steps 15–17.
  if (ctx.store.deletedFilenames.has(filename)) {
    fail(
      400,
      'This filename was previously used by a file that has since been deleted. Use a different version. ' +
        `See ${help(ctx, 'file-name-reuse')} for more information.`,
    );
  }
  if (release && ctx.now() - release.createdAt > FOURTEEN_DAYS_MS) {
    fail(400, 'Uploading new files to releases older than 14 days is not allowed.');
  }
  const releaseFiles = project.files.filter((f) => {
    const v = parseVersion(f.version);
    return (v ? canonicalVersion(v) : f.version) === canonicalVersion(meta.version);
  });
  if (data.filetype === 'sdist' && releaseFiles.some((f) => f.packagetype === 'sdist')) {
    fail(400, 'Only one sdist may be uploaded per release.');
  }

  // §4 step 18.
  const archive = await inspectDistribution(content.content, filename);
  if (!archive.ok) fail(400, `Invalid distribution file. ${archive.detail ?? 'None'}`);

  // §4 step 19.
  const projectNames = { name: displayName, normalized: project.normalized };
  if (data.filetype === 'sdist') {
    const bad = sdistFilenameProblem(filename, projectNames, meta.name, meta.version);
    if (bad) fail(400, bad);
    for (const licenseFile of meta.licenseFiles ?? []) {
      const target = pathJoin(archive.topLevel, licenseFile);
      if (!archive.names.includes(target)) {
        fail(400, `License-File ${licenseFile} does not exist in distribution file ${filename} at ${target}`);
      }
    }
  } else {
    const bad = wheelFilenameProblem(filename, projectNames, meta.name, meta.versionText);
    if (bad) fail(400, bad);
  }

  // §4 step 20: store.
  const metadata: Record<string, string | string[]> = { ...meta.fields, pyversion: data.pyversion };
  if (data.comment) metadata.comment = data.comment;
  const stored: StoredFile = {
    filename,
    version: release?.version ?? meta.versionText,
    ...hashes,
    size: content.size,
    content: content.content,
    packagetype: data.filetype,
    uploadedAt: ctx.now(),
    metadata,
  };
  // Concurrent uploads may have committed meanwhile (the archive check awaited): the database's
  // unique constraints decide, as the "race only" 409 of §4 step 6 and the duplicate rule.
  if (isNew && ctx.store.find(data.name)) {
    fail(409, `The name ${pyRepr(data.name)} conflicts with an existing project. See ${help(ctx, 'project-name')} for more information.`);
  }
  if (isDuplicate(ctx, filename, hashes)) return uploadOk(req.accept);
  const target = isNew ? ctx.store.createProject(data.name, user) : project;
  target.name = displayName;
  ctx.store.addFile(target, stored, metadata);
  return uploadOk(req.accept);
}

/**
 * Everything POSTed to /legacy/: `:action` routing (§1), then the upload.
 * Always resolves to an answer; errors are rendered per §6.
 */
export async function handleLegacyPost(ctx: UploadContext, req: UploadRequest): Promise<Answer> {
  const action = req.query.getAll(':action').pop() ?? new MultiDict(req.body.fields).get(':action');
  const state: PipelineState = {};
  let answer: Answer;
  try {
    if (action === 'file_upload') answer = await fileUpload(ctx, req, state);
    else if (action === 'submit' || action === 'submit_pkg_info') {
      fail(410, 'Project pre-registration is no longer required or supported, upload your files instead.');
    } else if (action === 'doc_upload') {
      fail(410, 'Uploading documentation is no longer supported, we recommend using https://readthedocs.org/.');
    } else {
      // No (known) :action falls through to the GET-only catch-all view.
      throw new WarehouseError(405, undefined, { method: 'POST' });
    }
  } catch (e) {
    if (!(e instanceof WarehouseError)) throw e;
    answer = renderError(e, req.accept);
  }
  if (state.rateLimitHeaders) Object.assign(answer.headers, state.rateLimitHeaders);
  return answer;
}

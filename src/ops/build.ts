/**
 * `build`: writes one placeholder sdist per name into a directory.
 *
 * Everything is built in memory and every conflict is found before the first
 * file is written, so bad input or a clash leaves the directory untouched. Each
 * file is written atomically (temporary file, then rename).
 */
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { writeAtomically } from '../io/atomic-write.js';
import { EXIT, InputError, ReserveError, type Problem } from '../core/errors.js';
import { fsReason } from '../io/fs-reason.js';
import type { PlaceholderOptions } from '../core/metadata.js';
import { toProjectNames, type ProjectNameInput } from '../core/names.js';
import { planPlaceholders } from '../core/plan.js';
import { buildSdist, type Sdist } from '../core/sdist.js';
import { mapConcurrently } from './concurrency.js';

export type BuildResult =
  | { status: 'built'; name: string; normalized: string; file: string; sha256: string; size: number; unchanged: boolean }
  | { status: 'protected-by-pypi'; name: string; normalized: string };

export interface BuildRequest {
  /** Plain strings are validated as the command line's names are. */
  names: readonly ProjectNameInput[];
  options: PlaceholderOptions;
  outDir: string;
  force?: boolean;
  mtime?: number;
  /** Called after each sdist is built in memory, then after each is written (progress on a terminal). */
  onProgress?: (e: BuildProgress) => void;
}

export interface BuildProgress {
  stage: 'building' | 'writing';
  done: number;
  total: number;
}

/**
 * Writing stopped on a file-system error after the input was found good: says
 * which path and why, and carries the files that were and were not written,
 * since some may be on disk already (exit 1: something was done).
 */
export class OutputWriteError extends ReserveError {
  readonly written: readonly string[];
  readonly notWritten: readonly string[];
  constructor(path: string, cause: unknown, files: { written: string[]; notWritten: string[] }) {
    const total = files.written.length + files.notWritten.length;
    super('E_OUTPUT_WRITE', `cannot write ${path}: ${fsReason(cause)}; ${files.written.length} of ${total} sdists were written`, {
      exitCode: EXIT.ATTENTION,
      hint: 'fix the cause (space, permissions, a read-only disk) and run build again: files already written are kept and reported (unchanged)',
      cause,
    });
    this.written = files.written;
    this.notWritten = files.notWritten;
  }
}

/** The longest file name common file systems (ext4, APFS, NTFS) accept, in bytes. */
const MAX_FILENAME_BYTES = 255;
/** Files written at once: enough to overlap the file system's latency, few enough to stay light. */
const WRITE_CONCURRENCY = 16;

export async function buildPlaceholders(request: BuildRequest): Promise<BuildResult[]> {
  const planned = planPlaceholders(toProjectNames(request.names, 'buildPlaceholders'), request.options);
  const problems: Problem[] = [];
  const outDirProblem = await directoryProblem(request.outDir);
  if (outDirProblem) problems.push(outDirProblem);
  const existing = outDirProblem ? new Set<string>() : await listDirectory(request.outDir);

  // Built one after another: each is a few kilobytes and CPU-bound, and
  // holding a thousand half-built archives at once only costs memory.
  const built: { p: (typeof planned)[number]; sdist?: Sdist }[] = [];
  const unchanged = new Set<string>();
  for (const p of planned) {
    if (p.kind !== 'placeholder') {
      built.push({ p });
      continue;
    }
    if (Buffer.byteLength(p.meta.filename) > MAX_FILENAME_BYTES) {
      problems.push({
        code: 'E_FILENAME_TOO_LONG',
        message: `the sdist's file name would be longer than ${MAX_FILENAME_BYTES} bytes, which no common file system stores`,
        value: p.name.name,
        source: p.name.source,
        hint: 'reserve it with `pypi-reserve reserve`, which uploads from memory and writes no file',
      });
      continue;
    }
    const sdist = buildSdist(p.meta, request.mtime === undefined ? {} : { mtime: request.mtime });
    built.push({ p, sdist });
    request.onProgress?.({ stage: 'building', done: built.length, total: planned.length });
    if (!existing.has(sdist.filename)) continue;
    const path = join(request.outDir, sdist.filename);
    const current = await readFile(path).catch((err: NodeJS.ErrnoException) => err);
    if (current instanceof Error && current.code === 'EISDIR') {
      // Not even --force replaces a directory: it may hold anything.
      problems.push({
        code: 'E_OUTPUT_EXISTS',
        message: 'a directory is in the way of this file',
        value: path,
        hint: 'move the directory away, or choose another --output-dir',
      });
    } else if (!(current instanceof Error) && createHash('sha256').update(current).digest('hex') === sdist.sha256) unchanged.add(sdist.filename);
    else if (!request.force) {
      problems.push({
        code: 'E_OUTPUT_EXISTS',
        message: 'a different file with this name already exists',
        value: path,
        hint: 'remove it, choose another --output-dir, or pass --force to replace it',
      });
    }
  }
  if (problems.length) throw new InputError(problems);

  const toWrite = built.filter((b): b is { p: (typeof planned)[number]; sdist: Sdist } => b.sdist !== undefined && !unchanged.has(b.sdist.filename));
  await writeAll(request.outDir, toWrite.map(({ sdist }) => sdist), request.onProgress);

  return built.map(({ p, sdist }): BuildResult => {
    const base = { name: p.name.name, normalized: p.name.normalized };
    if (!sdist) return { status: 'protected-by-pypi', ...base };
    const file = join(request.outDir, sdist.filename);
    return { status: 'built', ...base, file, sha256: sdist.sha256, size: sdist.size, unchanged: unchanged.has(sdist.filename) };
  });
}

/**
 * Writes the files; the first failure stops new writes (a full or read-only disk
 * fails them all alike) and is reported with what was and was not written.
 */
async function writeAll(outDir: string, sdists: readonly Sdist[], onProgress?: (e: BuildProgress) => void): Promise<void> {
  if (sdists.length === 0) return;
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    // A recursive mkdir says ENOENT for a read-only parent; a plain one says why.
    const reason = await mkdir(outDir).then(() => err, (plain: unknown) => plain);
    throw new OutputWriteError(outDir, reason, { written: [], notWritten: sdists.map((s) => join(outDir, s.filename)) });
  }
  const written: string[] = [];
  let failure: { path: string; err: unknown } | undefined;
  await mapConcurrently(sdists, WRITE_CONCURRENCY, async (sdist) => {
    if (failure) return;
    const path = join(outDir, sdist.filename);
    try {
      await writeAtomically(path, sdist.bytes);
      written.push(path);
      onProgress?.({ stage: 'writing', done: written.length, total: sdists.length });
    } catch (err) {
      failure ??= { path, err };
    }
  });
  if (failure) {
    const done = new Set(written);
    const notWritten = sdists.map((s) => join(outDir, s.filename)).filter((path) => !done.has(path));
    throw new OutputWriteError(failure.path, failure.err, { written: sdists.map((s) => join(outDir, s.filename)).filter((path) => done.has(path)), notWritten });
  }
}

/** The output path must be a directory, or not exist yet (with a directory, or nothing, above it). */
async function directoryProblem(dir: string): Promise<Problem | undefined> {
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) {
    if (info.code === 'ENOENT') {
      const parent = await stat(dirname(dir)).catch(() => undefined);
      if (parent && !parent.isDirectory()) return outputProblem(dir, 'its parent is not a directory');
      return undefined;
    }
    return outputProblem(dir, `cannot be read: ${fsReason(info)}`);
  }
  return info.isDirectory() ? undefined : outputProblem(dir, 'is a file, not a directory');
}

function outputProblem(dir: string, why: string): Problem {
  return { code: 'E_OUTPUT_DIR', message: `the output directory ${why}`, value: dir, source: '--output-dir' };
}

async function listDirectory(dir: string): Promise<Set<string>> {
  return new Set(await readdir(dir).catch(() => []));
}

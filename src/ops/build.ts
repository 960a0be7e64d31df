/**
 * `build`: writes one placeholder sdist per name into a directory.
 *
 * Everything is built in memory and every conflict is found before the first
 * file is written, so bad input or a clash leaves the directory untouched. Each
 * file is written atomically (temporary file, then rename).
 */
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hash } from 'node:crypto';
import { writeAtomicallySync } from '../io/atomic-write.js';
import { EXIT, InputError, ReserveError, type Problem } from '../core/errors.js';
import { fsReason } from '../io/fs-reason.js';
import type { PlaceholderMetadata, PlaceholderOptions } from '../core/metadata.js';
import { toProjectNames, type ProjectNameInput } from '../core/names.js';
import { planPlaceholders } from '../core/plan.js';
import { buildSdist, type Sdist } from '../core/sdist.js';

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
  /** Called after each sdist is built in memory, and again once it is written (progress on a terminal). */
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

export async function buildPlaceholders(request: BuildRequest): Promise<BuildResult[]> {
  const planned = planPlaceholders(toProjectNames(request.names, 'buildPlaceholders'), request.options);
  const problems: Problem[] = [];
  const outDirProblem = await directoryProblem(request.outDir);
  if (outDirProblem) problems.push(outDirProblem);
  const existing = outDirProblem ? new Set<string>() : await listDirectory(request.outDir);
  const build = (meta: PlaceholderMetadata) => buildSdist(meta, request.mtime === undefined ? {} : { mtime: request.mtime });

  // Every problem is found before the first file is written. Only files already
  // on disk need their sdist built for that; the rest are built as they are
  // written, so a thousand archives are never all held at once.
  const unchanged = new Map<string, Sdist>();
  for (const p of planned) {
    if (p.kind !== 'placeholder') continue;
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
    if (!existing.has(p.meta.filename)) continue;
    const path = join(request.outDir, p.meta.filename);
    const current = await readFile(path).catch((err: NodeJS.ErrnoException) => err);
    if (current instanceof Error && current.code === 'EISDIR') {
      // Not even --force replaces a directory: it may hold anything.
      problems.push({
        code: 'E_OUTPUT_EXISTS',
        message: 'a directory is in the way of this file',
        value: path,
        hint: 'move the directory away, or choose another --output-dir',
      });
      continue;
    }
    const sdist = build(p.meta);
    if (!(current instanceof Error) && hash('sha256', current, 'hex') === sdist.sha256) unchanged.set(sdist.filename, sdist);
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

  const toWrite = planned.flatMap((p) => (p.kind === 'placeholder' && !unchanged.has(p.meta.filename) ? [p.meta] : []));
  const written = await writeAll(request.outDir, toWrite, build, request.onProgress);

  return planned.map((p): BuildResult => {
    const base = { name: p.name.name, normalized: p.name.normalized };
    if (p.kind !== 'placeholder') return { status: 'protected-by-pypi', ...base };
    const kept = unchanged.get(p.meta.filename);
    const { sha256, size } = kept ?? written.get(p.meta.filename)!;
    return { status: 'built', ...base, file: join(request.outDir, p.meta.filename), sha256, size, unchanged: kept !== undefined };
  });
}

/**
 * Builds and writes each sdist in turn, synchronously: on a local disk a write
 * is four system calls, and sending them through the thread pool costs more
 * CPU than making them (bench/build.ts). The first failure stops the writing
 * (a full or read-only disk fails them all alike) and is reported with what
 * was and was not written. Returns each file's digest and size.
 */
async function writeAll(
  outDir: string,
  metas: readonly PlaceholderMetadata[],
  build: (meta: PlaceholderMetadata) => Sdist,
  onProgress?: (e: BuildProgress) => void,
): Promise<Map<string, { sha256: string; size: number }>> {
  const done = new Map<string, { sha256: string; size: number }>();
  if (metas.length === 0) return done;
  const paths = metas.map((m) => join(outDir, m.filename));
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    // A recursive mkdir says ENOENT for a read-only parent; a plain one says why.
    const reason = await mkdir(outDir).then(() => err, (plain: unknown) => plain);
    throw new OutputWriteError(outDir, reason, { written: [], notWritten: paths });
  }
  for (let i = 0; i < metas.length; i++) {
    const sdist = build(metas[i]!);
    onProgress?.({ stage: 'building', done: i + 1, total: metas.length });
    try {
      writeAtomicallySync(paths[i]!, sdist.bytes);
    } catch (err) {
      throw new OutputWriteError(paths[i]!, err, { written: paths.slice(0, i), notWritten: paths.slice(i) });
    }
    done.set(sdist.filename, { sha256: sdist.sha256, size: sdist.size });
    onProgress?.({ stage: 'writing', done: i + 1, total: metas.length });
  }
  return done;
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

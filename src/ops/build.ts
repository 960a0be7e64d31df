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
import { InputError, type Problem } from '../core/errors.js';
import type { PlaceholderOptions } from '../core/metadata.js';
import type { ProjectName } from '../core/names.js';
import { planPlaceholders } from '../core/plan.js';
import { buildSdist, type Sdist } from '../core/sdist.js';
import { mapConcurrently } from './concurrency.js';

export type BuildResult =
  | { status: 'built'; name: string; normalized: string; file: string; sha256: string; size: number; unchanged: boolean }
  | { status: 'protected-by-pypi'; name: string; normalized: string };

export interface BuildRequest {
  names: readonly ProjectName[];
  options: PlaceholderOptions;
  outDir: string;
  force?: boolean;
  mtime?: number;
}

/** The longest file name common file systems (ext4, APFS, NTFS) accept, in bytes. */
const MAX_FILENAME_BYTES = 255;
/** Files written at once: enough to overlap the file system's latency, few enough to stay light. */
const WRITE_CONCURRENCY = 16;

export async function buildPlaceholders(request: BuildRequest): Promise<BuildResult[]> {
  const planned = planPlaceholders(request.names, request.options);
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
    if (!existing.has(sdist.filename)) continue;
    const path = join(request.outDir, sdist.filename);
    const current = await readFile(path).catch(() => undefined);
    if (current && createHash('sha256').update(current).digest('hex') === sdist.sha256) unchanged.add(sdist.filename);
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
  if (toWrite.length > 0) await mkdir(request.outDir, { recursive: true });
  await mapConcurrently(toWrite, WRITE_CONCURRENCY, ({ sdist }) => writeAtomically(join(request.outDir, sdist.filename), sdist.bytes));

  return built.map(({ p, sdist }): BuildResult => {
    const base = { name: p.name.name, normalized: p.name.normalized };
    if (!sdist) return { status: 'protected-by-pypi', ...base };
    const file = join(request.outDir, sdist.filename);
    return { status: 'built', ...base, file, sha256: sdist.sha256, size: sdist.size, unchanged: unchanged.has(sdist.filename) };
  });
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
    return outputProblem(dir, `cannot be read (${info.code ?? info.message})`);
  }
  return info.isDirectory() ? undefined : outputProblem(dir, 'is a file, not a directory');
}

function outputProblem(dir: string, why: string): Problem {
  return { code: 'E_OUTPUT_DIR', message: `the output directory ${why}`, value: dir, source: '--output-dir' };
}

async function listDirectory(dir: string): Promise<Set<string>> {
  return new Set(await readdir(dir).catch(() => []));
}

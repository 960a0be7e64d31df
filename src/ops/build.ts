/**
 * `build`: writes one placeholder sdist per name into a directory.
 *
 * Everything is built in memory and every conflict is found before the first
 * file is written, so bad input or a clash leaves the directory untouched. Each
 * file is written atomically (temporary file, then rename).
 */
import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { InputError, type Problem } from '../core/errors.js';
import type { PlaceholderOptions } from '../core/metadata.js';
import type { ProjectName } from '../core/names.js';
import { planPlaceholders } from '../core/plan.js';
import { buildSdist } from '../core/sdist.js';

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

export async function buildPlaceholders(request: BuildRequest): Promise<BuildResult[]> {
  const planned = planPlaceholders(request.names, request.options);
  const built = await Promise.all(
    planned.map(async (p) => (p.kind === 'placeholder' ? { p, sdist: await buildSdist(p.meta, withMtime(request.mtime)) } : { p })),
  );

  const problems: Problem[] = [];
  const unchanged = new Set<string>();
  for (const { sdist } of built) {
    if (!sdist) continue;
    const path = join(request.outDir, sdist.filename);
    const existing = await readFile(path).catch(() => undefined);
    if (!existing) continue;
    if (createHash('sha256').update(existing).digest('hex') === sdist.sha256) unchanged.add(sdist.filename);
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

  await mkdir(request.outDir, { recursive: true });
  const results: BuildResult[] = [];
  for (const { p, sdist } of built) {
    const base = { name: p.name.name, normalized: p.name.normalized };
    if (!sdist) {
      results.push({ status: 'protected-by-pypi', ...base });
      continue;
    }
    const file = join(request.outDir, sdist.filename);
    if (!unchanged.has(sdist.filename)) await writeAtomically(file, sdist.bytes);
    results.push({ status: 'built', ...base, file, sha256: sdist.sha256, size: sdist.size, unchanged: unchanged.has(sdist.filename) });
  }
  return results;
}

function withMtime(mtime: number | undefined) {
  return mtime === undefined ? {} : { mtime };
}

/** Writes next to the target and renames, so a reader never sees half a file. */
export async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

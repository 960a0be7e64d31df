/**
 * Writes the starter config file atomically, so a crash or a full disk never
 * leaves half a file. Without `force` an existing file is never replaced, even
 * one created by someone else meanwhile (see writeAtomically's `overwrite`).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeAtomically } from '../io/atomic-write.js';
import { fsReason } from '../io/fs-reason.js';
import { ReserveError } from '../core/errors.js';
import { displayPath } from '../sources/labels.js';
import { CONFIG_FILE_NAME } from './load.js';
import { STARTER_CONFIG } from './starter.js';

export interface InitConfigOptions {
  /** Where to write, relative to `cwd`; `pypi-reserve.toml` by default. */
  path?: string;
  cwd: string;
  /** Replace an existing file. */
  force?: boolean;
}

/** Writes the starter file and returns its absolute path. */
export async function initConfig(options: InitConfigOptions): Promise<string> {
  const file = resolve(options.cwd, options.path ?? CONFIG_FILE_NAME);
  const label = displayPath(options.cwd, file);
  const cannotWrite = (err: unknown) =>
    new ReserveError('E_CONFIG_WRITE', `cannot write the config file ${label}: ${fsReason(err)}; nothing was written`, {
      hint: 'name a file in a writable directory with --config PATH',
    });
  // `init --config ci/reserve.toml` makes ci/, as `build -o` makes its directory.
  await mkdir(dirname(file), { recursive: true }).catch(async (err: unknown) => {
    // A recursive mkdir says EEXIST or ENOENT where a file is in the way or the disk is read-only; a plain one says which.
    const plain = await mkdir(dirname(file)).then(() => err, (e: unknown) => e);
    throw cannotWrite((plain as NodeJS.ErrnoException).code === 'EEXIST' ? Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }) : plain);
  });
  try {
    await writeAtomically(file, STARTER_CONFIG, { mode: 0o644, overwrite: options.force === true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new ReserveError('E_CONFIG_EXISTS', `${label} already exists; it was left unchanged`, {
        hint: 'pass --force to replace it, or --check to check it',
      });
    }
    throw cannotWrite(err);
  }
  return file;
}

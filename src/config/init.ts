/**
 * Writes the starter config file atomically, so a crash or a full disk never
 * leaves half a file. Without `force` an existing file is never replaced, even
 * one created by someone else meanwhile (see writeAtomically's `overwrite`).
 */
import { resolve } from 'node:path';
import { writeAtomically } from '../io/atomic-write.js';
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
  try {
    await writeAtomically(file, STARTER_CONFIG, { mode: 0o644, overwrite: options.force === true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new ReserveError('E_CONFIG_EXISTS', `${displayPath(options.cwd, file)} already exists; it was left unchanged`, {
        hint: 'pass --force to replace it, or --check to check it',
      });
    }
    throw new ReserveError('E_CONFIG_WRITE', `cannot write ${displayPath(options.cwd, file)}: ${code ?? String(err)}`);
  }
  return file;
}

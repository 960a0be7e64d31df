/**
 * Writes the starter config file atomically: the text goes to a temporary file
 * in the same directory first, so a crash or a full disk never leaves half a
 * file. Without `force` an existing file is never replaced, even one created
 * by someone else between our check and our write (link(2) fails if the
 * target exists).
 */
import { access, link, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
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
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, STARTER_CONFIG, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    throw new ReserveError('E_CONFIG_WRITE', `cannot write ${displayPath(options.cwd, file)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    if (options.force) await rename(tmp, file);
    else await linkOrRename(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new ReserveError('E_CONFIG_EXISTS', `${displayPath(options.cwd, file)} already exists; it was left unchanged`, {
        hint: 'pass --force to replace it, or --check to check it',
      });
    }
    throw new ReserveError('E_CONFIG_WRITE', `cannot write ${displayPath(options.cwd, file)}: ${code ?? String(err)}`);
  } finally {
    // After rename the temporary name is gone already; after link (or a failure) it is removed here.
    await rm(tmp, { force: true });
  }
  return file;
}

/** link(2) where the file system has hard links; elsewhere a check then a rename (a small race, but no partial file). */
async function linkOrRename(tmp: string, file: string): Promise<void> {
  try {
    await link(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    const exists = await access(file).then(() => true, () => false);
    if (exists) throw Object.assign(new Error('file exists'), { code: 'EEXIST' });
    await rename(tmp, file);
  }
}

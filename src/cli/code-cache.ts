/**
 * Runs the bundled CLI program (dist/cli/program-<hash>.cjs, a CommonJS-format
 * script) with V8's code cache kept between runs, on every Node version.
 *
 * Why: compiling the program's ~0.8 MB of JavaScript was the largest part of
 * what the CLI added to Node's own start-up on Node 20, which has no compile
 * cache (Node 22's `module.enableCompileCache` does this for modules, but not
 * on Node 20, and one mechanism tested in CI beats two). With the cache V8
 * deserialises the functions the last run compiled instead of parsing the
 * source (bench/startup: `check` of one name about 40 ms sooner on Node 20).
 *
 * The cache is code the process holding the PyPI token will run, so it is
 * trusted only as far as the user's own files are:
 * - it lives in the user's cache directory (io/cache-dir.ts), made 0700;
 * - a cache file is used only if it is a regular file owned by this user and
 *   writable by no one else (checked on the open file), else it is ignored and
 *   replaced;
 * - its name carries the program file's name (a hash of its content, from the
 *   build), size and modification time, and Node's version and architecture;
 *   V8 itself also checks its version, flags and the source length and rejects
 *   a cache that does not match (then the program compiles from source and the
 *   cache is written again at exit).
 * `NODE_DISABLE_COMPILE_CACHE=1`, Node's own switch, turns it off.
 * Every failure (no cache directory, a read-only home, a rejected cache) only
 * means a run without the cache: nothing is printed.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The function the program's source is wrapped in: CommonJS's own parameters, as Node gives a CommonJS module. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_TAIL = '\n})';

export interface CodeCacheOptions {
  /** The directory for cache files, or undefined for no cache. */
  directory: string | undefined;
}

export interface ScriptRun {
  /** The script's `module.exports`. */
  exports: unknown;
  /**
   * Writes the cache if this run had none to use (absent, untrusted or
   * rejected by V8); else does nothing. Meant for the end of the run (the
   * executable calls it at exit), so the cache holds every function the run
   * compiled, not only the top level: measured on `check` of one name, a
   * cache of the top level alone saved nothing over no cache.
   */
  saveCache: () => void;
}

/**
 * Compiles and runs the CommonJS-format script `file` (its text ASCII, as the
 * bundler checks), with the code cache in `options.directory`.
 */
export function runScriptWithCodeCache(file: string, options: CodeCacheOptions): ScriptRun {
  const fd = openSync(file, 'r');
  let source: string;
  let stats: Stats;
  try {
    stats = fstatSync(fd);
    source = readFileSync(fd, 'latin1');
  } finally {
    closeSync(fd);
  }
  const cacheFile = options.directory === undefined ? undefined : join(options.directory, cacheFileName(file, stats));
  const cachedData = cacheFile === undefined ? undefined : readTrustedCache(cacheFile);
  const script = new Script(WRAPPER_HEAD + source + WRAPPER_TAIL, {
    filename: file,
    // Line numbers in stack traces are the file's own.
    lineOffset: -1,
    cachedData,
  });
  const needsSaving = cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true);
  const module = { exports: {} as unknown };
  const wrapped = script.runInThisContext() as (...args: unknown[]) => void;
  wrapped(module.exports, createRequire(file), module, file, dirname(file));
  let saved = false;
  return {
    exports: module.exports,
    saveCache: () => {
      if (!needsSaving || saved) return;
      saved = true;
      writeCache(cacheFile, script);
    },
  };
}

/** `<program file>-<size>-<mtime>-<node version>-<arch>.v8`: a cache for another build, another copy or another Node never matches. */
export function cacheFileName(file: string, stats: Pick<Stats, 'size' | 'mtimeMs'>): string {
  return `${basename(file)}-${stats.size}-${Math.trunc(stats.mtimeMs)}-${process.version}-${process.arch}.v8`;
}

/** The cache's bytes if it is the user's own file that no one else can write; otherwise (or if absent) undefined. */
export function readTrustedCache(cacheFile: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(cacheFile, 'r');
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || !ownedByUser(stats)) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Owned by this user and not writable by group or others (POSIX); Windows keeps the cache in the user's own profile and has no such bits. */
function ownedByUser(stats: Stats): boolean {
  if (typeof process.getuid !== 'function') return true;
  return stats.uid === process.getuid() && (stats.mode & 0o022) === 0;
}

/** How many cache files the directory keeps: one per build and Node in use, and two installs side by side do not evict each other. */
export const KEPT_CACHE_FILES = 8;

/** Writes the cache (temporary file, then rename) and removes the oldest beyond KEPT_CACHE_FILES. */
function writeCache(cacheFile: string, script: Script): void {
  const directory = dirname(cacheFile);
  const temporary = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, cacheFile);
    pruneCaches(directory);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the run itself is unaffected.
    }
  }
}

function pruneCaches(directory: string): void {
  const caches = readdirSync(directory)
    .filter((name) => name.endsWith('.v8'))
    .map((name) => ({ path: join(directory, name), mtimeMs: statSync(join(directory, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of caches.slice(KEPT_CACHE_FILES)) rmSync(old.path, { force: true });
}

/**
 * Runs the bundled CLI program (dist/cli/program-<hash>.cjs, a CommonJS-format
 * script) with V8's code cache kept between runs, on every Node version.
 *
 * Why: compiling the program's JavaScript was the largest part of what the CLI
 * added to Node's own start-up on Node 20, which has no compile cache (Node
 * 22's `module.enableCompileCache` does this for modules, but not on Node 20,
 * and one mechanism tested in CI beats two). With the cache V8 deserialises
 * the functions the last run compiled instead of parsing the source
 * (bench/startup: `check` of one name about 20 ms sooner on Node 20).
 *
 * The cache is code the process holding the PyPI token runs, and V8 checks
 * little of it: its own version, its flags and the *length* of the source, not
 * the source itself. Whoever can write a cache file can therefore run code in
 * this process, so a cache is kept only where no one else can write
 * (codeCacheDirectory below) and read only when it is beyond doubt the user's:
 * - the directory is a real directory (not a link), owned by this user and
 *   writable by no one else, and the user owns the nearest directory above it
 *   that exists, so root running with another user's HOME keeps no cache there;
 * - the file is opened without following a link and without waiting on a
 *   pipe, and used only if it is a regular file with one link, owned by this
 *   user, writable by no one else, and of a sane size;
 * - its name carries the program file's name (a hash of its content, from the
 *   build), size and modification time, and Node's version and architecture;
 * - V8 verifies the cache's checksum (`--verify-snapshot-checksum`, set by the
 *   executable: release builds skip it otherwise, and a damaged cache then
 *   crashed every run until deleted) and rejects a cache for other flags or
 *   another V8; a rejected cache is written again at the end of the run.
 * Every failure (no cache directory, a read-only home, a rejected cache) only
 * means a run without the cache: nothing is printed.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { platform as osPlatform } from 'node:os';
import { basename, dirname, join, posix, win32 } from 'node:path';
import { Script } from 'node:vm';
import { CACHE_DIR_ENV, defaultCacheDir, userHome } from '../io/cache-dir.js';

/**
 * The function a program file is, around its CommonJS code: CommonJS's own
 * parameters, as Node gives a module. The file holds the wrapper itself
 * (scripts/bundle.mjs writes it so), and its text is compiled as read: with the
 * wrapper added in memory, V8 first copied the 700 KB joined text into one
 * string, 5-7 ms of every run (most of it the new memory's page faults on the
 * reference machine), against 2-3 ms for all the rest of taking the cache.
 */
export const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
export const WRAPPER_TAIL = '\n})';

/** A cache larger than this is not ours (the program's is well under 1 MB): not read. */
export const MAX_CACHE_BYTES = 16 * 1024 * 1024;

/** How many cache files the directory keeps: one per build and Node in use, and two installs side by side do not evict each other. */
export const KEPT_CACHE_FILES = 8;

/** Variables that say a run is in CI, where no code cache is kept (see codeCacheDirectory). */
const CI_VARIABLES = ['CI', 'GITHUB_ACTIONS', 'GITLAB_CI', 'TF_BUILD', 'JENKINS_URL', 'BUILDKITE', 'CIRCLECI', 'TEAMCITY_VERSION'];

/**
 * Where the code cache lives, or undefined for none: `code-cache/` in the
 * user's own cache directory as io/cache-dir.ts finds it, that directory's
 * override excepted (`$XDG_CACHE_HOME/pypi-reserve` or `~/.cache/pypi-reserve`;
 * `~/Library/Caches/pypi-reserve` on macOS; `%LOCALAPPDATA%\pypi-reserve\Cache`
 * on Windows, and none where LOCALAPPDATA is not set or no home is known).
 * - Never under `PYPI_RESERVE_CACHE_DIR`, which README suggests pointing at a
 *   directory CI caches between jobs: a cache restored from there may come
 *   from another pipeline, and would run as this one, with its token.
 * - Never in CI at all: a CI job builds or installs the program afresh, so the
 *   cache would never be used, only written, and CI caches are the way a
 *   planted cache would arrive.
 * - Off with `NODE_DISABLE_COMPILE_CACHE=1`, Node's own switch for its cache.
 */
export function codeCacheDirectory(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = osPlatform(), home: string = userHome(env)): string | undefined {
  if (env['NODE_DISABLE_COMPILE_CACHE'] === '1') return undefined;
  if (CI_VARIABLES.some((name) => isSet(env[name]))) return undefined;
  if (platform === 'win32' ? !env['LOCALAPPDATA'] : !home) return undefined;
  const userCacheDir = defaultCacheDir({ ...env, [CACHE_DIR_ENV]: undefined }, platform, home);
  return (platform === 'win32' ? win32 : posix).join(userCacheDir, 'code-cache');
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export interface CodeCacheOptions {
  /** The directory for cache files (codeCacheDirectory), or undefined for no cache. */
  directory: string | undefined;
  /**
   * Names the V8 flags the run set (the executable sets some per command); V8
   * rejects a cache made under other flags, so each set keeps a cache of its
   * own instead of the commands overwriting each other's.
   */
  variant?: string;
}

export interface ScriptRun {
  /** The script's `module.exports`. */
  exports: unknown;
  /**
   * Writes the cache if this run had none to use (absent, untrusted or
   * rejected by V8) and the directory can be trusted; else does nothing. Meant
   * for the end of the run (the executable calls it at exit), so the cache
   * holds every function the run compiled, not only the top level: measured on
   * `check` of one name, a cache of the top level alone saved nothing over no
   * cache.
   */
  saveCache: () => void;
}

/**
 * The program's `require`. It is one bundle holding every package it uses
 * (scripts/bundle.mjs), so it asks only for Node's own modules: answered by
 * process.getBuiltinModule (Node 20.16 and later), which spares loading
 * node:module and its ES module loader for createRequire (0.5 ms a run).
 */
function requireBuiltin(id: string): unknown {
  const found = process.getBuiltinModule(id);
  // The codes require gives: callers such as undici's feature detection tell "this Node has no such module" by them.
  if (found === undefined) {
    throw Object.assign(new Error(`Cannot find module '${id}': the program may load only Node's own modules`), {
      code: id.startsWith('node:') ? 'ERR_UNKNOWN_BUILTIN_MODULE' : 'MODULE_NOT_FOUND',
    });
  }
  return found;
}

/**
 * Compiles and runs the CommonJS-format script `file` (its text ASCII, as the
 * bundler checks), with the code cache in `options.directory`.
 */
export function runScriptWithCodeCache(file: string, options: CodeCacheOptions): ScriptRun {
  return runReadScript(readScriptWithCodeCache(file, options));
}

/** A script and its cache, read from disk: what runReadScript compiles and runs. */
export interface ReadScript {
  file: string;
  source: string;
  cacheFile: string | undefined;
  cachedData: Buffer | undefined;
}

/** The file reads of runScriptWithCodeCache, alone: the executable lets V8 take a step of other work between them and the run (cli/main.ts). */
export function readScriptWithCodeCache(file: string, options: CodeCacheOptions): ReadScript {
  const fd = openSync(file, 'r');
  let source: string;
  let stats: Stats;
  try {
    stats = fstatSync(fd);
    source = readFileSync(fd, 'latin1');
  } finally {
    closeSync(fd);
  }
  const cacheFile = options.directory === undefined ? undefined : join(options.directory, cacheFileName(file, stats, options.variant));
  const cachedData = cacheFile === undefined ? undefined : readTrustedCache(cacheFile);
  return { file, source, cacheFile, cachedData };
}

/** Compiles the script read (with its cache, if V8 takes it) and runs it. */
export function runReadScript({ file, source, cacheFile, cachedData }: ReadScript): ScriptRun {
  // A damaged or foreign file is told apart here, not a hostile one: whoever can write the program runs code anyway.
  if (!source.startsWith(WRAPPER_HEAD) || !source.endsWith(WRAPPER_TAIL)) throw new Error(`${file} is not a pypi-reserve program file (no function wrapper around it)`);
  const script = new Script(source, { filename: file, cachedData });
  const needsSaving = cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true);
  const module = { exports: {} as unknown };
  const wrapped = script.runInThisContext() as (...args: unknown[]) => void;
  wrapped(module.exports, requireBuiltin, module, file, dirname(file));
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

/** `<program file>-<size>-<mtime>[-<variant>]-<node version>-<arch>.v8`: a cache for another build, another copy, other flags or another Node never matches. */
export function cacheFileName(file: string, stats: Pick<Stats, 'size' | 'mtimeMs'>, variant?: string): string {
  return `${basename(file)}-${stats.size}-${Math.trunc(stats.mtimeMs)}${variant ? `-${variant}` : ''}-${process.version}-${process.arch}.v8`;
}

/** The cache's bytes if it and its directory are beyond doubt the user's own (see the module comment); otherwise (or if absent) undefined. */
export function readTrustedCache(cacheFile: string): Buffer | undefined {
  if (!trustedDirectory(dirname(cacheFile))) return undefined;
  let fd: number;
  try {
    // Not through a link, and without waiting for a writer if it is a pipe (Windows has neither flag).
    fd = openSync(cacheFile, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_CACHE_BYTES || !ownedByUser(stats) || (isPosix() && stats.nlink !== 1)) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function isPosix(): boolean {
  return typeof process.getuid === 'function';
}

/** Owned by this user and not writable by group or others (POSIX); Windows keeps the cache in the user's own profile and has no such bits. */
function ownedByUser(stats: Stats): boolean {
  if (!isPosix()) return true;
  return stats.uid === process.geteuid!() && (stats.mode & 0o022) === 0;
}

/** A real directory (not a link), the user's, writable by no one else. */
function trustedDirectory(directory: string): boolean {
  try {
    const stats = lstatSync(directory);
    return stats.isDirectory() && ownedByUser(stats);
  } catch {
    return false;
  }
}

/**
 * Whether the cache directory may be made: the nearest directory above it
 * that exists is the user's. Root running with another user's HOME (`sudo`
 * keeping HOME) would otherwise leave root-owned directories in that home.
 */
function mayCreate(directory: string): boolean {
  if (!isPosix()) return true;
  for (let dir = dirname(directory); ; dir = dirname(dir)) {
    try {
      return statSync(dir).uid === process.geteuid!();
    } catch {
      if (dirname(dir) === dir) return false;
    }
  }
}

/** Writes the cache (temporary file, then rename) into a trusted directory, and prunes the directory. */
function writeCache(cacheFile: string, script: Script): void {
  const directory = dirname(cacheFile);
  const temporary = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
  try {
    if (!trustedDirectory(directory)) {
      if (!mayCreate(directory)) return;
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      if (!trustedDirectory(directory)) return;
    }
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, cacheFile);
    pruneCaches(directory, basename(cacheFile));
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the run itself is unaffected.
    }
  }
}

/** Temporary files older than this were left by a run that was killed while writing. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/** Keeps the KEPT_CACHE_FILES newest caches (this run's among them) and removes the rest, and stale temporary files. */
function pruneCaches(directory: string, keep: string): void {
  const caches: { name: string; mtimeMs: number }[] = [];
  const now = Date.now();
  for (const name of readdirSync(directory)) {
    if (!name.endsWith('.v8') && !name.endsWith('.tmp')) continue;
    let stats: Stats;
    try {
      stats = lstatSync(join(directory, name));
    } catch {
      continue;
    }
    if (name.endsWith('.tmp')) {
      if (now - stats.mtimeMs > STALE_TEMPORARY_MS) rmSync(join(directory, name), { force: true });
    } else if (name !== keep) caches.push({ name, mtimeMs: stats.mtimeMs });
  }
  caches.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of caches.slice(KEPT_CACHE_FILES - 1)) rmSync(join(directory, old.name), { force: true });
}

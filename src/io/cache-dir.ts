/**
 * Where pypi-reserve keeps what it caches for the user: the project lists
 * (registry/project-list-cache.ts) and the watch state. (V8's code cache of the
 * CLI has a place of its own, never under PYPI_RESERVE_CACHE_DIR: see
 * cli/code-cache.ts.) Paths only: no file is touched here.
 */
import { homedir, platform as osPlatform } from 'node:os';
import { posix, win32 } from 'node:path';

export const CACHE_DIR_ENV = 'PYPI_RESERVE_CACHE_DIR';

/** The user's home directory: `$HOME`, else `%USERPROFILE%`, else what the system says. */
export function userHome(env: NodeJS.ProcessEnv): string {
  return env['HOME'] || env['USERPROFILE'] || homedir();
}

/**
 * The user's cache directory for pypi-reserve: `$PYPI_RESERVE_CACHE_DIR` if set;
 * else `$XDG_CACHE_HOME/pypi-reserve` or `~/.cache/pypi-reserve` on Linux and
 * other Unixes, `~/Library/Caches/pypi-reserve` on macOS,
 * `%LOCALAPPDATA%\pypi-reserve\Cache` on Windows.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = osPlatform(), home: string = userHome(env)): string {
  const override = env[CACHE_DIR_ENV];
  if (override) return override;
  if (platform === 'win32') {
    const local = env['LOCALAPPDATA'] || win32.join(home, 'AppData', 'Local');
    return win32.join(local, 'pypi-reserve', 'Cache');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Caches', 'pypi-reserve');
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = env['XDG_CACHE_HOME'];
  return posix.join(xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.cache'), 'pypi-reserve');
}


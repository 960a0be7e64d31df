/**
 * Where pip and uv read machine-level configuration, computed from an injected
 * environment and platform (no filesystem access here).
 *
 * pip (pip/_internal/configuration.py), lowest to highest priority:
 *   global  Linux: each `$XDG_CONFIG_DIRS` entry (default /etc/xdg) + /pip/pip.conf, then /etc/pip.conf;
 *           macOS: /Library/Application Support/pip/pip.conf; Windows: %PROGRAMDATA%\pip\pip.ini
 *   user    legacy ~/.pip/pip.conf (Windows %USERPROFILE%\pip\pip.ini), then
 *           `$XDG_CONFIG_HOME/pip/pip.conf` (default ~/.config/pip/pip.conf; macOS also
 *           ~/Library/Application Support/pip/pip.conf; Windows %APPDATA%\pip\pip.ini);
 *           skipped by pip while PIP_CONFIG_FILE names an existing file
 *   site    the active environment's prefix: `$VIRTUAL_ENV/pip.conf` (and `$CONDA_PREFIX/pip.conf`)
 *   file    `$PIP_CONFIG_FILE`; when it is os.devnull pip reads no configuration file at all
 * Not covered: the base interpreter's prefix (sys.base_prefix) of an unknown Python.
 *
 * uv: `$UV_CONFIG_FILE`, else the user file `$XDG_CONFIG_HOME/uv/uv.toml` (default
 * ~/.config/uv/uv.toml; Windows %APPDATA%\uv\uv.toml) and the system files
 * `$XDG_CONFIG_DIRS/uv/uv.toml` (default /etc/xdg) and /etc/uv/uv.toml
 * (Windows %PROGRAMDATA%\uv\uv.toml); none when UV_NO_CONFIG is set.
 *
 * PDM: the user file `$XDG_CONFIG_HOME/pdm/config.toml` (default ~/.config/pdm/config.toml).
 *
 * Fixed system paths (/etc/..., /Library/...) are placed under `root`, so a
 * test or an audit of a mounted image can point them elsewhere; paths that come
 * from environment variables are used as given.
 */
import { posix, win32 } from 'node:path';
import type { AuditTarget } from './types.js';

export interface LocationOptions {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Filesystem root for fixed system paths; `/` normally. */
  root: string;
}

export interface PipLocations {
  targets: AuditTarget[];
  /** True when PIP_CONFIG_FILE is os.devnull: pip reads no configuration file. */
  disabled: boolean;
}

/**
 * pip's configuration files in pip's order. `pipConfigFileExists` tells whether
 * PIP_CONFIG_FILE names an existing file, in which case pip skips the user files
 * (they are still listed, with a note, because they apply whenever the variable is unset).
 */
export function pipConfigLocations(options: LocationOptions, pipConfigFileExists: boolean): PipLocations {
  const { env, platform } = options;
  const configFile = nonEmpty(env.PIP_CONFIG_FILE);
  if (configFile !== undefined && isDevNull(configFile, platform)) return { targets: [], disabled: true };

  const path = platform === 'win32' ? win32 : posix;
  const targets: AuditTarget[] = [];
  const add = (file: string | undefined, level: string, note?: string): void => {
    if (file === undefined) return;
    targets.push(note === undefined ? { path: file, format: 'pip-conf', level } : { path: file, format: 'pip-conf', level, note });
  };
  const home = homeDir(env, platform);
  const userNote = configFile !== undefined && pipConfigFileExists ? 'pip skips this file while PIP_CONFIG_FILE is set' : undefined;

  if (platform === 'win32') {
    add(path.join(nonEmpty(env.PROGRAMDATA) ?? 'C:\\ProgramData', 'pip', 'pip.ini'), 'global');
    add(home && path.join(home, 'pip', 'pip.ini'), 'user', userNote);
    const appData = nonEmpty(env.APPDATA);
    add(appData && path.join(appData, 'pip', 'pip.ini'), 'user', userNote);
  } else if (platform === 'darwin') {
    add(rooted(options.root, '/Library/Application Support/pip/pip.conf'), 'global');
    add(home && path.join(home, '.pip', 'pip.conf'), 'user', userNote);
    add(home && path.join(home, 'Library', 'Application Support', 'pip', 'pip.conf'), 'user', userNote);
    add(home && path.join(home, '.config', 'pip', 'pip.conf'), 'user', userNote);
  } else {
    for (const dir of xdgConfigDirs(options)) add(path.join(dir, 'pip', 'pip.conf'), 'global');
    add(rooted(options.root, '/etc/pip.conf'), 'global');
    add(home && path.join(home, '.pip', 'pip.conf'), 'user', userNote);
    const configHome = nonEmpty(env.XDG_CONFIG_HOME) ?? (home && path.join(home, '.config'));
    add(configHome && path.join(configHome, 'pip', 'pip.conf'), 'user', userNote);
  }
  const basename = platform === 'win32' ? 'pip.ini' : 'pip.conf';
  const virtualEnv = nonEmpty(env.VIRTUAL_ENV);
  add(virtualEnv && path.join(virtualEnv, basename), 'site');
  const conda = nonEmpty(env.CONDA_PREFIX);
  if (conda !== undefined && conda !== virtualEnv) add(path.join(conda, basename), 'site');
  add(configFile, 'PIP_CONFIG_FILE');
  return { targets: dedupe(targets), disabled: false };
}

/** uv's user and system uv.toml files, or the one named by UV_CONFIG_FILE. */
export function uvConfigLocations(options: LocationOptions): AuditTarget[] {
  const { env, platform } = options;
  if (nonEmpty(env.UV_NO_CONFIG) !== undefined) return [];
  const explicit = nonEmpty(env.UV_CONFIG_FILE);
  if (explicit !== undefined) return [{ path: explicit, format: 'uv-toml', level: 'UV_CONFIG_FILE' }];

  const path = platform === 'win32' ? win32 : posix;
  const home = homeDir(env, platform);
  const files: { path: string | undefined; level: string }[] = [];
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA);
    files.push({ path: appData && path.join(appData, 'uv', 'uv.toml'), level: 'user' });
    files.push({ path: path.join(nonEmpty(env.PROGRAMDATA) ?? 'C:\\ProgramData', 'uv', 'uv.toml'), level: 'system' });
  } else {
    const configHome = nonEmpty(env.XDG_CONFIG_HOME) ?? (home && path.join(home, '.config'));
    files.push({ path: configHome && path.join(configHome, 'uv', 'uv.toml'), level: 'user' });
    for (const dir of xdgConfigDirs(options)) files.push({ path: path.join(dir, 'uv', 'uv.toml'), level: 'system' });
    files.push({ path: rooted(options.root, '/etc/uv/uv.toml'), level: 'system' });
  }
  return dedupe(
    files.flatMap((f) => (f.path === undefined ? [] : [{ path: f.path, format: 'uv-toml' as const, level: f.level }])),
  );
}

/** PDM's user configuration file (platformdirs' user config dir for `pdm`). */
export function pdmConfigLocation(options: LocationOptions): string | undefined {
  const { env, platform } = options;
  const home = homeDir(env, platform);
  if (platform === 'win32') {
    const local = nonEmpty(env.LOCALAPPDATA);
    return local && win32.join(local, 'pdm', 'pdm', 'config.toml');
  }
  if (platform === 'darwin') return home && posix.join(home, 'Library', 'Application Support', 'pdm', 'config.toml');
  const configHome = nonEmpty(env.XDG_CONFIG_HOME) ?? (home && posix.join(home, '.config'));
  return configHome && posix.join(configHome, 'pdm', 'config.toml');
}

function xdgConfigDirs(options: LocationOptions): string[] {
  const fromEnv = nonEmpty(options.env.XDG_CONFIG_DIRS);
  if (fromEnv === undefined) return [rooted(options.root, '/etc/xdg')];
  return fromEnv.split(':').filter((d) => d !== '');
}

function homeDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  return platform === 'win32' ? (nonEmpty(env.USERPROFILE) ?? nonEmpty(env.HOME)) : nonEmpty(env.HOME);
}

/** `/etc/pip.conf` under `root` (`/` leaves it unchanged). */
export function rooted(root: string, absolute: string): string {
  return root === '' || root === '/' ? absolute : posix.join(root, absolute);
}

export function isDevNull(file: string, platform: NodeJS.Platform): boolean {
  return platform === 'win32' ? file.toLowerCase() === 'nul' : file === '/dev/null';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function dedupe(targets: AuditTarget[]): AuditTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => (seen.has(t.path) ? false : (seen.add(t.path), true)));
}

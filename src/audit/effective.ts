/**
 * `audit --effective`: for each installer, the ordered list of indexes and
 * find-links locations it will really use on this machine for the project in
 * the first directory audited, in the spirit of pip's "Looking in indexes"
 * line. Credentials are masked when rendered.
 *
 * - pip: see effective-pip.ts (files, `PIP_*`, then the requirements files given as PATHs).
 * - uv (`uv sync` / `uv lock`): `UV_INDEX` / `UV_EXTRA_INDEX_URL` first, then the
 *   indexes of the project's uv.toml (or pyproject.toml), the user's and the
 *   system's uv.toml (arrays concatenated in that order), the default index
 *   last (`UV_DEFAULT_INDEX`, else the first configured default, else PyPI).
 *   Explicit indexes serve pinned packages only and are listed apart.
 * - Poetry: primary sources in order (PyPI while no primary is configured),
 *   then secondary and supplemental ones; explicit ones apart.
 * - PDM: the `pypi` source (pdm.toml / config.toml `pypi.url`, else PyPI,
 *   unless the project names a source `pypi`), the project's sources, then the
 *   `[pypi.<name>]` sources of pdm.toml and of the user's config.toml.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { splitUrlList } from './finding.js';
import { parseIni, type ParsedIni } from './ini.js';
import { pipConfigLocations, uvConfigLocations, pdmConfigLocation, type LocationOptions } from './locations.js';
import { parseRequirementsText } from './requirements.js';
import { pipOptionValues, PYPI_SIMPLE, resolvePip } from './effective-pip.js';
import { collectIndexes } from './rules-uv.js';
import { isTable, type Table } from './table.js';
import { pdmConfigSources } from './rules-pdm-config.js';

export interface InstallerLocations {
  /** Indexes in the order the installer consults or merges them. */
  indexes: string[];
  findLinks: string[];
  /** Indexes used only for packages pinned to them. */
  explicit?: string[];
}

export interface EffectiveLocations {
  pip: InstallerLocations;
  uv: InstallerLocations;
  poetry?: InstallerLocations;
  pdm?: InstallerLocations;
}

export interface EffectiveOptions extends LocationOptions {
  cwd: string;
  /** The project directory (uv, Poetry, PDM settings). */
  project: string;
  /** Requirements files given as PATHs, as if passed to `pip install -r`. */
  requirements: readonly string[];
  /** Read machine-level files and variables (false with --no-user-config). */
  machine: boolean;
}

export async function effectiveLocations(options: EffectiveOptions): Promise<EffectiveLocations> {
  const env = options.machine ? options.env : {};
  const result: EffectiveLocations = { pip: await pipLocations(options, env), uv: await uvLocations(options, env) };
  const pyproject = await readToml(join(options.project, 'pyproject.toml'));
  const tool = pyproject && isTable(pyproject.tool) ? pyproject.tool : {};
  if (isTable(tool.poetry)) result.poetry = poetryLocations(tool.poetry);
  const pdmToml = await readToml(join(options.project, 'pdm.toml'));
  const pdmUser = options.machine ? await readToml(pdmConfigLocation(options)) : undefined;
  if (isTable(tool.pdm) || pdmToml || pdmUser) result.pdm = pdmLocations(isTable(tool.pdm) ? tool.pdm : {}, [pdmToml, pdmUser]);
  return result;
}

/** The first directory among the PATHs given (the project whose uv/Poetry/PDM settings apply), else cwd. */
export async function projectDirectory(paths: readonly string[], cwd: string): Promise<string> {
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    if (await stat(absolute).then((s) => s.isDirectory(), () => false)) return absolute;
  }
  return cwd;
}

async function pipLocations(options: EffectiveOptions, env: NodeJS.ProcessEnv): Promise<InstallerLocations> {
  const files: ParsedIni[] = [];
  if (options.machine) {
    const configFile = env.PIP_CONFIG_FILE;
    const configFileExists = configFile ? await isFile(resolve(options.cwd, configFile)) : false;
    const { targets } = pipConfigLocations(options, configFileExists);
    for (const target of targets) {
      // Listed for the audit, but pip does not read them while PIP_CONFIG_FILE names a file.
      if (target.note !== undefined) continue;
      const text = await readText(resolve(options.cwd, target.path));
      if (text !== undefined) files.push(parseIni(text));
    }
  }
  const resolved = await resolvePip(pipOptionValues(files, env), options.requirements, options.cwd, {
    readRequirements: async (path) => {
      const text = await readText(path);
      return text === undefined ? undefined : parseRequirementsText(text);
    },
    exists: async (path) => (await stat(path).then(() => true, () => false)),
  });
  return { indexes: resolved.indexes, findLinks: resolved.findLinks };
}

async function uvLocations(options: EffectiveOptions, env: NodeJS.ProcessEnv): Promise<InstallerLocations> {
  const tables: Table[] = [];
  const uvToml = await readToml(join(options.project, 'uv.toml'));
  const pyproject = uvToml ? undefined : await readToml(join(options.project, 'pyproject.toml'));
  if (uvToml) tables.push(uvToml);
  else if (pyproject && isTable(pyproject.tool) && isTable(pyproject.tool.uv)) tables.push(pyproject.tool.uv);
  if (options.machine) {
    for (const target of uvConfigLocations(options)) {
      const table = await readToml(resolve(options.cwd, target.path));
      if (table) tables.push(table);
    }
  }
  const fromEnv = ['UV_INDEX', 'UV_EXTRA_INDEX_URL'].flatMap((name) =>
    splitUrlList(env[name] ?? '').map((entry) => entry.replace(/^[A-Za-z0-9_.-]+=(?=[a-z][a-z0-9+.-]*:)/i, '')),
  );
  const configured = tables.flatMap((t) => collectIndexes(t, '', true, () => null, { lineOf: () => undefined }));
  const envDefault = (env.UV_DEFAULT_INDEX ?? env.UV_INDEX_URL ?? '').trim();
  const defaultIndex = envDefault || configured.find((i) => i.isDefault && !i.explicit)?.url || PYPI_SIMPLE;
  const findLinks = [
    ...splitUrlList(env.UV_FIND_LINKS ?? ''),
    ...tables.flatMap((t) => (Array.isArray(t['find-links']) ? t['find-links'].filter((f): f is string => typeof f === 'string') : [])),
  ];
  const ordered = [...fromEnv, ...configured.filter((i) => !i.isDefault && !i.explicit).map((i) => i.url), defaultIndex];
  return {
    // An index listed twice is consulted once, at its first place.
    indexes: ordered.filter((url, i) => ordered.indexOf(url) === i),
    findLinks,
    explicit: configured.filter((i) => i.explicit).map((i) => i.url),
  };
}

function poetryLocations(poetry: Table): InstallerLocations {
  const sources = (Array.isArray(poetry.source) ? poetry.source : []).filter(isTable).map((s) => ({
    url: typeof s.url === 'string' ? s.url : s.name === 'PyPI' || String(s.name).toLowerCase() === 'pypi' ? PYPI_SIMPLE : '',
    priority: typeof s.priority === 'string' ? s.priority : s.default === true ? 'default' : s.secondary === true ? 'secondary' : 'primary',
  }));
  const with_ = (...p: string[]) => sources.filter((s) => p.includes(s.priority)).map((s) => s.url);
  const primary = with_('default', 'primary');
  const pypiListed = sources.some((s) => s.url === PYPI_SIMPLE);
  return {
    indexes: [...primary, ...(primary.length === 0 && !pypiListed ? [PYPI_SIMPLE] : []), ...with_('secondary', 'supplemental')],
    findLinks: [],
    explicit: with_('explicit'),
  };
}

function pdmLocations(pdm: Table, configs: (Table | undefined)[]): InstallerLocations {
  const project = (Array.isArray(pdm.source) ? pdm.source : []).filter(isTable);
  const extra = configs.flatMap((c) => (c ? pdmConfigSources(c).extra : []));
  const pypiUrl = configs.map((c) => (c ? pdmConfigSources(c).pypiUrl : undefined)).find((u) => u !== undefined) ?? PYPI_SIMPLE;
  const namesPypi = project.some((s) => String(s.name).toLowerCase() === 'pypi');
  const urls = project.filter((s) => typeof s.url === 'string' && s.type !== 'find_links').map((s) => s.url as string);
  return {
    indexes: [...(namesPypi ? [] : [pypiUrl]), ...urls, ...extra.map((e) => e.url)],
    findLinks: project.filter((s) => s.type === 'find_links' && typeof s.url === 'string').map((s) => s.url as string),
  };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A parsed TOML file, or undefined when it is missing or invalid (the audit reports invalid files). */
async function readToml(path: string | undefined): Promise<Table | undefined> {
  if (path === undefined) return undefined;
  const text = await readText(path);
  if (text === undefined) return undefined;
  try {
    return parseToml(text) as Table;
  } catch {
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

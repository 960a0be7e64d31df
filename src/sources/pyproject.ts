/**
 * Reads project names out of a pyproject.toml: the project's own name
 * (`[project] name`, the most private name of all), PEP 621
 * `[project] dependencies` and `[project.optional-dependencies]`, and PEP 735
 * `[dependency-groups]`, following `{include-group = "…"}` entries. Every
 * entry is a PEP 508 specifier, read by the same parser as requirements files.
 * Poetry's `[tool.poetry]` tables are read too (sources/poetry.ts).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { Problem } from '../core/errors.js';
import { normalizeName } from '../core/names.js';
import { lineOfKey, scanKeyLines } from '../config/key-lines.js';
import { displayPath } from './labels.js';
import { specifierName } from './pep508.js';
import { fsReason } from '../io/fs-reason.js';
import { emptyRead, type SourceRead } from './source-read.js';
import { StringLines } from './string-lines.js';
import { readPoetryTables } from './poetry.js';

export interface PyprojectOptions {
  /** Labels are shown relative to this directory; relative `path` is resolved against it. */
  cwd: string;
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export async function readPyproject(path: string, options: PyprojectOptions): Promise<SourceRead> {
  const cwd = options.cwd;
  const file = resolve(cwd, path);
  const label = displayPath(cwd, file);
  const read = emptyRead();
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (err) {
    read.problems.push({ code: 'E_SOURCE_UNREADABLE', message: `cannot read ${label}: ${fsReason(err)}`, source: label });
    return read;
  }
  let doc: Table;
  try {
    doc = parse(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    read.problems.push({
      code: 'E_PYPROJECT_SYNTAX',
      message: `invalid TOML: ${firstLine(err.message)} (column ${err.column})`,
      source: `${label}:${err.line}`,
    });
    return read;
  }
  readPyprojectDocument(doc, text, label, read);
  return read;
}

/** Reads names from a parsed pyproject.toml into `read`; `text` is used only to find lines. */
export function readPyprojectDocument(doc: Table, text: string, label: string, read: SourceRead): void {
  const lines = new StringLines(text);
  const at = (value: string): string => {
    const line = lines.next(value);
    return line === undefined ? label : `${label}:${line}`;
  };
  const keyLines = scanKeyLines(text);
  /** A problem about a key (`dependency-groups.dev`) points at the line it is written on. */
  const problem = (p: Omit<Problem, 'source'>, key?: string): void => {
    const line = key === undefined ? undefined : lineOfKey(keyLines, key);
    read.problems.push({ ...p, source: line === undefined ? label : `${label}:${line}` });
  };
  const specifiers = (list: unknown, where: string): void => {
    if (!Array.isArray(list)) {
      problem({ code: 'E_PYPROJECT_SHAPE', message: `${where} must be an array of strings` }, where);
      return;
    }
    for (const item of list) {
      if (typeof item !== 'string') {
        problem({ code: 'E_PYPROJECT_SHAPE', message: `${where} must contain only strings`, value: JSON.stringify(item) }, where);
        continue;
      }
      const source = at(item);
      const result = specifierName(item);
      if (result.kind === 'name') read.entries.push({ name: result.name, source });
      else {
        const message = result.kind === 'invalid' ? result.message : 'names no project';
        read.problems.push({ code: 'E_REQUIREMENT_INVALID', message: `${where}: ${message}`, value: item, source });
      }
    }
  };

  const project = doc.project;
  if (project !== undefined && !isTable(project)) problem({ code: 'E_PYPROJECT_SHAPE', message: '[project] must be a table' }, 'project');
  if (isTable(project)) {
    if (typeof project.name === 'string') read.entries.push({ name: project.name, source: at(project.name) });
    if (project.dependencies !== undefined) specifiers(project.dependencies, 'project.dependencies');
    const optional = project['optional-dependencies'];
    if (optional !== undefined && !isTable(optional)) {
      problem({ code: 'E_PYPROJECT_SHAPE', message: '[project.optional-dependencies] must be a table' }, 'project.optional-dependencies');
    } else if (optional) {
      for (const [extra, list] of Object.entries(optional)) specifiers(list, `project.optional-dependencies.${extra}`);
    }
  }

  const groups = doc['dependency-groups'];
  if (groups !== undefined && !isTable(groups)) problem({ code: 'E_PYPROJECT_SHAPE', message: '[dependency-groups] must be a table' }, 'dependency-groups');
  if (isTable(groups)) readDependencyGroups(groups, specifiers, problem);

  const tool = doc.tool;
  readPoetryTables(isTable(tool) ? tool.poetry : undefined, {
    entries: read.entries,
    problem,
    sourceOfKey: (key) => {
      const line = lineOfKey(keyLines, key);
      return line === undefined ? label : `${label}:${line}`;
    },
  }, !(isTable(project) && typeof project.name === 'string'));
}

/**
 * PEP 735: each group is a list of specifiers and `{include-group = "name"}`
 * tables. Group names compare PEP 503-normalized; an include of an unknown
 * group or a cycle is an error (as the PEP requires of tools).
 */
function readDependencyGroups(
  groups: Table,
  specifiers: (list: unknown, where: string) => void,
  problem: (p: Omit<Problem, 'source'>, key?: string) => void,
): void {
  const byName = new Map<string, { name: string; list: unknown }>();
  for (const [name, list] of Object.entries(groups)) byName.set(normalizeName(name), { name, list });
  const done = new Set<string>();
  const visit = (key: string, stack: string[]): void => {
    const group = byName.get(key);
    if (!group || done.has(key)) return;
    if (stack.includes(key)) {
      const cycle = [...stack.slice(stack.indexOf(key)), key].map((k) => byName.get(k)?.name ?? k).join(' → ');
      problem({ code: 'E_PYPROJECT_GROUP_CYCLE', message: `dependency groups include each other in a cycle: ${cycle}` }, `dependency-groups.${byName.get(stack[stack.length - 1] ?? key)?.name ?? ''}`);
      return;
    }
    const where = `dependency-groups.${group.name}`;
    if (!Array.isArray(group.list)) {
      problem({ code: 'E_PYPROJECT_SHAPE', message: `${where} must be an array` }, where);
      done.add(key);
      return;
    }
    for (const item of group.list) {
      if (isTable(item)) {
        const included = item['include-group'];
        const extraKeys = Object.keys(item).filter((k) => k !== 'include-group');
        if (typeof included !== 'string' || extraKeys.length > 0) {
          problem({ code: 'E_PYPROJECT_SHAPE', message: `${where}: a table entry must be exactly {include-group = "name"}`, value: JSON.stringify(item) }, where);
        } else if (!byName.has(normalizeName(included))) {
          problem({ code: 'E_PYPROJECT_GROUP_UNKNOWN', message: `${where} includes unknown group '${included}'` }, where);
        } else visit(normalizeName(included), [...stack, key]);
      } else specifiers([item], where);
    }
    done.add(key);
  };
  for (const key of byName.keys()) visit(key, []);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/^Invalid TOML document: /, '');
}

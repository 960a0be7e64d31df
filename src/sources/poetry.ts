/**
 * Poetry's own tables in a pyproject.toml (Poetry before 2.0 keeps everything
 * there, and 2.x still may): `[tool.poetry] name`, `[tool.poetry.dependencies]`,
 * `[tool.poetry.group.<group>.dependencies]` and the older
 * `[tool.poetry.dev-dependencies]`. A dependency is a key (the project name)
 * whatever its value (a version, a table, a list of tables); `python` is the
 * interpreter constraint, not a project.
 */
import type { Problem } from '../core/errors.js';
import type { NameEntry } from '../core/names.js';

type Table = Record<string, unknown>;

export interface PoetryReader {
  /** `file:line` of a dotted key (`tool.poetry.dependencies.requests`), or of the file. */
  sourceOfKey: (key: string) => string;
  entries: NameEntry[];
  problem: (p: Omit<Problem, 'source'>, key?: string) => void;
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads `[tool.poetry]`; `withName` is false when `[project] name` already gave the project's name. */
export function readPoetryTables(poetry: unknown, reader: PoetryReader, withName: boolean): void {
  if (poetry === undefined) return;
  if (!isTable(poetry)) {
    reader.problem({ code: 'E_PYPROJECT_SHAPE', message: '[tool.poetry] must be a table' }, 'tool.poetry');
    return;
  }
  if (withName && typeof poetry.name === 'string') reader.entries.push({ name: poetry.name, source: reader.sourceOfKey('tool.poetry.name') });
  dependencyTable(poetry.dependencies, 'tool.poetry.dependencies', reader);
  dependencyTable(poetry['dev-dependencies'], 'tool.poetry.dev-dependencies', reader);
  const groups = poetry.group;
  if (groups === undefined) return;
  if (!isTable(groups)) {
    reader.problem({ code: 'E_PYPROJECT_SHAPE', message: '[tool.poetry.group] must be a table' }, 'tool.poetry.group');
    return;
  }
  for (const [name, group] of Object.entries(groups)) {
    if (isTable(group)) dependencyTable(group.dependencies, `tool.poetry.group.${name}.dependencies`, reader);
    else reader.problem({ code: 'E_PYPROJECT_SHAPE', message: `[tool.poetry.group.${name}] must be a table` }, `tool.poetry.group.${name}`);
  }
}

function dependencyTable(table: unknown, where: string, reader: PoetryReader): void {
  if (table === undefined) return;
  if (!isTable(table)) {
    reader.problem({ code: 'E_PYPROJECT_SHAPE', message: `[${where}] must be a table` }, where);
    return;
  }
  for (const name of Object.keys(table)) {
    if (name.toLowerCase() !== 'python') reader.entries.push({ name, source: reader.sourceOfKey(`${where}.${name}`) });
  }
}

/**
 * The shape of `pypi-reserve.toml`: which keys exist, what type each takes,
 * and the obvious value rules (single-line text, http(s) URLs, a count that
 * is a whole number). Every problem is collected, none stops the check, so one
 * run shows them all with `file:line`. Deeper metadata rules (email syntax,
 * PEP 440 versions) belong to the metadata validator that runs later.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Problem } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import { singleLineProblem } from '../core/text-rules.js';
import { accountNameProblem } from '../core/ownership.js';
import { patternProblem } from '../sources/name-patterns.js';
import { lineOfKey, type KeyLines } from './key-lines.js';
import { closestKey } from './suggest.js';
import type { ConfigValues, NamesSourcesConfig } from './types.js';

type TopProp = Exclude<keyof ConfigValues, 'file' | 'sources' | 'lines'>;
type TopKind = 'line' | 'url' | 'count' | 'account' | 'accounts' | 'url-list';
type SourceKind = 'paths' | 'urls' | 'globs' | 'env-name';

/** The only variables a config file may name as index credentials (the command line may name any). */
export const CONFIG_CREDENTIAL_PREFIX = 'PYPI_RESERVE_';

/** Top-level keys, as written in the file, and the property each fills. */
export const TOP_KEYS: Readonly<Record<string, { prop: TopProp; kind: TopKind }>> = {
  owner: { prop: 'owner', kind: 'line' },
  contact: { prop: 'contact', kind: 'line' },
  url: { prop: 'url', kind: 'url' },
  note: { prop: 'note', kind: 'line' },
  version: { prop: 'version', kind: 'line' },
  repository: { prop: 'repository', kind: 'line' },
  'repository-url': { prop: 'repositoryUrl', kind: 'url' },
  'index-url': { prop: 'indexUrl', kind: 'url' },
  'max-new': { prop: 'maxNew', kind: 'count' },
  accounts: { prop: 'accounts', kind: 'accounts' },
  organization: { prop: 'organization', kind: 'account' },
  'public-indexes': { prop: 'publicIndexes', kind: 'url-list' },
};

/** Keys of the `[sources]` table. */
export const SOURCE_KEYS: Readonly<Record<string, { prop: keyof NamesSourcesConfig; kind: SourceKind }>> = {
  'names-files': { prop: 'namesFiles', kind: 'paths' },
  requirements: { prop: 'requirements', kind: 'paths' },
  pyproject: { prop: 'pyproject', kind: 'paths' },
  'from-index': { prop: 'fromIndex', kind: 'urls' },
  'index-credentials-env': { prop: 'indexCredentialsEnv', kind: 'env-name' },
  include: { prop: 'include', kind: 'globs' },
  exclude: { prop: 'exclude', kind: 'globs' },
};

export interface ConfigDocument {
  /** Absolute path of the file. */
  file: string;
  /** How messages name the file (relative to the working directory). */
  label: string;
  lines: KeyLines;
  /** Finds the line of a string inside a list, at or after the key's line. */
  stringLine: (value: string, fromLine: number | undefined) => number | undefined;
}

/** Validates a parsed file; returns the values and every problem found. */
export function validateConfig(doc: Record<string, unknown>, where: ConfigDocument): { values: ConfigValues; problems: Problem[] } {
  const problems: Problem[] = [];
  const lines: Record<string, number> = {};
  const values: ConfigValues = { file: where.file, sources: {}, lines };
  const sourceOf = (key: string, line?: number): string => {
    const at = line ?? lineOfKey(where.lines, key);
    return at === undefined ? where.label : `${where.label}:${at}`;
  };
  const add = (key: string, p: Omit<Problem, 'source'>, line?: number): void => {
    problems.push({ ...p, source: sourceOf(key, line) });
  };
  const baseDir = dirname(where.file);

  for (const [key, value] of Object.entries(doc)) {
    const line = lineOfKey(where.lines, key);
    if (line !== undefined && (key === 'sources' || ownEntry(TOP_KEYS, key))) lines[key] = line;
    if (key === 'sources') {
      if (!isTable(value)) add(key, { code: 'E_CONFIG_TYPE', message: `'sources' must be a table ([sources]), not ${typeName(value)}` });
      else readSources(value);
      continue;
    }
    const spec = ownEntry(TOP_KEYS, key);
    if (!spec) {
      add(key, unknownKey(key, Object.keys(TOP_KEYS), ownEntry(SOURCE_KEYS, key) ? `'${key}' belongs in the [sources] table` : undefined));
      continue;
    }
    if (spec.kind === 'accounts') {
      readAccounts(key, value, line);
      continue;
    }
    const checked = checkTopValue(key, spec.kind, value);
    if (typeof checked === 'object' && !Array.isArray(checked)) add(key, checked);
    else (values as unknown as Record<string, unknown>)[spec.prop] = checked;
  }
  return { values, problems };

  /** `accounts = ["name", ...]`: each item a PyPI username, each problem at its own line. */
  function readAccounts(key: string, value: unknown, line: number | undefined): void {
    if (!Array.isArray(value)) {
      add(key, { ...typeProblem(key, 'an array of PyPI usernames', value), ...(typeof value === 'string' ? { hint: `write ${key} = ["${value}"]` } : {}) });
      return;
    }
    const accounts: string[] = [];
    value.forEach((item: unknown, i) => {
      if (typeof item !== 'string') {
        add(key, { code: 'E_CONFIG_TYPE', message: `'${key}' item ${i + 1} must be a string, not ${typeName(item)}` });
        return;
      }
      const problem = accountNameProblem(item);
      if (problem) add(key, { code: 'E_CONFIG_VALUE', message: `'${key}' item ${i + 1} ${problem}`, value: item }, where.stringLine(item, line));
      else accounts.push(item);
    });
    if (accounts.length === 0 && value.length === 0) add(key, { code: 'E_CONFIG_VALUE', message: `'${key}' is empty`, hint: 'remove the line or name at least one account' });
    values.accounts = accounts;
  }

  function readSources(table: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(table)) {
      const fullKey = `sources.${key}`;
      const line = lineOfKey(where.lines, fullKey);
      const spec = ownEntry(SOURCE_KEYS, key);
      if (line !== undefined && spec) lines[fullKey] = line;
      if (!spec) {
        add(fullKey, unknownKey(key, Object.keys(SOURCE_KEYS), ownEntry(TOP_KEYS, key) ? `'${key}' belongs at the top of the file, before [sources]` : undefined, 'in [sources]'));
        continue;
      }
      if (spec.kind === 'env-name') {
        if (typeof value !== 'string') add(fullKey, typeProblem(key, 'a string (the name of an environment variable)', value));
        else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
          // The value is not echoed: a user who wrote the secret itself here must not see it in a CI log.
          add(fullKey, { code: 'E_CONFIG_VALUE', message: `'${key}' must be the name of an environment variable (letters, digits, _), not its value` });
        } else if (!value.startsWith(CONFIG_CREDENTIAL_PREFIX)) {
          // A config file may come with a cloned repository or a pull request: it must not be able to send GITHUB_TOKEN (or any other variable) to a host of its choosing.
          add(fullKey, {
            code: 'E_CONFIG_CREDENTIALS_ENV',
            message: `'${key}' in a config file may only name a variable starting with ${CONFIG_CREDENTIAL_PREFIX}`,
            value,
            hint: `rename the variable (e.g. ${CONFIG_CREDENTIAL_PREFIX}INDEX_CREDENTIALS), or pass --index-credentials-env ${value} on the command line`,
          });
        } else values.sources.indexCredentialsEnv = value;
        continue;
      }
      // A single string is accepted for a one-item list.
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list)) {
        add(fullKey, typeProblem(key, 'an array of strings', value));
        continue;
      }
      if (list.length === 0) {
        // An empty list reads as "a source is set" and then gives no names at all.
        add(fullKey, { code: 'E_CONFIG_VALUE', message: `'${key}' is an empty list`, hint: 'remove the line, or list at least one item' });
        continue;
      }
      const items: string[] = [];
      list.forEach((item: unknown, i) => {
        const itemLine = typeof item === 'string' ? where.stringLine(item, line) : undefined;
        const bad = (p: Omit<Problem, 'source'>): void => add(fullKey, p, itemLine);
        if (typeof item !== 'string') {
          bad({ code: 'E_CONFIG_TYPE', message: `'${key}' item ${i + 1} must be a string, not ${typeName(item)}` });
        } else if (item.trim() === '') {
          bad({ code: 'E_CONFIG_VALUE', message: `'${key}' item ${i + 1} is empty` });
        } else if (spec.kind === 'globs') {
          const problem = patternProblem(item);
          if (problem) bad({ code: 'E_PATTERN_INVALID', message: `invalid ${key} pattern: ${problem}`, value: item });
          else items.push(item);
        } else if (spec.kind === 'urls') {
          const problem = urlProblem(item);
          if (problem) bad({ code: 'E_CONFIG_VALUE', message: `'${key}' item ${i + 1} ${problem}`, value: redactUrl(item) });
          else if (hasUserinfo(item)) bad(secretInUrl(`'${key}' item ${i + 1}`, item));
          else items.push(item);
        } else if (item === '-') items.push(item);
        else {
          const escape = pathEscape(baseDir, item);
          if (escape) {
            bad({
              code: 'E_CONFIG_PATH',
              message: `'${key}' item ${i + 1} ${escape}: a config file may only name files in its own directory or below`,
              value: item,
              hint: 'move the file next to the config file, or give the path on the command line',
            });
          } else items.push(resolve(baseDir, item));
        }
      });
      (values.sources as Record<string, unknown>)[spec.prop] = items;
    }
  }
}

/**
 * Why `item` (a path from a config file) leaves `baseDir`, if it does. A config
 * file may come with a cloned repository or a pull request: it must not be able
 * to make a read-only check print ~/.ssh keys as names or send them to an index.
 * Symbolic links are followed for files that exist (a missing file is reported
 * later, by the reader, as missing).
 */
function pathEscape(baseDir: string, item: string): string | undefined {
  if (isAbsolute(item) || /^[A-Za-z]:|^[\\/]|^~/.test(item)) return 'is an absolute path';
  const outside = (base: string, target: string): boolean => {
    const rel = relative(base, target);
    return rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel);
  };
  const target = resolve(baseDir, item);
  if (outside(baseDir, target)) return 'leaves the config file\'s directory (..)';
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return undefined;
  }
  let realBase: string;
  try {
    realBase = realpathSync(baseDir);
  } catch {
    realBase = baseDir;
  }
  return outside(realBase, real) ? 'is a symbolic link that leads out of the config file\'s directory' : undefined;
}

/** A key's entry in a table of known keys; inherited names (`toString`, `constructor`, `__proto__`) are not keys. */
function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function checkTopValue(key: string, kind: TopKind, value: unknown): string | number | string[] | Omit<Problem, 'source'> {
  if (kind === 'url-list') {
    // `audit` compares these with index URLs; each must be an http(s) URL like any other index.
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.some((u) => typeof u !== 'string')) return typeProblem(key, 'an array of URLs', value);
    for (const item of list as string[]) {
      const problem = urlProblem(item);
      if (problem) return { code: 'E_CONFIG_VALUE', message: `'${key}' item ${redactUrl(item)} ${problem}`, value: redactUrl(item) };
    }
    return list as string[];
  }
  if (kind === 'count') {
    if (typeof value === 'bigint') {
      if (value < 0n) return { code: 'E_CONFIG_VALUE', message: `'${key}' must be 0 or more`, value: String(value) };
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) return { code: 'E_CONFIG_VALUE', message: `'${key}' is too large`, value: String(value) };
      return Number(value);
    }
    if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
      return { ...typeProblem(key, 'a whole number', value), hint: `write ${key} = ${value.trim()} without quotes` };
    }
    return typeProblem(key, 'a whole number', value);
  }
  if (typeof value !== 'string') return typeProblem(key, 'a string', value);
  if (value.trim() === '') return { code: 'E_CONFIG_VALUE', message: `'${key}' is empty`, hint: 'remove the line or give a value' };
  // Every text goes into metadata headers, where a line break would start a new header.
  const unsafe = singleLineProblem(value);
  if (unsafe) return { code: 'E_CONFIG_VALUE', message: `'${key}' ${unsafe}`, value, hint: 'use a single line of printable text' };
  if (kind === 'account') {
    const problem = accountNameProblem(value);
    if (problem) return { code: 'E_CONFIG_VALUE', message: `'${key}' ${problem}`, value };
  }
  if (kind === 'url') {
    const problem = urlProblem(value);
    if (problem) return { code: 'E_CONFIG_VALUE', message: `'${key}' ${problem}`, value: redactUrl(value) };
    if (hasUserinfo(value)) return secretInUrl(`'${key}'`, value, URL_SECRET_HINTS[key]);
  }
  return value;
}

/** `scheme://user[:password]@host`: a config file (usually committed) is no place for it. */
function hasUserinfo(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url);
}

const URL_SECRET_HINTS: Readonly<Record<string, string>> = {
  url: 'this page is published in every placeholder: give its address without a user or password',
  'repository-url': 'the upload credential comes from PYPI_TOKEN, --token-file or ~/.pypirc, never from the URL',
  'index-url': 'the upload credential comes from PYPI_TOKEN, --token-file or ~/.pypirc, never from the URL',
};

function secretInUrl(what: string, url: string, hint = 'name an environment variable with index-credentials-env, or use ~/.netrc'): Omit<Problem, 'source'> {
  return { code: 'E_CONFIG_SECRET', message: `${what} has credentials in the URL; a config file is no place for secrets`, value: redactUrl(url), hint };
}

function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http(s) URL, not ${url.protocol}`;
  return undefined;
}

function unknownKey(key: string, known: string[], placement: string | undefined, where = ''): Omit<Problem, 'source'> {
  const suggestion = closestKey(key, known);
  const hint = placement ?? (suggestion ? `did you mean '${suggestion}'?` : `known keys${where ? ` ${where}` : ''}: ${known.join(', ')}`);
  return { code: 'E_CONFIG_UNKNOWN_KEY', message: `unknown key '${key}'${where ? ` ${where}` : ''}`, hint };
}

function typeProblem(key: string, expected: string, value: unknown): Omit<Problem, 'source'> {
  return { code: 'E_CONFIG_TYPE', message: `'${key}' must be ${expected}, not ${typeName(value)}`, value: shortValue(value) };
}

function typeName(value: unknown): string {
  if (typeof value === 'bigint') return 'an integer';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a number with a decimal point' : 'a decimal number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  return typeof value;
}

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'bigint' ? String(value) : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

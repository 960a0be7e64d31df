/**
 * Finds, reads and checks the config file: `--config FILE` when given (it must
 * exist), else `pypi-reserve.toml` in the working directory when present,
 * else no file at all. Bad TOML, unknown keys, wrong types and bad values are
 * all reported at once as one InputError with `file:line` on each problem.
 */
import { resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { InputError, type Problem } from '../core/errors.js';
import { emailAddressProblem } from '../core/email-address.js';
import { checkVersion } from '../core/version.js';
import { displayPath } from '../sources/labels.js';
import { fsReason } from '../io/fs-reason.js';
import { readText } from '../io/read-regular.js';
import { StringLines } from '../sources/string-lines.js';
import { scanKeyLines } from './key-lines.js';
import { validateConfig } from './schema.js';
import type { ConfigValues } from './types.js';

export const CONFIG_FILE_NAME = 'pypi-reserve.toml';

export interface LoadConfigOptions {
  /** `--config FILE`, relative to `cwd`. */
  path?: string;
  cwd: string;
  /**
   * Also apply the placeholder metadata rules PyPI applies (contact address,
   * public version) and report them with the file's other problems: `init
   * --check` runs nothing else that would catch them.
   */
  metadata?: boolean;
}

export async function loadConfig(options: LoadConfigOptions): Promise<ConfigValues | undefined> {
  const explicit = options.path !== undefined;
  const file = resolve(options.cwd, options.path ?? CONFIG_FILE_NAME);
  const label = displayPath(options.cwd, file);
  let text: string;
  try {
    // A regular file synchronously: most runs have none, and the asynchronous read that says
    // so loaded node:fs/promises (1-2 ms on Node 20) for it.
    text = await readText(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!explicit && code === 'ENOENT') return undefined;
    throw new InputError([
      {
        code: code === 'ENOENT' ? 'E_CONFIG_MISSING' : 'E_CONFIG_UNREADABLE',
        message: `cannot read config file ${label}: ${fsReason(err)}`,
        source: explicit ? '--config' : label,
        ...(code === 'ENOENT' ? { hint: `create it with: pypi-reserve init --config ${options.path ?? CONFIG_FILE_NAME}` } : {}),
      },
    ]);
  }
  return parseConfigText(text.replace(/^\uFEFF/, ''), file, label, { metadata: options.metadata === true });
}

/** Parses and checks config text; `label` names the file in messages. */
export function parseConfigText(text: string, file: string, label: string, options: { metadata?: boolean } = {}): ConfigValues {
  let doc: Record<string, unknown>;
  try {
    // Integers as BigInt tell `max-new = 4` from `max-new = 4.0`.
    doc = parse(text, { integersAsBigInt: true }) as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = (err.message.split('\n')[0] ?? err.message).replace(/^Invalid TOML document: /, '');
    throw new InputError([
      { code: 'E_CONFIG_SYNTAX', message: `invalid TOML: ${reason} (column ${err.column})`, source: `${label}:${err.line}` },
    ]);
  }
  const strings = new StringLines(text);
  const { values, problems } = validateConfig(doc, {
    file,
    label,
    lines: scanKeyLines(text),
    stringLine: (value, fromLine) => strings.next(value, fromLine ?? 1),
  });
  if (options.metadata) problems.push(...metadataProblems(values, label));
  if (problems.length > 0) throw new InputError([...problems].sort((a, b) => lineOf(a.source) - lineOf(b.source)));
  return values;
}

/** What PyPI would refuse in every upload this file configures (fact sheet §10, §4): said with the other problems. */
function metadataProblems(values: ConfigValues, label: string): Problem[] {
  const problems: Problem[] = [];
  const contactProblem = values.contact === undefined ? undefined : emailAddressProblem(values.contact);
  if (contactProblem) {
    problems.push({
      code: 'E_CONTACT_INVALID',
      message: `contact is not an e-mail address PyPI accepts: ${contactProblem}`,
      value: values.contact!,
      source: `${label}:${values.lines.contact ?? 1}`,
    });
  }
  const version = values.version === undefined ? undefined : checkVersion(values.version);
  if (version && !version.ok) {
    problems.push({
      code: 'E_VERSION_INVALID',
      message: `invalid version: ${version.reason}`,
      value: values.version!,
      source: `${label}:${values.lines.version ?? 1}`,
      hint: 'use a public PEP 440 version such as 0.0.0 or 0.0.1',
    });
  }
  return problems;
}

function lineOf(source: string | undefined): number {
  const match = /:(\d+)$/.exec(source ?? '');
  return match ? Number(match[1]) : 0;
}

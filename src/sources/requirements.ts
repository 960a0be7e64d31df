/**
 * Reads project names out of pip requirements files, following pip's own
 * reading rules (pip/_internal/req/req_file.py): `\` continuations are joined
 * first, then `#` comments (at the start or after white space) are removed,
 * then `${VAR}` is expanded; `-r`/`-c` include other files relative to the
 * including file. Option lines are skipped; a bare path or URL names no project
 * unless it carries `#egg=name`. Anything else we cannot read is a problem at
 * `file:line`, never silently dropped.
 */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { looksLikeAssignment, maskAssignment } from '../core/redact-url.js';
import { logicalLines, shellSplit } from '../core/requirements-lines.js';
import { displayPath } from './labels.js';
import { eggName, isUrlOrPath, specifierName, type SpecifierName } from './pep508.js';
import { fsReason } from '../io/fs-reason.js';
import { emptyRead, type SourceRead } from './source-read.js';

export interface RequirementsOptions {
  /** Labels are shown relative to this directory; relative `path` is resolved against it. */
  cwd: string;
  /** For `${VAR}` expansion. */
  env?: NodeJS.ProcessEnv;
  /**
   * For a file named by a config file (which may come with a pull request):
   * `-r`/`-c` may only include files inside this directory, and `${VAR}`
   * expands only variables starting with PYPI_RESERVE_, so such a file cannot
   * turn ~/.ssh keys or GITHUB_TOKEN into names sent to an index.
   */
  confineTo?: string;
}

const CONFINED_ENV_PREFIX = 'PYPI_RESERVE_';

type OptionRole = 'requirement' | 'constraint' | 'editable' | 'finder' | 'per-requirement';

/** Options pip accepts in a requirements file that take a value. */
const VALUE_OPTIONS = new Map<string, OptionRole>([
  ['-r', 'requirement'],
  ['--requirement', 'requirement'],
  ['-c', 'constraint'],
  ['--constraint', 'constraint'],
  ['-e', 'editable'],
  ['--editable', 'editable'],
  ['-i', 'finder'],
  ['--index-url', 'finder'],
  ['--extra-index-url', 'finder'],
  ['-f', 'finder'],
  ['--find-links', 'finder'],
  ['--no-binary', 'finder'],
  ['--only-binary', 'finder'],
  ['--trusted-host', 'finder'],
  ['--use-feature', 'finder'],
  ['--no-deps-for', 'finder'],
  ['--hash', 'per-requirement'],
  ['--config-settings', 'per-requirement'],
  ['-C', 'per-requirement'],
  ['--global-option', 'per-requirement'],
  // Removed in pip 23.1 but still found in older files; harmless for reading names.
  ['--install-option', 'per-requirement'],
]);
/** Options pip accepts that take no value. */
const FLAG_OPTIONS = new Set(['--no-index', '--pre', '--prefer-binary', '--require-hashes']);

const ENV_VAR_RE = /\$\{([A-Z0-9_]+)\}/g;

/**
 * pip's split of a requirement line: everything before the first space-separated
 * token that starts with `-` is the requirement (markers may hold spaces), the
 * rest are options such as `--hash=…`.
 */
function breakArgsOptions(line: string): [string, string] {
  const tokens = line.split(' ');
  const at = tokens.findIndex((t) => t.startsWith('-'));
  return at === -1 ? [line, ''] : [tokens.slice(0, at).join(' '), tokens.slice(at).join(' ')];
}

interface ParsedOption {
  option: string;
  role: OptionRole | 'flag';
  value?: string;
}

/** Reads option tokens into known options; unknown or value-less ones are problems. */
function parseOptions(tokens: string[]): { options: ParsedOption[]; problems: string[] } {
  const options: ParsedOption[] = [];
  const problems: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (!token.startsWith('-')) {
      problems.push(`unexpected '${token}' after the options`);
      continue;
    }
    let option = token;
    let inline: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      if (eq !== -1) [option, inline] = [token.slice(0, eq), token.slice(eq + 1)];
    } else if (token.length > 2) {
      // Short options take their value attached (`-rfile.txt`), as optparse does.
      [option, inline] = [token.slice(0, 2), token.slice(2)];
    }
    if (FLAG_OPTIONS.has(option)) {
      options.push({ option, role: 'flag' });
      continue;
    }
    const role = VALUE_OPTIONS.get(option);
    if (!role) {
      problems.push(`unknown pip option '${option}'`);
      continue;
    }
    const value = inline ?? tokens[++i];
    if (value === undefined || value === '') problems.push(`option '${option}' needs a value`);
    else options.push({ option, role, value });
  }
  return { options, problems };
}

/** What a requirement without a name becomes: its `#egg=` name, or a skipped path/URL. */
function unnamedRequirement(value: string, what: 'path' | 'url'): SpecifierName {
  return eggName(value) ?? { kind: 'unnamed', what };
}

function isInside(dir: string, target: string): boolean {
  const rel = relative(dir, target);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Reads a requirements file and every file it includes. */
export async function readRequirements(path: string, options: RequirementsOptions): Promise<SourceRead> {
  const cwd = options.cwd;
  const env = options.env ?? {};
  const confineTo = options.confineTo === undefined ? undefined : await realpath(options.confineTo).catch(() => options.confineTo!);
  const read = emptyRead();
  const visited = new Set<string>();

  const readOne = async (file: string, stack: string[], includedAt?: string): Promise<void> => {
    const label = displayPath(cwd, file);
    let text: string;
    let real: string;
    try {
      real = await realpath(file);
      if (confineTo !== undefined && includedAt !== undefined && !isInside(confineTo, real)) {
        read.problems.push({
          code: 'E_CONFIG_PATH',
          message: `a requirements file named by a config file may only include files in the config file's directory (${label} is outside)`,
          source: includedAt,
          hint: 'give the requirements file on the command line (--requirements) to include files elsewhere',
        });
        return;
      }
      text = await readFile(file, 'utf8');
    } catch (err) {
      read.problems.push({
        code: 'E_SOURCE_UNREADABLE',
        message: `cannot read requirements file ${label}: ${fsReason(err)}`,
        source: includedAt ?? label,
      });
      return;
    }
    if (stack.includes(real)) {
      const cycle = [...stack.slice(stack.indexOf(real)), real].map((f) => displayPath(cwd, f)).join(' → ');
      read.problems.push({
        code: 'E_REQUIREMENTS_CYCLE',
        message: `requirements files include each other in a cycle: ${cycle}`,
        source: includedAt ?? label,
        hint: 'remove one of the -r/-c lines',
      });
      return;
    }
    // A file included twice (not in a cycle) adds nothing new: read it once.
    if (visited.has(real)) return;
    visited.add(real);

    for (const { line, text: raw } of logicalLines(text)) {
      const source = `${label}:${line}`;
      const unset: string[] = [];
      const lineText = raw.replace(ENV_VAR_RE, (whole, name: string) => {
        const value = confineTo !== undefined && !name.startsWith(CONFINED_ENV_PREFIX) ? undefined : env[name];
        if (value === undefined) unset.push(name);
        return value ?? whole;
      });
      const problem = (message: string, code = 'E_REQUIREMENT_INVALID'): void => {
        const hint = unset.length
          ? `environment variable${unset.length > 1 ? 's' : ''} ${unset.join(', ')} ${unset.length > 1 ? 'are' : 'is'} not set`
          : undefined;
        // A `KEY=value` line (`-r /proc/self/environ`, `-r ~/.pypirc`) is not quoted, even in part: its value may be a secret.
        const setting = looksLikeAssignment(lineText);
        read.problems.push({
          code,
          message: setting ? 'reads like a setting (KEY = value), not a requirement: is this a requirements file?' : message,
          value: maskAssignment(lineText),
          source,
          ...(hint ? { hint } : {}),
        });
      };
      const takeName = (result: SpecifierName, value: string): void => {
        if (result.kind === 'name') read.entries.push({ name: result.name, source });
        else if (result.kind === 'unnamed') {
          read.skipped.push({ source, value, reason: `a ${result.what === 'url' ? 'URL' : 'path'} without '#egg=name' names no project` });
        } else problem(result.message);
      };

      const [args, optionText] = lineText.startsWith('-') ? ['', lineText] : breakArgsOptions(lineText);
      const tokens = shellSplit(optionText);
      if (tokens === undefined) {
        problem('unclosed quote or trailing backslash in options');
        continue;
      }
      const parsed = parseOptions(tokens);
      parsed.problems.forEach((p) => problem(p, 'E_REQUIREMENT_OPTION'));

      if (args !== '') {
        const misplaced = parsed.options.find((o) => ['requirement', 'constraint', 'editable'].includes(o.role));
        if (misplaced) problem(`'${misplaced.option}' must be on a line of its own`, 'E_REQUIREMENT_OPTION');
        const result = specifierName(args, { allowUnnamed: true });
        takeName(result.kind === 'unnamed' ? unnamedRequirement(args, result.what) : result, args);
        continue;
      }
      for (const opt of parsed.options) {
        const value = opt.value ?? '';
        if (opt.role === 'editable') {
          takeName(unnamedRequirement(value, isUrlOrPath(value) === 'url' ? 'url' : 'path'), value);
        } else if (opt.role === 'requirement' || opt.role === 'constraint') {
          if (/^(?:https?|file):/i.test(value)) {
            problem(`'${opt.option} ${value}': files included from a URL are not fetched`, 'E_REQUIREMENT_OPTION');
            continue;
          }
          await readOne(resolve(dirname(file), value), [...stack, real], source);
        }
        // Index, finder and hash options do not name projects.
      }
    }
  };

  await readOne(resolve(cwd, path), []);
  return read;
}

/**
 * Reads the index options and includes out of a pip requirements file, the
 * way pip's `req_file.py` sees them:
 * - a line ending in `\` continues on the next line (reported at its first line);
 * - `#` at the start of a line or after whitespace starts a comment;
 * - a line whose first token starts with `-` is an option line, tokenized like
 *   a shell would (quotes);
 * - long options may be abbreviated as optparse allows (`--extra-index` is
 *   `--extra-index-url`), values may follow `=` or the next token, short options
 *   may carry their value attached (`-ihttps://...`, `-rdev.txt`).
 * Options anywhere in the file count, not only at the top. A line pip cannot
 * split (an unclosed quote, a trailing backslash) is an error, as it is for pip.
 * `${VAR}` references are left as written: they name a secret, they are not one.
 */
import { logicalLines, shellSplit } from '../core/requirements-lines.js';

export type IndexOptionName = 'index-url' | 'extra-index-url' | 'no-index' | 'find-links';

export interface RequirementsIndexOption {
  option: IndexOptionName;
  /** The URL (or, for find-links, a URL or path as written); empty for `--no-index`. */
  value: string;
  line: number;
}

export interface RequirementsInclude {
  kind: 'requirement' | 'constraint';
  /** As written: relative to the including file, absolute, or a URL. */
  path: string;
  line: number;
}

export interface ParsedRequirements {
  options: RequirementsIndexOption[];
  includes: RequirementsInclude[];
  /** Lines pip would refuse to read. */
  errors: { line: number; message: string }[];
}

/** Long options pip accepts in requirements files; needed to resolve abbreviations exactly as optparse does. */
const LONG_OPTIONS = [
  'index-url',
  'extra-index-url',
  'no-index',
  'constraint',
  'requirement',
  'editable',
  'find-links',
  'no-binary',
  'only-binary',
  'prefer-binary',
  'require-hashes',
  'pre',
  'trusted-host',
  'use-feature',
  'global-option',
  'hash',
  'config-settings',
] as const;
type LongOption = (typeof LONG_OPTIONS)[number];

/** Options that take a value (so the next token is theirs, not an option). */
const TAKES_VALUE = new Set<LongOption>([
  'index-url',
  'extra-index-url',
  'constraint',
  'requirement',
  'editable',
  'find-links',
  'no-binary',
  'only-binary',
  'trusted-host',
  'use-feature',
  'global-option',
  'hash',
  'config-settings',
]);

const SHORT_OPTIONS: Record<string, LongOption> = {
  i: 'index-url',
  r: 'requirement',
  c: 'constraint',
  e: 'editable',
  f: 'find-links',
};

export function parseRequirementsText(text: string): ParsedRequirements {
  const options: RequirementsIndexOption[] = [];
  const includes: RequirementsInclude[] = [];
  const errors: ParsedRequirements['errors'] = [];
  for (const { line, text: content } of logicalLines(text)) {
    if (!content.startsWith('-')) continue;
    const tokens = shellSplit(content);
    if (tokens === undefined) {
      errors.push({ line, message: 'unclosed quote or trailing backslash in options; pip refuses this file' });
      continue;
    }
    for (let i = 0; i < tokens.length; i++) {
      const parsed = parseOptionToken(tokens[i] as string);
      if (!parsed) continue;
      let value = parsed.value;
      if (value === undefined && TAKES_VALUE.has(parsed.option)) {
        value = tokens[i + 1];
        i++;
      }
      switch (parsed.option) {
        case 'index-url':
        case 'extra-index-url':
        case 'find-links':
          if (value) options.push({ option: parsed.option, value, line });
          break;
        case 'no-index':
          options.push({ option: 'no-index', value: '', line });
          break;
        case 'requirement':
        case 'constraint':
          if (value) includes.push({ kind: parsed.option, path: value, line });
          break;
        default:
          break;
      }
    }
  }
  return { options, includes, errors };
}

/** Resolves one token to an option (and an attached value), or undefined for a non-option token. */
function parseOptionToken(token: string): { option: LongOption; value?: string } | undefined {
  if (token.startsWith('--')) {
    const eq = token.indexOf('=');
    const name = (eq === -1 ? token.slice(2) : token.slice(2, eq)).toLowerCase();
    const option = resolveLongOption(name);
    if (!option) return undefined;
    return eq === -1 ? { option } : { option, value: token.slice(eq + 1) };
  }
  if (token.startsWith('-') && token.length >= 2) {
    const option = SHORT_OPTIONS[token[1] as string];
    if (!option) return undefined;
    const attached = token.slice(2);
    return attached === '' ? { option } : { option, value: attached };
  }
  return undefined;
}

/** Exact name, or a prefix that only one long option starts with (optparse's abbreviation rule). */
function resolveLongOption(name: string): LongOption | undefined {
  if (name === '') return undefined;
  const exact = LONG_OPTIONS.find((o) => o === name);
  if (exact) return exact;
  const candidates = LONG_OPTIONS.filter((o) => o.startsWith(name));
  return candidates.length === 1 ? candidates[0] : undefined;
}

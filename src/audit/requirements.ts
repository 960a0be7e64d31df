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
 * Options anywhere in the file count, not only at the top.
 * `${VAR}` references are left as written: they name a secret, they are not one.
 */

export type IndexOptionName = 'index-url' | 'extra-index-url' | 'no-index';

export interface RequirementsIndexOption {
  option: IndexOptionName;
  /** The URL; empty for `--no-index`. */
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

const COMMENT = /(^|\s+)#.*$/;

export function parseRequirementsText(text: string): ParsedRequirements {
  const options: RequirementsIndexOption[] = [];
  const includes: RequirementsInclude[] = [];
  for (const { line, text: logical } of logicalLines(text)) {
    const content = logical.replace(COMMENT, '').trim();
    if (!content.startsWith('-')) continue;
    const tokens = shellSplit(content);
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
  return { options, includes };
}

/** Joins `\` continuations; each logical line keeps the number of its first physical line. */
function* logicalLines(text: string): Generator<{ line: number; text: string }> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let pending: string[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    // A comment line ending in `\` does not continue (pip's rule).
    if (raw.endsWith('\\') && !/^\s*#/.test(raw)) {
      if (pending.length === 0) start = i + 1;
      pending.push(raw.slice(0, -1));
      continue;
    }
    if (pending.length > 0) {
      pending.push(raw);
      yield { line: start, text: pending.join('') };
      pending = [];
    } else {
      yield { line: i + 1, text: raw };
    }
  }
  if (pending.length > 0) yield { line: start, text: pending.join('') };
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

/** Splits like POSIX shlex: whitespace separates, quotes group, backslash escapes outside single quotes. */
export function shellSplit(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      current += text[++i];
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

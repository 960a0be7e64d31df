/**
 * An INI reader that follows Python's `configparser.RawConfigParser` the way
 * pip uses it for pip.conf / pip.ini:
 * - `[section]` headers; section names are case-sensitive, option names are lower-cased;
 * - `key = value` or `key: value` (the first `=` or `:` splits);
 * - a line indented deeper than its option line continues the value
 *   (`extra-index-url =` followed by one URL per indented line);
 * - whole-line comments start with `#` or `;` (after indentation); there are no
 *   inline comments, exactly like configparser's defaults;
 * - blank lines inside a value are kept, comment lines are skipped.
 *
 * Where configparser would refuse the whole file (text before the first section,
 * duplicate section or option, a line that is nothing), this reader records a
 * problem with its line and keeps going, so the audit can still show what the
 * rest of the file configures. Problem messages never quote the line: it may
 * hold a credential.
 */

export interface IniValueLine {
  /** The text on that line, trimmed. */
  text: string;
  line: number;
}

export interface IniOption {
  section: string;
  /** As written (lower-cased, as configparser does). */
  key: string;
  /** Line of `key = ...`. */
  line: number;
  /** The non-empty value lines: the text after the delimiter, then each continuation line. */
  values: IniValueLine[];
}

export interface IniProblem {
  line: number;
  message: string;
}

export interface ParsedIni {
  options: IniOption[];
  problems: IniProblem[];
}

const SECTION_HEADER = /^\[(.+)\]/;
/** The option name is everything before the first `=` or `:`. */
const OPTION_LINE = /^(.*?)\s*([=:])\s*(.*)$/;

export function parseIni(text: string): ParsedIni {
  const options: IniOption[] = [];
  const problems: IniProblem[] = [];
  const seenSections = new Set<string>();
  const seenOptions = new Set<string>();
  let section: string | null = null;
  let current: IniOption | null = null;
  let optionIndent = Number.MAX_SAFE_INTEGER;

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    // Comment lines are skipped without ending a multi-line value; blank lines too.
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;

    const indent = raw.length - raw.trimStart().length;
    if (current && indent > optionIndent) {
      current.values.push({ text: trimmed, line: lineNo });
      return;
    }
    optionIndent = indent;
    current = null;

    const header = SECTION_HEADER.exec(trimmed);
    if (header) {
      section = header[1] as string;
      if (seenSections.has(section)) {
        problems.push({ line: lineNo, message: `section [${section}] appears twice; pip refuses to load this file` });
      }
      seenSections.add(section);
      return;
    }
    if (section === null) {
      problems.push({ line: lineNo, message: 'text before the first [section] header; pip refuses to load this file' });
      return;
    }
    const option = OPTION_LINE.exec(trimmed);
    const key = option?.[1]?.trimEnd().toLowerCase() ?? '';
    if (!option || key === '') {
      problems.push({
        line: lineNo,
        message: option
          ? 'option without a name; pip refuses to load this file'
          : 'line is not a [section], a `key = value` option or an indented continuation; pip refuses to load this file',
      });
      return;
    }
    const id = `${section}\u0000${key}`;
    if (seenOptions.has(id)) {
      problems.push({ line: lineNo, message: `option '${key}' appears twice in [${section}]; pip refuses to load this file` });
    }
    seenOptions.add(id);
    const first = (option[3] ?? '').trim();
    current = { section, key, line: lineNo, values: first === '' ? [] : [{ text: first, line: lineNo }] };
    options.push(current);
  });
  return { options, problems };
}

/** pip treats `extra_index_url`, `Extra-Index-URL` and `--extra-index-url` as the same option. */
export function normalizePipOptionName(key: string): string {
  const name = key.toLowerCase().replace(/_/g, '-');
  return name.startsWith('--') ? name.slice(2) : name;
}

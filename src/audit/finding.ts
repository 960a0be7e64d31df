/**
 * Builds findings so that every value is redacted and every qualifying note
 * about the file (e.g. "pip skips this file while ...") travels with them.
 */
import { redactSecrets } from '../core/redact-url.js';
import type { IsPublicIndex } from './public-index.js';
import type { Finding, FindingKind, Severity } from './types.js';

/** Where the findings of one rule run come from, and which indexes this audit counts as public. */
export interface FindingSource {
  /** Path as shown to the user, or `env:NAME`. */
  file: string;
  /** Copied to every finding: a remark on the whole file (e.g. pip skips it while PIP_CONFIG_FILE is set). */
  note?: string;
  /** Copied to every finding: the configuration level of a machine-level file. */
  level?: string;
  isPublic: IsPublicIndex;
}

export interface FindingInput {
  line: number | null;
  kind: FindingKind;
  setting: string;
  value: string;
  severity: Severity;
  why: string;
  fix?: string | null;
}

export function makeFinding(source: FindingSource, input: FindingInput): Finding {
  const finding: Finding = {
    file: source.file,
    line: input.line,
    kind: input.kind,
    setting: input.setting,
    value: redactSecrets(input.value),
    severity: input.severity,
    why: input.why,
    fix: input.fix ?? null,
  };
  if (source.level !== undefined) finding.level = source.level;
  if (source.note !== undefined) finding.note = source.note;
  return finding;
}

/** Splits a whitespace-separated list of URLs as pip does; a `#` token starts a trailing comment. */
export function splitUrlList(value: string): string[] {
  const urls: string[] = [];
  for (const token of value.split(/\s+/)) {
    if (token === '') continue;
    if (token.startsWith('#')) break;
    urls.push(token);
  }
  return urls;
}

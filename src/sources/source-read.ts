/**
 * What reading one names source produces: the names with where each was found,
 * the problems that stop the run, and the lines deliberately passed over
 * (a path or URL names no project), so nothing disappears without a trace.
 */
import type { Problem } from '../core/errors.js';
import type { NameEntry } from '../core/names.js';

export interface SkippedLine {
  /** `requirements.txt:7`. */
  source: string;
  /** The text that was skipped, as written (after `${VAR}` expansion). */
  value: string;
  reason: string;
}

export interface SourceRead {
  entries: NameEntry[];
  problems: Problem[];
  skipped: SkippedLine[];
}

export function emptyRead(): SourceRead {
  return { entries: [], problems: [], skipped: [] };
}

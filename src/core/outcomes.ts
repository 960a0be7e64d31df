/**
 * Per-name outcomes: values, not exceptions. Each command reports one of these
 * per name; README "Outcomes" documents them and the exit codes they lead to.
 */
import { EXIT, type ExitCode } from './errors.js';
import type { ProjectStatus } from './project-status.js';

export type CheckStatus = 'free' | 'reserved' | 'taken' | 'protected-by-pypi' | 'too-similar' | 'invalid' | 'unknown';

export type ReserveStatus =
  | 'uploaded'
  | 'reserved'
  | 'taken'
  | 'prohibited'
  | 'too-similar'
  | 'deferred'
  /** PyPI refuses this file name forever (a deleted file had it): a new version is the only way. */
  | 'filename-reused'
  | 'failed'
  | 'protected-by-pypi'
  | 'would-upload';

export interface NameOutcome<S extends string> {
  name: string;
  normalized: string;
  status: S;
  detail: string;
  /** The existing project's PEP 792 status (`--json`); absent when no project was read. */
  projectStatus?: ProjectStatus;
}

export type CheckOutcome = NameOutcome<CheckStatus>;
export type ReserveOutcome = NameOutcome<ReserveStatus>;

/** check: 0 when nothing is taken or unresolved, 1 otherwise (invalid input exits 2 before this). */
export function checkExitCode(outcomes: readonly CheckOutcome[]): ExitCode {
  if (outcomes.some((o) => o.status === 'invalid')) return EXIT.USAGE;
  return outcomes.some((o) => o.status === 'taken' || o.status === 'unknown' || o.status === 'too-similar') ? EXIT.ATTENTION : EXIT.OK;
}

const NEEDS_ATTENTION: ReadonlySet<ReserveStatus> = new Set(['taken', 'prohibited', 'too-similar', 'filename-reused', 'failed']);

/** reserve: 1 if anything needs a person, else 3 if names wait for the quota, else 0. */
export function reserveExitCode(outcomes: readonly ReserveOutcome[]): ExitCode {
  if (outcomes.some((o) => NEEDS_ATTENTION.has(o.status))) return EXIT.ATTENTION;
  if (outcomes.some((o) => o.status === 'deferred')) return EXIT.DEFERRED;
  return EXIT.OK;
}

export function countStatuses<S extends string>(outcomes: readonly NameOutcome<S>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
}

/**
 * The error catalogue. Exceptions are only for "cannot continue" situations
 * (usage, configuration, credentials); per-name results are outcome values.
 *
 * Every user-facing problem has a stable code, a one-line message, and where
 * possible the offending value, its source (file and line) and a hint.
 */
import { printableLine } from './text-rules.js';

/** One problem with the user's input, with where it came from. */
export interface Problem {
  /** Stable machine-readable code, e.g. `E_NAME_INVALID`. */
  code: string;
  /** One line saying what is wrong. */
  message: string;
  /** The offending value, exactly as given. */
  value?: string;
  /** Where the value came from: `names.txt:12`, `--owner`, `pypi-reserve.toml:3`. */
  source?: string;
  /** What to do about it. */
  hint?: string;
}

/** Exit codes, mapped in one place and documented in README.md. */
export const EXIT = {
  OK: 0,
  /** A name is taken by someone else, refused, or could not be handled. */
  ATTENTION: 1,
  /** Bad input, configuration or credentials: nothing was done. */
  USAGE: 2,
  /** Only names deferred by PyPI's quota remain: run again later. */
  DEFERRED: 3,
  /** Stopped by Ctrl-C before anything could be reported. */
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base class of every error the CLI reports without a stack trace. */
export class ReserveError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(code: string, message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.USAGE;
    this.hint = options.hint;
  }
}

/** Invalid input found before anything was done: carries every problem at once. */
export class InputError extends ReserveError {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    const first = problems[0];
    super(
      problems.length === 1 && first ? first.code : 'E_INPUT',
      problems.length === 1 && first ? formatProblem(first) : `${problems.length} problems in the input`,
    );
    this.problems = problems;
  }
}

/** The credential was refused or is unusable: stop at once, never try the next name with it. */
export class CredentialError extends ReserveError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, hint === undefined ? {} : { hint });
  }
}

/**
 * Formats a problem as one printable line: `source: message (got "value")`.
 * Every part may hold user input (a key, a path, a name), so the whole line goes
 * through the printable-text rule here, where every problem is formatted.
 */
export function formatProblem(p: Problem): string {
  const where = p.source ? `${p.source}: ` : '';
  const value = p.value !== undefined ? ` (got ${JSON.stringify(p.value)})` : '';
  return printableLine(`${where}${p.message}${value}`);
}

/** Throws one InputError carrying all problems, if there are any. */
export function throwIfProblems(problems: readonly Problem[]): void {
  if (problems.length > 0) throw new InputError(problems);
}

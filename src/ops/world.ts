/**
 * The outside world an operation needs, injected so tests use loopback servers
 * and a fake clock.
 */
import type { Dispatcher } from 'undici';
import type { ReadGate, RetryContext, Sleep } from '../registry/http.js';
import { printable } from '../core/text-rules.js';

export type ProgressEvent =
  | { type: 'phase'; phase: 'check' | 'upload'; total: number }
  | { type: 'checked'; name: string; status: string }
  | { type: 'uploading'; name: string }
  | { type: 'uploaded'; name: string; status: string }
  | { type: 'waiting'; reason: string; delayMs: number };

export interface World {
  dispatcher?: Dispatcher;
  now: () => number;
  sleep: Sleep;
  /**
   * The factor `sleep` applies to every wait (PYPI_RESERVE_BACKOFF_SCALE; 1 by
   * default), so a message can say how long the wait really is.
   */
  waitScale?: number;
  random?: () => number;
  /** Diagnostics for stderr (already redacted by the caller's logger). */
  log: (line: string) => void;
  progress?: (event: ProgressEvent) => void;
  /** Aborted on Ctrl-C: reads end at once, names not yet checked are reported as not checked. */
  signal?: AbortSignal;
  /** The run's shared backoff for reads after a 429 (one per server, not per name). */
  readGate?: ReadGate;
  /** Blanks the run's secrets (the CLI's redactor); outside text goes through it before it is cut to length. */
  redact?: (text: string) => string;
}

/**
 * Outside text (a server's message) as it may be shown: secrets blanked first,
 * then made printable and capped. Cutting first could leave half a secret that
 * no redactor recognises any more.
 */
export function shownText(world: World, text: string): string {
  return printable(world.redact ? world.redact(text) : text);
}

/**
 * The read-retry context of this world: its clock and sleep, the run's shared
 * backoff after a 429 and its Ctrl-C signal, so every read of a run waits and
 * stops together. `onRetry` says what is being waited for.
 */
export function readRetryContext(world: World, onRetry: RetryContext['onRetry']): RetryContext {
  return {
    sleep: world.sleep,
    now: world.now,
    ...(world.random ? { random: world.random } : {}),
    ...(onRetry ? { onRetry } : {}),
    ...(world.readGate ? { gate: world.readGate } : {}),
    ...(world.signal ? { signal: world.signal } : {}),
  };
}

/**
 * The outside world an operation needs, injected so tests use loopback servers
 * and a fake clock.
 */
import type { Dispatcher } from 'undici';
import type { ReadGate, Sleep } from '../registry/http.js';

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
  random?: () => number;
  /** Diagnostics for stderr (already redacted by the caller's logger). */
  log: (line: string) => void;
  progress?: (event: ProgressEvent) => void;
  /** Aborted on Ctrl-C: reads end at once, names not yet checked are reported as not checked. */
  signal?: AbortSignal;
  /** The run's shared backoff for reads after a 429 (one per server, not per name). */
  readGate?: ReadGate;
}

/**
 * The outside world an operation needs, injected so tests use loopback servers
 * and a fake clock.
 */
import type { Dispatcher } from 'undici';
import type { Sleep } from '../registry/http.js';

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
}

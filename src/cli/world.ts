/**
 * Builds the World an operation runs in from the CLI context: one keep-alive
 * connection pool sized to the concurrency, the real clock, stderr for diagnostics.
 */
import { MAX_HEADER_BYTES, ReadGate, realSleep } from '../registry/http.js';
import { undici } from '../registry/undici.js';
import type { ProgressEvent, World } from '../ops/world.js';
import { printableLine } from '../core/text-rules.js';
import type { CliContext } from './context.js';

export async function cliWorld(
  ctx: CliContext,
  concurrency: number,
  progress?: ((e: ProgressEvent) => void) & { flush?: () => void },
): Promise<World & { close: () => Promise<void> }> {
  const { Agent } = await undici();
  // The header cap said here (registry/http.ts), so undici in the bundle need not load node:http to learn it.
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 10_000, headersTimeout: 60_000, bodyTimeout: 120_000, maxHeaderSize: MAX_HEADER_BYTES });
  // PYPI_RESERVE_BACKOFF_SCALE shortens or lengthens every retry wait (0 = none); documented in README.
  if (progress?.flush) ctx.flushProgress = () => progress.flush?.();
  const scale = Number(ctx.env.PYPI_RESERVE_BACKOFF_SCALE ?? '1');
  const factor = Number.isFinite(scale) && scale >= 0 ? scale : 1;
  return {
    dispatcher,
    now: ctx.now,
    sleep: (ms) => realSleep(ms * factor),
    waitScale: factor,
    // A progress line the reporter still holds goes out first: diagnostics never overtake it.
    log: (line) => {
      progress?.flush?.();
      ctx.stderr.write(`${printableLine(line)}\n`);
    },
    redact: (text) => ctx.secrets.redact(text),
    // Ctrl-C's message depends on whether an upload is in flight; a wait is announced as long as it will really be.
    progress: (event) => {
      if (event.type === 'phase') ctx.activity = event.phase === 'check' ? 'checking' : 'between-uploads';
      if (event.type === 'uploading') ctx.activity = 'uploading';
      if (event.type === 'uploaded') ctx.activity = 'between-uploads';
      progress?.(event.type === 'waiting' ? { ...event, delayMs: event.delayMs * factor } : event);
    },
    signal: ctx.signal,
    readGate: new ReadGate(),
    // Called once the command has awaited all its requests: the connections are
    // released at once rather than closed gracefully, which waits for the
    // index to close its side too (a round trip at the end of every run).
    close: () => {
      progress?.flush?.();
      return dispatcher.destroy();
    },
  };
}

/**
 * Builds the World an operation runs in from the CLI context: one keep-alive
 * connection pool sized to the concurrency, the real clock, stderr for diagnostics.
 */
import { realSleep } from '../registry/http.js';
import { undici } from '../registry/undici.js';
import type { ProgressEvent, World } from '../ops/world.js';
import { printableLine } from '../core/text-rules.js';
import type { CliContext } from './context.js';

export async function cliWorld(ctx: CliContext, concurrency: number, progress?: (e: ProgressEvent) => void): Promise<World & { close: () => Promise<void> }> {
  const { Agent } = await undici();
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 10_000, headersTimeout: 60_000, bodyTimeout: 120_000 });
  // PYPI_RESERVE_BACKOFF_SCALE shortens or lengthens every retry wait (0 = none); documented in README.
  const scale = Number(ctx.env.PYPI_RESERVE_BACKOFF_SCALE ?? '1');
  const factor = Number.isFinite(scale) && scale >= 0 ? scale : 1;
  return {
    dispatcher,
    now: ctx.now,
    sleep: (ms) => realSleep(ms * factor),
    waitScale: factor,
    log: (line) => ctx.stderr.write(`${printableLine(line)}\n`),
    redact: (text) => ctx.secrets.redact(text),
    // A wait is announced as long as it will really be.
    ...(progress ? { progress: (e: ProgressEvent) => progress(e.type === 'waiting' ? { ...e, delayMs: e.delayMs * factor } : e) } : {}),
    close: () => dispatcher.close(),
  };
}

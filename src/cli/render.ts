/**
 * How results look: a table and a summary line for people, JSON for machines,
 * and a one-line progress display on interactive terminals only.
 */
import type { NameOutcome } from '../core/outcomes.js';
import { countStatuses } from '../core/outcomes.js';
import type { Pace } from '../core/pace.js';
import type { ProgressEvent } from '../ops/world.js';
import type { CliContext } from './context.js';

export function renderTable<S extends string>(outcomes: readonly NameOutcome<S>[]): string {
  if (outcomes.length === 0) return '';
  const nameWidth = Math.min(40, Math.max(4, ...outcomes.map((o) => o.name.length)));
  const statusWidth = Math.max(7, ...outcomes.map((o) => o.status.length));
  const row = (a: string, b: string, c: string) => `${a.padEnd(nameWidth)}  ${b.padEnd(statusWidth)}  ${c}`.trimEnd();
  return [row('NAME', 'OUTCOME', 'DETAIL'), ...outcomes.map((o) => row(o.name, o.status, o.detail))].join('\n') + '\n';
}

export function summaryLine<S extends string>(outcomes: readonly NameOutcome<S>[]): string {
  const counts = countStatuses(outcomes);
  const parts = Object.entries(counts).map(([status, n]) => `${n} ${status}`);
  return `${outcomes.length} name${outcomes.length === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}`;
}

export function paceLines(pace: Pace | undefined, dryRun: boolean): string[] {
  if (!pace) return [];
  const lines: string[] = [];
  if (pace.nextWindowAt) lines.push(`the index's quota window frees a slot at ${iso(pace.nextWindowAt)}`);
  const waiting = `${pace.remaining} name${pace.remaining === 1 ? '' : 's'} waiting`;
  if (pace.remaining > 0 && pace.perWindow === 0) {
    lines.push(`${waiting}; --max-new 0 creates no project, so none of them will be protected until a run allows new projects`);
  } else if (pace.remaining > 0 && pace.allProtectedBy) {
    lines.push(
      `${waiting}; at ${pace.perWindow} new project${pace.perWindow === 1 ? '' : 's'} per ${formatWindow(pace.windowSeconds)}, ` +
        `all will be protected by ${iso(pace.allProtectedBy)} if this runs once per window`,
    );
  } else if (dryRun) lines.push('nothing would wait for a later run');
  return lines;
}

export function paceJson(pace: Pace | undefined) {
  if (!pace) return undefined;
  return {
    remaining: pace.remaining,
    perWindow: pace.perWindow,
    windowSeconds: pace.windowSeconds,
    nextWindowAt: pace.nextWindowAt ? iso(pace.nextWindowAt) : null,
    allProtectedBy: pace.allProtectedBy ? iso(pace.allProtectedBy) : null,
  };
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function formatWindow(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? '24 hours' : `${seconds / 86_400} days`;
  if (seconds % 3_600 === 0) return seconds === 3_600 ? 'hour' : `${seconds / 3_600} hours`;
  return `${seconds} seconds`;
}

/** The progress display: an event at a time, and `flush` for a line it still holds (before other stderr output, and at the end). */
export type ProgressReporter = ((e: ProgressEvent) => void) & { flush: () => void };

/**
 * Progress on stderr. On an interactive terminal outside CI: one line redrawn in
 * place. Elsewhere: plain lines for uploads and waits only, so CI logs stay readable.
 * There, an upload's "<name>: <status>" line goes out with the next line, in one
 * write instead of two (each is a synchronous write to a pipe or file, about
 * 0.1-0.3 ms apiece in reserve), and "uploading <name>" is written on the next
 * turn of the event loop, after the upload loop has handed its request to
 * undici. A line is held no longer than that: the CLI's world, its end, and the
 * executable's Ctrl-C notice write what is held before anything of their own,
 * so no line moves.
 */
export function progressReporter(ctx: CliContext, enabled: boolean): ProgressReporter | undefined {
  if (!enabled) return undefined;
  const live = ctx.stderr.isTTY === true && !ctx.env.CI;
  let phase = '';
  let total = 0;
  let done = 0;
  let announced = false;
  let held = '';
  const draw = (text: string) => ctx.stderr.write(`\r\u001b[2K${text}`);
  const say = (text: string) => {
    ctx.stderr.write(held + text);
    held = '';
  };
  const flush = () => {
    if (held) say('');
  };
  // An upload's line goes out once its request has gone to undici, on the next turn of the event
  // loop: the write and its redaction are then not between one upload's answer and the next request.
  let flushing = false;
  const flushSoon = () => {
    if (flushing) return;
    flushing = true;
    setImmediate(() => {
      flushing = false;
      flush();
    });
  };
  const report = (e: ProgressEvent) => {
    switch (e.type) {
      case 'phase':
        flush();
        if (live && phase) ctx.stderr.write('\r\u001b[2K');
        phase = e.phase;
        total = e.total;
        done = 0;
        break;
      case 'checked':
        done++;
        if (live) draw(`checking ${done}/${total}  ${e.name}: ${e.status}`);
        break;
      case 'uploading': {
        // Said at the first upload, not before: a run that stops on its token uploads nothing.
        const first = !live && done === 0 && !announced ? `uploading up to ${total} placeholder${total === 1 ? '' : 's'}\n` : '';
        announced = true;
        if (live) draw(`uploading ${done + 1}/${total}  ${e.name}`);
        else {
          held += `${first}uploading ${e.name}\n`;
          flushSoon();
        }
        break;
      }
      case 'uploaded':
        done++;
        if (!live) held += `${e.name}: ${e.status}\n`;
        break;
      case 'waiting':
        if (live) draw(`waiting ${(e.delayMs / 1000).toFixed(1)} s: ${e.reason}`);
        else say(`waiting ${(e.delayMs / 1000).toFixed(1)} s: ${e.reason}\n`);
        break;
    }
  };
  return Object.assign(report, { flush });
}

/** Clears the live progress line before results are printed. */
export function clearProgress(ctx: CliContext): void {
  if (ctx.stderr.isTTY === true && !ctx.env.CI) ctx.stderr.write('\r\u001b[2K');
}

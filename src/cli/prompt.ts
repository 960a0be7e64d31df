/**
 * A hidden prompt for the token on an interactive terminal: what is typed is
 * not echoed, and nothing is kept after it returns.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { CliContext } from './context.js';
import { EXIT, ReserveError } from '../core/errors.js';

export function hiddenPrompt(ctx: CliContext, question: string): (() => Promise<string>) | undefined {
  // stderr first: reading stdin's isTTY makes Node build the stdin stream, which a run that cannot prompt never needs.
  if (!ctx.stderr.isTTY || !ctx.stdin.isTTY) return undefined;
  return () =>
    new Promise((resolve, reject) => {
      // readline echoes keystrokes to its output; give it one that swallows them.
      // The question is shown only once the terminal is in raw mode, so nothing
      // typed after it can be echoed by the terminal itself.
      const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
      const rl = createInterface({ input: ctx.stdin, output: silent, terminal: true });
      ctx.stderr.write(question);
      // The terminal is in raw mode here, so Ctrl-C arrives as a keystroke, not a signal.
      rl.on('SIGINT', () => {
        rl.close();
        ctx.stderr.write('\n');
        reject(new ReserveError('E_INTERRUPTED', 'interrupted at the token prompt; nothing was uploaded', { exitCode: EXIT.INTERRUPTED }));
      });
      rl.question('', (answer) => {
        rl.close();
        ctx.stderr.write('\n');
        resolve(answer);
      });
    });
}

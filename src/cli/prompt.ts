/**
 * A hidden prompt for the token on an interactive terminal: what is typed is
 * not echoed, and nothing is kept after it returns.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { CliContext } from './context.js';

export function hiddenPrompt(ctx: CliContext, question: string): (() => Promise<string>) | undefined {
  if (!ctx.stdin.isTTY || !ctx.stderr.isTTY) return undefined;
  return () =>
    new Promise((resolve) => {
      ctx.stderr.write(question);
      // readline echoes keystrokes to its output; give it one that swallows them.
      const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
      const rl = createInterface({ input: ctx.stdin, output: silent, terminal: true });
      rl.question('', (answer) => {
        rl.close();
        ctx.stderr.write('\n');
        resolve(answer);
      });
    });
}

#!/usr/bin/env node
// The executable: the only module that touches process globals and sets the exit code.
import module from 'node:module';

// Node 22.1+ can keep V8's compiled code of every module between runs; loading
// the CLI's modules is most of its start-up. It must be on before they load,
// hence the dynamic imports below. Older Nodes lack it: nothing to do there.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { processContext } = await import('./context.js');
const { reportError, runCli } = await import('./run.js');

const interrupt = new AbortController();
const ctx = processContext(interrupt.signal);

// First Ctrl-C (or SIGTERM): a command that can stop cleanly ends its reads at
// once, finishes the upload under way if there is one, and reports; otherwise,
// or on the second signal, exit at once.
const INTERRUPT_NOTICE: Record<typeof ctx.activity, string> = {
  starting: 'stopping before any name is checked',
  checking: 'stopping; names not yet checked are reported as not checked',
  uploading: 'finishing the upload under way, then stopping',
  'between-uploads': 'stopping before the next upload',
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!ctx.graceful || interrupt.signal.aborted) process.exit(130);
    const what = INTERRUPT_NOTICE[ctx.activity];
    process.stderr.write(`\n${signal}: ${what} (again to quit at once)\n`);
    interrupt.abort();
  });
}

runCli(process.argv.slice(2), ctx).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err, ctx);
  },
);

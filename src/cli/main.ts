#!/usr/bin/env node
// The executable: the only module that touches process globals and sets the exit code.
import { processContext } from './context.js';
import { reportError, runCli } from './run.js';

const ctx = processContext();
runCli(process.argv.slice(2), ctx).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err, ctx);
  },
);

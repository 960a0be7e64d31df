#!/usr/bin/env node
// The executable: the only module that touches process globals and sets the exit code.
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { codeCacheDirectory, readScriptWithCodeCache, runReadScript } from './code-cache.js';
import { tieringFlags } from './v8-flags.js';
import { letParserCompileProceed, startParserCompile, undiciTakesSimdParser } from '../registry/parser-precompile.js';

/**
 * Set by the bundler (scripts/bundle.mjs) in dist/pypi-reserve.cjs: the
 * program script beside it, `cli/program-<hash>.cjs`. Absent when this module
 * runs unbundled (dist/src/cli/main.js), which then imports the program as a
 * module instead.
 */
declare const PYPI_RESERVE_PROGRAM: string | undefined;
/** Set by the bundler beside PYPI_RESERVE_PROGRAM: the file of undici's parser (with SIMD) beside the program. */
declare const PYPI_RESERVE_PARSER: string | undefined;

// undici parses HTTP with llhttp, a WebAssembly module whose main function is
// large. V8 first runs it as baseline (Liftoff) code and, once it has run
// "enough" (the tiering budget: 1.8 MB executed on Node 20, 13 MB on 22/24),
// recompiles it with TurboFan on a worker thread, which takes 0.1-0.35 s of CPU
// here. Node waits for that worker before it exits, so a run that reads a
// page or two paid it at the end, as idle time: most of what `check` of one
// name cost over a bare client (bench/startup, measured with strace and
// --cpu-prof). Baseline code parses the few kilobytes of headers and chunk
// framing a run reads fast enough, and tier-up never paid for itself: with a
// budget of 200 MB of execution, `reserve` of 50 names (101 answers) still
// tiered up, and its 0.3 s of TurboFan CPU competed with the index on a
// 2-core machine; bare undici with Liftoff only used less CPU than with
// tier-up for every run from 100 to 20,000 GETs (CPU per thread from
// /proc/<pid>/task/*/schedstat). So llhttp stays Liftoff code: `--liftoff-only`,
// which V8 takes at run time on Node 20 and 22 but ignores on Node 24; there the
// largest tiering budget V8 accepts (which it does take at run time) keeps all
// but very long runs on Liftoff (bench/startup on Node 24.22: check of one name
// 0.32 s -> 0.21 s). Set before undici loads; a wasm tiering or Liftoff flag
// the user set in NODE_OPTIONS or on the command line wins.
const argv = process.argv.slice(2);
const userFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
// Also, for the commands that wait on an index (check, reserve, watch), V8's
// optimising compilers are kept out of their short-lived code where V8 takes
// that at run time, and undici's parser is compiled with every function: the
// choices, their figures and the flags the user set that win are in
// cli/v8-flags.ts.
const command = argv[0];
const tiering = tieringFlags(process.versions.v8, userFlags, command);
for (const flag of tiering.flags) setFlagsFromString(flag);
// undici's parser compiles on V8's background threads while the program loads
// (registry/parser-precompile.ts), where undici will take the one with SIMD.
if (tiering.precompileParser && typeof PYPI_RESERVE_PARSER === 'string' && undiciTakesSimdParser(process.env, process.arch, process.versions.node)) {
  startParserCompile(join(__dirname, 'cli', PYPI_RESERVE_PARSER), PYPI_RESERVE_PARSER);
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The one answer that needs nothing else: given before the program loads,
  // in the very words the full parser prints (a spec compares them).
  void import('../version.js').then(({ PACKAGE_VERSION }) => process.stdout.write(`${PACKAGE_VERSION}\n`));
} else {
  loadProgram().then(runWithSignals, (err: unknown) => {
    // A broken installation (the program file missing or unreadable): nothing ran, no secret is known yet.
    process.stderr.write(`pypi-reserve cannot start (reinstall it, or report this): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    exitWhenFlushed(1);
  });
}

type Program = typeof import('./program.js');

/** The program: the bundled script through the code cache, or the module when unbundled. */
async function loadProgram(): Promise<Program> {
  if (typeof PYPI_RESERVE_PROGRAM !== 'string') return import('./program.js');
  // V8 skips the checksum of a code cache unless told: a damaged cache then crashed every run (cli/code-cache.ts).
  setFlagsFromString('--verify-snapshot-checksum');
  const directory = codeCacheDirectory(process.env);
  const read = readScriptWithCodeCache(join(__dirname, PYPI_RESERVE_PROGRAM), { directory, variant: tiering.cacheVariant });
  // The parser's compile takes its next step now, so that it runs while the program loads.
  await letParserCompileProceed();
  const run = runReadScript(read);
  process.once('exit', run.saveCache);
  return run.exports as Program;
}

function runWithSignals({ processContext, reportError, runCli }: Program): void {
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
      if (!ctx.graceful || interrupt.signal.aborted) {
        ctx.flushProgress?.();
        process.exit(130);
      }
      const what = INTERRUPT_NOTICE[ctx.activity];
      ctx.flushProgress?.(); // an upload's line still held goes out before the notice about it
      process.stderr.write(`\n${signal}: ${what} (again to quit at once)\n`);
      interrupt.abort();
    });
  }

  let settled = false;
  runCli(argv, ctx).then(
    (code) => {
      if (settled) return;
      settled = true;
      exitWhenFlushed(code);
    },
    (err: unknown) => {
      if (settled) return;
      settled = true;
      exitWhenFlushed(reportError(err, ctx));
    },
  );
  // Nothing left to wait on, yet the command has not finished: a bug (a promise no handle keeps
  // alive), never a success. Without this, Node would end the run with status 0 having said nothing.
  process.on('beforeExit', () => {
    if (settled) return;
    settled = true;
    ctx.stderr.write('internal error (please report): the run stopped before the command finished, with nothing left to wait on\n');
    exitWhenFlushed(1);
  });
}

/**
 * Exits once the command is done and stdout and stderr are flushed, instead of
 * letting the event loop drain: with nothing left to run, Node still waits for
 * V8's queued background compile jobs before 'exit' (7-35 ms after reserve of
 * 50 names, and more CPU on a machine the index shares), for code that will
 * never run again. Every command awaits all its work before runCli resolves.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

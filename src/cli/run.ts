/**
 * Runs the CLI against an injected context: parses arguments, runs one
 * command, and maps what it returns or throws to an exit code.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, InputError, ReserveError, formatProblem, type ExitCode } from '../core/errors.js';
import { printableLine } from '../core/text-rules.js';
import type { CliContext } from './context.js';
import { registerCommands } from './commands/index.js';
import { PACKAGE_VERSION } from '../version.js';
import { registerRunSecrets } from './run-secrets.js';
import { errorAnnotation } from './ci-output.js';

export async function runCli(argv: readonly string[], ctx: CliContext): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.OK;
  const program = new Command('pypi-reserve')
    .description('Reserve private Python package names on PyPI with harmless placeholder sdists.')
    .version(PACKAGE_VERSION)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  registerCommands(
    program,
    ctx,
    (code) => {
      exitCode = code;
    },
    argv,
  );
  // Before any command prints anything, even an input error.
  program.hook('preAction', (_program, command) => registerRunSecrets(command.opts(), ctx.env, ctx.secrets, ctx.readFile));
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (err) {
    return reportError(err, ctx);
  }
  return exitCode;
}

/** Turns a thrown error into a message on stderr and an exit code; stack traces only for bugs. */
export function reportError(err: unknown, ctx: CliContext): ExitCode {
  if (err instanceof CommanderError) {
    // Help and version are successful exits; commander already printed the usage error.
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof InputError) {
    const n = err.problems.length;
    ctx.stderr.write(`error: ${n === 1 ? 'a problem' : `${n} problems`} in the input; nothing was done:\n`);
    const hinted = new Set<string>();
    for (const p of err.problems) {
      ctx.stderr.write(`  - ${formatProblem(p)}\n`);
      // A hint shared by many problems (a long list of bad names) is said once.
      if (p.hint && !hinted.has(p.hint)) ctx.stderr.write(`    hint: ${printableLine(p.hint)}\n`);
      if (p.hint) hinted.add(p.hint);
    }
    // On GitHub Actions each problem also shows on the run's page (stderr carries workflow commands too).
    if (ctx.env.GITHUB_ACTIONS === 'true') {
      for (const p of err.problems) ctx.stderr.write(`${errorAnnotation('pypi-reserve input', formatProblem(p))}\n`);
    }
    return err.exitCode;
  }
  if (err instanceof ReserveError) {
    // Messages quote paths, URLs and server text: one printable line each.
    ctx.stderr.write(`error: ${printableLine(err.message)}\n`);
    if (err.hint) ctx.stderr.write(`hint: ${printableLine(err.hint)}\n`);
    return err.exitCode;
  }
  ctx.stderr.write(`internal error (please report): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.ATTENTION;
}

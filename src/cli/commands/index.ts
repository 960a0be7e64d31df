/**
 * The list of commands. Each command module registers itself on the program and
 * reports its exit code through `setExit`; it never calls process.exit.
 */
import type { Command } from 'commander';
import type { ExitCode } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { registerBuild } from './build.js';
import { registerAudit } from './audit.js';
import { registerCheck } from './check.js';
import { registerReserve } from './reserve.js';
import { registerExportRules } from './export-rules.js';
import { registerInit } from './init.js';
import { registerWatch } from './watch.js';

export type SetExit = (code: ExitCode) => void;
export type RegisterCommand = (program: Command, ctx: CliContext, setExit: SetExit) => void;

/** In the order `--help` lists them; `name` is what each registers (a spec checks they agree). */
export const COMMANDS: readonly { name: string; register: RegisterCommand }[] = [
  { name: 'build', register: registerBuild },
  { name: 'check', register: registerCheck },
  { name: 'reserve', register: registerReserve },
  { name: 'export-rules', register: registerExportRules },
  { name: 'init', register: registerInit },
  { name: 'audit', register: registerAudit },
  { name: 'watch', register: registerWatch },
];

/**
 * Registers the commands a run can reach: only the one `argv` starts with, when
 * it names one (its options, help and errors need no other), else all of them
 * (`--help`, `help <command>`, an unknown command and its suggestions).
 * Building all seven costs every run about 5 ms on Node 20.
 */
export function registerCommands(program: Command, ctx: CliContext, setExit: SetExit, argv: readonly string[] = []): void {
  const named = COMMANDS.find((c) => c.name === argv[0]);
  for (const { register } of named ? [named] : COMMANDS) register(program, ctx, setExit);
}

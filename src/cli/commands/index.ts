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

const commands: RegisterCommand[] = [registerBuild, registerCheck, registerReserve, registerExportRules, registerInit, registerAudit, registerWatch];

export function registerCommands(program: Command, ctx: CliContext, setExit: SetExit): void {
  for (const register of commands) register(program, ctx, setExit);
}

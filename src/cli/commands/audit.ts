/**
 * `pypi-reserve audit [PATH...]`: finds where pip, uv, Poetry or PDM merge a
 * private index with public PyPI, and explains each finding.
 * Exit 0: nothing risky; 1: risky findings or files that could not be parsed;
 * 2: a PATH does not exist.
 */
import { platform } from 'node:os';
import { resolve } from 'node:path';
import { auditIndexConfiguration } from '../../audit/audit.js';
import { formatDiagnostics, formatReportJson, formatReportText } from '../../audit/report.js';
import { EXIT } from '../../core/errors.js';
import type { RegisterCommand } from './index.js';

interface AuditFlags {
  json?: boolean;
  userConfig: boolean;
  root?: string;
}

export const registerAudit: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('audit')
    .description(
      'find pip/uv/Poetry/PDM settings that merge a private index with PyPI (dependency confusion), and explain each',
    )
    .argument('[paths...]', 'directories to scan recursively or files to check (default: the current directory)')
    .option('--json', 'print the report as JSON')
    .option(
      '--no-user-config',
      "audit only the PATHs: skip this machine's pip.conf / uv.toml (global, user, virtualenv), PIP_CONFIG_FILE and PIP_* / UV_* variables",
    )
    .option('--root <dir>', 'filesystem root for system-wide files such as /etc/pip.conf (e.g. a mounted container image)')
    .action(async (paths: string[], flags: AuditFlags) => {
      const report = await auditIndexConfiguration({
        paths,
        cwd: ctx.cwd,
        env: ctx.env,
        platform: platform(),
        root: flags.root === undefined ? '/' : resolve(ctx.cwd, flags.root),
        machine: flags.userConfig,
      });
      ctx.stdout.write(flags.json ? formatReportJson(report) : formatReportText(report));
      ctx.stderr.write(formatDiagnostics(report));
      setExit(report.summary.risky > 0 || report.errors.length > 0 ? EXIT.ATTENTION : EXIT.OK);
    });
};

/**
 * `pypi-reserve audit [PATH...]`: finds where pip, uv, Poetry or PDM merge a
 * private index with public PyPI, explains each finding, and with
 * `--effective` shows what each installer will really use.
 * Exit 0: nothing risky; 1: risky findings or files that could not be parsed;
 * 2: bad input (a PATH that does not exist, a --public-index that is no URL).
 */
import { platform } from 'node:os';
import { basename, resolve } from 'node:path';
import { auditIndexConfiguration, checkAuditPaths } from '../../audit/audit.js';
import { effectiveLocations, projectDirectory } from '../../audit/effective.js';
import { formatForExplicitFile } from '../../audit/file-kinds.js';
import { formatDiagnostics, formatEffectiveText, formatReportJson, formatReportText } from '../../audit/report.js';
import { EXIT, InputError, type Problem } from '../../core/errors.js';
import { redactUrl } from '../../core/redact-url.js';
import { collect, loadRunConfig, namesSpecFrom, resolveNames, validateAll } from '../options.js';
import type { ConfigValues } from '../../config/types.js';
import type { RegisterCommand } from './index.js';

interface AuditFlags {
  json?: boolean;
  userConfig: boolean;
  root?: string;
  publicIndex: string[];
  effective?: boolean;
  config?: string;
  namesFile: string[];
}

export const registerAudit: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('audit')
    .description(
      'find pip/uv/Poetry/PDM settings that merge a private index with PyPI (dependency confusion), and explain each',
    )
    .argument('[paths...]', 'directories to scan recursively or files to check (default: the current directory)')
    .option('--json', 'print the report as JSON (with the effective locations of every installer)')
    .option('--effective', 'also show, per installer (pip, uv, Poetry, PDM), the indexes and find-links locations it will use, in order')
    .option(
      '--public-index <url>',
      'count this index as public too (e.g. your Nexus/Artifactory proxy of PyPI); repeatable; config key public-indexes',
      collect,
      [],
    )
    .option('-f, --names-file <file>', 'private names, one per line: lock files resolving one of them from a public index are risky; repeatable', collect, [])
    .option('-c, --config <file>', 'read settings from this file (default: ./pypi-reserve.toml if present)')
    .option(
      '--no-user-config',
      "audit only the PATHs: skip this machine's pip.conf / uv.toml / PDM config (global, user, virtualenv), PIP_CONFIG_FILE and PIP_* / UV_* variables",
    )
    .option('--root <dir>', 'filesystem root for system-wide files such as /etc/pip.conf (e.g. a mounted container image)')
    .action(async (paths: string[], flags: AuditFlags) => {
      const config = await loadRunConfig(flags, ctx);
      // Names are only needed for lock files; they come from -f or the config file's [sources], as for the other commands.
      const wantsNames = flags.namesFile.length > 0 || configNamesSources(config);
      const [gathered] = await validateAll(
        () => (wantsNames ? resolveNames(namesSpecFrom([], { namesFile: flags.namesFile }, config, ctx.cwd), ctx) : undefined),
        () => checkPublicIndexes(flags.publicIndex),
        // The paths too, so that every input problem is reported at once.
        () => checkAuditPaths(paths, ctx.cwd),
      );
      const publicIndexes = [...(config?.publicIndexes ?? []), ...flags.publicIndex];
      const options = {
        paths,
        cwd: ctx.cwd,
        env: ctx.env,
        platform: platform(),
        root: flags.root === undefined ? '/' : resolve(ctx.cwd, flags.root),
        machine: flags.userConfig,
        publicIndexes,
      };
      const report = await auditIndexConfiguration({ ...options, privateNames: gathered?.names.map((n) => n.name) ?? [] });
      const effective = await effectiveLocations({
        ...options,
        project: await projectDirectory(paths, ctx.cwd),
        requirements: paths.map((p) => resolve(ctx.cwd, p)).filter((p) => formatForExplicitFile(basename(p)) === 'requirements'),
        machine: flags.userConfig,
      });
      if (flags.json) ctx.stdout.write(formatReportJson(report, { effective }));
      else ctx.stdout.write(`${flags.effective ? formatEffectiveText(effective) : ''}${formatReportText(report)}`);
      ctx.stderr.write(formatDiagnostics(report));
      setExit(report.summary.risky > 0 || report.errors.length > 0 ? EXIT.ATTENTION : EXIT.OK);
    });
};

/** True when the config file lists names sources (not only filters or a credential variable). */
function configNamesSources(config: ConfigValues | undefined): boolean {
  const { namesFiles, requirements, pyproject, fromIndex } = config?.sources ?? {};
  return [namesFiles, requirements, pyproject, fromIndex].some((list) => list !== undefined && list.length > 0);
}

function checkPublicIndexes(urls: readonly string[]): void {
  const problems: Problem[] = [];
  urls.forEach((url, i) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      problems.push({ code: 'E_PUBLIC_INDEX', message: 'not an http(s) URL', value: redactUrl(url), source: `--public-index ${i + 1}` });
    }
  });
  if (problems.length > 0) throw new InputError(problems);
}

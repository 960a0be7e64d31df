/**
 * `pypi-reserve reserve`: check every name, then upload a placeholder for each
 * free one, within the index's new-project quota.
 */
import { publicDependenciesNote } from '../dependency-note.js';
import { EXIT, InputError, type Problem } from '../../core/errors.js';
import { countStatuses, reserveExitCode } from '../../core/outcomes.js';
import { PYPI_NEW_PROJECTS_PER_WINDOW } from '../../core/pace.js';
import { resolveCredential } from '../../registry/credentials.js';
import type { Repository } from '../../registry/repositories.js';
import { reserveNames, type ReserveReport } from '../../ops/reserve.js';
import { addIndexOptions, parsePositiveInt, type IndexFlags } from '../index-options.js';
import { addMetadataOptions, addNamesOptions, type MetadataFlags, type NamesFlags } from '../options.js';
import { hiddenPrompt } from '../prompt.js';
import { clearProgress, paceJson, paceLines, progressReporter, renderTable, summaryLine } from '../render.js';
import { prepareIndexRun } from '../run-setup.js';
import { cliWorld } from '../world.js';
import type { CliContext } from '../context.js';
import { addPreflightOptions, readIndexEvidence, type PreflightFlags } from '../preflight-options.js';
import { addOwnershipOptions, type OwnershipFlags } from '../ownership-options.js';
import { publishForCi } from '../ci-output.js';
import type { RegisterCommand } from './index.js';

interface ReserveFlags extends NamesFlags, MetadataFlags, IndexFlags, PreflightFlags, OwnershipFlags {
  report?: string;
  tokenFile?: string;
  maxNew?: string;
  dryRun?: boolean;
  json?: boolean;
}

export const registerReserve: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('reserve')
    .description('upload a placeholder for every free name, within the index quota');
  addNamesOptions(cmd);
  addMetadataOptions(cmd);
  addIndexOptions(cmd);
  addOwnershipOptions(cmd);
  addPreflightOptions(cmd);
  cmd
    .option('--token-file <file>', 'read the upload token from this file (see README: Credentials)')
    .option('--max-new <n>', `new projects to create at most in this run (default ${PYPI_NEW_PROJECTS_PER_WINDOW} on pypi/testpypi, no limit elsewhere)`)
    .option('--dry-run', 'do everything but upload; needs no token')
    .option('--json', 'print results as JSON')
    .option('--report <file>', 'also write the JSON results to this file')
    .action(async (positional: string[], flags: ReserveFlags) => {
      const out = ctx;
      let maxNew: number | undefined;
      const run = await prepareIndexRun(positional, flags, out, {
        needsCredentials: flags.dryRun !== true,
        uploads: true,
        ...(flags.tokenFile ? { tokenFile: flags.tokenFile } : {}),
        extra: (config) => {
          const problems: Problem[] = [];
          if (flags.maxNew !== undefined) maxNew = parsePositiveInt(flags.maxNew, '--max-new', problems, 10_000, 0);
          else maxNew = config?.maxNew;
          if (problems.length) throw new InputError(problems);
        },
      });
      const { repository } = run.index;
      // PyPI's own quota is the default per-run limit there; other indexes have none unless set.
      if (maxNew === undefined && repository.isPypi) maxNew = PYPI_NEW_PROJECTS_PER_WINDOW;

      ctx.graceful = true;
      const world = await cliWorld(out, run.index.concurrency, progressReporter(out, true));
      let report: ReserveReport;
      try {
        const evidence = await readIndexEvidence(flags, repository, out, world.dispatcher);
        report = await reserveNames(
          {
            names: run.names,
            options: run.options,
            repository,
            mtime: run.mtime,
            concurrency: run.index.concurrency,
            dryRun: flags.dryRun === true,
            signal: ctx.signal,
            ...evidence,
            ...(run.ownership ? { ownership: run.ownership } : {}),
            ...(maxNew !== undefined ? { maxNew } : {}),
            credential: async () => {
              const credential = await resolveCredential({
                readFile: ctx.readFile,
                ...(flags.tokenFile ? { tokenFile: flags.tokenFile } : {}),
                env: ctx.env,
                ...(run.index.pypircSection ? { pypircSection: run.index.pypircSection } : {}),
                ...withPrompt(out),
                uploadUrl: repository.uploadUrl,
              });
              ctx.secrets.addBasic(credential.username, credential.token);
              return credential;
            },
          },
          world,
        );
      } finally {
        await world.close();
        clearProgress(out);
      }
      setExit(await printReport(report, flags, out, repository));
      const dependenciesNote = publicDependenciesNote(report.results, run.fromDependencies);
      if (dependenciesNote) out.stderr.write(`${dependenciesNote}\n`);
    });
};

function withPrompt(ctx: CliContext) {
  const prompt = hiddenPrompt(ctx, 'Upload token (input hidden): ');
  return prompt ? { prompt } : {};
}

async function printReport(report: ReserveReport, flags: ReserveFlags, ctx: CliContext, repository: Repository) {
  const exitCode = report.stopped?.kind === 'credential' ? EXIT.USAGE : report.stopped?.kind === 'internal' ? EXIT.ATTENTION : reserveExitCode(report.results);
  const summary = {
    total: report.results.length,
    ...countStatuses(report.results),
    newProjects: report.newProjects,
    creationAttempts: report.creationAttempts,
    repository: repository.name,
    dryRun: flags.dryRun === true,
    exitCode,
    stopped: report.stopped ?? null,
    pace: paceJson(report.pace) ?? null,
  };
  const document = { results: report.results, summary };
  if (flags.json) {
    ctx.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    ctx.stdout.write(renderTable(report.results));
    ctx.stdout.write(`${summaryLine(report.results)}\n`);
    for (const line of paceLines(report.pace, flags.dryRun === true)) ctx.stdout.write(`${line}\n`);
  }
  if (report.stopped) {
    ctx.stderr.write(`${report.stopped.kind === 'wait' ? 'stopped' : 'error'}: ${report.stopped.message}\n`);
    if (report.stopped.hint) ctx.stderr.write(`hint: ${report.stopped.hint}\n`);
  }
  for (const o of report.results.filter((o) => o.status === 'taken')) {
    ctx.stderr.write(`ALERT: ${o.name} is taken by someone else: ${o.detail}\n`);
  }
  await publishForCi(ctx, {
    ...(flags.report ? { report: flags.report } : {}),
    title: `pypi-reserve reserve (${repository.name})${flags.dryRun ? ', dry run' : ''}`,
    where: repository.indexUrl,
    document,
    outcomes: report.results,
    extraLines: paceLines(report.pace, flags.dryRun === true),
    ...(report.stopped?.kind === 'credential' ? { credentialStop: report.stopped.message } : {}),
  });
  return exitCode;
}

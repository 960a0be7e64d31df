/**
 * `pypi-reserve check`: where each name stands on the index. The CI gate: exits
 * 1 the moment a private name is taken by someone else.
 */
import { publicDependenciesNote } from '../dependency-note.js';
import { checkExitCode, countStatuses } from '../../core/outcomes.js';
import { checkNames } from '../../ops/check.js';
import { addIndexOptions, type IndexFlags } from '../index-options.js';
import { addMetadataOptions, addNamesOptions, type MetadataFlags, type NamesFlags } from '../options.js';
import { clearProgress, progressReporter, renderTable, summaryLine } from '../render.js';
import { prepareIndexRun } from '../run-setup.js';
import { cliWorld } from '../world.js';
import { addPreflightOptions, readIndexEvidence, type PreflightFlags } from '../preflight-options.js';
import { addOwnershipOptions, type OwnershipFlags } from '../ownership-options.js';
import { publishForCi } from '../ci-output.js';
import type { RegisterCommand } from './index.js';

interface CheckFlags extends NamesFlags, MetadataFlags, IndexFlags, PreflightFlags, OwnershipFlags {
  json?: boolean;
  report?: string;
}

export const registerCheck: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('check')
    .description('tell for each name whether it is free, reserved by us, or taken by someone else (read-only)');
  addNamesOptions(cmd);
  addMetadataOptions(cmd);
  addIndexOptions(cmd);
  addOwnershipOptions(cmd);
  addPreflightOptions(cmd);
  cmd
    .option('--json', 'print results as JSON')
    .option('--report <file>', 'also write the JSON results to this file')
    .action(async (positional: string[], flags: CheckFlags) => {
    const run = await prepareIndexRun(positional, flags, ctx);
    // Ctrl-C cuts the reads short and still prints what was learnt.
    ctx.graceful = true;
    const world = await cliWorld(ctx, run.index.concurrency, progressReporter(ctx, !flags.json || ctx.stderr.isTTY === true));
    let outcomes;
    try {
      const evidence = await readIndexEvidence(flags, run.index.repository, ctx, world.dispatcher);
      outcomes = await checkNames(
        {
          names: run.names,
          options: run.options,
          repository: run.index.repository,
          mtime: run.mtime,
          concurrency: run.index.concurrency,
          ...evidence,
          ...(run.ownership ? { ownership: run.ownership } : {}),
        },
        world,
      );
    } finally {
      await world.close();
      clearProgress(ctx);
    }
    const exitCode = checkExitCode(outcomes);
    const document = { results: outcomes, summary: { total: outcomes.length, ...countStatuses(outcomes), exitCode, repository: run.index.repository.name } };
    if (flags.json) {
      ctx.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      ctx.stdout.write(renderTable(outcomes));
      ctx.stdout.write(`${summaryLine(outcomes)}\n`);
    }
    for (const o of outcomes.filter((o) => o.status === 'taken')) {
      ctx.stderr.write(`ALERT: ${o.name} is taken on ${run.index.repository.indexUrl} by someone else: ${o.detail}\n`);
    }
    const dependenciesNote = publicDependenciesNote(outcomes, run.fromDependencies);
    if (dependenciesNote) ctx.stderr.write(`${dependenciesNote}\n`);
    await publishForCi(ctx, {
      ...(flags.report ? { report: flags.report } : {}),
      title: `pypi-reserve check (${run.index.repository.name})`,
      where: run.index.repository.indexUrl,
      document,
      outcomes,
    });
    setExit(exitCode);
  });
};

/**
 * `pypi-reserve build`: writes placeholder sdists to a directory, for review or
 * for uploading with another tool.
 */
import { resolve } from 'node:path';
import { EXIT } from '../../core/errors.js';
import { STDLIB_DETAIL } from '../../core/plan.js';
import { buildPlaceholders } from '../../ops/build.js';
import {
  addMetadataOptions,
  addNamesOptions,
  loadRunConfig,
  namesSpecFrom,
  resolveNames,
  resolvePlaceholderOptions,
  validateAll,
  type MetadataFlags,
  type NamesFlags,
} from '../options.js';
import { epochFrom } from '../run-setup.js';
import type { RegisterCommand } from './index.js';

interface BuildFlags extends NamesFlags, MetadataFlags {
  outputDir: string;
  force?: boolean;
  json?: boolean;
}

export const registerBuild: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program.command('build').description('build placeholder sdists into a directory (nothing is uploaded)');
  addNamesOptions(cmd);
  addMetadataOptions(cmd);
  cmd
    .option('-o, --output-dir <dir>', 'where to write the sdists', 'dist')
    .option('--force', 'replace existing files that differ')
    .option('--json', 'print results as JSON')
    .action(async (positional: string[], flags: BuildFlags) => {
      const config = await loadRunConfig(flags, ctx);
      const [gathered, options, epoch] = await validateAll(
        () => resolveNames(namesSpecFrom(positional, flags, config, ctx.cwd), ctx, { verbose: flags.verbose === true }),
        () => resolvePlaceholderOptions(flags, config),
        () => epochFrom(ctx.env),
      );
      const results = await buildPlaceholders({
        names: gathered.names,
        options,
        outDir: resolve(ctx.cwd, flags.outputDir),
        force: flags.force === true,
        mtime: epoch,
      });
      if (flags.json) {
        const json = results.map((r) =>
          r.status === 'built'
            ? { name: r.name, normalized: r.normalized, status: r.status, file: r.file, sha256: r.sha256, size: r.size }
            : { name: r.name, normalized: r.normalized, status: r.status, file: null, sha256: null, size: null },
        );
        ctx.stdout.write(`${JSON.stringify({ results: json }, null, 2)}\n`);
      } else {
        for (const r of results) {
          if (r.status === 'built') ctx.stdout.write(`built              ${r.file}  sha256:${r.sha256}${r.unchanged ? '  (unchanged)' : ''}\n`);
          else ctx.stdout.write(`protected-by-pypi  ${r.name}  (${STDLIB_DETAIL}; no sdist built)\n`);
        }
      }
      setExit(EXIT.OK);
    });
};

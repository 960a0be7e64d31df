/**
 * `pypi-reserve build`: writes placeholder sdists to a directory, for review or
 * for uploading with another tool.
 */
import { resolve } from 'node:path';
import { EXIT } from '../../core/errors.js';
import { STDLIB_DETAIL } from '../../core/plan.js';
import { buildPlaceholders, OutputWriteError, type BuildProgress } from '../../ops/build.js';
import { printableLine } from '../../core/text-rules.js';
import type { CliContext } from '../context.js';
import { clearProgress } from '../render.js';
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
      const progress = buildProgress(ctx);
      const results = await buildPlaceholders({
        names: gathered.names,
        options,
        outDir: resolve(ctx.cwd, flags.outputDir),
        force: flags.force === true,
        mtime: epoch,
        ...(progress ? { onProgress: progress } : {}),
      }).catch((err: unknown) => {
        if (progress) clearProgress(ctx);
        if (err instanceof OutputWriteError) {
          // Some files may be on disk: say exactly which, before the error itself.
          for (const line of sampleLines('written', err.written, flags.verbose === true)) ctx.stderr.write(`${printableLine(line)}\n`);
          for (const line of sampleLines('not written', err.notWritten, flags.verbose === true)) ctx.stderr.write(`${printableLine(line)}\n`);
        }
        throw err;
      });
      if (progress) clearProgress(ctx);
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

/** Files listed by default after a failed write; --verbose lists every one. */
const FILES_LISTED = 10;

function sampleLines(label: string, files: readonly string[], verbose: boolean): string[] {
  const shown = verbose ? files : files.slice(0, FILES_LISTED);
  const lines = shown.map((file) => `${label.padEnd(12)} ${file}`);
  if (shown.length < files.length) lines.push(`${label.padEnd(12)} … and ${files.length - shown.length} more (--verbose lists every one)`);
  return lines;
}

/** Redraw the line every this many sdists: a terminal redraw per file would cost more than the file. */
const PROGRESS_STEP = 100;

/** One line redrawn in place (a big build takes minutes), only on an interactive terminal outside CI. */
function buildProgress(ctx: CliContext): ((e: BuildProgress) => void) | undefined {
  if (ctx.stderr.isTTY !== true || ctx.env.CI) return undefined;
  return (e) => {
    if (e.done % PROGRESS_STEP === 0 || e.done === e.total) ctx.stderr.write(`\r\u001b[2K${e.stage} ${e.done}/${e.total}`);
  };
}

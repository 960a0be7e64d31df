/**
 * The common first step of check and reserve: validate names, metadata, index
 * options and the environment together, reporting every problem at once, before
 * any request is made.
 */
import { InputError } from '../core/errors.js';
import { sourceDateEpoch } from '../core/epoch.js';
import type { PlaceholderOptions } from '../core/metadata.js';
import type { ProjectName } from '../core/names.js';
import type { SourceContribution } from '../sources/spec.js';
import type { CliContext } from './context.js';
import { resolveIndex, type IndexFlags, type ResolvedIndex } from './index-options.js';
import {
  metadataInput,
  namesSpecFromFlags,
  resolveNames,
  resolvePlaceholderOptions,
  validateAll,
  type MetadataFlags,
  type NamesFlags,
} from './options.js';

export interface PreparedRun {
  names: ProjectName[];
  contributions: SourceContribution[];
  options: PlaceholderOptions;
  index: ResolvedIndex;
  mtime: number;
}

export async function prepareIndexRun(
  positional: string[],
  flags: NamesFlags & MetadataFlags & IndexFlags,
  ctx: CliContext,
  extra: () => void = () => {},
): Promise<PreparedRun> {
  const [gathered, options, index, mtime] = await validateAll(
    () => resolveNames(namesSpecFromFlags(positional, flags), ctx, 'merge'),
    () => resolvePlaceholderOptions(metadataInput(flags)),
    () => resolveIndex(flags, ctx.env),
    () => {
      const e = sourceDateEpoch(ctx.env);
      if (e.problem) throw new InputError([e.problem]);
      return e.mtime;
    },
    extra,
  );
  for (const m of gathered.merged) {
    ctx.stderr.write(`note: ${m.dropped.source}: '${m.dropped.name}' is the same project as '${m.kept.name}' (${m.kept.source}); kept once\n`);
  }
  return { names: gathered.names, contributions: gathered.contributions, options, index, mtime };
}

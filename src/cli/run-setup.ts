/**
 * The common first step of check and reserve: load the config file, then
 * validate names, metadata, index options and the environment together,
 * reporting every problem at once, before any request is made.
 */
import { InputError } from '../core/errors.js';
import { sourceDateEpoch } from '../core/epoch.js';
import type { PlaceholderOptions } from '../core/metadata.js';
import type { ProjectName } from '../core/names.js';
import type { ConfigValues } from '../config/types.js';
import type { SourceContribution } from '../sources/spec.js';
import type { CliContext } from './context.js';
import { resolveIndex, type IndexFlags, type ResolvedIndex } from './index-options.js';
import {
  loadRunConfig,
  namesSpecFrom,
  resolveNames,
  resolvePlaceholderOptions,
  validateAll,
  type MetadataFlags,
  type NamesFlags,
} from './options.js';

export interface PreparedRun {
  config: ConfigValues | undefined;
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
  extra: (config: ConfigValues | undefined) => void = () => {},
): Promise<PreparedRun> {
  const config = await loadRunConfig(flags, ctx);
  const [gathered, options, index, mtime] = await validateAll(
    () => resolveNames(namesSpecFrom(positional, flags, config, ctx.cwd), ctx, 'merge'),
    () => resolvePlaceholderOptions(flags, config),
    () => resolveIndex(flags, ctx.env, config),
    () => epochFrom(ctx.env),
    () => extra(config),
  );
  return { config, names: gathered.names, contributions: gathered.contributions, options, index, mtime };
}

export function epochFrom(env: NodeJS.ProcessEnv): number {
  const e = sourceDateEpoch(env);
  if (e.problem) throw new InputError([e.problem]);
  return e.mtime;
}

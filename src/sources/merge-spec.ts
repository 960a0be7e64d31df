/**
 * Combines names-source settings from the command line and the config file.
 * Per key, a value given on the command line replaces the file's value (it is
 * not appended): `--include 'acme-*'` replaces the file's `include` list, while
 * the file's `requirements` still apply. Paths from the file are already
 * absolute (resolved against the file's directory by loadConfig); paths from
 * flags are resolved against `cwd`. `-` (stdin) and URLs are kept as given.
 */
import { dirname, resolve } from 'node:path';
import type { ConfigValues } from '../config/types.js';
import type { NamesSpec } from './spec.js';

export function mergeNamesSpec(flags: Partial<NamesSpec>, config: ConfigValues | undefined, cwd: string): NamesSpec {
  const file = config?.sources ?? {};
  const paths = (list: readonly string[]): string[] => list.map((p) => (p === '-' ? p : resolve(cwd, p)));
  /** A flag counts as given when it has a value; commander leaves repeatable options undefined or []. */
  const pick = (flag: readonly string[] | undefined, fromFile: readonly string[] | undefined, resolvePaths: boolean): string[] => {
    if (flag !== undefined && flag.length > 0) return resolvePaths ? paths(flag) : [...flag];
    return [...(fromFile ?? [])];
  };
  const credentialsEnv = flags.indexCredentialsEnv ?? file.indexCredentialsEnv;
  return {
    positional: [...(flags.positional ?? [])],
    namesFiles: pick(flags.namesFiles, file.namesFiles, true),
    requirements: pick(flags.requirements, file.requirements, true),
    pyproject: pick(flags.pyproject, file.pyproject, true),
    fromIndex: pick(flags.fromIndex, file.fromIndex, false),
    ...(flags.fromIndex?.length || !file.fromIndex ? {} : { fromIndexInConfig: [...file.fromIndex] }),
    ...(flags.requirements?.length || !file.requirements || !config ? {} : { requirementsInConfig: { dir: dirname(config.file), files: [...file.requirements] } }),
    ...(credentialsEnv !== undefined ? { indexCredentialsEnv: credentialsEnv } : {}),
    include: pick(flags.include, file.include, false),
    exclude: pick(flags.exclude, file.exclude, false),
  };
}

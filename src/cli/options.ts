/**
 * Options shared by several commands, and their resolution into validated
 * library inputs. Precedence, per key: a flag beats `pypi-reserve.toml`, which
 * beats the default. Names sources are the exception that proves the rule: a
 * command line that names any source (names, -f, --requirements, --pyproject,
 * --from-index) replaces all of the file's sources, so `check foo` checks foo.
 * Every problem from every option and source is collected and reported at once.
 */
import { Option, type Command } from 'commander';
import { InputError, type Problem } from '../core/errors.js';
import {
  validatePlaceholderInput,
  type InputSources,
  type PlaceholderInput,
  type PlaceholderOptions,
} from '../core/metadata.js';
import { loadConfig } from '../config/load.js';
import type { ConfigValues } from '../config/types.js';
import { gatherNames, type GatheredNames } from '../sources/gather.js';
import { mergeNamesSpec } from '../sources/merge-spec.js';
import type { NamesSpec } from '../sources/spec.js';
import { printableLine } from '../core/text-rules.js';
import type { CliContext } from './context.js';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addConfigOption(cmd: Command): Command {
  return cmd.option('-c, --config <file>', 'read settings from this file (default: ./pypi-reserve.toml if present)');
}

export function addNamesOptions(cmd: Command): Command {
  addConfigOption(cmd);
  return cmd
    .argument('[names...]', 'project names to handle, in priority order')
    .option('-f, --names-file <file>', 'names, one per line (- for stdin); repeatable', collect, [])
    .option('--requirements <file>', 'project names from a pip requirements file (-r/-c followed); repeatable', collect, [])
    .option('--pyproject <file>', 'project names from pyproject.toml dependencies and dependency groups; repeatable', collect, [])
    .option('--from-index <url>', 'every project of a private simple index (PEP 691/503); repeatable', collect, [])
    .option('--index-credentials-env <var>', 'environment variable holding the private index credential (user:secret or a token)')
    .option('--include <glob>', 'keep only names matching this pattern (on the normalized name); repeatable', collect, [])
    .option('--exclude <glob>', 'drop names matching this pattern; repeatable', collect, [])
    .option('--verbose', 'list every name include/exclude left out (by default: how many, and the first few)');
}

export function addMetadataOptions(cmd: Command): Command {
  return cmd
    .option('--owner <text>', 'who holds the names (required): shown in every placeholder and error message')
    .option('--contact <email>', 'e-mail address people can reach the owner at')
    .option('--url <url>', 'http(s) page explaining the reservation')
    .option('--note <text>', 'one extra line for the placeholder description and error message')
    .addOption(new Option('--version <version>', 'placeholder version, PEP 440 public (default 0.0.0)'));
}

export interface NamesFlags {
  config?: string;
  namesFile?: string[];
  requirements?: string[];
  pyproject?: string[];
  fromIndex?: string[];
  indexCredentialsEnv?: string;
  include?: string[];
  exclude?: string[];
  verbose?: boolean;
}

export interface MetadataFlags {
  owner?: string;
  contact?: string;
  url?: string;
  note?: string;
  version?: string;
}

/** Loads the config file named by --config, or ./pypi-reserve.toml when it exists. */
export function loadRunConfig(flags: { config?: string }, ctx: CliContext): Promise<ConfigValues | undefined> {
  return loadConfig({ cwd: ctx.cwd, ...(flags.config !== undefined ? { path: flags.config } : {}) });
}

export function namesSpecFrom(positional: string[], flags: NamesFlags, config: ConfigValues | undefined, cwd: string): NamesSpec {
  const given = (list?: string[]) => list !== undefined && list.length > 0;
  const commandLineNamesSources =
    positional.length > 0 || given(flags.namesFile) || given(flags.requirements) || given(flags.pyproject) || given(flags.fromIndex);
  const effective: ConfigValues | undefined =
    config && commandLineNamesSources
      ? {
          ...config,
          sources: {
            ...(config.sources.include ? { include: config.sources.include } : {}),
            ...(config.sources.exclude ? { exclude: config.sources.exclude } : {}),
            ...(config.sources.indexCredentialsEnv ? { indexCredentialsEnv: config.sources.indexCredentialsEnv } : {}),
          },
        }
      : config;
  return mergeNamesSpec(
    {
      positional,
      namesFiles: flags.namesFile ?? [],
      requirements: flags.requirements ?? [],
      pyproject: flags.pyproject ?? [],
      fromIndex: flags.fromIndex ?? [],
      include: flags.include ?? [],
      exclude: flags.exclude ?? [],
      ...(flags.indexCredentialsEnv !== undefined ? { indexCredentialsEnv: flags.indexCredentialsEnv } : {}),
    },
    effective,
    cwd,
  );
}

export function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => (text += d));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** Runs several validations and throws one InputError with every problem found. */
export async function validateAll<T extends unknown[]>(
  ...steps: { [K in keyof T]: () => Promise<T[K]> | T[K] }
): Promise<T> {
  const problems: Problem[] = [];
  const results = [] as unknown[];
  for (const step of steps) {
    try {
      results.push(await step());
    } catch (err) {
      if (err instanceof InputError) problems.push(...err.problems);
      else throw err;
      results.push(undefined);
    }
  }
  if (problems.length) throw new InputError(problems);
  return results as T;
}

/**
 * Names from every source, for every command alike: a project given twice (in
 * any spelling) keeps its first place and the repeat is noted, never refused.
 */
export async function resolveNames(spec: NamesSpec, ctx: CliContext, options: { verbose?: boolean } = {}): Promise<GatheredNames> {
  const gathered = await gatherNames(spec, { cwd: ctx.cwd, env: ctx.env, readStdin: () => readNamesFromStdin(ctx), isSecret: (name) => ctx.secrets.isSecretName(name), readFile: ctx.readFile }, { duplicates: 'merge' });
  reportSources(gathered, ctx, options.verbose === true);
  return gathered;
}

/** Reads `-` from stdin; a person at a terminal is told why nothing happens yet. */
function readNamesFromStdin(ctx: CliContext): Promise<string> {
  if ((ctx.stdin as { isTTY?: boolean }).isTTY === true) {
    ctx.stderr.write('reading names from standard input, one per line (end with Ctrl-D)\n');
  }
  return readAll(ctx.stdin);
}

/** Names left out by include/exclude that the default output spells out; --verbose lists every one. */
const FILTERED_OUT_SHOWN = 5;
const FILTER_REASONS = { 'not-included': 'matches no include pattern', excluded: 'matches an exclude pattern' } as const;

/** What each source contributed, what was merged and what include/exclude left out, on stderr. */
function reportSources(gathered: GatheredNames, ctx: CliContext, verbose: boolean): void {
  const say = (line: string) => ctx.stderr.write(`${printableLine(line)}\n`);
  const onlyArguments = gathered.contributions.length === 1 && gathered.contributions[0]!.source === 'command line';
  if (!onlyArguments) {
    for (const c of gathered.contributions) {
      const extra = [c.filteredOut ? `${c.filteredOut} left out by include/exclude` : '', c.skipped ? `${c.skipped} lines naming no project` : '']
        .filter(Boolean)
        .join(', ');
      say(`names: ${c.source}: ${c.found} found, ${c.added} added${extra ? ` (${extra})` : ''}`);
    }
  }
  for (const m of gathered.merged) {
    say(`note: ${m.dropped.source}: '${m.dropped.name}' is the same project as '${m.kept.name}' (${m.kept.source}); kept once`);
  }
  const out = gathered.filteredOut;
  if (out.length === 0) return;
  const describe = (f: (typeof out)[number]) => `'${f.name}' (${f.source}: ${FILTER_REASONS[f.verdict]})`;
  if (verbose) {
    for (const f of out) say(`note: left out by include/exclude: ${describe(f)}`);
    return;
  }
  const shown = out.slice(0, FILTERED_OUT_SHOWN).map(describe).join(', ');
  const more = out.length - FILTERED_OUT_SHOWN;
  say(
    `note: ${out.length} name${out.length === 1 ? '' : 's'} left out by include/exclude: ${shown}${more > 0 ? `, and ${more} more (--verbose lists every one)` : ''}`,
  );
}

/** Metadata from flags over the config file, with each value's origin for messages. */
export function metadataInput(flags: MetadataFlags, config?: ConfigValues): { input: PlaceholderInput; sources: InputSources } {
  const input: PlaceholderInput = {};
  const sources: InputSources = {};
  for (const key of ['owner', 'contact', 'url', 'note', 'version'] as const) {
    if (flags[key] !== undefined) {
      input[key] = flags[key];
      sources[key] = `--${key}`;
    } else if (config?.[key] !== undefined) {
      input[key] = config[key];
      sources[key] = `${config.file}:${config.lines[key] ?? 1}`;
    }
  }
  if (input.owner === undefined && config) sources.owner = `--owner (or owner in ${config.file})`;
  return { input, sources };
}

export function resolvePlaceholderOptions(flags: MetadataFlags, config?: ConfigValues): PlaceholderOptions {
  const { input, sources } = metadataInput(flags, config);
  const { options, problems } = validatePlaceholderInput(input, sources);
  if (problems.length || !options) throw new InputError(problems);
  return options;
}

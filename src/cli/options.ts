/**
 * Options shared by several commands, and their resolution into validated
 * library inputs. Every problem from every option and source is collected
 * and reported at once.
 */
import { Option, type Command } from 'commander';
import { InputError, type Problem } from '../core/errors.js';
import { validatePlaceholderInput, type PlaceholderInput, type PlaceholderOptions, type InputSources } from '../core/metadata.js';
import { gatherNames, type GatheredNames } from '../sources/gather.js';
import type { NamesSpec } from '../sources/spec.js';
import type { CliContext } from './context.js';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addNamesOptions(cmd: Command): Command {
  return cmd
    .argument('[names...]', 'project names to handle, in priority order')
    .option('-f, --names-file <file>', 'read names from a file, one per line (- for stdin); repeatable', collect, []);
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
  namesFile?: string[];
}

export interface MetadataFlags {
  owner?: string;
  contact?: string;
  url?: string;
  note?: string;
  version?: string;
}

export function namesSpecFromFlags(positional: string[], flags: NamesFlags): NamesSpec {
  return {
    positional,
    namesFiles: flags.namesFile ?? [],
    requirements: [],
    pyproject: [],
    fromIndex: [],
    include: [],
    exclude: [],
  };
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

export async function resolveNames(
  spec: NamesSpec,
  ctx: CliContext,
  duplicates: 'error' | 'merge',
): Promise<GatheredNames> {
  return gatherNames(spec, { cwd: ctx.cwd, env: ctx.env, readStdin: () => readAll(ctx.stdin) }, { duplicates });
}

export function resolvePlaceholderOptions(input: PlaceholderInput, sources: InputSources = {}): PlaceholderOptions {
  const { options, problems } = validatePlaceholderInput(input, sources);
  if (problems.length || !options) throw new InputError(problems);
  return options;
}

export function metadataInput(flags: MetadataFlags): PlaceholderInput {
  return { owner: flags.owner, contact: flags.contact, url: flags.url, note: flags.note, version: flags.version };
}

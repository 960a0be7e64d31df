/**
 * The V8 settings the executable makes per command before the program loads
 * (cli/main.ts), as a pure function of V8's version, the flags the user gave
 * Node and the command, so each choice is a spec.
 */

/** V8's interrupt budget for the commands that wait on an index: 64 times V8 11's default (67,584). */
export const INDEX_COMMAND_INTERRUPT_BUDGET = 4_325_376;

/** The commands whose own code runs a little per name while they wait on an index. */
const WAITS_ON_INDEX: ReadonlySet<string> = new Set(['check', 'reserve', 'watch']);

export interface TieringChoice {
  /** Flags to set with v8.setFlagsFromString, in order. */
  flags: string[];
  /**
   * Whether the executable compiles undici's parser in the background from
   * the start (registry/parser-precompile.ts): for the commands that wait on
   * an index, with V8's lazy compilation of WebAssembly off, so that every
   * parser function is compiled there and none on the first answer.
   */
  precompileParser: boolean;
  /**
   * Names this set of flags for the code cache (cli/code-cache.ts): V8 rejects
   * a cache made under other flags, so each set keeps its own, and commands
   * that end up with the same flags share one.
   */
  cacheVariant: 'index' | 'local';
}

/**
 * - undici's llhttp stays Liftoff code (see cli/main.ts), unless the user set a
 *   wasm tiering or Liftoff flag.
 * - For the commands that wait on an index, a 64 times larger interrupt budget,
 *   so TurboFan optimises only code that keeps running. Only where V8 has that
 *   flag: V8 12 (Node 22) and later removed it, and setting an unknown flag
 *   prints an error. Not when the user set it.
 * - For the same commands on V8 12, baseline code only (`--max-opt=1`): their
 *   short-lived code gained nothing from Maglev and TurboFan either
 *   (`reserve` of 50 names on Node 22: 420 -> 340 ms of CPU). Not when the
 *   user set a ceiling.
 * - For the same commands, undici's parser compiled ahead with every function
 *   (registry/parser-precompile.ts).
 */
export function tieringFlags(v8Version: string, userFlags: string, command: string | undefined): TieringChoice {
  const flags: string[] = [];
  if (!/wasm[-_]tiering[-_]budget|liftoff/.test(userFlags)) flags.push('--liftoff-only', `--wasm-tiering-budget=${2 ** 31 - 1}`);
  const waitsOnIndex = command !== undefined && WAITS_ON_INDEX.has(command);
  const v8Major = Number.parseInt(v8Version, 10);
  const userBudget = /(^|\s)--interrupt[-_]budget(=|\s|$)/.test(userFlags);
  const delayTurbofan = waitsOnIndex && v8Major < 12 && !userBudget;
  if (delayTurbofan) flags.push(`--interrupt-budget=${INDEX_COMMAND_INTERRUPT_BUDGET}`);
  // V8 12 (Node 22) has no interrupt budget but takes a ceiling on the tiers at run time: baseline
  // code only, no Maglev or TurboFan. V8 13 (Node 24) ignores that flag once it has started.
  const baselineOnly = waitsOnIndex && v8Major === 12 && !/(^|\s)--max[-_]opt(=|\s|$)/.test(userFlags);
  if (baselineOnly) flags.push('--max-opt=1');
  // A lazy-compilation setting of the user's wins; the parser is still compiled ahead then.
  const eagerParser = waitsOnIndex && !/wasm[-_]lazy[-_]compilation/.test(userFlags);
  if (eagerParser) flags.push('--no-wasm-lazy-compilation');
  return { flags, precompileParser: waitsOnIndex, cacheVariant: delayTurbofan || baselineOnly || eagerParser ? 'index' : 'local' };
}

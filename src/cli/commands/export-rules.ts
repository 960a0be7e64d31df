/**
 * `pypi-reserve export-rules`: turns the list of private names into blocking
 * rules for the proxy in front of PyPI (Nexus routing rule, Artifactory excludes
 * pattern, plain regexes, or all of them as JSON). Nothing touches the network.
 */
import { resolve } from 'node:path';
import { Option } from 'commander';
import { EXIT, InputError, ReserveError, type Problem } from '../../core/errors.js';
import { writeAtomically } from '../../io/atomic-write.js';
import { NEXUS_NAME_RE } from '../../rules/nexus.js';
import { RULE_FORMATS, renderRules, type RuleFormat } from '../../rules/render.js';
import { addNamesOptions, loadRunConfig, namesSpecFrom, resolveNames, validateAll, type NamesFlags } from '../options.js';
import type { RegisterCommand } from './index.js';

interface ExportRulesFlags extends NamesFlags {
  format: RuleFormat;
  output?: string;
  combined?: boolean;
  ruleName?: string;
  description?: string;
}

/** Which formats each format-specific option changes; used to say when one is ignored. */
const OPTION_FORMATS: Record<'combined' | 'ruleName' | 'description', { flag: string; formats: RuleFormat[] }> = {
  combined: { flag: '--combined', formats: ['regex', 'nexus', 'json'] },
  ruleName: { flag: '--rule-name', formats: ['nexus', 'json'] },
  description: { flag: '--description', formats: ['nexus', 'json'] },
};

export const registerExportRules: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('export-rules')
    .description('print proxy rules that block the private names from the public index (Nexus, Artifactory, regex)');
  addNamesOptions(cmd);
  cmd
    .addOption(
      new Option('--format <format>', 'nexus routing rule, artifactory excludes pattern, regex lines, or json with all')
        .choices(RULE_FORMATS)
        .makeOptionMandatory(),
    )
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--combined', 'regex/nexus: one regex for all names instead of one per name')
    .option('--rule-name <name>', 'nexus/json: name of the routing rule (default pypi-reserve-private-names)')
    .option('--description <text>', 'nexus/json: description of the routing rule')
    .action(async (positional: string[], flags: ExportRulesFlags) => {
      const config = await loadRunConfig(flags, ctx);
      const [gathered] = await validateAll(
        () => resolveNames(namesSpecFrom(positional, flags, config, ctx.cwd), ctx, { verbose: flags.verbose === true }),
        () => checkRuleName(flags.ruleName),
      );
      for (const [key, { flag, formats }] of Object.entries(OPTION_FORMATS)) {
        if (flags[key as keyof typeof OPTION_FORMATS] !== undefined && !formats.includes(flags.format)) {
          ctx.stderr.write(`note: ${flag} has no effect on the ${flags.format} format\n`);
        }
      }
      const text = renderRules(gathered.names, flags.format, {
        combined: flags.combined === true,
        ...(flags.ruleName !== undefined ? { ruleName: flags.ruleName } : {}),
        ...(flags.description !== undefined ? { description: flags.description } : {}),
      });
      if (flags.output === undefined) {
        ctx.stdout.write(text);
      } else {
        const target = resolve(ctx.cwd, flags.output);
        try {
          await writeAtomically(target, text);
        } catch (err) {
          throw new ReserveError('E_OUTPUT_UNWRITABLE', `cannot write ${flags.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
            hint: 'check that the directory exists and is writable',
            cause: err,
          });
        }
        const n = gathered.names.length;
        ctx.stderr.write(`wrote ${flags.format} rules for ${n} name${n === 1 ? '' : 's'} to ${flags.output}\n`);
      }
      setExit(EXIT.OK);
    });
};

function checkRuleName(name: string | undefined): void {
  if (name === undefined || NEXUS_NAME_RE.test(name)) return;
  const problem: Problem = {
    code: 'E_RULE_NAME_INVALID',
    message: 'invalid routing rule name',
    value: name,
    source: '--rule-name',
    hint: "Nexus names use letters, digits, '-', '_' and '.', and do not start with '_' or '.'",
  };
  throw new InputError([problem]);
}

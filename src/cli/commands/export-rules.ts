/**
 * `pypi-reserve export-rules`: turns the list of private names into blocking
 * rules for the proxy in front of PyPI (Nexus routing rule, Artifactory excludes
 * pattern, CodeArtifact origin controls, plain regexes, or all of them as JSON)
 * or into client-side pins (uv, Poetry, PDM). Nothing touches the network.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Option } from 'commander';
import { EXIT, ReserveError, throwIfProblems } from '../../core/errors.js';
import { writeAtomically } from '../../io/atomic-write.js';
import { fsReason } from '../../io/fs-reason.js';
import { RULE_FORMATS, renderRules, renderRulesProblems, type RenderRulesOptions, type RuleFormat } from '../../rules/render.js';
import { addNamesOptions, loadRunConfig, namesSpecFrom, resolveNames, validateAll, type NamesFlags } from '../options.js';
import type { RegisterCommand } from './index.js';

interface ExportRulesFlags extends NamesFlags {
  format: RuleFormat;
  output?: string;
  combined?: boolean;
  ruleName?: string;
  description?: string;
  domain?: string;
  repository?: string;
  domainOwner?: string;
  privateIndex?: string;
  privateIndexName?: string;
}

type FormatOption = 'combined' | 'ruleName' | 'description' | 'domain' | 'repository' | 'domainOwner' | 'privateIndex' | 'privateIndexName';

/** Which formats each format-specific option changes; used to say when one is ignored. */
const OPTION_FORMATS: Record<FormatOption, { flag: string; formats: RuleFormat[] }> = {
  combined: { flag: '--combined', formats: ['regex', 'nexus', 'json'] },
  ruleName: { flag: '--rule-name', formats: ['nexus', 'json'] },
  description: { flag: '--description', formats: ['nexus', 'json'] },
  domain: { flag: '--domain', formats: ['codeartifact'] },
  repository: { flag: '--repository', formats: ['codeartifact'] },
  domainOwner: { flag: '--domain-owner', formats: ['codeartifact'] },
  privateIndex: { flag: '--private-index', formats: ['uv', 'poetry', 'pdm'] },
  privateIndexName: { flag: '--private-index-name', formats: ['uv', 'poetry', 'pdm'] },
};

export const registerExportRules: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('export-rules')
    .description('print proxy rules that block the private names from the public index (Nexus, Artifactory, CodeArtifact, regex) or client pins (uv, Poetry, PDM)');
  addNamesOptions(cmd);
  cmd
    .addOption(
      new Option(
        '--format <format>',
        'nexus routing rule, artifactory excludes pattern (or its artifactory-json body), codeartifact commands, regex lines, json with all; uv/poetry/pdm pyproject.toml pins',
      )
        .choices(RULE_FORMATS)
        .makeOptionMandatory(),
    )
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--combined', 'regex/nexus: one regex for all names instead of one per name')
    .option('--rule-name <name>', 'nexus/json: name of the routing rule (default pypi-reserve-private-names)')
    .option('--description <text>', 'nexus/json: description of the routing rule')
    .option('--domain <domain>', 'codeartifact: the CodeArtifact domain (default: $CODEARTIFACT_DOMAIN when the commands run)')
    .option('--repository <repository>', 'codeartifact: the CodeArtifact repository (default: $CODEARTIFACT_REPOSITORY when the commands run)')
    .option('--domain-owner <account-id>', 'codeartifact: the AWS account that owns the domain, when it is not yours')
    .option('--private-index <url>', 'uv/poetry/pdm: the private simple index the names are pinned to (no credentials in it)')
    .option('--private-index-name <name>', 'uv/poetry/pdm: the name the snippet gives that index (default private)')
    .action(async (positional: string[], flags: ExportRulesFlags) => {
      const config = await loadRunConfig(flags, ctx);
      const options = renderOptions(flags);
      const [gathered] = await validateAll(
        () => resolveNames(namesSpecFrom(positional, flags, config, ctx.cwd), ctx, { verbose: flags.verbose === true }),
        () => throwIfProblems(renderRulesProblems(flags.format, options)),
      );
      for (const [key, { flag, formats }] of Object.entries(OPTION_FORMATS)) {
        if (flags[key as keyof typeof OPTION_FORMATS] !== undefined && !formats.includes(flags.format)) {
          ctx.stderr.write(`note: ${flag} has no effect on the ${flags.format} format\n`);
        }
      }
      const text = renderRules(gathered.names, flags.format, options);
      if (flags.output === undefined) {
        ctx.stdout.write(text);
      } else {
        const target = resolve(ctx.cwd, flags.output);
        try {
          // Missing parent directories are created, as `build -o` creates its output directory.
          await mkdir(dirname(target), { recursive: true });
          await writeAtomically(target, text);
        } catch (err) {
          throw new ReserveError('E_OUTPUT_UNWRITABLE', `cannot write ${flags.output}: ${fsReason(err)}`, {
            hint: 'check that the path is a writable directory (or one that can be created) and a file name',
            cause: err,
          });
        }
        const n = gathered.names.length;
        ctx.stderr.write(`wrote ${flags.format} rules for ${n} name${n === 1 ? '' : 's'} to ${flags.output}\n`);
      }
      setExit(EXIT.OK);
    });
};

function renderOptions(flags: ExportRulesFlags): RenderRulesOptions {
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return defined({
    combined: flags.combined === true,
    ruleName: flags.ruleName,
    description: flags.description,
    codeArtifact: defined({ domain: flags.domain, repository: flags.repository, domainOwner: flags.domainOwner }),
    privateIndex: defined({ url: flags.privateIndex, name: flags.privateIndexName }),
  });
}

/**
 * Rules for index settings held in environment variables. They apply to every
 * pip or uv command run in that shell or CI job, which makes them easy to
 * forget. The same rules judge a variable set in this process's environment
 * (shown as `env:NAME`) and one assigned in a script, Dockerfile, Makefile,
 * CI file or `.env` file (shown at its file and line).
 */
import { ADVICE } from './advice.js';
import { makeFinding, splitUrlList, type FindingInput, type FindingSource } from './finding.js';
import { indexFinding } from './rules-pip.js';
import { UNSAFE_UV_STRATEGIES } from './rules-uv.js';
import type { Finding, FindingKind } from './types.js';

/** The variables that choose indexes or find-links locations for pip or uv. */
export const INDEX_VARIABLES = [
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_FIND_LINKS',
  'UV_INDEX_STRATEGY',
  'UV_INDEX',
  'UV_EXTRA_INDEX_URL',
  'UV_DEFAULT_INDEX',
  'UV_INDEX_URL',
  'UV_FIND_LINKS',
] as const;
export type IndexVariable = (typeof INDEX_VARIABLES)[number];

/** Variables naming requirements or constraints files pip reads (their index options apply). */
export const FILE_VARIABLES = ['PIP_REQUIREMENT', 'PIP_CONSTRAINT'] as const;

export function isIndexVariable(name: string): name is IndexVariable {
  return (INDEX_VARIABLES as readonly string[]).includes(name);
}

export function envFindings(env: NodeJS.ProcessEnv, source: Omit<FindingSource, 'file'>): Finding[] {
  const strategy = env.UV_INDEX_STRATEGY?.trim();
  const unsafeStrategy = strategy !== undefined && UNSAFE_UV_STRATEGIES.has(strategy) ? `${strategy} (UV_INDEX_STRATEGY)` : undefined;
  return INDEX_VARIABLES.flatMap((name) => {
    const value = env[name];
    if (value === undefined || value.trim() === '') return [];
    return variableFindings(name, value, { ...source, file: `env:${name}` }, null, 'env', unsafeStrategy);
  });
}

/**
 * Findings for one variable set to `value`. `unsafeStrategy` names a merging uv
 * index strategy in force alongside it (then uv's first-index reasoning does not hold).
 */
export function variableFindings(
  name: IndexVariable,
  value: string,
  source: FindingSource,
  line: number | null,
  kind: FindingKind,
  unsafeStrategy?: string,
): Finding[] {
  const at = (input: Omit<FindingInput, 'line' | 'kind' | 'setting' | 'value'>, shown = value.trim()): Finding =>
    makeFinding(source, { line, kind, setting: name, ...input, value: shown });
  switch (name) {
    case 'PIP_INDEX_URL':
      return splitUrlList(value).map((url) => indexFinding(source, kind, 'index-url', name, url, line));
    case 'PIP_EXTRA_INDEX_URL':
      return splitUrlList(value).map((url) => {
        const finding = indexFinding(source, kind, 'extra-index-url', name, url, line);
        return { ...finding, why: `${finding.why}; ${ADVICE.envPipExtra.why}` };
      });
    case 'PIP_FIND_LINKS':
      return splitUrlList(value).map((location) =>
        at({ severity: 'risky', why: ADVICE.pipFindLinks.why, fix: ADVICE.pipFindLinks.fix }, location),
      );
    case 'UV_FIND_LINKS':
      return splitUrlList(value).map((location) =>
        at({ severity: 'risky', why: ADVICE.uvFindLinks.why, fix: ADVICE.uvFindLinks.fix }, location),
      );
    case 'UV_INDEX_STRATEGY': {
      const strategy = value.trim();
      const unsafe = UNSAFE_UV_STRATEGIES.has(strategy);
      return [
        at({
          severity: unsafe ? 'risky' : 'info',
          why: unsafe ? ADVICE.uvUnsafeStrategy.why(strategy) : ADVICE.uvStrategySafe.why,
          fix: unsafe ? `unset ${name} (uv defaults to first-index) and pin private packages with [tool.uv.sources]` : null,
        }),
      ];
    }
    case 'UV_INDEX':
    case 'UV_EXTRA_INDEX_URL':
      // uv consults these before any configured index, and PyPI last.
      return splitUrlList(value).map((entry) => {
        const url = entry.replace(/^[A-Za-z0-9_.-]+=(?=[a-z][a-z0-9+.-]*:)/i, '');
        if (source.isPublic(url) && unsafeStrategy === undefined) {
          return at({ severity: 'risky', why: ADVICE.uvPublicFromEnv.why, fix: ADVICE.uvPublicFromEnv.fix }, entry);
        }
        return at(
          { severity: 'info', why: unsafeStrategy ? ADVICE.uvPrivateMerged.why(unsafeStrategy) : ADVICE.uvPrivateFirstIndex.why },
          entry,
        );
      });
    case 'UV_DEFAULT_INDEX':
    case 'UV_INDEX_URL': {
      const url = value.trim();
      return [at({ severity: 'info', why: source.isPublic(url) ? 'the default index is public PyPI' : ADVICE.uvDefault.why })];
    }
  }
}

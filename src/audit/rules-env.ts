/**
 * Rules for index settings held in environment variables. They apply to every
 * pip or uv command run in that shell or CI job, which makes them easy to
 * forget: each finding is shown as `env:NAME`.
 */
import { ADVICE } from './advice.js';
import { makeFinding, splitUrlList } from './finding.js';
import { isPublicIndex } from './public-index.js';
import { indexFinding } from './rules-pip.js';
import { UNSAFE_UV_STRATEGIES } from './rules-uv.js';
import type { Finding } from './types.js';

export function envFindings(env: NodeJS.ProcessEnv): Finding[] {
  const findings: Finding[] = [];
  const at = (name: string) => ({ file: `env:${name}` });

  for (const url of splitUrlList(env.PIP_INDEX_URL ?? '')) {
    findings.push(indexFinding(at('PIP_INDEX_URL'), 'env', 'index-url', 'PIP_INDEX_URL', url, null));
  }
  for (const url of splitUrlList(env.PIP_EXTRA_INDEX_URL ?? '')) {
    const finding = indexFinding(at('PIP_EXTRA_INDEX_URL'), 'env', 'extra-index-url', 'PIP_EXTRA_INDEX_URL', url, null);
    finding.why = `${finding.why}; ${ADVICE.envPipExtra.why}`;
    findings.push(finding);
  }

  const strategy = env.UV_INDEX_STRATEGY?.trim();
  const unsafe = strategy !== undefined && UNSAFE_UV_STRATEGIES.has(strategy);
  if (strategy) {
    findings.push(
      makeFinding(at('UV_INDEX_STRATEGY'), {
        line: null,
        kind: 'env',
        setting: 'UV_INDEX_STRATEGY',
        value: strategy,
        severity: unsafe ? 'risky' : 'info',
        why: unsafe ? ADVICE.uvUnsafeStrategy.why(strategy) : ADVICE.uvStrategySafe.why,
        fix: unsafe
          ? 'unset UV_INDEX_STRATEGY (uv defaults to first-index) and pin private packages with [tool.uv.sources]'
          : null,
      }),
    );
  }
  // uv consults UV_INDEX / UV_EXTRA_INDEX_URL entries before any configured index, PyPI last.
  for (const name of ['UV_INDEX', 'UV_EXTRA_INDEX_URL'] as const) {
    for (const entry of splitUrlList(env[name] ?? '')) {
      const url = entry.replace(/^[A-Za-z0-9_.-]+=(?=[a-z][a-z0-9+.-]*:)/i, '');
      findings.push(
        makeFinding(at(name), {
          line: null,
          kind: 'env',
          setting: name,
          value: entry,
          severity: 'info',
          why: unsafe
            ? ADVICE.uvPrivateMerged.why(`${strategy as string} (UV_INDEX_STRATEGY)`)
            : isPublicIndex(url)
              ? 'a public index consulted before every configured index: any private index in uv.toml or ' +
                'pyproject.toml comes after it, so PyPI shadows its names'
              : ADVICE.uvPrivateFirstIndex.why,
        }),
      );
    }
  }
  for (const name of ['UV_DEFAULT_INDEX', 'UV_INDEX_URL'] as const) {
    const url = env[name]?.trim();
    if (!url) continue;
    findings.push(
      makeFinding(at(name), {
        line: null,
        kind: 'env',
        setting: name,
        value: url,
        severity: 'info',
        why: isPublicIndex(url) ? 'the default index is public PyPI' : ADVICE.uvDefault.why,
      }),
    );
  }
  return findings;
}

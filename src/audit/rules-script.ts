/**
 * Index settings passed on a command line rather than in a config file:
 * Dockerfiles, shell scripts, Makefiles, CI workflows, tox.ini. These are read
 * line by line for the dangerous settings only (`--extra-index-url`,
 * `PIP_EXTRA_INDEX_URL=...`, `pip config set global.extra-index-url ...`, an
 * unsafe uv index strategy); a plain `--index-url` there is left alone.
 */
import { ADVICE } from './advice.js';
import { makeFinding, type FindingSource } from './finding.js';
import { UNSAFE_UV_STRATEGIES } from './rules-uv.js';
import type { Finding } from './types.js';

interface Pattern {
  setting: string;
  regex: RegExp;
  kind: 'pip-extra' | 'uv-strategy';
}

/** The value ends at whitespace, a quote, or a shell/YAML delimiter. */
const VALUE = String.raw`["']?([^\s"'\`;|&)]+)`;

const PATTERNS: Pattern[] = [
  { setting: '--extra-index-url', regex: new RegExp(String.raw`--extra-index-url(?:=|\s+)${VALUE}`, 'g'), kind: 'pip-extra' },
  { setting: 'PIP_EXTRA_INDEX_URL', regex: new RegExp(String.raw`\bPIP_EXTRA_INDEX_URL\s*[=:]\s*${VALUE}`, 'g'), kind: 'pip-extra' },
  {
    setting: 'pip config set extra-index-url',
    regex: new RegExp(String.raw`\bconfig\s+set\s+(?:--\S+\s+)*[A-Za-z]+\.extra[-_]index[-_]url\s+${VALUE}`, 'gi'),
    kind: 'pip-extra',
  },
  { setting: '--index-strategy', regex: new RegExp(String.raw`--index-strategy(?:=|\s+)${VALUE}`, 'g'), kind: 'uv-strategy' },
  { setting: 'UV_INDEX_STRATEGY', regex: new RegExp(String.raw`\bUV_INDEX_STRATEGY\s*[=:]\s*${VALUE}`, 'g'), kind: 'uv-strategy' },
];

export function scriptFindings(text: string, source: FindingSource): Finding[] {
  const findings: Finding[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((line, index) => {
      for (const pattern of PATTERNS) {
        for (const match of line.matchAll(pattern.regex)) {
          const value = match[1] as string;
          if (pattern.kind === 'pip-extra') {
            // `--extra-index-url $URL` and similar still merge indexes; only skip a literal option name in prose.
            if (value.startsWith('-')) continue;
            findings.push(
              makeFinding(source, {
                line: index + 1,
                kind: 'script',
                setting: pattern.setting,
                value,
                severity: 'risky',
                why: ADVICE.pipExtraIndex.why,
                fix: ADVICE.pipExtraIndex.fix,
              }),
            );
          } else if (UNSAFE_UV_STRATEGIES.has(value)) {
            findings.push(
              makeFinding(source, {
                line: index + 1,
                kind: 'script',
                setting: pattern.setting,
                value,
                severity: 'risky',
                why: ADVICE.uvUnsafeStrategy.why(value),
                fix: ADVICE.uvUnsafeStrategy.fix,
              }),
            );
          }
        }
      }
    });
  return findings;
}

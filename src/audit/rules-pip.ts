/**
 * Rules for pip's own settings: pip.conf / pip.ini options and the index
 * options of requirements files. pip has one dangerous setting, and it is
 * dangerous wherever it appears: `extra-index-url` merges indexes and picks the
 * highest version across them.
 */
import { ADVICE } from './advice.js';
import { makeFinding, splitUrlList, type FindingSource } from './finding.js';
import { normalizePipOptionName, type ParsedIni } from './ini.js';
import { isPublicIndex } from './public-index.js';
import type { ParsedRequirements } from './requirements.js';
import type { Finding, FindingKind } from './types.js';

/** One finding per URL of every `extra-index-url` / `index-url` option, at the line the URL is on. */
export function pipConfigFindings(parsed: ParsedIni, source: FindingSource): Finding[] {
  const findings: Finding[] = [];
  const mergesHere = parsed.options.some((o) => normalizePipOptionName(o.key) === 'extra-index-url' && o.values.length > 0);
  for (const option of parsed.options) {
    const name = normalizePipOptionName(option.key);
    if (name !== 'extra-index-url' && name !== 'index-url') continue;
    const setting = `${option.section}.${option.key}`;
    for (const valueLine of option.values) {
      for (const url of splitUrlList(valueLine.text)) {
        findings.push(indexFinding(source, 'pip-config', name, setting, url, valueLine.line, mergesHere));
      }
    }
  }
  return findings;
}

export function requirementsFindings(parsed: ParsedRequirements, source: FindingSource): Finding[] {
  const findings: Finding[] = [];
  const mergesHere = parsed.options.some((o) => o.option === 'extra-index-url');
  for (const option of parsed.options) {
    if (option.option === 'no-index') continue;
    findings.push(
      indexFinding(source, 'requirements', option.option, `--${option.option}`, option.value, option.line, mergesHere),
    );
  }
  return findings;
}

/** The classification shared by pip.conf, requirements files and PIP_* variables. */
export function indexFinding(
  source: FindingSource,
  kind: FindingKind,
  option: 'index-url' | 'extra-index-url',
  setting: string,
  url: string,
  line: number | null,
  /** The same file also adds extra indexes, so this one is not alone. */
  mergedHere = false,
): Finding {
  if (option === 'extra-index-url') {
    return makeFinding(source, {
      line,
      kind,
      setting,
      value: url,
      severity: 'risky',
      why: ADVICE.pipExtraIndex.why,
      fix: ADVICE.pipExtraIndex.fix,
    });
  }
  return makeFinding(source, {
    line,
    kind,
    setting,
    value: url,
    severity: 'info',
    why: mergedHere
      ? ADVICE.pipIndexMerged.why
      : isPublicIndex(url)
        ? ADVICE.pipIndexPublic.why
        : ADVICE.pipIndexPrivate.why,
  });
}

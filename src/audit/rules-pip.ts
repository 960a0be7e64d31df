/**
 * Rules for pip's own settings: pip.conf / pip.ini options and the index
 * options of requirements files. pip has one dangerous setting, and it is
 * dangerous wherever it appears: `extra-index-url` merges indexes and picks the
 * highest version across them.
 */
import { ADVICE } from './advice.js';
import { makeFinding, splitUrlList, type FindingSource } from './finding.js';
import { normalizePipOptionName, type ParsedIni } from './ini.js';
import type { ParsedRequirements } from './requirements.js';
import type { Finding, FindingKind } from './types.js';

/** One finding per URL of every `extra-index-url` / `index-url` / `find-links` option, at the line the URL is on. */
export function pipConfigFindings(parsed: ParsedIni, source: FindingSource): Finding[] {
  const findings: Finding[] = [];
  const named = (name: string) => parsed.options.filter((o) => normalizePipOptionName(o.key) === name);
  const mergesHere = named('extra-index-url').some((o) => o.values.length > 0);
  const noIndex = named('no-index').some((o) => o.values.some((v) => /^(?:1|true|yes|on)$/i.test(v.text)));
  for (const option of parsed.options) {
    const name = normalizePipOptionName(option.key);
    if (name !== 'extra-index-url' && name !== 'index-url' && name !== 'find-links') continue;
    const setting = `${option.section}.${option.key}`;
    for (const valueLine of option.values) {
      for (const url of splitUrlList(valueLine.text)) {
        findings.push(
          name === 'find-links'
            ? findLinksFinding(source, 'pip-config', setting, url, valueLine.line, noIndex)
            : indexFinding(source, 'pip-config', name, setting, url, valueLine.line, mergesHere),
        );
      }
    }
  }
  return findings;
}

/** The requirements and constraints files a pip.conf names: pip reads them, and their index options apply. */
export function pipConfigIncludes(parsed: ParsedIni): { kind: 'requirement' | 'constraint'; path: string; line: number }[] {
  return parsed.options.flatMap((option) => {
    const kind = normalizePipOptionName(option.key);
    if (kind !== 'requirement' && kind !== 'constraint') return [];
    return option.values.flatMap((v) => splitUrlList(v.text).map((path) => ({ kind, path, line: v.line })));
  });
}

export function requirementsFindings(parsed: ParsedRequirements, source: FindingSource): Finding[] {
  const findings: Finding[] = [];
  const mergesHere = parsed.options.some((o) => o.option === 'extra-index-url');
  const noIndex = parsed.options.some((o) => o.option === 'no-index');
  for (const option of parsed.options) {
    if (option.option === 'no-index') continue;
    if (option.option === 'find-links') {
      findings.push(findLinksFinding(source, 'requirements', '--find-links', option.value, option.line, noIndex));
      continue;
    }
    findings.push(
      indexFinding(source, 'requirements', option.option, `--${option.option}`, option.value, option.line, mergesHere),
    );
  }
  return findings;
}

/** A find-links location merges with the index unless the same file turns indexes off. */
export function findLinksFinding(
  source: FindingSource,
  kind: FindingKind,
  setting: string,
  location: string,
  line: number | null,
  noIndex: boolean,
): Finding {
  return noIndex
    ? makeFinding(source, { line, kind, setting, value: location, severity: 'info', why: ADVICE.pipFindLinksNoIndex.why })
    : makeFinding(source, {
        line,
        kind,
        setting,
        value: location,
        severity: 'risky',
        why: ADVICE.pipFindLinks.why,
        fix: ADVICE.pipFindLinks.fix,
      });
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
      : source.isPublic(url)
        ? ADVICE.pipIndexPublic.why
        : ADVICE.pipIndexPrivate.why,
  });
}

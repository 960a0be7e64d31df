/**
 * Rules for PDM's own configuration files: the project's `pdm.toml` and the
 * user's `~/.config/pdm/config.toml`. There `[pypi] url = ...` replaces PyPI
 * and every `[pypi.<name>] url = ...` table adds a source that PDM merges with
 * the others like a `[[tool.pdm.source]]` entry: the best version across all
 * of them wins.
 */
import { ADVICE } from './advice.js';
import { makeFinding, type FindingSource } from './finding.js';
import { isTable, type Table } from './table.js';
import type { TomlLineMap } from './toml-lines.js';
import type { Finding } from './types.js';

export interface PdmConfigSources {
  /** `pypi.url`: the index that replaces PyPI, when set. */
  pypiUrl?: string;
  /** `[pypi.<name>]` tables with a URL. */
  extra: { name: string; url: string; includePackages: string[] }[];
}

export function pdmConfigSources(doc: Table): PdmConfigSources {
  const pypi = isTable(doc.pypi) ? doc.pypi : {};
  const extra = Object.entries(pypi).flatMap(([name, value]) =>
    isTable(value) && typeof value.url === 'string'
      ? [{ name, url: value.url, includePackages: stringList(value.include_packages) }]
      : [],
  );
  return typeof pypi.url === 'string' ? { pypiUrl: pypi.url, extra } : { extra };
}

export function pdmConfigFindings(doc: Table, source: FindingSource, lines: TomlLineMap): Finding[] {
  const { pypiUrl, extra } = pdmConfigSources(doc);
  const findings: Finding[] = [];
  const pypiIsPublic = pypiUrl === undefined || source.isPublic(pypiUrl);
  if (pypiUrl !== undefined) {
    findings.push(
      makeFinding(source, {
        line: lines.lineOf('pypi.url') ?? null,
        kind: 'pdm',
        setting: 'pypi.url',
        value: pypiUrl,
        severity: 'info',
        why: pypiIsPublic ? 'the default index is public PyPI' : ADVICE.pdmReplacesPypi.why,
      }),
    );
  }
  for (const entry of extra) {
    const base = { line: lines.lineOf(`pypi.${entry.name}.url`) ?? null, kind: 'pdm' as const, setting: `[pypi.${entry.name}]`, value: entry.url };
    if (entry.includePackages.length > 0) {
      findings.push(makeFinding(source, { ...base, severity: 'info', why: ADVICE.pdmBound.why(entry.includePackages) }));
    } else if (!pypiIsPublic || source.isPublic(entry.url)) {
      findings.push(makeFinding(source, { ...base, severity: 'info', why: 'PyPI is replaced by the private index of pypi.url' }));
    } else {
      findings.push(makeFinding(source, { ...base, severity: 'risky', why: ADVICE.pdmMerged.why, fix: ADVICE.pdmConfigMerged.fix }));
    }
  }
  return findings;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

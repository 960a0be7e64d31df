/**
 * Rules for PDM's `[[tool.pdm.source]]` entries. PDM adds PyPI to the sources
 * unless one of them is named `pypi`, and by default treats all sources as
 * equal, taking the best version across them (like pip's extra-index-url).
 * A source is safe when it replaces PyPI, when private packages are bound to it
 * with `include_packages`, or when `respect-source-order` is on and it comes
 * before an explicitly listed PyPI.
 */
import { ADVICE } from './advice.js';
import { makeFinding, type FindingSource } from './finding.js';
import { isTable, type Table } from './table.js';
import type { TomlLineMap } from './toml-lines.js';
import type { Finding } from './types.js';

export function pdmFindings(pdm: Table, source: FindingSource, lines: TomlLineMap): Finding[] {
  const isPublicIndex = source.isPublic;
  const entries = Array.isArray(pdm.source) ? pdm.source : [];
  const resolution = isTable(pdm.resolution) ? pdm.resolution : {};
  const respectOrder = resolution['respect-source-order'] === true;
  const pypiEntry = entries.findIndex(
    (e: unknown) => isTable(e) && typeof e.name === 'string' && e.name.toLowerCase() === 'pypi',
  );
  const pypiReplacedByPrivate =
    pypiEntry !== -1 && !isPublicIndex(String((entries[pypiEntry] as Table).url ?? 'https://pypi.org/simple'));

  const findings: Finding[] = [];
  entries.forEach((entry: unknown, index: number) => {
    if (!isTable(entry) || typeof entry.url !== 'string') return;
    const name = typeof entry.name === 'string' ? entry.name : `#${index + 1}`;
    const base = {
      line: lines.lineOf(`tool.pdm.source[${index}].url`) ?? null,
      kind: 'pdm' as const,
      setting: `[[tool.pdm.source]] ${name}`,
      value: entry.url,
    };
    const include = Array.isArray(entry.include_packages)
      ? entry.include_packages.filter((p): p is string => typeof p === 'string')
      : [];
    if (name.toLowerCase() === 'pypi') {
      findings.push(
        makeFinding(source, {
          ...base,
          severity: 'info',
          why: isPublicIndex(entry.url) ? 'PyPI listed explicitly as a source' : ADVICE.pdmReplacesPypi.why,
        }),
      );
    } else if (isPublicIndex(entry.url) || include.length > 0) {
      findings.push(
        makeFinding(source, {
          ...base,
          severity: 'info',
          why: include.length > 0 ? ADVICE.pdmBound.why(include) : 'a public index',
        }),
      );
    } else if (pypiReplacedByPrivate) {
      findings.push(makeFinding(source, { ...base, severity: 'info', why: 'PyPI is replaced by a private source named `pypi`' }));
    } else if (respectOrder && pypiEntry > index) {
      findings.push(makeFinding(source, { ...base, severity: 'info', why: ADVICE.pdmOrdered.why }));
    } else {
      findings.push(makeFinding(source, { ...base, severity: 'risky', why: ADVICE.pdmMerged.why, fix: ADVICE.pdmMerged.fix }));
    }
  });
  return findings;
}

/**
 * Rules for Pipenv's `Pipfile` `[[source]]` entries. When it resolves, Pipenv
 * hands the sources to pip as one index and extra indexes, so a package not
 * pinned to a source with `index = "<name>"` is taken at the highest version
 * found on any of them: a private source next to PyPI merges like pip's
 * extra-index-url.
 */
import { ADVICE } from './advice.js';
import { makeFinding, type FindingSource } from './finding.js';
import { isTable, type Table } from './table.js';
import type { TomlLineMap } from './toml-lines.js';
import type { Finding } from './types.js';

export function pipfileFindings(doc: Table, source: FindingSource, lines: TomlLineMap): Finding[] {
  const sources = (Array.isArray(doc.source) ? doc.source : []).map((entry: unknown, index: number) => ({ entry, index }));
  const valid = sources.filter((s): s is { entry: Table; index: number } => isTable(s.entry) && typeof s.entry.url === 'string');
  const anyPublic = valid.some((s) => source.isPublic(s.entry.url as string));
  const pinned = pinnedPackages(doc);
  return valid.map(({ entry, index }) => {
    const url = entry.url as string;
    const name = typeof entry.name === 'string' ? entry.name : `#${index + 1}`;
    const base = { line: lines.lineOf(`source[${index}].url`) ?? null, kind: 'pipenv' as const, setting: `[[source]] ${name}`, value: url };
    if (source.isPublic(url)) return makeFinding(source, { ...base, severity: 'info', why: 'a public index' });
    if (!anyPublic) {
      return makeFinding(source, { ...base, severity: 'info', why: 'no public index among the sources: Pipenv looks only at private ones' });
    }
    const here = pinned.get(name.toLowerCase()) ?? [];
    return makeFinding(source, {
      ...base,
      severity: 'risky',
      why: ADVICE.pipenvMerged.why(here),
      fix: ADVICE.pipenvMerged.fix,
    });
  });
}

/** Source name (lower-cased) → packages pinned to it with `index = "..."` in [packages] or [dev-packages]. */
function pinnedPackages(doc: Table): Map<string, string[]> {
  const pinned = new Map<string, string[]>();
  for (const table of [doc.packages, doc['dev-packages']]) {
    if (!isTable(table)) continue;
    for (const [pkg, spec] of Object.entries(table)) {
      if (!isTable(spec) || typeof spec.index !== 'string') continue;
      const key = spec.index.toLowerCase();
      pinned.set(key, [...(pinned.get(key) ?? []), pkg]);
    }
  }
  return pinned;
}

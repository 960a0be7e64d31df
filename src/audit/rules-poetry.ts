/**
 * Rules for Poetry's `[[tool.poetry.source]]` entries.
 *
 * Poetry's order: primary sources (PyPI is implicitly primary only while no
 * other primary source exists), then supplemental ones; explicit sources only
 * serve dependencies pinned with `source = "<name>"`. Every primary (and the
 * deprecated secondary) source is searched for every dependency and the best
 * version wins across them; a supplemental source is searched only when
 * nothing above it has the package.
 * So a private source is exposed when PyPI is searched alongside or before it.
 */
import { ADVICE } from './advice.js';
import { makeFinding, type FindingSource } from './finding.js';
import { isTable, type Table } from './table.js';
import type { TomlLineMap } from './toml-lines.js';
import type { Finding } from './types.js';
type Priority = 'default' | 'primary' | 'secondary' | 'supplemental' | 'explicit';

interface PoetrySource {
  name: string;
  url: string;
  priority: Priority;
  isPypi: boolean;
  index: number;
}

export function poetryFindings(poetry: Table, source: FindingSource, lines: TomlLineMap): Finding[] {
  const isPublicIndex = source.isPublic;
  const entries = Array.isArray(poetry.source) ? poetry.source : [];
  const sources: PoetrySource[] = [];
  entries.forEach((entry: unknown, index: number) => {
    if (!isTable(entry) || typeof entry.name !== 'string') return;
    const url = typeof entry.url === 'string' ? entry.url : '';
    sources.push({
      name: entry.name,
      url,
      priority: priorityOf(entry),
      // PyPI is configured by name, without a URL.
      isPypi: entry.name.toLowerCase() === 'pypi' || (url !== '' && isPublicIndex(url)),
      index,
    });
  });
  if (sources.length === 0) return [];

  const pinned = poetryPinnedPackages(poetry);
  const pypi = sources.find((s) => s.isPypi);
  const anyPrivatePrimary = sources.some((s) => !s.isPypi && (s.priority === 'primary' || s.priority === 'default'));
  // Where PyPI sits: configured explicitly, implicitly primary, or disabled by another primary source.
  const pypiPriority: Priority | 'disabled' = pypi ? pypi.priority : anyPrivatePrimary ? 'disabled' : 'primary';

  const findings: Finding[] = [];
  for (const s of sources) {
    const line = lines.lineOf(`tool.poetry.source[${s.index}].url`) ?? lines.lineOf(`tool.poetry.source[${s.index}]`) ?? null;
    const base = {
      line,
      kind: 'poetry' as const,
      setting: `[[tool.poetry.source]] ${s.name} (priority ${s.priority})`,
      value: s.url || s.name,
    };
    const pinnedHere = pinned.get(s.name.toLowerCase()) ?? [];
    if (s.isPypi) {
      findings.push(makeFinding(source, { ...base, severity: 'info', why: ADVICE.poetryPypiSource.why }));
    } else if (s.priority === 'explicit') {
      findings.push(makeFinding(source, { ...base, severity: 'info', why: ADVICE.poetryExplicit.why(pinnedHere) }));
    } else if (s.priority === 'supplemental') {
      const pypiAbove =
        pypiPriority === 'primary' ||
        pypiPriority === 'default' ||
        pypiPriority === 'secondary' ||
        (pypiPriority === 'supplemental' && pypi !== undefined && pypi.index < s.index);
      findings.push(
        pypiAbove
          ? makeFinding(source, {
              ...base,
              severity: 'risky',
              why: ADVICE.poetrySupplemental.why(pinnedHere),
              fix: ADVICE.poetrySupplemental.fix,
            })
          : makeFinding(source, {
              ...base,
              severity: 'info',
              why: 'searched after the primary sources; PyPI is not searched before it',
            }),
      );
    } else if (pypiPriority === 'primary' || pypiPriority === 'default' || pypiPriority === 'secondary') {
      // A secondary source is merged like a primary one; only supplemental waits for the others to miss.
      const advice = s.priority === 'secondary' ? ADVICE.poetrySecondary : ADVICE.poetryPrimaryWithPypi;
      findings.push(makeFinding(source, { ...base, severity: 'risky', why: advice.why, fix: advice.fix }));
    } else {
      findings.push(makeFinding(source, { ...base, severity: 'info', why: ADVICE.poetryPrimaryOnly.why }));
    }
  }
  return findings;
}

/** `priority = ...`, or the pre-1.5 booleans `default = true` / `secondary = true`; primary when unset. */
function priorityOf(entry: Table): Priority {
  const p = entry.priority;
  if (p === 'default' || p === 'primary' || p === 'secondary' || p === 'supplemental' || p === 'explicit') return p;
  if (entry.default === true) return 'default';
  if (entry.secondary === true) return 'secondary';
  return 'primary';
}

/** Source name (lower-cased) → dependencies pinned to it, across main, dev and group dependency tables. */
export function poetryPinnedPackages(poetry: Table): Map<string, string[]> {
  const tables: unknown[] = [poetry.dependencies, poetry['dev-dependencies']];
  if (isTable(poetry.group)) {
    for (const group of Object.values(poetry.group)) if (isTable(group)) tables.push(group.dependencies);
  }
  const pinned = new Map<string, string[]>();
  for (const deps of tables) {
    if (!isTable(deps)) continue;
    for (const [pkg, spec] of Object.entries(deps)) {
      for (const entry of Array.isArray(spec) ? spec : [spec]) {
        if (!isTable(entry) || typeof entry.source !== 'string') continue;
        const key = entry.source.toLowerCase();
        const list = pinned.get(key) ?? [];
        if (!list.includes(pkg)) list.push(pkg);
        pinned.set(key, list);
      }
    }
  }
  return pinned;
}

/**
 * Rules for lock files, given the organisation's private names: a lock that
 * already resolves a private name from a public index installs whatever was
 * published there, whatever the index configuration says today.
 * - uv.lock: `source = { registry = "<url>" }` of the package;
 * - poetry.lock: no `[package.source]` means PyPI;
 * - pdm.lock: a file `url` on a public index or on files.pythonhosted.org
 *   (without URLs, PDM installs by hash, which an attacker cannot match).
 */
import { normalizeName } from '../core/names.js';
import { makeFinding, type FindingSource } from './finding.js';
import { isTable, type Table } from './table.js';
import type { TomlLineMap } from './toml-lines.js';
import type { Finding } from './types.js';

export type LockKind = 'uv.lock' | 'poetry.lock' | 'pdm.lock';

const WHY =
  'the lock file resolves this private name from a public index: every install from this lock takes the public ' +
  "project of that name, which is someone else's code unless you published it";
const FIX =
  'check who owns the name on the public index (`pypi-reserve check`), point the package at the private index ' +
  '(uv: [tool.uv.sources] with an explicit index; Poetry: `source = "<name>"`; PDM: include_packages), lock again, ' +
  'and reserve the name with `pypi-reserve reserve`';

/** PyPI's file host: a download URL there is PyPI, whatever index listed it. */
const PYPI_FILES = /^https?:\/\/files\.pythonhosted\.org\//i;

export function lockFindings(
  kind: LockKind,
  doc: Table,
  privateNames: ReadonlySet<string>,
  source: FindingSource,
  lines: TomlLineMap,
): Finding[] {
  const packages = Array.isArray(doc.package) ? doc.package : [];
  const findings: Finding[] = [];
  packages.forEach((pkg: unknown, i: number) => {
    if (!isTable(pkg) || typeof pkg.name !== 'string' || !privateNames.has(normalizeName(pkg.name))) return;
    const publicFrom = publicOrigin(kind, pkg, source);
    if (publicFrom === undefined) return;
    findings.push(
      makeFinding(source, {
        line: lines.lineOf(`package[${i}].name`) ?? null,
        kind: 'lock',
        setting: `${kind} ${pkg.name}`,
        value: publicFrom,
        severity: 'risky',
        why: WHY,
        fix: FIX,
      }),
    );
  });
  return findings;
}

/** The public location this package is locked to, or undefined when it comes from elsewhere. */
function publicOrigin(kind: LockKind, pkg: Table, source: FindingSource): string | undefined {
  switch (kind) {
    case 'uv.lock': {
      const registry = isTable(pkg.source) ? pkg.source.registry : undefined;
      return typeof registry === 'string' && source.isPublic(registry) ? registry : undefined;
    }
    case 'poetry.lock':
      return isTable(pkg.source) ? undefined : 'https://pypi.org/simple (no [package.source])';
    case 'pdm.lock': {
      const files = Array.isArray(pkg.files) ? pkg.files.filter(isTable) : [];
      const url = files.map((f) => f.url).find((u): u is string => typeof u === 'string' && (PYPI_FILES.test(u) || source.isPublic(u)));
      return url;
    }
  }
}

export function lockKindOf(name: string): LockKind | undefined {
  const lower = name.toLowerCase();
  return lower === 'uv.lock' || lower === 'poetry.lock' || lower === 'pdm.lock' ? lower : undefined;
}

/**
 * Rules for uv settings, read from `[tool.uv]` in pyproject.toml or from the
 * top level of uv.toml (and from their `pip` sub-table, used by `uv pip`).
 *
 * uv's default index strategy, first-index, takes each package only from the
 * first index that has it; PyPI, the default index, is consulted last. That is
 * safe for private names the private index has. What is dangerous:
 * - `index-strategy = "unsafe-best-match"` or `"unsafe-first-match"`: versions
 *   are merged across indexes, as pip does with extra-index-url;
 * - a public index consulted before a private one: PyPI wins for any name it has.
 */
import { ADVICE } from './advice.js';
import { makeFinding, type FindingSource } from './finding.js';
import { isTable, type Table } from './table.js';
import type { TomlLineMap } from './toml-lines.js';
import type { Finding } from './types.js';

/** The strategies that merge versions across indexes (uv's default is `first-index`). */
export const UNSAFE_UV_STRATEGIES: ReadonlySet<string> = new Set(['unsafe-best-match', 'unsafe-first-match']);

export interface UvContext {
  source: FindingSource;
  lines: TomlLineMap;
  /** Dotted path of the uv table in the document: `tool.uv` in pyproject.toml, `` in uv.toml. */
  tablePath: string;
  /** Index name → packages pinned to it in [tool.uv.sources]. */
  pinned: Map<string, string[]>;
}

export interface UvIndex {
  url: string;
  name: string | undefined;
  isDefault: boolean;
  explicit: boolean;
  /** HTTP statuses after which uv moves on to the next index (`ignore-error-codes`). */
  ignoreErrorCodes: number[];
  /** The line of `ignore-error-codes`, where its finding is reported. */
  ignoreErrorCodesLine?: number | null;
  setting: string;
  line: number | null;
}

export function uvFindings(uv: Table, ctx: UvContext): Finding[] {
  const findings = scopeFindings(uv, ctx, ctx.tablePath, true);
  const pip = uv.pip;
  // `uv pip` uses the top-level settings too, unless its [pip] table sets them itself.
  const inherited = typeof uv['index-strategy'] === 'string' ? uv['index-strategy'] : undefined;
  if (isTable(pip)) findings.push(...scopeFindings(pip, ctx, join(ctx.tablePath, 'pip'), false, inherited));
  return findings;
}

/** One scope: the uv table itself (with `[[index]]`) or its `pip` sub-table (pip-style keys only). */
function scopeFindings(table: Table, ctx: UvContext, path: string, withIndexTables: boolean, inheritedStrategy?: string): Finding[] {
  const isPublicIndex = ctx.source.isPublic;
  const findings: Finding[] = [];
  const lineOf = (key: string): number | null => ctx.lines.lineOf(join(path, key)) ?? null;

  const strategyValue = table['index-strategy'];
  const strategy = typeof strategyValue === 'string' ? strategyValue : (inheritedStrategy ?? 'first-index');
  const unsafe = UNSAFE_UV_STRATEGIES.has(strategy);
  if (typeof strategyValue === 'string') {
    findings.push(
      makeFinding(ctx.source, {
        line: lineOf('index-strategy'),
        kind: 'uv',
        setting: join(path, 'index-strategy'),
        value: strategy,
        severity: unsafe ? 'risky' : 'info',
        why: unsafe ? ADVICE.uvUnsafeStrategy.why(strategy) : ADVICE.uvStrategySafe.why,
        fix: unsafe ? ADVICE.uvUnsafeStrategy.fix : null,
      }),
    );
  }

  const findLinks = table['find-links'];
  if (Array.isArray(findLinks)) {
    for (const location of findLinks) {
      if (typeof location !== 'string') continue;
      findings.push(
        makeFinding(ctx.source, {
          line: lineOf('find-links'),
          kind: 'uv',
          setting: join(path, 'find-links'),
          value: location,
          severity: 'risky',
          why: ADVICE.uvFindLinks.why,
          fix: ADVICE.uvFindLinks.fix,
        }),
      );
    }
  }

  const indexes = collectIndexes(table, path, withIndexTables, lineOf, ctx.lines);
  // The order uv consults them in: non-default indexes as defined, the default index last.
  const searched = [
    ...indexes.filter((i) => !i.isDefault && !i.explicit),
    ...indexes.filter((i) => i.isDefault && !i.explicit),
  ];
  const privateDefaultConfigured = searched.some((i) => i.isDefault && !isPublicIndex(i.url));

  for (const index of indexes) {
    const publicIndex = isPublicIndex(index.url);
    const base = { line: index.line, kind: 'uv' as const, setting: index.setting, value: index.url };
    if (index.explicit) {
      const pinned = index.name ? (ctx.pinned.get(index.name) ?? []) : [];
      findings.push(makeFinding(ctx.source, { ...base, severity: 'info', why: ADVICE.uvExplicit.why(pinned) }));
      continue;
    }
    // A 401/403 from this private index sends uv on to the next one (PyPI): risky whatever else this index's
    // finding says (an unsafe strategy or a public index before it must not hide it), at its own line.
    const ignoresAuth = !publicIndex && !index.isDefault && index.ignoreErrorCodes.some((c) => c === 401 || c === 403) && !privateDefaultConfigured;
    const ignoreFinding = () =>
      makeFinding(ctx.source, {
        ...base,
        line: index.ignoreErrorCodesLine ?? base.line,
        setting: `${index.setting} ignore-error-codes`,
        severity: 'risky',
        why: ADVICE.uvIgnoreAuthErrors.why,
        fix: ADVICE.uvIgnoreAuthErrors.fix,
      });
    const before = findings.length;
    const position = searched.indexOf(index);
    const laterPrivate = searched.slice(position + 1).find((i) => !isPublicIndex(i.url));
    const earlierPublic = searched.slice(0, Math.max(position, 0)).find((i) => isPublicIndex(i.url));
    if (publicIndex && laterPrivate && !unsafe) {
      findings.push(
        makeFinding(ctx.source, {
          ...base,
          severity: 'risky',
          why: ADVICE.uvPublicBeforePrivate.why(laterPrivate.name ?? laterPrivate.url),
          fix: ADVICE.uvPublicBeforePrivate.fix,
        }),
      );
    } else if (unsafe) {
      findings.push(makeFinding(ctx.source, { ...base, severity: 'info', why: ADVICE.uvPrivateMerged.why(strategy) }));
    } else if (index.isDefault) {
      findings.push(
        makeFinding(ctx.source, {
          ...base,
          severity: 'info',
          why: publicIndex ? 'the default index is public PyPI' : ADVICE.uvDefault.why,
        }),
      );
    } else if (ignoresAuth) {
      findings.push(ignoreFinding());
    } else if (!publicIndex && earlierPublic) {
      // The public index's own finding carries the risk; this one only says why it is not protected.
      findings.push(
        makeFinding(ctx.source, {
          ...base,
          severity: 'info',
          why: `consulted after ${earlierPublic.name ?? earlierPublic.url}, a public index (see that finding): names it has are taken from it`,
        }),
      );
    } else if (!publicIndex) {
      findings.push(
        makeFinding(ctx.source, {
          ...base,
          severity: 'info',
          why: privateDefaultConfigured
            ? 'consulted before the default index; PyPI is not used because a private default index replaces it'
            : ADVICE.uvPrivateFirstIndex.why,
        }),
      );
    } else {
      findings.push(
        makeFinding(ctx.source, { ...base, severity: 'info', why: 'a public index; no private index is consulted after it here' }),
      );
    }
    if (ignoresAuth && !findings.slice(before).some((f) => f.setting.endsWith(' ignore-error-codes'))) findings.push(ignoreFinding());
  }
  return findings;
}

export function collectIndexes(
  table: Table,
  path: string,
  withIndexTables: boolean,
  lineOf: (key: string) => number | null,
  lines: TomlLineMap,
): UvIndex[] {
  const indexes: UvIndex[] = [];
  if (withIndexTables && Array.isArray(table.index)) {
    table.index.forEach((entry: unknown, i: number) => {
      if (!isTable(entry) || typeof entry.url !== 'string') return;
      const name = typeof entry.name === 'string' ? entry.name : undefined;
      indexes.push({
        url: entry.url,
        name,
        isDefault: entry.default === true,
        explicit: entry.explicit === true,
        ignoreErrorCodes: Array.isArray(entry['ignore-error-codes'])
          ? entry['ignore-error-codes'].map(Number).filter((n) => Number.isInteger(n))
          : [],
        setting: `[[${join(path, 'index')}]]${name ? ` ${name}` : ''}`,
        line: lines.lineOf(`${join(path, 'index')}[${i}].url`) ?? null,
        ignoreErrorCodesLine: lines.lineOf(`${join(path, 'index')}[${i}].ignore-error-codes`) ?? null,
      });
    });
  }
  const extra = table['extra-index-url'];
  if (Array.isArray(extra)) {
    for (const url of extra) {
      if (typeof url !== 'string') continue;
      const setting = join(path, 'extra-index-url');
      indexes.push({ url, name: undefined, isDefault: false, explicit: false, ignoreErrorCodes: [], setting, line: lineOf('extra-index-url') });
    }
  }
  const indexUrl = table['index-url'];
  if (typeof indexUrl === 'string') {
    const setting = join(path, 'index-url');
    indexes.push({ url: indexUrl, name: undefined, isDefault: true, explicit: false, ignoreErrorCodes: [], setting, line: lineOf('index-url') });
  }
  return indexes;
}

/** Package names pinned to each named index in `[tool.uv.sources]` (`pkg = { index = "name" }` or a list of such). */
export function uvPinnedPackages(sources: unknown): Map<string, string[]> {
  const pinned = new Map<string, string[]>();
  if (!isTable(sources)) return pinned;
  for (const [pkg, spec] of Object.entries(sources)) {
    for (const entry of Array.isArray(spec) ? spec : [spec]) {
      if (isTable(entry) && typeof entry.index === 'string') {
        const list = pinned.get(entry.index) ?? [];
        if (!list.includes(pkg)) list.push(pkg);
        pinned.set(entry.index, list);
      }
    }
  }
  return pinned;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

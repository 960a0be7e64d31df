/**
 * Renders an audit report for people or machines (stable JSON). For people,
 * findings are grouped by file and each distinct explanation is printed once,
 * numbered, with the places it applies to: a tree with twenty extra indexes
 * reads as one problem in twenty places, not twenty paragraphs. Every rendered
 * string passes through the redaction once more, so no code path can print a
 * credential.
 */
import { redactSecrets } from '../core/redact-url.js';
import type { EffectiveLocations, InstallerLocations } from './effective.js';
import type { AuditReport, Finding } from './types.js';

/** The findings, the explanations, what was read and the summary, for stdout. */
export function formatReportText(report: AuditReport): string {
  const advice = numberAdvice(report.findings);
  const sections: string[] = [];
  for (const [file, findings] of groupByFile(report.findings)) {
    const first = findings[0] as Finding;
    const about = [first.level === undefined ? '' : `${first.level} configuration`, first.note ?? ''].filter(Boolean).join('; ');
    const lines = [`${file}${about ? `  (${about})` : ''}`];
    for (const f of findings) {
      const at = f.line === null ? '' : `${f.line}: `;
      lines.push(`  ${at}${f.severity}  ${f.setting} = ${f.value}  [${advice.numberOf(f)}]`);
    }
    sections.push(lines.join('\n'));
  }
  const explanations = advice.entries.map(({ why, fix, places }, i) => {
    const lines = [`[${i + 1}] ${why}`];
    if (fix) lines.push(`    fix: ${fix}`);
    lines.push(`    at: ${places.join(', ')}`);
    return lines.join('\n');
  });
  const blocks = [sections.join('\n'), explanations.join('\n')].filter((b) => b !== '');
  const out = blocks.map((b) => `${b}\n\n`).join('');
  return redactSecrets(`${out}${formatRead(report)}\n${formatSummary(report)}\n`);
}

const INSTALLER_LABELS: Record<keyof EffectiveLocations, string> = { pip: 'pip', uv: 'uv', poetry: 'Poetry', pdm: 'PDM' };

/** `--effective`: per installer, the indexes and find-links locations it will use, in order. */
export function formatEffectiveText(effective: EffectiveLocations): string {
  const lines = ['effective index locations (what each installer will use, in order):'];
  for (const key of Object.keys(INSTALLER_LABELS) as (keyof EffectiveLocations)[]) {
    const locations: InstallerLocations | undefined = effective[key];
    if (locations === undefined) continue;
    const label = `  ${INSTALLER_LABELS[key]}:`.padEnd(10);
    const pad = ' '.repeat(10);
    lines.push(`${label}indexes: ${locations.indexes.length > 0 ? locations.indexes.join(', ') : '(none)'}`);
    if (locations.findLinks.length > 0) lines.push(`${pad}links:   ${locations.findLinks.join(', ')}`);
    if (locations.explicit && locations.explicit.length > 0) lines.push(`${pad}pinned packages only: ${locations.explicit.join(', ')}`);
  }
  return redactSecrets(`${lines.join('\n')}\n\n`);
}

/** Parse errors, warnings and notes, for stderr. */
export function formatDiagnostics(report: AuditReport): string {
  const lines = [
    ...report.errors.map((e) => `error: ${e.line === null ? e.file : `${e.file}:${e.line}`}: ${e.message}`),
    ...report.warnings.map((w) => `warning: ${w.file === null ? '' : `${w.file}: `}${w.message}`),
    ...report.notes.map((n) => `note: ${n.file === null ? '' : `${n.file}: `}${n.message}`),
  ];
  return redactSecrets(lines.map((l) => `${l}\n`).join(''));
}

export function formatReportJson(report: AuditReport, extra: Record<string, unknown> = {}): string {
  const json = {
    findings: report.findings.map((f) => ({
      file: f.file,
      line: f.line,
      kind: f.kind,
      setting: f.setting,
      value: f.value,
      severity: f.severity,
      why: f.why,
      fix: f.fix,
      ...(f.level === undefined ? {} : { level: f.level }),
      ...(f.note === undefined ? {} : { note: f.note }),
    })),
    errors: report.errors,
    warnings: report.warnings,
    notes: report.notes,
    read: report.read,
    ...extra,
    summary: report.summary,
  };
  return redactSecrets(`${JSON.stringify(json, null, 2)}\n`);
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.file, [...(groups.get(f.file) ?? []), f]);
  // Within a file, in line order (a stable sort keeps the rules' order on one line; findings without a line last).
  for (const [file, list] of groups) groups.set(file, [...list].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)));
  return groups;
}

interface Advice {
  why: string;
  fix: string | null;
  places: string[];
}

/** Each distinct why/fix pair, numbered in order of first use, with the places it applies to. */
function numberAdvice(findings: readonly Finding[]): { entries: Advice[]; numberOf: (f: Finding) => number } {
  const entries: Advice[] = [];
  const index = new Map<string, number>();
  const keyOf = (f: Finding): string => `${f.why}\u0000${f.fix ?? ''}`;
  for (const f of findings) {
    const key = keyOf(f);
    let n = index.get(key);
    if (n === undefined) {
      n = entries.push({ why: f.why, fix: f.fix, places: [] });
      index.set(key, n);
    }
    const place = f.line === null ? f.file : `${f.file}:${f.line}`;
    const places = (entries[n - 1] as Advice).places;
    if (!places.includes(place)) places.push(place);
  }
  return { entries, numberOf: (f) => index.get(keyOf(f)) as number };
}

function formatRead(report: AuditReport): string {
  return report.read.length === 0 ? 'read: nothing' : `read: ${report.read.join(', ')}`;
}

function formatSummary(report: AuditReport): string {
  const { risky, info, files } = report.summary;
  const parts = [`${risky} risky, ${info} info in ${files} file${files === 1 ? '' : 's'}`];
  if (report.errors.length > 0) {
    const n = new Set(report.errors.map((e) => e.file)).size;
    parts.push(`${n} file${n === 1 ? '' : 's'} could not be parsed or read (see stderr)`);
  }
  const verdict =
    risky > 0 || report.errors.length > 0
      ? 'needs attention'
      : report.summary.incomplete
        ? 'no risky index configuration found in what was scanned (the scan was cut short, see stderr)'
        : 'no risky index configuration found';
  return `audit: ${parts.join('; ')}: ${verdict}`;
}

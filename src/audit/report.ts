/**
 * Renders an audit report for people (one block per finding, a summary line)
 * or machines (stable JSON). Every rendered string passes through the
 * redaction once more, so no code path can print a credential.
 */
import { redactSecrets } from '../core/redact-url.js';
import type { AuditReport, Finding } from './types.js';

/** The findings and the summary, for stdout. */
export function formatReportText(report: AuditReport): string {
  const blocks = report.findings.map(formatFinding);
  const out = blocks.length > 0 ? `${blocks.join('\n')}\n` : '';
  return redactSecrets(`${out}${formatSummary(report)}\n`);
}

/** Parse errors and warnings, for stderr. */
export function formatDiagnostics(report: AuditReport): string {
  const lines = [
    ...report.errors.map((e) => `error: ${e.line === null ? e.file : `${e.file}:${e.line}`}: ${e.message}`),
    ...report.warnings.map((w) => `warning: ${w.file === null ? '' : `${w.file}: `}${w.message}`),
  ];
  return redactSecrets(lines.map((l) => `${l}\n`).join(''));
}

export function formatReportJson(report: AuditReport): string {
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
    })),
    errors: report.errors,
    warnings: report.warnings,
    summary: report.summary,
  };
  return redactSecrets(`${JSON.stringify(json, null, 2)}\n`);
}

function formatFinding(f: Finding): string {
  const where = f.line === null ? f.file : `${f.file}:${f.line}`;
  const level = f.level === undefined ? '' : `  (${f.level} configuration)`;
  const lines = [`${where}  [${f.severity}] ${f.setting} = ${f.value}${level}`, `  why: ${f.why}`];
  if (f.fix) lines.push(`  fix: ${f.fix}`);
  return `${lines.join('\n')}\n`;
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

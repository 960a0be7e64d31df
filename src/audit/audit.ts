/**
 * The audit: gathers every place that can configure a Python package index
 * (machine-level pip and uv files, environment variables, and the files under
 * the given paths), parses each with its own parser, applies the rules, and
 * returns one report. A file that cannot be parsed becomes an error entry and
 * the audit goes on with the others.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep, basename } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { InputError, type Problem } from '../core/errors.js';
import { formatForExplicitFile } from './file-kinds.js';
import type { FindingSource } from './finding.js';
import { parseIni } from './ini.js';
import { pipConfigLocations, uvConfigLocations, type LocationOptions } from './locations.js';
import { redactSecrets } from '../core/redact-url.js';
import { parseRequirementsText } from './requirements.js';
import { envFindings } from './rules-env.js';
import { pdmFindings } from './rules-pdm.js';
import { pipConfigFindings, requirementsFindings } from './rules-pip.js';
import { poetryFindings } from './rules-poetry.js';
import { scriptFindings } from './rules-script.js';
import { uvFindings, uvPinnedPackages } from './rules-uv.js';
import { isTable } from './table.js';
import { DEFAULT_SCAN_LIMITS, scanDirectory, type ScanLimits } from './scan.js';
import { mapTomlLines } from './toml-lines.js';
import type { AuditError, AuditReport, AuditTarget, AuditWarning, Finding } from './types.js';

export interface AuditOptions {
  /** Directories to scan or files to audit; relative to cwd. Empty: the current directory. */
  paths: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Filesystem root for fixed system paths such as /etc/pip.conf. Default `/`. */
  root?: string;
  /** Audit this machine's pip/uv configuration files and PIP_* / UV_* variables. Default true. */
  machine?: boolean;
  limits?: ScanLimits;
}

/** Files larger than this are not configuration: skipped with a warning. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Checks the paths, then audits. Throws InputError (all missing paths at once) before reading anything. */
export async function auditIndexConfiguration(options: AuditOptions): Promise<AuditReport> {
  const starts = await checkPaths(options);
  const findings: Finding[] = [];
  const errors: AuditError[] = [];
  const warnings: AuditWarning[] = [];
  const display = (path: string): string => displayPath(path, options.cwd);
  const audited = new Set<string>();
  let files = 0;
  let incomplete = false;

  /** Reads one target; missing files at machine locations are normal and silent. */
  const auditTarget = async (target: AuditTarget, optional: boolean): Promise<void> => {
    const path = resolve(options.cwd, target.path);
    if (audited.has(path)) return;
    audited.add(path);
    const file = display(path);
    let text: string;
    try {
      const info = await stat(path);
      if (!info.isFile()) return;
      if (info.size > MAX_FILE_BYTES) {
        warnings.push({ file, message: `skipped: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` });
        return;
      }
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (optional && (code === 'ENOENT' || code === 'ENOTDIR')) return;
      errors.push({ file, line: null, message: `cannot read: ${code ?? (err as Error).message}` });
      return;
    }
    files++;
    const source: FindingSource = { file };
    if (target.level !== undefined) source.level = target.level;
    if (target.note !== undefined) source.note = target.note;
    const result = auditText(text, target, source);
    findings.push(...result.findings);
    errors.push(...result.errors.map((e) => ({ file, line: e.line, message: redactSecrets(e.message) })));
    for (const include of result.includes) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(include.path)) {
        warnings.push({ file: `${file}:${include.line}`, message: `remote include not followed: ${redactSecrets(include.path)}` });
        continue;
      }
      const included = resolve(dirname(path), include.path);
      try {
        await stat(included);
      } catch {
        errors.push({ file, line: include.line, message: `included file not found: ${redactSecrets(include.path)}` });
        continue;
      }
      await auditTarget({ path: included, format: 'requirements' }, false);
    }
  };

  if (options.machine !== false) {
    const locationOptions: LocationOptions = { env: options.env, platform: options.platform, root: options.root ?? '/' };
    const configFile = options.env.PIP_CONFIG_FILE;
    const pip = pipConfigLocations(locationOptions, configFile ? await isFile(resolve(options.cwd, configFile)) : false);
    if (pip.disabled) {
      warnings.push({ file: 'env:PIP_CONFIG_FILE', message: 'is os.devnull: pip reads no configuration file, none was audited' });
    }
    for (const target of pip.targets) await auditTarget(target, target.level !== 'PIP_CONFIG_FILE');
    findings.push(...envFindings(options.env));
    for (const target of uvConfigLocations(locationOptions)) await auditTarget(target, target.level !== 'UV_CONFIG_FILE');
  }

  for (const start of starts) {
    if (start.kind === 'file') {
      await auditTarget({ path: start.path, format: formatForExplicitFile(basename(start.path)) }, false);
      continue;
    }
    const scan = await scanDirectory(start.path, options.limits ?? DEFAULT_SCAN_LIMITS);
    if (scan.truncated) {
      incomplete = true;
      warnings.push({ file: display(start.path), message: scan.truncated });
    }
    for (const target of scan.targets) await auditTarget(target, false);
  }

  return {
    findings,
    errors,
    warnings,
    summary: {
      risky: findings.filter((f) => f.severity === 'risky').length,
      info: findings.filter((f) => f.severity === 'info').length,
      files,
      incomplete,
    },
  };
}

interface TextAudit {
  findings: Finding[];
  errors: { line: number | null; message: string }[];
  includes: { path: string; line: number }[];
}

/** Parses one file's text with the parser for its format and applies the matching rules. Pure. */
export function auditText(text: string, target: Pick<AuditTarget, 'format'>, source: FindingSource): TextAudit {
  switch (target.format) {
    case 'pip-conf': {
      const parsed = parseIni(text);
      return { findings: pipConfigFindings(parsed, source), errors: parsed.problems, includes: [] };
    }
    case 'requirements': {
      const parsed = parseRequirementsText(text);
      return { findings: requirementsFindings(parsed, source), errors: parsed.errors, includes: parsed.includes };
    }
    case 'script':
      return { findings: scriptFindings(text, source), errors: [], includes: [] };
    case 'pyproject':
    case 'uv-toml':
      return auditToml(text, target.format, source);
  }
}

function auditToml(text: string, format: 'pyproject' | 'uv-toml', source: FindingSource): TextAudit {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      // The message carries a code excerpt of the file after a blank line; keep only the first line.
      const message = (err.message.split('\n')[0] ?? 'invalid TOML').replace(/^Invalid TOML document: /, '');
      return { findings: [], errors: [{ line: err.line, message: `invalid TOML: ${message} (column ${err.column})` }], includes: [] };
    }
    return { findings: [], errors: [{ line: null, message: `invalid TOML: ${(err as Error).message}` }], includes: [] };
  }
  const lines = mapTomlLines(text);
  if (format === 'uv-toml') {
    return { findings: uvFindings(doc, { source, lines, tablePath: '', pinned: new Map() }), errors: [], includes: [] };
  }
  const tool = isTable(doc.tool) ? doc.tool : {};
  const findings: Finding[] = [];
  if (isTable(tool.uv)) {
    findings.push(...uvFindings(tool.uv, { source, lines, tablePath: 'tool.uv', pinned: uvPinnedPackages(tool.uv.sources) }));
  }
  if (isTable(tool.poetry)) findings.push(...poetryFindings(tool.poetry, source, lines));
  if (isTable(tool.pdm)) findings.push(...pdmFindings(tool.pdm, source, lines));
  return { findings, errors: [], includes: [] };
}

type Start = { kind: 'file' | 'dir'; path: string };

async function checkPaths(options: AuditOptions): Promise<Start[]> {
  const given = options.paths.length > 0 ? options.paths : ['.'];
  const problems: Problem[] = [];
  const starts: Start[] = [];
  for (const [i, raw] of given.entries()) {
    const path = resolve(options.cwd, raw);
    try {
      const info = await stat(path);
      starts.push({ kind: info.isDirectory() ? 'dir' : 'file', path });
    } catch (err) {
      problems.push({
        code: 'E_AUDIT_PATH',
        message: `cannot audit this path: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        value: raw,
        source: `argument ${i + 1}`,
      });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return starts;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Relative to cwd when inside it (shorter, and stable in CI logs), absolute otherwise. */
function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel) ? rel : path;
}

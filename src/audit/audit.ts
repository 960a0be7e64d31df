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
import { fsReason } from '../io/fs-reason.js';
import { formatForExplicitFile } from './file-kinds.js';
import { splitUrlList, type FindingSource } from './finding.js';
import { parseIni } from './ini.js';
import { pdmConfigLocation, pipConfigLocations, uvConfigLocations, type LocationOptions } from './locations.js';
import { pdmConfigFindings } from './rules-pdm-config.js';
import { pipfileFindings } from './rules-pipfile.js';
import { redactSecrets } from '../core/redact-url.js';
import { parseRequirementsText } from './requirements.js';
import { envFindings, FILE_VARIABLES, INDEX_VARIABLES } from './rules-env.js';
import { pdmFindings } from './rules-pdm.js';
import { pipConfigFindings, pipConfigIncludes, requirementsFindings } from './rules-pip.js';
import { poetryFindings } from './rules-poetry.js';
import { scriptFindings } from './rules-script.js';
import { uvFindings, uvPinnedPackages } from './rules-uv.js';
import { isTable } from './table.js';
import { DEFAULT_SCAN_LIMITS, scanDirectory, type ScanLimits } from './scan.js';
import { mapTomlLines, type TomlLineMap } from './toml-lines.js';
import { lockFindings, lockKindOf } from './rules-lock.js';
import { normalizeName } from '../core/names.js';
import { publicIndexMatcher } from './public-index.js';
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
  /** Indexes that serve PyPI's content besides the known ones (`--public-index`, config `public-indexes`). */
  publicIndexes?: readonly string[];
  /** The organisation's private names: lock files resolving one of them from a public index are risky. */
  privateNames?: readonly string[];
  limits?: ScanLimits;
}

/** Files larger than this are not configuration: skipped with a warning. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Variables read besides the index variables: they name the files pip and uv read. */
const LOCATION_VARIABLES = ['PIP_CONFIG_FILE', 'UV_CONFIG_FILE', 'UV_NO_CONFIG', 'VIRTUAL_ENV', 'CONDA_PREFIX'] as const;

/** Checks the paths, then audits. Throws InputError (all missing paths at once) before reading anything. */
export async function auditIndexConfiguration(options: AuditOptions): Promise<AuditReport> {
  const starts = await checkPaths(options);
  const isPublic = publicIndexMatcher(options.publicIndexes ?? []);
  const privateNames = new Set((options.privateNames ?? []).map(normalizeName));
  const uncheckedLocks: string[] = [];
  const findings: Finding[] = [];
  const errors: AuditError[] = [];
  const warnings: AuditWarning[] = [];
  const notes: AuditWarning[] = [];
  const read: string[] = [];
  const display = (path: string): string => displayPath(path, options.cwd);
  const audited = new Set<string>();
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
    if (target.format === 'lock' && privateNames.size === 0) {
      uncheckedLocks.push(file);
      return;
    }
    read.push(file);
    const source: FindingSource = { file, isPublic };
    if (target.level !== undefined) source.level = target.level;
    if (target.note !== undefined) source.note = target.note;
    const result = auditText(text, { format: target.format, path }, source, privateNames);
    findings.push(...result.findings);
    errors.push(...result.errors.map((e) => ({ file, line: e.line, message: redactSecrets(e.message) })));
    for (const include of result.includes) {
      // pip resolves includes of a requirements file against that file, pip.conf's against the working directory;
      // a script's are tried next to the script, then in the working directory (a CI job's usual directory).
      const bases =
        target.format === 'requirements' ? [dirname(path)] : target.format === 'script' ? [dirname(path), options.cwd] : [options.cwd];
      await follow(include, bases, `${file}:${include.line}`, target.format === 'requirements');
    }
  };

  /** Audits a requirements file named by an include; an unresolvable one is reported where it was named. */
  const follow = async (include: Include, bases: string[], where: string, missingIsError: boolean): Promise<void> => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(include.path)) {
      warnings.push({ file: where, message: `remote ${include.kind} file not followed: ${redactSecrets(include.path)}` });
      return;
    }
    for (const base of bases) {
      const candidate = resolve(base, include.path);
      if (await isFile(candidate)) {
        await auditTarget({ path: candidate, format: 'requirements' }, false);
        return;
      }
    }
    // A path built from variables cannot be resolved here; say so without failing the audit.
    if (missingIsError) errors.push({ file: where.replace(/:\d+$/, ''), line: include.line, message: `included file not found: ${redactSecrets(include.path)}` });
    else notes.push({ file: where, message: `${include.kind} file not found, not audited: ${redactSecrets(include.path)}` });
  };

  if (options.machine !== false) {
    const locationOptions: LocationOptions = { env: options.env, platform: options.platform, root: options.root ?? '/' };
    const configFile = options.env.PIP_CONFIG_FILE;
    const configFileExists = configFile ? await isFile(resolve(options.cwd, configFile)) : false;
    const pip = pipConfigLocations(locationOptions, configFileExists);
    if (pip.disabled) {
      notes.push({ file: 'env:PIP_CONFIG_FILE', message: 'is os.devnull: pip reads no configuration file, none was audited' });
    } else if (configFile && !configFileExists) {
      notes.push({ file: 'env:PIP_CONFIG_FILE', message: `names a file that does not exist, which pip ignores: ${configFile}` });
    }
    for (const target of pip.targets) await auditTarget(target, true);
    findings.push(...envFindings(options.env, { isPublic }));
    for (const name of FILE_VARIABLES) {
      for (const path of splitUrlList(options.env[name] ?? '')) {
        const kind = name === 'PIP_REQUIREMENT' ? 'requirement' : 'constraint';
        await follow({ kind, path, line: 0 }, [options.cwd], `env:${name}`, false);
      }
    }
    for (const target of uvConfigLocations(locationOptions)) await auditTarget(target, target.level !== 'UV_CONFIG_FILE');
    const pdmConfig = pdmConfigLocation(locationOptions);
    if (pdmConfig !== undefined) await auditTarget({ path: pdmConfig, format: 'pdm-toml', level: 'PDM user' }, true);
    for (const name of [...LOCATION_VARIABLES, ...INDEX_VARIABLES, ...FILE_VARIABLES]) {
      if (options.env[name] !== undefined && options.env[name] !== '') read.push(`env:${name}`);
    }
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

  if (uncheckedLocks.length > 0) {
    notes.push({
      file: null,
      message: `lock files not checked without the private names (give them with -f or the config file's [sources]): ${uncheckedLocks.join(', ')}`,
    });
  }
  return {
    findings,
    errors,
    warnings,
    notes,
    read,
    summary: {
      risky: findings.filter((f) => f.severity === 'risky').length,
      info: findings.filter((f) => f.severity === 'info').length,
      files: read.filter((r) => !r.startsWith('env:')).length,
      incomplete,
    },
  };
}

/** A requirements or constraints file named by another file, a command line or a variable. */
interface Include {
  kind: 'requirement' | 'constraint';
  path: string;
  line: number;
}

interface TextAudit {
  findings: Finding[];
  errors: { line: number | null; message: string }[];
  includes: Include[];
}

/** Parses one file's text with the parser for its format and applies the matching rules. Pure. */
export function auditText(
  text: string,
  target: Pick<AuditTarget, 'format' | 'path'>,
  source: FindingSource,
  privateNames: ReadonlySet<string> = new Set(),
): TextAudit {
  switch (target.format) {
    case 'pip-conf': {
      const parsed = parseIni(text);
      return { findings: pipConfigFindings(parsed, source), errors: parsed.problems, includes: pipConfigIncludes(parsed) };
    }
    case 'requirements': {
      const parsed = parseRequirementsText(text);
      return { findings: requirementsFindings(parsed, source), errors: parsed.errors, includes: parsed.includes };
    }
    case 'script':
      return { ...scriptFindings(text, source), errors: [] };
    case 'pyproject':
    case 'uv-toml':
    case 'pdm-toml':
    case 'pipfile':
      return auditToml(text, target.format, source);
    case 'lock': {
      const kind = lockKindOf(basename(target.path));
      if (kind === undefined) return { findings: [], errors: [], includes: [] };
      return parsedToml(text, (doc, lines) => lockFindings(kind, doc, privateNames, source, lines));
    }
  }
}

function auditToml(text: string, format: 'pyproject' | 'uv-toml' | 'pdm-toml' | 'pipfile', source: FindingSource): TextAudit {
  return parsedToml(text, (doc, lines) => {
    if (format === 'pipfile') return pipfileFindings(doc, source, lines);
    if (format === 'pdm-toml') return pdmConfigFindings(doc, source, lines);
    if (format === 'uv-toml') return uvFindings(doc, { source, lines, tablePath: '', pinned: new Map() });
    const tool = isTable(doc.tool) ? doc.tool : {};
    const findings: Finding[] = [];
    if (isTable(tool.uv)) {
      findings.push(...uvFindings(tool.uv, { source, lines, tablePath: 'tool.uv', pinned: uvPinnedPackages(tool.uv.sources) }));
    }
    if (isTable(tool.poetry)) findings.push(...poetryFindings(tool.poetry, source, lines));
    if (isTable(tool.pdm)) findings.push(...pdmFindings(tool.pdm, source, lines));
    return findings;
  });
}

/** Parses a TOML file and applies `rules`; a parse failure is one error with its line. */
function parsedToml(text: string, rules: (doc: Record<string, unknown>, lines: TomlLineMap) => Finding[]): TextAudit {
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
  return { findings: rules(doc, mapTomlLines(text)), errors: [], includes: [] };
}

type Start = { kind: 'file' | 'dir'; path: string };

/** Throws InputError naming every audit path that cannot be read (the CLI checks them with its other input). */
export async function checkAuditPaths(paths: readonly string[], cwd: string): Promise<void> {
  await checkPaths({ paths, cwd });
}

async function checkPaths(options: Pick<AuditOptions, 'paths' | 'cwd'>): Promise<Start[]> {
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
        // A sentence ("no such file or directory"), not an errno code.
        message: `cannot audit this path: ${fsReason(err)}`,
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

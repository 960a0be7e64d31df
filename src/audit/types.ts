/**
 * The vocabulary of the index-configuration audit: what a finding is, what a
 * file that could not be read or parsed looks like, and the whole report.
 */

/**
 * `risky`: the setting merges an index anyone can publish to (public PyPI)
 * with a private one, so a public package can shadow a private name.
 * `info`: index configuration worth knowing about that does not merge indexes
 * in a dangerous way (a single `index-url` to a proxy is the recommended setup).
 */
export type Severity = 'risky' | 'info';

/** Which tool and format a finding comes from. */
export type FindingKind =
  | 'pip-config'
  | 'requirements'
  | 'env'
  | 'uv'
  | 'poetry'
  | 'pdm'
  | 'pipenv'
  | 'script'
  | 'lock';

export interface Finding {
  /** Path as shown to the user (relative to cwd when inside it), or `env:NAME`. */
  file: string;
  /** 1-based line; null for environment variables. */
  line: number | null;
  kind: FindingKind;
  /** The setting as written or as pip/uv/poetry name it, e.g. `extra-index-url`, `[[tool.uv.index]]`. */
  setting: string;
  /** The configured value with credentials redacted. */
  value: string;
  severity: Severity;
  /** What this does and why it matters. */
  why: string;
  /** What to change; null when nothing needs changing. */
  fix: string | null;
  /** For machine-level files: the level pip or uv gives the file (`global`, `user`, `site`, `PIP_CONFIG_FILE`, ...). */
  level?: string;
  /** A remark on the whole file the finding comes from (e.g. pip skips it while PIP_CONFIG_FILE is set). */
  note?: string;
}

/** A file that exists but could not be read or parsed; the audit goes on without it. */
export interface AuditError {
  file: string;
  /** 1-based line of the problem when known. */
  line: number | null;
  message: string;
}

/** Something the user should know about the audit itself (a scan cut short, a location skipped). */
export interface AuditWarning {
  file: string | null;
  message: string;
}

export interface AuditReport {
  findings: Finding[];
  errors: AuditError[];
  warnings: AuditWarning[];
  /** Facts about what pip or uv will do that change nothing in the verdict (a PIP_CONFIG_FILE pip ignores). */
  notes: AuditWarning[];
  /** Every file read and every variable consulted (`env:NAME`), in the order they were read. */
  read: string[];
  summary: {
    risky: number;
    info: number;
    /** Configuration files read (pip.conf, requirements, pyproject.toml, ...), not counting env vars. */
    files: number;
    /** True when a scan limit stopped a directory walk: some files were not looked at. */
    incomplete: boolean;
  };
}

/** The formats the audit understands. */
export type ConfigFormat = 'pip-conf' | 'requirements' | 'pyproject' | 'uv-toml' | 'pdm-toml' | 'pipfile' | 'script' | 'lock';

/** A file to audit, with how to read it and, for machine-level pip files, the level pip gives it. */
export interface AuditTarget {
  /** Absolute path. */
  path: string;
  format: ConfigFormat;
  /** For machine-wide locations: `global`, `user`, `site`, `PIP_CONFIG_FILE`, ... */
  level?: string;
  /** A remark that qualifies every finding in this file (e.g. not read while PIP_CONFIG_FILE is set). */
  note?: string;
}

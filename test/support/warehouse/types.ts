/**
 * Public types of the Warehouse stand-in. Tests depend on these names.
 */

export interface TokenSpec {
  user: string;
  /** 'account' (default) or a project-scoped token (§3). */
  scope?: 'account' | { projects: string[] };
  /** Verified primary email (§3 prerequisites); default true. */
  verifiedEmail?: boolean;
  /** Two-factor authentication enabled (§3 prerequisites); default true. */
  twoFactor?: boolean;
  /**
   * Expiry caveat, Unix seconds, judged by the stand-in's clock at the
   * permission check: after project creation (§10), "Invalid API Token: token is expired".
   */
  expiresAt?: number;
  /**
   * A caveat that fails at the permission check with this reason (§10), e.g.
   * 'signatures do not match': the project is created and its quota hit kept first.
   */
  caveatFailure?: string;
}

export interface SeedFile {
  filename: string;
  content: Buffer;
  /** Release version; default: parsed from the filename. */
  version?: string;
  /** Release metadata as upload form fields (`summary`, `author`, `project_urls`, ...). */
  metadata?: Record<string, string | string[]>;
  /** When the file (and its release, if new) was uploaded, ms since epoch; default: the clock at seeding. */
  uploadedAt?: number;
}

/** PEP 792 project status (fact sheet §10). */
export type ProjectStatusName = 'active' | 'archived' | 'quarantined' | 'deprecated';

export interface SeedProject {
  name: string;
  /** Username of the Owner. */
  owner: string;
  /** Further users with the Maintainer role. */
  maintainers?: string[];
  /** The organization the project belongs to (JSON API `ownership.organization`, §10). */
  organization?: string;
  /** PEP 792 status (§10); default active. */
  status?: ProjectStatusName;
  files?: SeedFile[];
}

/**
 * `afterCommit`: the request is handled in full (a new project created, its
 * quota hit recorded, the file stored), then answered with this status or a
 * reset connection instead of the real answer: a gateway failing after the
 * server did its work (§10: a 5xx after creation keeps the project and the hit).
 */
export type Fault =
  | { status: number; message?: string; afterCommit?: boolean }
  | { reset: true; afterCommit?: boolean }
  | { delayMs: number }
  | { garbage: true };

export type FaultTarget = 'upload' | 'simple' | 'json' | 'feed' | 'any';

export interface WarehouseOptions {
  /** Full token string (e.g. 'pypi-good') → identity. */
  tokens?: Record<string, TokenSpec>;
  /** Existing projects (may have zero files). */
  projects?: SeedProject[];
  /** Admin-prohibited names (compared normalized). */
  prohibited?: string[];
  /** New-project creation limit, per user AND per IP (§5); default { limit: 4, windowSeconds: 86400 }. */
  quota?: { limit: number; windowSeconds: number };
  /** ms clock; default: an internal clock frozen at start, moved only by `advance()`. */
  now?: () => number;
  /** Added to every response (for benchmarks). */
  latencyMs?: number;
  /** Admin flag READ_ONLY (§4 step 1). */
  readOnly?: boolean;
  /** Admin flag DISALLOW_NEW_UPLOAD (§4 step 1). */
  disallowNewUploads?: boolean;
  /** Admin flag DISALLOW_NEW_PROJECT_REGISTRATION (§4 step 6). */
  disallowNewProjects?: boolean;
  /** Host used in help links; default 'pypi.org'. */
  indexHost?: string;
  /** Classifiers accepted in addition to the built-in set (§4 step 4). */
  extraClassifiers?: string[];
  /** Filenames of deleted files, which can never be reused (§4 step 15). */
  deletedFilenames?: string[];
  /** Storage limits (§4 step 12); defaults 100 MiB per file, 10 GiB per project. */
  limits?: { fileBytes?: number; projectBytes?: number };
  /** Take the client IP for the per-IP quota from `X-Forwarded-For` (to simulate several machines). */
  trustForwardedFor?: boolean;
  /** Where to listen; default 127.0.0.1, port 0 (any free port). */
  port?: number;
  host?: string;
}

export interface LoggedRequest {
  method: string;
  /** Path and query. */
  path: string;
  accept?: string;
  /** Decoded Basic username, never the password. */
  authUser?: string;
  /** The credentials named a known token. */
  authorized: boolean;
  /** Form fields except `content` (uploads only). */
  fields?: Record<string, string[]>;
  /** Filename of the `content` part (uploads only). */
  filename?: string;
  /** 0 when the connection was reset by a fault. */
  status: number;
  reason: string;
  /** Clock time (ms) when the request arrived. */
  time: number;
}

export interface StoredFile {
  filename: string;
  version: string;
  sha256: string;
  blake2_256: string;
  md5: string;
  size: number;
  content: Buffer;
  packagetype: 'sdist' | 'bdist_wheel';
  uploadedAt: number;
  metadata: Record<string, string | string[]>;
}

export interface ProjectView {
  name: string;
  owner: string;
  status: ProjectStatusName;
  files: StoredFile[];
}

export interface Warehouse {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `${url}/legacy/` */
  uploadUrl: string;
  /** `${url}/simple/` */
  indexUrl: string;
  /** Every request, in order. */
  requests: LoggedRequest[];
  /** POSTs to the upload endpoint. */
  uploads(): LoggedRequest[];
  project(name: string): ProjectView | undefined;
  addProject(p: SeedProject): void;
  /** Sets a project's PEP 792 status, as PyPI's admins (quarantine) or owners (archive, deprecate) do (§10). */
  setProjectStatus(name: string, status: ProjectStatusName): void;
  /** Queued, consumed one per matching request in order (a request takes from its own queue first, then 'any'). */
  injectFaults(on: FaultTarget, ...faults: Fault[]): void;
  /** Moves the clock (moving rate-limit window, upload times). */
  advance(seconds: number): void;
  close(): Promise<void>;
}

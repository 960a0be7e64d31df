/**
 * The JSON API (`<root>/<name>/json`): the latest release's metadata and PyPI's
 * record of who owns the project (fact sheet §10). It answers 404 for projects
 * with no visible release (fact sheet §1), so it never decides whether a name
 * is free; the simple API does that (project-status.ts).
 */
import type { Dispatcher } from 'undici';
import type { OwnershipRecord } from '../core/ownership.js';
import { HttpError } from './http.js';
import { besideSimpleIndex } from './beside-index.js';
import { getText, type ReadLimits } from './read.js';

export interface ProjectInfo {
  author?: string;
  summary?: string;
  keywords: string[];
  version?: string;
  /** Roles and organization; undefined when the answer has no `ownership` block (indexes other than Warehouse). */
  ownership?: OwnershipRecord;
}

/**
 * The JSON API root beside a simple index laid out like Warehouse's
 * (`…/simple/` → `…/pypi/`), on the same host; undefined for any other layout,
 * so no lookup ever goes to a host or path the user did not configure.
 */
export function jsonApiRootBeside(indexUrl: string): string | undefined {
  return besideSimpleIndex(indexUrl, 'pypi/');
}

/** The latest release's metadata from the JSON API, or undefined for 404 (no releases). */
export async function fetchProjectInfo(jsonApiUrl: string, normalized: string, dispatcher: Dispatcher | undefined, limits: ReadLimits = {}): Promise<ProjectInfo | undefined> {
  const url = new URL(`${encodeURIComponent(normalized)}/json`, jsonApiUrl).href;
  const response = await getText(url, 'application/json', dispatcher, limits);
  const body = response.body;
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new HttpError({ method: 'GET', url, status: response.status, body });
  let json: { info?: Record<string, unknown>; ownership?: unknown };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    throw new HttpError({ method: 'GET', url, status: 200, reason: 'the answer is not JSON' });
  }
  const info = json.info ?? {};
  const keywords = str(info.keywords)?.split(/[,\s]+/).filter(Boolean) ?? [];
  const result: ProjectInfo = { keywords };
  for (const key of ['author', 'summary', 'version'] as const) {
    const value = str(info[key]);
    if (value !== undefined) result[key] = value;
  }
  if (json.ownership !== undefined) {
    const ownership = parseOwnership(json.ownership);
    // A record we cannot read is no evidence either way: the name ends `unknown`, never a guess.
    if (!ownership) throw new HttpError({ method: 'GET', url, status: 200, reason: 'the ownership record is not in the expected form' });
    result.ownership = ownership;
  }
  return result;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `{"roles": [{"role", "user"}], "organization": name | null}`, or undefined when it is anything else. */
function parseOwnership(raw: unknown): OwnershipRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { roles, organization } = raw as { roles?: unknown; organization?: unknown };
  if (!Array.isArray(roles)) return undefined;
  if (organization !== null && organization !== undefined && typeof organization !== 'string') return undefined;
  const parsed: { role: string; user: string }[] = [];
  for (const r of roles as unknown[]) {
    const { role, user } = (typeof r === 'object' && r !== null ? r : {}) as { role?: unknown; user?: unknown };
    if (typeof user !== 'string' || typeof role !== 'string') return undefined;
    parsed.push({ role, user });
  }
  return { roles: parsed, organization: organization ?? undefined };
}

/**
 * The JSON API (`<root>/<name>/json`): the latest release's metadata. It answers
 * 404 for projects with no visible release (fact sheet §1), so it never decides
 * whether a name is free; the simple API does that (project-status.ts).
 */
import type { Dispatcher } from 'undici';
import { HttpError } from './http.js';
import { getText, type ReadLimits } from './read.js';

export interface ProjectInfo {
  author?: string;
  summary?: string;
  keywords: string[];
  version?: string;
}

/** The latest release's metadata from the JSON API, or undefined for 404 (no releases). */
export async function fetchProjectInfo(jsonApiUrl: string, normalized: string, dispatcher: Dispatcher | undefined, limits: ReadLimits = {}): Promise<ProjectInfo | undefined> {
  const url = new URL(`${encodeURIComponent(normalized)}/json`, jsonApiUrl).href;
  const response = await getText(url, 'application/json', dispatcher, limits);
  const body = response.body;
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new HttpError({ method: 'GET', url, status: response.status, body });
  try {
    const info = (JSON.parse(body) as { info?: Record<string, unknown> }).info ?? {};
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const keywords = str(info.keywords)?.split(/[,\s]+/).filter(Boolean) ?? [];
    return { author: str(info.author), summary: str(info.summary), version: str(info.version), keywords };
  } catch {
    throw new HttpError({ method: 'GET', url, status: 200, reason: 'the answer is not JSON' });
  }
}

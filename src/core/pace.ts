/**
 * How long a list takes under PyPI's new-project quota (fact sheet §5: about
 * 4 per 24 hours per account and per IP), from what the server told us in its
 * RateLimit headers or, without them, from the per-run limit.
 */

export interface RateLimitInfo {
  /** Creations allowed per window (`q=`). */
  quota?: number;
  /** Window length in seconds (`w=`). */
  windowSeconds?: number;
  /**
   * Creations left (`r=`). Warehouse computes it before the answering
   * request's own hit (fact sheet §10): after a creation one fewer is left.
   */
  remaining?: number;
  /** Seconds until the window frees a slot (`t=`). */
  resetSeconds?: number;
}

/**
 * Reads draft-IETF RateLimit / RateLimit-Policy headers as Warehouse sends them:
 * `RateLimit-Policy: "project.create.user";q=4;w=86400;pk=:user:` and
 * `RateLimit: "project.create.user";r=0;t=3600`. With several policies (user
 * and IP), the tightest one wins.
 */
export function parseRateLimit(policyHeader: string | null | undefined, limitHeader: string | null | undefined): RateLimitInfo | undefined {
  const policies = splitItems(policyHeader);
  const limits = splitItems(limitHeader);
  if (policies.length === 0 && limits.length === 0) return undefined;
  const info: RateLimitInfo = {};
  for (const p of policies) {
    if (p.q !== undefined) info.quota = Math.min(info.quota ?? Infinity, p.q);
    if (p.w !== undefined) info.windowSeconds = Math.max(info.windowSeconds ?? 0, p.w);
  }
  for (const l of limits) {
    if (l.r !== undefined) info.remaining = Math.min(info.remaining ?? Infinity, l.r);
    if (l.t !== undefined) info.resetSeconds = Math.max(info.resetSeconds ?? 0, l.t);
  }
  return info;
}

/**
 * The largest value of each parameter believed: a server may send anything, and
 * a date computed from `t=8640000000000` does not exist. Counts above 10,000 and
 * times beyond a year mean nothing a schedule could use.
 */
const PARAMETER_CEILING: Record<string, number> = { q: 10_000, r: 10_000, w: 366 * 86_400, t: 366 * 86_400 };

function splitItems(header: string | null | undefined): Record<string, number | undefined>[] {
  if (!header) return [];
  return header.split(',').map((item) => {
    const params: Record<string, number | undefined> = {};
    for (const part of item.split(';').slice(1)) {
      const [k, v] = part.split('=').map((s) => s.trim());
      const ceiling = k === undefined ? undefined : PARAMETER_CEILING[k];
      if (ceiling !== undefined && v !== undefined && /^\d+$/.test(v)) params[k!] = Math.min(Number(v), ceiling);
    }
    // A window of zero seconds would make every schedule divide by nothing.
    if (params.w === 0) delete params.w;
    return params;
  });
}

/** The rate state after the answering request, whose own hit `r=` does not count yet (fact sheet §10). */
export function afterOwnHit(rate: RateLimitInfo, hit: boolean): RateLimitInfo {
  if (!hit || rate.remaining === undefined) return rate;
  return { ...rate, remaining: Math.max(0, rate.remaining - 1) };
}

export interface Pace {
  /** Names still waiting that a later run can create. */
  remaining: number;
  /** 0 when this configuration creates nothing (`--max-new 0`). */
  perWindow: number;
  windowSeconds: number;
  /** When the next slot frees up (from `t=`), if known. */
  nextWindowAt?: Date;
  /** When every remaining name will be protected if the job runs once per window. */
  allProtectedBy?: Date;
}

export const DEFAULT_WINDOW_SECONDS = 86_400;
/** ECMAScript's last representable date. */
const LATEST_DATE_MS = 8.64e15;
/** Production PyPI's observed limit (fact sheet §5), assumed when nothing better is known. */
export const PYPI_NEW_PROJECTS_PER_WINDOW = 4;

/**
 * When the waiting names will be protected. `perRun` 0 (`--max-new 0`) creates
 * nothing, so no date is promised.
 */
export function computePace(remaining: number, perRun: number | undefined, rate: RateLimitInfo | undefined, now: number): Pace {
  const limits = [rate?.quota, perRun].filter((n): n is number => n !== undefined && n > 0);
  const perWindow = perRun === 0 ? 0 : limits.length > 0 ? Math.min(...limits) : PYPI_NEW_PROJECTS_PER_WINDOW;
  const windowSeconds = rate?.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const pace: Pace = { remaining, perWindow, windowSeconds };
  // `t=` says when the oldest creation leaves the window; it matters only once no slot is left.
  if (rate?.resetSeconds !== undefined && rate.remaining === 0) pace.nextWindowAt = new Date(now + rate.resetSeconds * 1000);
  if (remaining > 0 && perWindow > 0) {
    const windows = Math.ceil(remaining / perWindow);
    const start = pace.nextWindowAt?.getTime() ?? now + windowSeconds * 1000;
    const end = start + (windows - 1) * windowSeconds * 1000;
    // Beyond the last date a Date can hold there is nothing to promise.
    if (end <= LATEST_DATE_MS) pace.allProtectedBy = new Date(end);
  }
  return pace;
}

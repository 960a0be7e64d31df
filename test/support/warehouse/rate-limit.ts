/**
 * New-project creation limits (fact sheet §5): a moving window per user and per
 * IP (`limits`' MovingWindowRateLimiter in Redis). The 429 check only tests
 * the counters; a hit is recorded when a project is created, so a later
 * failure still uses quota. Responses that went through the new-project path
 * carry draft-IETF `RateLimit-Policy` / `RateLimit` headers
 * (warehouse rate_limiting/headers.py).
 */

export interface Quota {
  limit: number;
  windowSeconds: number;
}

export class MovingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly name: string,
    readonly partitionKey: 'user' | 'ip',
    readonly quota: Quota,
    private readonly now: () => number,
  ) {}

  private live(id: string): number[] {
    const cutoff = this.now() - this.quota.windowSeconds * 1000;
    const kept = (this.hits.get(id) ?? []).filter((t) => t > cutoff);
    this.hits.set(id, kept);
    return kept;
  }

  /** True while another hit is allowed. */
  test(id: string): boolean {
    return this.live(id).length < this.quota.limit;
  }

  hit(id: string): void {
    this.live(id).push(this.now());
  }

  /** Remaining hits and whole seconds until the oldest hit leaves the window (the full window when there is none). */
  stats(id: string): { remaining: number; resetsInSeconds: number } {
    const hits = this.live(id);
    const remaining = Math.max(0, this.quota.limit - hits.length);
    const oldest = hits[0];
    const resetsAt = (oldest ?? this.now()) + this.quota.windowSeconds * 1000;
    return { remaining, resetsInSeconds: Math.max(0, Math.ceil((resetsAt - this.now()) / 1000)) };
  }
}

/** The two headers for a set of limiter snapshots, formatted as warehouse rate_limiting/headers.py does. */
export function rateLimitHeaders(
  snapshots: Array<{ limiter: MovingWindow; id: string }>,
): Record<string, string> {
  const policy = snapshots
    .map(({ limiter }) => `"${limiter.name}";q=${limiter.quota.limit};w=${limiter.quota.windowSeconds};pk=:${limiter.partitionKey}:`)
    .join(', ');
  const state = snapshots
    .map(({ limiter, id }) => {
      const s = limiter.stats(id);
      return `"${limiter.name}";r=${s.remaining};t=${s.resetsInSeconds}`;
    })
    .join(', ');
  return { 'RateLimit-Policy': policy, RateLimit: state };
}

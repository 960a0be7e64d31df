/**
 * Injected failures, queued per request class and consumed one per matching
 * request, in order. A request takes from its own class's queue first, then
 * from 'any'.
 */
import type { Fault, FaultTarget } from './types.js';

export type RequestClass = 'upload' | 'simple' | 'json' | 'feed' | 'other';

export function classify(method: string, pathname: string): RequestClass {
  if (method === 'POST' && (pathname === '/legacy/' || pathname === '/legacy')) return 'upload';
  if (pathname === '/simple' || pathname.startsWith('/simple/')) return 'simple';
  if (/^\/pypi\/[^/]+\/([^/]+\/)?json\/?$/.test(pathname)) return 'json';
  if (pathname.startsWith('/rss/')) return 'feed';
  return 'other';
}

export class FaultQueues {
  private readonly queues = new Map<FaultTarget, Fault[]>();

  add(on: FaultTarget, faults: Fault[]): void {
    this.queues.set(on, [...(this.queues.get(on) ?? []), ...faults]);
  }

  take(kind: RequestClass): Fault | undefined {
    if (kind !== 'other') {
      const own = this.queues.get(kind);
      if (own?.length) return own.shift();
    }
    return this.queues.get('any')?.shift();
  }
}

/** A 200 body that is not valid for the route (truncated JSON / not an index page / not an upload answer). */
export function garbageBody(kind: RequestClass): { contentType: string; body: string } {
  if (kind === 'json') return { contentType: 'application/json', body: '{"info": {"name": "trunc' };
  if (kind === 'simple') return { contentType: 'text/html', body: '\u0000\u00ff<<garbage>> {"meta": ' };
  if (kind === 'feed') return { contentType: 'text/html', body: '<!DOCTYPE html><html><body><h1>Welcome</h1><a href="/simple/">simple</a></body></html>' };
  return { contentType: 'text/html', body: '\u0000\u00ff<<garbage>>' };
}

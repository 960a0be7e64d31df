/**
 * A local stand-in for Warehouse (PyPI's server), for tests and benchmarks.
 * It answers as Warehouse does per /work/shared/pypi-upload-facts.md: same
 * status codes, reason phrases, bodies and rate-limit headers. It is an
 * independent implementation (nothing from src/), so our client is judged
 * against it rather than against itself.
 *
 *   const wh = await startWarehouse({ tokens: { 'pypi-good': { user: 'alice' } } });
 *   // upload to wh.uploadUrl, read wh.indexUrl, inspect wh.requests / wh.project('name')
 *   await wh.close();
 */
import { FaultQueues } from './faults.js';
import { normalize } from './names.js';
import { MovingWindow } from './rate-limit.js';
import { listen } from './server.js';
import { Store } from './store.js';
import type { Fault, FaultTarget, LoggedRequest, SeedProject, Warehouse, WarehouseOptions } from './types.js';

export type * from './types.js';

const DEFAULT_QUOTA = { limit: 4, windowSeconds: 86400 };

export async function startWarehouse(options: WarehouseOptions = {}): Promise<Warehouse> {
  // The clock: the caller's, or one frozen at start; `advance()` shifts either.
  const start = Date.now();
  let offsetMs = 0;
  const base = options.now ?? (() => start);
  const now = () => base() + offsetMs;

  const store = new Store(now);
  for (const f of options.deletedFilenames ?? []) store.deletedFilenames.add(f);
  for (const p of options.projects ?? []) store.seed(p);

  const quota = options.quota ?? DEFAULT_QUOTA;
  const log: LoggedRequest[] = [];
  const faults = new FaultQueues();
  const running = await listen({
    store,
    tokens: options.tokens ?? {},
    faults,
    log,
    now,
    latencyMs: options.latencyMs ?? 0,
    trustForwardedFor: options.trustForwardedFor ?? false,
    upload: {
      store,
      now,
      indexHost: options.indexHost ?? 'pypi.org',
      readOnly: options.readOnly ?? false,
      disallowNewUploads: options.disallowNewUploads ?? false,
      disallowNewProjects: options.disallowNewProjects ?? false,
      prohibited: new Set((options.prohibited ?? []).map(normalize)),
      extraClassifiers: new Set(options.extraClassifiers ?? []),
      fileLimit: options.limits?.fileBytes ?? 100 * 1024 * 1024,
      projectLimit: options.limits?.projectBytes ?? 10 * 1024 * 1024 * 1024,
      limiters: {
        user: new MovingWindow('project.create.user', 'user', quota, now),
        ip: new MovingWindow('project.create.ip', 'ip', quota, now),
      },
    },
  }, options.host ?? '127.0.0.1', options.port ?? 0);

  return {
    url: running.url,
    uploadUrl: `${running.url}/legacy/`,
    indexUrl: `${running.url}/simple/`,
    requests: log,
    uploads: () => log.filter((r) => r.method === 'POST' && r.path.startsWith('/legacy')),
    project: (name: string) => store.view(name),
    addProject: (p: SeedProject) => store.seed(p),
    setProjectStatus: (name, status) => store.setStatus(name, status),
    injectFaults: (on: FaultTarget, ...list: Fault[]) => faults.add(on, list),
    advance: (seconds: number) => {
      offsetMs += seconds * 1000;
    },
    close: () => running.close(),
  };
}

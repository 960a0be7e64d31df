/**
 * Shared setup for check/reserve specifications: a Warehouse stand-in on
 * loopback and a CLI runner pointed at it with a token in the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWarehouse, type Warehouse, type WarehouseOptions } from './warehouse/index.js';
import { baseEnv, runCli, type CliResult } from './cli.js';

export const GOOD_TOKEN = 'pypi-test-good-token-0001';
export const OTHER_TOKEN = 'pypi-test-other-token-0002';
export const SCOPED_TOKEN = 'pypi-test-scoped-token-0003';
export const OWNER = 'Acme Security';

export interface Stand {
  warehouse: Warehouse;
  dir: string;
  run: (args: string[], env?: NodeJS.ProcessEnv, input?: string) => Promise<CliResult>;
  close: () => Promise<void>;
}

export async function standUp(options: WarehouseOptions = {}): Promise<Stand> {
  const warehouse = await startWarehouse({
    tokens: {
      [GOOD_TOKEN]: { user: 'acme' },
      [OTHER_TOKEN]: { user: 'mallory' },
      [SCOPED_TOKEN]: { user: 'acme', scope: { projects: ['acme-existing'] } },
    },
    ...options,
  });
  const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-e2e-'));
  const run = (args: string[], env: NodeJS.ProcessEnv = {}, input?: string) =>
    runCli([...args, '--repository-url', warehouse.uploadUrl, '--index-url', warehouse.indexUrl], {
      cwd: dir,
      env: baseEnv({ HOME: dir, PYPI_RESERVE_BACKOFF_SCALE: '0', ...env }),
      ...(input !== undefined ? { input } : {}),
    });
  return {
    warehouse,
    dir,
    run,
    close: async () => {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function json(result: CliResult): { results: { name: string; normalized: string; status: string; detail: string }[]; summary: Record<string, unknown> } {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

export function statuses(result: CliResult): Record<string, string> {
  return Object.fromEntries(json(result).results.map((r) => [r.name, r.status]));
}

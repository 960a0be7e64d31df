import type { Problem } from './errors.js';
import { DEFAULT_MTIME } from './sdist.js';

/** The archive timestamp from SOURCE_DATE_EPOCH (reproducible-builds.org), or our fixed default. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv): { mtime: number; problem?: Problem } {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return { mtime: DEFAULT_MTIME };
  if (!/^\d{1,11}$/.test(raw) || Number(raw) > 8 ** 11 - 1) {
    return {
      mtime: DEFAULT_MTIME,
      problem: {
        code: 'E_SOURCE_DATE_EPOCH',
        message: 'SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 that fits a tar header',
        value: raw,
        source: 'environment SOURCE_DATE_EPOCH',
      },
    };
  }
  return { mtime: Number(raw) };
}

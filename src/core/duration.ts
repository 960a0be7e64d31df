/**
 * Durations as people write them on a command line: `90s`, `15m`, `1h`, `1h30m`.
 * A bare number means minutes, the unit polling intervals are thought in.
 */
const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000 };
/** Longer than a week is a typo, and beyond what a timer can hold (2^31 ms). */
const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  let total = 0;
  if (/^\d+(\.\d+)?$/.test(trimmed)) total = Number(trimmed) * UNIT_MS.m!;
  else if (/^(\d+(\.\d+)?[smh])+$/.test(trimmed)) {
    for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([smh])/g)) total += Number(amount) * UNIT_MS[unit!]!;
  } else return undefined;
  return Number.isFinite(total) && total <= MAX_DURATION_MS ? Math.round(total) : undefined;
}

/**
 * Durations as people write them on a command line: `90s`, `15m`, `1h`, `1h30m`.
 * A bare number means minutes, the unit polling intervals are thought in.
 */
const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * UNIT_MS.m!);
  if (!/^(\d+(\.\d+)?[smh])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([smh])/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return Number.isFinite(total) && total <= 7 * 24 * 3_600_000 ? Math.round(total) : undefined;
}

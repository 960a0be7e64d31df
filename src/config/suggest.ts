/**
 * "Did you mean …?" for mistyped keys: the closest known key by edit distance,
 * when it is close enough to be a typo rather than a different word.
 */

/** Levenshtein distance, with a transposition counted as one edit (`mxa` → `max`). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The known key closest to `key`, if within a typo's reach: at most 2 edits,
 * and fewer than half the key's length (so `url` does not suggest `note`).
 * Case, `_` and spaces are forgiven first (`max_new`, `Owner` → their kebab form).
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const simplified = key.toLowerCase().replace(/[_\s]+/g, '-');
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(simplified, candidate);
    if (distance <= 2 && distance * 2 < candidate.length && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

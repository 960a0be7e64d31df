/**
 * Finds the line where a TOML string value was written. TOML parsers return
 * values without positions, so we look for the value's quoted spelling in the
 * text; repeated values are found in order. Good enough for messages: a value
 * written with escapes (`"a\u0062"`) is not found and gets no line.
 */
export class StringLines {
  private readonly lineStarts: number[] = [0];
  private readonly cursors = new Map<string, number>();

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** 1-based line of a character offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 1-based line of the first character of `line`'s start offset. */
  offsetOfLine(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))] as number;
  }

  /**
   * The line of the next quoted occurrence of `value` at or after `fromLine`
   * (and after the previous occurrence found for the same value), or undefined.
   */
  next(value: string, fromLine = 1): number | undefined {
    const from = Math.max(this.cursors.get(value) ?? 0, this.offsetOfLine(fromLine));
    const candidates = [JSON.stringify(value), `'${value}'`]
      .map((quoted) => this.text.indexOf(quoted, from))
      .filter((at) => at !== -1);
    if (candidates.length === 0) return undefined;
    const at = Math.min(...candidates);
    this.cursors.set(value, at + 1);
    return this.lineAt(at);
  }
}

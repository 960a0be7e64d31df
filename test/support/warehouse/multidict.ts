/**
 * WebOb's MultiDict semantics, which Warehouse's upload code relies on:
 * `get`/`[]` return the LAST value of a key, `getall` every value in order,
 * assignment replaces all values. (wtforms fields read the FIRST value.)
 */
export class MultiDict {
  constructor(private items: Array<[string, string]> = []) {}

  keys(): string[] {
    return [...new Set(this.items.map(([k]) => k))];
  }

  has(key: string): boolean {
    return this.items.some(([k]) => k === key);
  }

  getAll(key: string): string[] {
    return this.items.filter(([k]) => k === key).map(([, v]) => v);
  }

  /** WebOb `get`: the last value. */
  get(key: string): string | undefined {
    const all = this.getAll(key);
    return all[all.length - 1];
  }

  delete(key: string): void {
    this.items = this.items.filter(([k]) => k !== key);
  }

  /** WebOb `__setitem__`: one value replaces all others, at the first position. */
  set(key: string, value: string): void {
    const index = this.items.findIndex(([k]) => k === key);
    this.delete(key);
    this.items.splice(index < 0 ? this.items.length : index, 0, [key, value]);
  }

  toRecord(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of this.items) (out[k] ??= []).push(v);
    return out;
  }
}

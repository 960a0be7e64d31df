/**
 * Warehouse builds its messages with Python's `repr()` (`{name!r}`), renders
 * JSON with `json.dumps` defaults and escapes HTML with WebOb's `html_escape`.
 * Clients compare these texts, so the stand-in reproduces them exactly.
 */

/** Python `repr(str)`: single quotes unless the text has `'` but no `"`; escapes like CPython. */
export function pyRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0xa0) || code === 0xad) {
      out += '\\x' + code.toString(16).padStart(2, '0');
    } else if ((code >= 0xd800 && code <= 0xdfff) || code === 0x2028 || code === 0x2029) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + quote;
}

/** Python `json.dumps(value)` with its defaults: `", "`/`": "` separators and ASCII-only output. */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(pyJson).join(', ') + ']';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return '{' + entries.map(([k, v]) => `${pyJson(k)}: ${pyJson(v)}`).join(', ') + '}';
  }
  return 'null';
}

/** WebOb `html_escape`: `html.escape(s, quote=True)`, then non-ASCII as decimal character references. */
export function htmlEscape(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&#x27;';
    else if (code > 0x7f) out += `&#${code};`;
    else out += ch;
  }
  return out;
}

/** Python `datetime.isoformat()` of a naive UTC time: microseconds only when non-zero. */
export function pyIsoformat(ms: number): string {
  const iso = new Date(ms).toISOString();
  const millis = iso.slice(20, 23);
  return iso.slice(0, 19) + (millis === '000' ? '' : `.${millis}000`);
}

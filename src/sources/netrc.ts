/**
 * The `.netrc` format (as curl, pip/requests and Python's netrc module read it):
 * white-space separated tokens `machine HOST login USER password SECRET`, a
 * `default` entry for every other host, `account` ignored, `macdef NAME` bodies
 * skipped up to the next blank line, `#` comments, double-quoted tokens.
 */

export interface NetrcEntry {
  login: string;
  password: string;
}

export interface Netrc {
  machines: Map<string, NetrcEntry>;
  default?: NetrcEntry;
}

export function parseNetrc(text: string): Netrc {
  const netrc: Netrc = { machines: new Map() };
  const tokens = tokenize(text);
  let current: { host?: string; login: string; password: string } | undefined;
  const finish = (): void => {
    if (!current) return;
    const entry = { login: current.login, password: current.password };
    if (current.host === undefined) netrc.default ??= entry;
    // The first entry for a host wins, as in curl and Python.
    else if (!netrc.machines.has(current.host)) netrc.machines.set(current.host, entry);
    current = undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    switch (token.value) {
      case 'machine':
        finish();
        current = { host: (tokens[++i]?.value ?? '').toLowerCase(), login: '', password: '' };
        break;
      case 'default':
        finish();
        current = { login: '', password: '' };
        break;
      case 'login':
      case 'password':
      case 'account': {
        const value = tokens[++i]?.value ?? '';
        if (current && token.value !== 'account') current[token.value] = value;
        break;
      }
      case 'macdef': {
        finish();
        // A macro body runs to the first empty line; skip the tokens inside it.
        const from = tokens[i + 1]?.end ?? token.end;
        const blank = /\r?\n[ \t]*\r?\n/.exec(text.slice(from));
        const limit = blank ? from + blank.index : text.length;
        while (i + 1 < tokens.length && (tokens[i + 1] as Token).start < limit) i++;
        break;
      }
      default:
        // Unknown tokens are ignored, as Python's netrc does for forward compatibility.
        break;
    }
  }
  finish();
  return netrc;
}

/** The entry for `host` (case-insensitive, port ignored), else (unless `exact`) the `default` entry. */
export function netrcEntryFor(netrc: Netrc, host: string, options: { exact?: boolean } = {}): NetrcEntry | undefined {
  return netrc.machines.get(host.toLowerCase()) ?? (options.exact ? undefined : netrc.default);
}

interface Token {
  value: string;
  start: number;
  end: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|#[^\n]*|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].startsWith('#') && m[1] === undefined) continue;
    const value = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '');
    tokens.push({ value, start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

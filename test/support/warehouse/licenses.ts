/**
 * License-Expression (metadata 2.4) as `packaging.licenses.canonicalize_license_expression`
 * checks it (fact sheet §4 step 4): SPDX identifiers joined by AND / OR / WITH
 * with parentheses, case-insensitive, normalized on output
 * (`mit or apache-2.0` → `MIT OR Apache-2.0`). The identifier list here is a
 * common subset of SPDX's (packaging knows all of them); `LicenseRef-…` is
 * always accepted.
 */

const LICENSE_IDS = [
  '0BSD', 'AFL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Apache-1.1', 'Apache-2.0', 'Artistic-2.0',
  'BSD-1-Clause', 'BSD-2-Clause', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'BSD-4-Clause', 'BSL-1.0',
  'CC-BY-4.0', 'CC-BY-SA-4.0', 'CC0-1.0', 'CDDL-1.0', 'EPL-1.0', 'EPL-2.0', 'EUPL-1.2',
  'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later', 'HPND', 'ISC',
  'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'MIT', 'MIT-0', 'MPL-1.1',
  'MPL-2.0', 'MS-PL', 'NCSA', 'OFL-1.1', 'OpenSSL', 'PSF-2.0', 'Python-2.0', 'Unlicense', 'UPL-1.0',
  'W3C', 'WTFPL', 'X11', 'Zlib', 'ZPL-2.1',
];
const EXCEPTION_IDS = ['Classpath-exception-2.0', 'GCC-exception-3.1', 'LLVM-exception', 'OpenSSL-exception'];

const byLower = (ids: string[]) => new Map(ids.map((id) => [id.toLowerCase(), id]));
const LICENSES = byLower(LICENSE_IDS);
const EXCEPTIONS = byLower(EXCEPTION_IDS);

/** Normalized expression, or undefined when packaging would raise. */
export function canonicalLicenseExpression(expression: string): string | undefined {
  const tokens = expression.match(/\(|\)|[^\s()]+/g);
  if (!tokens || !expression.trim()) return undefined;
  let pos = 0;
  const out: string[] = [];

  const licenseRef = (t: string): string | undefined => {
    const m = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-([A-Za-z0-9.-]+)$/i.exec(t);
    return m ? `${m[1] ?? ''}LicenseRef-${m[2]}` : undefined;
  };
  const term = (): boolean => {
    const t = tokens[pos];
    if (t === undefined) return false;
    if (t === '(') {
      pos += 1;
      out.push('(');
      if (!expr() || tokens[pos] !== ')') return false;
      pos += 1;
      out.push(')');
      return true;
    }
    const plus = t.endsWith('+');
    const id = plus ? t.slice(0, -1) : t;
    const known = LICENSES.get(id.toLowerCase()) ?? licenseRef(id);
    if (!known || ['and', 'or', 'with'].includes(id.toLowerCase())) return false;
    out.push(known + (plus ? '+' : ''));
    pos += 1;
    if (tokens[pos]?.toLowerCase() === 'with') {
      const exc = EXCEPTIONS.get((tokens[pos + 1] ?? '').toLowerCase());
      if (!exc) return false;
      out.push('WITH', exc);
      pos += 2;
    }
    return true;
  };
  const expr = (): boolean => {
    if (!term()) return false;
    while (['and', 'or'].includes(tokens[pos]?.toLowerCase() ?? '')) {
      out.push(tokens[pos]!.toUpperCase());
      pos += 1;
      if (!term()) return false;
    }
    return true;
  };
  if (!expr() || pos !== tokens.length) return undefined;
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/**
 * Syntax checks behind individual metadata fields (fact sheet §4 step 4):
 * version specifiers, PEP 508 requirements, URLs, e-mail addresses and the
 * description content type. These approximate `packaging` and
 * `email_validator` closely enough for the values clients send; the exact
 * grammar lives in those libraries.
 */
import { parseVersion } from './versions.js';

const SPEC_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$/;

/** `packaging.specifiers.SpecifierSet(value)` succeeds. */
export function isValidSpecifierSet(value: string): boolean {
  if (!value.trim()) return true;
  return value.split(',').every((item) => {
    const m = SPEC_RE.exec(item);
    if (!m) return false;
    const [, op, version] = m as unknown as [string, string, string];
    if (op === '===') return true;
    if ((op === '==' || op === '!=') && version.endsWith('.*')) {
      return parseVersion(version.slice(0, -2)) !== undefined && !version.includes('+');
    }
    const v = parseVersion(version);
    if (!v) return false;
    if (op === '~=' && (v.release.length < 2 || v.local !== undefined)) return false;
    if (['<', '>', '<=', '>='].includes(op) && v.local !== undefined) return false;
    return true;
  });
}

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const REQ_RE = new RegExp(`^\\s*(${NAME})\\s*(\\[[^\\]]*\\])?\\s*(?:@\\s*(\\S+)|\\(?([^;()]*)\\)?)?\\s*(?:;(.*))?$`);

export interface Requirement {
  name: string;
  url?: string;
}

/** `packaging.requirements.Requirement(text)`, reduced to what Warehouse looks at; undefined if invalid. */
export function parseRequirement(text: string): Requirement | undefined {
  const m = REQ_RE.exec(text);
  if (!m) return undefined;
  const [, name, extras, url, spec, marker] = m;
  if (extras && !/^\[\s*(?:[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:,\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*)*)?\]$/.test(extras)) return undefined;
  if (spec !== undefined && !isValidSpecifierSet(spec)) return undefined;
  if (marker !== undefined && !marker.trim()) return undefined;
  return url ? { name: name!, url } : { name: name! };
}

/** `warehouse.utils.http.is_valid_uri(url, require_authority=False)` with http(s) only. */
export function isValidHttpUrl(url: string): boolean {
  if (!/^https?:\/\/[^\s]*$/i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** `email.utils.parseaddr` reduced: the address inside `<…>`, or the whole value. */
export function addressOf(value: string): string {
  const angle = /<([^>]*)>/.exec(value);
  if (angle) return angle[1]!.trim();
  if (value.includes(',')) return '';
  return value.trim();
}

/**
 * Why `email_validator.validate_email(address, check_deliverability=False)`
 * refuses it, or undefined (§10): syntax, dot rules on both sides of the @,
 * a top-level domain ending in a letter, and the special-use domains. ASCII only.
 */
export function emailProblem(address: string): string | undefined {
  const at = address.split('@');
  if (at.length === 1) return 'An email address must have an @-sign.';
  if (at.length > 2) return 'The email address is not valid. It must have exactly one @-sign.';
  const [local, rawDomain] = at as [string, string];
  if (!local) return 'There must be something before the @-sign.';
  if (local.length > 64) return `The email address is too long before the @-sign (${local.length - 64} character${local.length === 65 ? '' : 's'} too many).`;
  const badLocal = [...new Set(local.replace(/[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, ''))].sort();
  if (badLocal.length) return `The email address contains invalid characters before the @-sign: ${badLocal.map((c) => JSON.stringify(c)).join(', ')}.`;
  if (local.endsWith('.')) return 'An email address cannot have a period immediately before the @-sign.';
  if (local.startsWith('.')) return 'An email address cannot start with a period.';
  if (local.includes('..')) return 'An email address cannot have two periods in a row.';
  if (!rawDomain) return 'There must be something after the @-sign.';
  const badDomain = [...new Set(rawDomain.replace(/[A-Za-z0-9.-]/g, ''))].sort();
  if (badDomain.length) return `The part after the @-sign contains invalid characters: ${badDomain.map((c) => JSON.stringify(c)).join(', ')}.`;
  const domain = rawDomain.toLowerCase();
  if (domain.endsWith('.')) return 'An email address cannot end with a period.';
  if (domain.startsWith('.')) return 'An email address cannot have a period immediately after the @-sign.';
  if (domain.includes('..')) return 'An email address cannot have two periods in a row.';
  if (domain.endsWith('-')) return 'An email address cannot end with a hyphen.';
  if (domain.startsWith('-')) return 'An email address cannot have a hyphen immediately after the @-sign.';
  if (domain.includes('.-') || domain.includes('-.')) return 'An email address cannot have a period and a hyphen next to each other.';
  if (domain.split('.').some((label) => /^(?!xn)..--/.test(label))) {
    return 'An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.';
  }
  if (!domain.includes('.')) return 'The part after the @-sign is not valid. It should have a period.';
  if (!/[a-z]$/.test(domain)) return 'The part after the @-sign is not valid. It is not within a valid top-level domain.';
  for (const special of ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test']) {
    if (domain === special || domain.endsWith(`.${special}`)) {
      return 'The part after the @-sign is a special-use or reserved name that cannot be used with email.';
    }
  }
  return undefined;
}

/** Parses a Content-Type-like header as Python's email package does, leniently. */
export function parseContentType(value: string): { type: string; params: Record<string, string> } {
  const [main = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
    params[key] = v;
  }
  const type = main.trim().toLowerCase();
  // The email package falls back to text/plain when the type is not maintype/subtype.
  return { type: /^[^\s/]+\/[^\s/]+$/.test(type) ? type : 'text/plain', params };
}

/** Valid Python identifier (ASCII approximation of `str.isidentifier`). */
export function isIdentifier(value: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(value);
}

export const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

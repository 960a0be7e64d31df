/**
 * The contact address rule PyPI applies (fact sheet §10): Warehouse checks
 * author e-mail addresses with `email_validator.validate_email(address,
 * check_deliverability=False)` and refuses the upload with 400 when it fails.
 * Checked here first so no placeholder is built or sent that PyPI would refuse.
 * The reasons are email_validator's own sentences, so ours and PyPI's match.
 * Only unquoted ASCII addresses are accepted: stricter than PyPI for
 * internationalised addresses, never looser.
 */

/** RFC 5322 atext, the characters of an unquoted local part. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]$/;
const HOSTNAME_CHAR = /^[A-Za-z0-9.-]$/;
/** Special-use and reserved names email_validator refuses (RFC 6761 and friends). */
const SPECIAL_USE_DOMAINS = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];
const LOCAL_PART_MAX = 64;
const DOMAIN_MAX = 255;
const LABEL_MAX = 63;

/** Why PyPI would refuse this address, in email_validator's words, or undefined when it is acceptable. */
export function emailAddressProblem(address: string): string | undefined {
  const at = address.split('@');
  if (at.length === 1) return 'An email address must have an @-sign.';
  if (at.length > 2) return 'The email address is not valid. It must have exactly one @-sign.';
  const [local, domain] = at as [string, string];
  return localPartProblem(local) ?? domainProblem(domain);
}

function localPartProblem(local: string): string | undefined {
  if (local === '') return 'There must be something before the @-sign.';
  if (local.length > LOCAL_PART_MAX) return `The email address is too long before the @-sign (${tooMany(local.length - LOCAL_PART_MAX)}).`;
  const bad = badCharacters(local.replace(/\./g, ''), ATEXT);
  if (bad) return `The email address contains invalid characters before the @-sign: ${bad}.`;
  if (local.endsWith('.')) return 'An email address cannot have a period immediately before the @-sign.';
  if (local.startsWith('.')) return 'An email address cannot start with a period.';
  if (local.includes('..')) return 'An email address cannot have two periods in a row.';
  return undefined;
}

function domainProblem(given: string): string | undefined {
  if (given === '') return 'There must be something after the @-sign.';
  const bad = badCharacters(given, HOSTNAME_CHAR);
  if (bad) return `The part after the @-sign contains invalid characters: ${bad}.`;
  const domain = given.toLowerCase();
  if (domain.endsWith('.')) return 'An email address cannot end with a period.';
  if (domain.startsWith('.')) return 'An email address cannot have a period immediately after the @-sign.';
  if (domain.includes('..')) return 'An email address cannot have two periods in a row.';
  if (domain.endsWith('-')) return 'An email address cannot end with a hyphen.';
  if (domain.startsWith('-')) return 'An email address cannot have a hyphen immediately after the @-sign.';
  if (domain.includes('.-') || domain.includes('-.')) return 'An email address cannot have a period and a hyphen next to each other.';
  const labels = domain.split('.');
  if (labels.some((label) => /^(?!xn)..--/.test(label))) {
    return 'An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.';
  }
  if (domain.length > DOMAIN_MAX) return `The email address is too long after the @-sign (${tooMany(domain.length - DOMAIN_MAX)}).`;
  const longLabel = labels.find((label) => label.length > LABEL_MAX);
  if (longLabel) return `After the @-sign, periods cannot be separated by so many characters (${tooMany(longLabel.length - LABEL_MAX)}).`;
  if (labels.length < 2) return 'The part after the @-sign is not valid. It should have a period.';
  if (!/[a-z]$/.test(domain)) return 'The part after the @-sign is not valid. It is not within a valid top-level domain.';
  if (SPECIAL_USE_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`))) {
    return 'The part after the @-sign is a special-use or reserved name that cannot be used with email.';
  }
  return undefined;
}

/** The distinct characters not matching `allowed`, each quoted, sorted: `'"', ' '`. */
function badCharacters(text: string, allowed: RegExp): string | undefined {
  const bad = [...new Set([...text].filter((c) => !allowed.test(c)))].sort();
  return bad.length ? bad.map((c) => JSON.stringify(c)).join(', ') : undefined;
}

function tooMany(n: number): string {
  return `${n} character${n === 1 ? '' : 's'} too many`;
}

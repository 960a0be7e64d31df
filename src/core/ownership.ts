/**
 * Is an existing project ours? Only what cannot be faked counts.
 *
 * The best evidence is the index's own record: PyPI's JSON API lists each
 * project's roles and organization (fact sheet §10), which no uploader can
 * forge. When the user names their accounts (`--account`, `--organization`),
 * that record alone decides, whatever the files are: a copy of our exact
 * placeholder under someone else's account is theirs, and our project holding
 * an older placeholder is ours (see `judgeByRecord`).
 *
 * Without accounts, or for a project the JSON API cannot describe (no visible
 * release, or an index without that API), the files decide. Our placeholders
 * are reproducible from public data, and their metadata (owner, keyword) is
 * public too, so neither "our file is there" nor "the metadata names us" proves
 * anything on its own: someone could upload our exact file and then a release
 * of their own, or copy our metadata. A project is ours when *every* file on it
 * is byte-identical to a placeholder this configuration builds for that file's
 * version. Anything else is `taken`, the alarm, because doubt must resolve to
 * the dangerous case. What the file rule cannot tell apart: our exact file
 * uploaded by someone else looks ours.
 *
 * One case deserves a second look rather than silence: every file looks like a
 * placeholder naming this owner, but none is byte-identical (the owner changed
 * --contact, --url or --note since). That is a `claim` to verify; `reserve`
 * verifies it with the index itself (see ops/reserve.ts), `check` reports it as
 * taken with a detail saying how to settle it.
 *
 * The project's PEP 792 status comes on top (`applyProjectStatus`).
 */
import { PLACEHOLDER_KEYWORD } from './metadata.js';
import type { ProjectStatus } from './project-status.js';

export interface ExistingProject {
  files: { filename: string; sha256: string | undefined }[];
  /** The latest release's metadata (JSON API), when it was read. */
  info?: { author?: string | undefined; keywords: string[]; version?: string | undefined } | undefined;
}

/** sha256 of the placeholder this configuration builds under that file name, or undefined if it builds none. */
export type ExpectedDigest = (filename: string) => string | undefined;

export type Ownership =
  | { ours: true; detail: string }
  | { ours: false; detail: string; needsInfo?: true; claim?: 'placeholder-metadata' };

export function judgeOwnership(project: ExistingProject, expectedDigest: ExpectedDigest, owner: string): Ownership {
  const { files } = project;
  if (files.length === 0) return { ours: false, detail: 'the project exists with no files: its owner is unknown' };
  const matching = files.filter((f) => f.sha256 !== undefined && expectedDigest(f.filename) === f.sha256);
  if (matching.length === files.length) {
    return { ours: true, detail: `holds only our placeholder${files.length === 1 ? '' : 's'} ${files.map((f) => f.filename).join(', ')}` };
  }
  const foreign = files.filter((f) => !matching.includes(f));
  if (matching.length > 0) {
    return { ours: false, detail: `holds our placeholder ${matching[0]!.filename} but also ${foreign.map((f) => f.filename).join(', ')}: someone else publishes here` };
  }
  // We only ever upload sdists; a wheel means someone published real builds.
  const wheel = files.find((f) => !f.filename.endsWith('.tar.gz'));
  if (wheel) return { ours: false, detail: `someone else publishes here (${wheel.filename})` };
  if (!project.info) return { ours: false, detail: 'exists', needsInfo: true };
  const { author, keywords, version } = project.info;
  if (author === owner && keywords.includes(PLACEHOLDER_KEYWORD)) {
    return {
      ours: false,
      claim: 'placeholder-metadata',
      detail:
        `holds a placeholder naming ${owner}${version ? ` (version ${version})` : ''} that this configuration did not build ` +
        '(changed --contact, --url, --note or --version?); ownership unverified, so treated as taken: `reserve` verifies it with your token',
    };
  }
  return { ours: false, detail: `exists and is not a placeholder of ${owner}${author ? ` (author: ${author})` : ''}` };
}

/** Who we are on the index: account usernames and an organization name. */
export interface OwnAccounts {
  accounts: readonly string[];
  organization?: string | undefined;
}

/** The JSON API's `ownership` block: PyPI's record of who may publish a project (fact sheet §10). */
export interface OwnershipRecord {
  roles: readonly { role: string; user: string }[];
  organization: string | undefined;
}

/**
 * PyPI usernames and organization names: letters, digits, `.`, `_`, `-`,
 * starting and ending with a letter or digit (Warehouse's `users_valid_username`
 * constraint), compared without regard to case (Warehouse stores them as citext).
 */
const ACCOUNT_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
const ACCOUNT_NAME_MAX = 50;

/** Why a value cannot be a PyPI username or organization name, or undefined when it can. */
export function accountNameProblem(value: string): string | undefined {
  if (value.length > ACCOUNT_NAME_MAX) return `is longer than ${ACCOUNT_NAME_MAX} characters, the longest a PyPI name can be`;
  if (!ACCOUNT_NAME.test(value)) return 'is not a PyPI account or organization name (letters, digits, ".", "_", "-", starting and ending with a letter or digit)';
  return undefined;
}

/**
 * PyPI names are ASCII and compared case-insensitively, so only A–Z fold:
 * `toLowerCase` would fold U+212A KELVIN SIGN to "k" and let an index record
 * naming "\u212Acme" pass for our account "kcme".
 */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const sameName = (a: string, b: string) => asciiLower(a) === asciiLower(b);
const MAX_ROLES_SHOWN = 5;

/** Ownership from the index's record alone: ours exactly when it lists one of our accounts (any role) or our organization. */
export function judgeByRecord(record: OwnershipRecord, ours: OwnAccounts): Ownership {
  const role = record.roles.find((r) => ours.accounts.some((a) => sameName(a, r.user)));
  if (role) return { ours: true, detail: `the index lists ${role.user} as ${role.role}` };
  const organization = record.organization;
  if (organization !== undefined && ours.organization !== undefined && sameName(organization, ours.organization)) {
    return { ours: true, detail: `the index lists it under organization ${organization}` };
  }
  const shown = record.roles.slice(0, MAX_ROLES_SHOWN).map((r) => `${r.user} (${r.role})`);
  if (record.roles.length > MAX_ROLES_SHOWN) shown.push(`${record.roles.length - MAX_ROLES_SHOWN} more`);
  const whose = [shown.length ? `roles: ${shown.join(', ')}` : 'no roles listed', organization !== undefined ? `organization: ${organization}` : '']
    .filter(Boolean)
    .join('; ');
  return { ours: false, detail: `the index lists none of your accounts (${whose})` };
}

/** What an existing project's page and ownership lead to. */
export interface ExistingVerdict {
  status: 'reserved' | 'taken' | 'unknown';
  detail: string;
  claim?: 'placeholder-metadata';
}

export const QUARANTINED_DETAIL =
  'quarantined by the index: malware was reported in a project under your private name; treat it as an incident ' +
  '(who installed it, from where) and ask the index\'s admins about the name';

/**
 * The PEP 792 status on top of ownership. Quarantined is `taken` whoever owns
 * it: its files are hidden, and what was quarantined is someone's malware.
 * Archived keeps the ownership verdict but can never settle a claim, since the
 * index refuses every upload to it, its owners' included (§10). A status this
 * client does not know never yields `reserved` from files alone.
 */
export function applyProjectStatus(
  ownership: Ownership,
  evidence: 'record' | 'files',
  page: { status: ProjectStatus; statusText?: string | undefined },
): ExistingVerdict {
  const verdict: ExistingVerdict = ownership.ours
    ? { status: 'reserved', detail: ownership.detail }
    : { status: 'taken', detail: ownership.detail, ...(ownership.claim ? { claim: ownership.claim } : {}) };
  switch (page.status) {
    case 'active':
      return verdict;
    case 'quarantined':
      return { status: 'taken', detail: QUARANTINED_DETAIL };
    case 'archived':
      if (verdict.claim) {
        return {
          status: 'taken',
          detail:
            'archived; holds a placeholder naming you that this configuration did not build, and the index refuses every upload ' +
            'to an archived project, so `reserve` cannot verify it: name your account with --account',
        };
      }
      return { ...verdict, detail: `archived; ${verdict.detail}` };
    case 'deprecated':
      return { ...verdict, detail: `deprecated; ${verdict.detail}` };
    case 'unrecognised': {
      const status = `the index gives it the project status '${page.statusText ?? ''}', which this tool does not know`;
      if (verdict.status === 'reserved' && evidence === 'files') {
        return { status: 'unknown', detail: `${status}; ${verdict.detail}, but files alone cannot vouch for it: name your account with --account` };
      }
      return { status: verdict.status, detail: `${status}; ${verdict.detail}` };
    }
  }
}

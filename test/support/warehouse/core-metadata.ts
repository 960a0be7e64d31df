/**
 * packaging.metadata's rules (packaging 26.x, Warehouse's pin), which
 * `Metadata.from_raw` applies to the upload form (fact sheet §4 step 4): which
 * fields exist, in which metadata version each appeared, and the per-field
 * converters with their exact messages. All errors are collected.
 */
import {
  PYTHON_KEYWORDS,
  isIdentifier,
  isValidSpecifierSet,
  parseContentType,
  parseRequirement,
} from './field-syntax.js';
import { canonicalLicenseExpression } from './licenses.js';
import { pyRepr } from './python-text.js';
import { parseVersion } from './versions.js';

export const VALID_METADATA_VERSIONS = ['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5'];

/** Raw (attribute) name → [core-metadata email name, metadata version that added it]. */
export const FIELDS: Record<string, [string, string]> = {
  metadata_version: ['metadata-version', '1.0'],
  name: ['name', '1.0'],
  version: ['version', '1.0'],
  dynamic: ['dynamic', '2.2'],
  platforms: ['platform', '1.0'],
  supported_platforms: ['supported-platform', '1.1'],
  summary: ['summary', '1.0'],
  description: ['description', '1.0'],
  description_content_type: ['description-content-type', '2.1'],
  keywords: ['keywords', '1.0'],
  home_page: ['home-page', '1.0'],
  download_url: ['download-url', '1.1'],
  author: ['author', '1.0'],
  author_email: ['author-email', '1.0'],
  maintainer: ['maintainer', '1.2'],
  maintainer_email: ['maintainer-email', '1.2'],
  license: ['license', '1.0'],
  license_expression: ['license-expression', '2.4'],
  license_files: ['license-file', '2.4'],
  classifiers: ['classifier', '1.1'],
  requires_dist: ['requires-dist', '1.2'],
  requires_python: ['requires-python', '1.2'],
  requires_external: ['requires-external', '1.2'],
  project_urls: ['project-url', '1.2'],
  provides_extra: ['provides-extra', '2.1'],
  provides_dist: ['provides-dist', '1.2'],
  obsoletes_dist: ['obsoletes-dist', '1.2'],
  import_names: ['import-name', '2.5'],
  import_namespaces: ['import-namespace', '2.5'],
  requires: ['requires', '1.1'],
  provides: ['provides', '1.1'],
  obsoletes: ['obsoletes', '1.1'],
};
export const STRING_FIELDS = new Set([
  'author', 'author_email', 'description', 'description_content_type', 'download_url', 'home_page', 'license',
  'license_expression', 'maintainer', 'maintainer_email', 'metadata_version', 'name', 'requires_python', 'summary',
  'version',
]);
export const LIST_FIELDS = new Set([
  'classifiers', 'dynamic', 'license_files', 'obsoletes', 'obsoletes_dist', 'platforms', 'provides', 'provides_dist',
  'provides_extra', 'requires', 'requires_dist', 'requires_external', 'supported_platforms', 'import_names',
  'import_namespaces',
]);
const NAME_RE = /^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;

export type Raw = Record<string, string | string[] | Map<string, string>>;

/** packaging's InvalidMetadata: the field (core-metadata name) and the message. */
export class Invalid {
  constructor(
    readonly field: string,
    readonly message: string,
  ) {}
}

/** packaging's per-field `_process_*` converters; returns the error message or undefined. */
function processField(rawName: string, value: unknown): string | undefined {
  const field = pyRepr(FIELDS[rawName]![0]);
  const str = value as string;
  const list = value as string[];
  switch (rawName) {
    case 'name':
      if (!str) return `${field} is a required field`;
      return NAME_RE.test(str) ? undefined : `${pyRepr(str)} is invalid for ${field}`;
    case 'version':
      if (!str) return `${field} is a required field`;
      return parseVersion(str) ? undefined : `${pyRepr(str)} is invalid for ${field}`;
    case 'summary':
      return str.includes('\n') ? `${field} must be a single line` : undefined;
    case 'description_content_type': {
      const { type, params } = parseContentType(str);
      const types = ['text/plain', 'text/x-rst', 'text/markdown'];
      if (!types.includes(type) || !str.toLowerCase().includes(type)) {
        return `${field} must be one of ['text/plain', 'text/x-rst', 'text/markdown'], not ${pyRepr(str)}`;
      }
      const charset = params.charset ?? 'UTF-8';
      if (charset !== 'UTF-8') return `${field} can only specify the UTF-8 charset, not ${pyRepr(charset)}`;
      const variant = params.variant ?? 'GFM';
      if (type === 'text/markdown' && variant !== 'GFM' && variant !== 'CommonMark') {
        return `valid Markdown variants for ${field} are ['GFM', 'CommonMark'], not ${pyRepr(variant)}`;
      }
      return undefined;
    }
    case 'dynamic':
      for (const d of list.map((x) => x.toLowerCase())) {
        if (['name', 'version', 'metadata-version'].includes(d)) return `${pyRepr(d)} is not allowed as a dynamic field`;
        if (!Object.values(FIELDS).some(([email]) => email === d)) return `${pyRepr(d)} is not a valid dynamic field`;
      }
      return undefined;
    case 'provides_extra':
      for (const n of list) if (!NAME_RE.test(n)) return `${pyRepr(n)} is invalid for ${field}`;
      return undefined;
    case 'requires_python':
      return isValidSpecifierSet(str) ? undefined : `${pyRepr(str)} is invalid for ${field}`;
    case 'requires_dist':
      for (const r of list) if (!parseRequirement(r)) return `${pyRepr(r)} is invalid for ${field}`;
      return undefined;
    case 'license_expression':
      return canonicalLicenseExpression(str) ? undefined : `${pyRepr(str)} is invalid for ${field}`;
    case 'license_files':
      for (const p of list) {
        if (p.includes('..')) return `${pyRepr(p)} is invalid for ${field}, parent directory indicators are not allowed`;
        if (p.includes('*')) return `${pyRepr(p)} is invalid for ${field}, paths must be resolved`;
        if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)) {
          return `${pyRepr(p)} is invalid for ${field}, paths must be relative`;
        }
        if (p.includes('\\')) return `${pyRepr(p)} is invalid for ${field}, paths must use '/' delimiter`;
      }
      return undefined;
    case 'import_names':
    case 'import_namespaces':
      for (const entry of list) {
        const semicolon = entry.indexOf(';');
        const name = (semicolon < 0 ? entry : entry.slice(0, semicolon)).trimEnd();
        for (const id of name.split('.')) {
          if (!isIdentifier(id)) return `${pyRepr(name)} is invalid for ${field}; ${pyRepr(id)} is not a valid identifier`;
          if (PYTHON_KEYWORDS.has(id)) return `${pyRepr(name)} is invalid for ${field}; ${pyRepr(id)} is a keyword`;
        }
        if (semicolon >= 0 && entry.slice(semicolon + 1).trimStart() !== 'private') {
          return `${pyRepr(entry)} is invalid for ${field}; the only valid option is 'private'`;
        }
      }
      return undefined;
    default:
      return undefined;
  }
}

/** `Metadata.from_raw(raw)` validation. */
export function packagingErrors(raw: Raw): Invalid[] {
  const errors: Invalid[] = [];
  const mv = raw.metadata_version as string | undefined;
  const mvOk = mv !== undefined && VALID_METADATA_VERSIONS.includes(mv);
  if (!mvOk) errors.push(new Invalid('metadata-version', `${mv === undefined ? 'None' : pyRepr(mv)} is not a valid metadata version`));
  const keys = new Set([...Object.keys(raw), 'name', 'version']);
  keys.delete('metadata_version');
  for (const key of keys) {
    const [email, added] = FIELDS[key]!;
    if (mvOk && VALID_METADATA_VERSIONS.indexOf(added) > VALID_METADATA_VERSIONS.indexOf(mv!)) {
      errors.push(new Invalid(email, `${email} introduced in metadata version ${added}, not ${mv}`));
      continue;
    }
    const message = processField(key, raw[key]);
    if (message) errors.push(new Invalid(email, message));
  }
  return errors;
}


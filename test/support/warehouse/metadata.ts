/**
 * Metadata validation (fact sheet §4 step 4): Warehouse's
 * `forklift/metadata.py` turns the form into packaging's RawMetadata,
 * `Metadata.from_raw` validates it (all errors collected), then Warehouse adds
 * its own rules. The error reported is for metadata-version, name or version
 * if present, else the alphabetically first field, plus the core-metadata link.
 */
import { DEPRECATED_CLASSIFIERS, KNOWN_CLASSIFIERS } from './classifiers.js';
import { FIELDS, Invalid, LIST_FIELDS, type Raw, STRING_FIELDS, packagingErrors } from './core-metadata.js';
import { addressOf, emailProblem, isValidHttpUrl, parseRequirement } from './field-syntax.js';
import type { MultiDict } from './multidict.js';
import { pyRepr } from './python-text.js';
import { type Pep440Version, normalizeVersion, parseVersion } from './versions.js';

const CORE_METADATA_HELP = 'https://packaging.python.org/specifications/core-metadata';
/** Not in the code we read; the fact sheet says this error links to the local-version section. */
const LOCAL_VERSION_HELP = 'https://packaging.python.org/specifications/version-specifiers/#local-version-identifiers';

/** Form keys that differ from the raw names (forklift/metadata.py `_override`). */
const FORM_KEY_OVERRIDES: Record<string, string> = {
  platforms: 'platform',
  supported_platforms: 'supported_platform',
  license_files: 'license_file',
  import_names: 'import_name',
  import_namespaces: 'import_namespace',
};
const FORM_TO_RAW = new Map(Object.keys(FIELDS).map((raw) => [FORM_KEY_OVERRIDES[raw] ?? raw, raw]));

/** Fields Warehouse lets `Dynamic` name (forklift/metadata.py DYNAMIC_FIELDS), lowercased. */
const DYNAMIC_ALLOWED = new Set(
  [
    'Platform', 'Supported-Platform', 'Summary', 'Description', 'Description-Content-Type', 'Keywords', 'Home-Page',
    'Download-Url', 'Author', 'Author-Email', 'Maintainer', 'Maintainer-Email', 'License', 'License-Expression',
    'License-File', 'Classifier', 'Requires-Dist', 'Requires-Python', 'Requires-External', 'Project-Url',
    'Provides-Extra', 'Provides-Dist', 'Obsoletes-Dist', 'Requires', 'Provides', 'Obsoletes', 'Import-Name',
    'Import-Namespace',
  ].map((f) => f.toLowerCase()),
);


export interface ValidMetadata {
  metadataVersion: string;
  name: string;
  version: Pep440Version;
  /** `str(Version)`, the form Warehouse stores. */
  versionText: string;
  description?: string;
  descriptionContentType?: string;
  licenseFiles?: string[];
  /** Every metadata form field as sent (for the JSON API and `project()`). */
  fields: Record<string, string | string[]>;
}

function parseFormToRaw(form: MultiDict): { raw: Raw; errors: Invalid[] } {
  const raw: Raw = {};
  const errors: Invalid[] = [];
  for (const key of form.keys()) {
    const rawName = FORM_TO_RAW.get(key);
    if (!rawName) continue; // unrelated form data (sha256_digest, :action, ...) is ignored
    const value = form.getAll(key);
    if (value.length === 1 && value[0] === '') continue; // "" means absent
    if (STRING_FIELDS.has(rawName) && value.length === 1) raw[rawName] = value[0]!;
    else if (LIST_FIELDS.has(rawName)) raw[rawName] = value;
    else if (rawName === 'keywords' && value.length === 1) raw[rawName] = value[0]!.split(',').map((k) => k.trim());
    else if (rawName === 'project_urls') {
      const urls = new Map<string, string>();
      let duplicate = false;
      for (const pair of value) {
        const comma = pair.indexOf(',');
        const label = (comma < 0 ? pair : pair.slice(0, comma)).trim();
        const url = comma < 0 ? '' : pair.slice(comma + 1).trim();
        if (urls.has(label)) duplicate = true;
        urls.set(label, url);
      }
      if (duplicate) errors.push(new Invalid(key, `${pyRepr(key)} has invalid data`));
      else raw[rawName] = urls;
    } else errors.push(new Invalid(key, `${pyRepr(key)} has invalid data`));
  }
  return { raw, errors };
}

/** Warehouse's own rules on top (forklift/metadata.py `_validate_metadata`). */
function warehouseErrors(raw: Raw, extraClassifiers: ReadonlySet<string>): Invalid[] {
  const errors: Invalid[] = [];
  const version = parseVersion(raw.version as string)!;
  if (version.local !== undefined) {
    errors.push(new Invalid('version', `The use of local versions in '${normalizeVersion(version)}' is not allowed.`));
  }
  const summary = raw.summary as string | undefined;
  if (summary !== undefined && Array.from(summary).length > 512) {
    errors.push(new Invalid('summary', "'summary' field must be 512 characters or less."));
  }
  for (const rawName of ['author_email', 'maintainer_email']) {
    const value = raw[rawName] as string | undefined;
    if (value === undefined) continue;
    const address = addressOf(value);
    const problem = address ? emailProblem(address) : undefined;
    if (problem) errors.push(new Invalid(FIELDS[rawName]![0], `${pyRepr(address)} is not a valid email address: ${problem}`));
  }
  const classifiers = [...new Set((raw.classifiers as string[] | undefined) ?? [])].sort();
  for (const c of classifiers) {
    if (!KNOWN_CLASSIFIERS.has(c) && !extraClassifiers.has(c)) {
      errors.push(new Invalid('classifier', `${pyRepr(c)} is not a valid classifier.`));
    }
  }
  for (const c of classifiers) {
    const by = DEPRECATED_CLASSIFIERS.get(c);
    if (!by) continue;
    errors.push(
      new Invalid(
        'classifier',
        by.length
          ? `The classifier ${pyRepr(c)} has been deprecated, use one of [${by.map(pyRepr).join(', ')}] instead.`
          : `The classifier ${pyRepr(c)} has been deprecated.`,
      ),
    );
  }
  for (const rawName of ['home_page', 'download_url']) {
    const url = raw[rawName] as string | undefined;
    if (url !== undefined && !isValidHttpUrl(url)) errors.push(new Invalid(FIELDS[rawName]![0], `${pyRepr(url)} is not a valid url.`));
  }
  for (const [label, url] of (raw.project_urls as Map<string, string> | undefined) ?? new Map<string, string>()) {
    if (!label) errors.push(new Invalid('project-url', 'Must have a label'));
    else if (Array.from(label).length > 32) errors.push(new Invalid('project-url', `${pyRepr(label)} must be 32 characters or less.`));
    else if (!url) errors.push(new Invalid('project-url', 'Must have a URL'));
    else if (!isValidHttpUrl(url)) errors.push(new Invalid('project-url', `${pyRepr(url)} is not a valid url`));
  }
  for (const rawName of ['provides_dist', 'obsoletes_dist']) {
    for (const req of (raw[rawName] as string[] | undefined) ?? []) {
      const parsed = parseRequirement(req);
      const email = FIELDS[rawName]![0];
      if (!parsed) errors.push(new Invalid(email, `${pyRepr(req)} is invalid: Expected end or semicolon`));
      else if (parsed.url) errors.push(new Invalid(email, `Can't have direct dependency: ${pyRepr(req)}`));
    }
  }
  for (const req of (raw.requires_dist as string[] | undefined) ?? []) {
    if (parseRequirement(req)?.url) errors.push(new Invalid('requires-dist', `Can't have direct dependency: ${req}`));
  }
  for (const d of (raw.dynamic as string[] | undefined) ?? []) {
    if (!DYNAMIC_ALLOWED.has(d.toLowerCase())) {
      errors.push(new Invalid('dynamic', `Dynamic field ${pyRepr(d.toLowerCase())} is not a valid dynamic field.`));
    }
  }
  if (raw.license && raw.license_expression) {
    errors.push(
      new Invalid('license', 'License is deprecated when License-Expression is present. Only License-Expression should be present.'),
    );
  }
  return errors;
}

function report(errors: Invalid[]): string {
  const byField = new Map<string, Invalid[]>();
  for (const e of errors) byField.set(e.field, [...(byField.get(e.field) ?? []), e]);
  const field = ['metadata-version', 'name', 'version'].find((f) => byField.has(f)) ?? [...byField.keys()].sort()[0]!;
  const error = byField.get(field)![0]!;
  const message = error.message + (error.message.endsWith('.') ? '' : '.');
  const help = message.startsWith('The use of local versions') ? LOCAL_VERSION_HELP : CORE_METADATA_HELP;
  return `${message} See ${help} for more information.`;
}

export function validateMetadata(
  form: MultiDict,
  extraClassifiers: ReadonlySet<string>,
): { meta: ValidMetadata } | { error: string } {
  const { raw, errors: unparsed } = parseFormToRaw(form);
  if (unparsed.length) return { error: report(unparsed) };
  const packaging = packagingErrors(raw);
  if (packaging.length) return { error: report(packaging) };
  const warehouse = warehouseErrors(raw, extraClassifiers);
  if (warehouse.length) return { error: report(warehouse) };

  const version = parseVersion(raw.version as string)!;
  const fields: Record<string, string | string[]> = {};
  for (const key of form.keys()) {
    const rawName = FORM_TO_RAW.get(key);
    if (!rawName) continue;
    const values = form.getAll(key).filter((v) => v !== '');
    if (!values.length) continue;
    fields[key] = LIST_FIELDS.has(rawName) || rawName === 'project_urls' ? values : values[0]!;
  }
  return {
    meta: {
      metadataVersion: raw.metadata_version as string,
      name: raw.name as string,
      version,
      versionText: normalizeVersion(version),
      ...(raw.description !== undefined ? { description: raw.description as string } : {}),
      ...(raw.description_content_type !== undefined ? { descriptionContentType: raw.description_content_type as string } : {}),
      ...(raw.license_files !== undefined ? { licenseFiles: raw.license_files as string[] } : {}),
      fields,
    },
  };
}

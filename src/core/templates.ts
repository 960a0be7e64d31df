/**
 * Renders the files in `templates/` into the sdist's file map.
 *
 * Template syntax, deliberately tiny:
 * - `{{key}}` inserts a value escaped for the file's syntax, chosen by the file
 *   name (`.py` Python literal, `.toml` TOML string, `PKG-INFO` header value,
 *   `.md` Markdown text);
 * - `{{{key}}}` inserts a value verbatim (only for text we generated ourselves,
 *   such as the rendered README used as PKG-INFO's body);
 * - a line holding a placeholder whose value is absent is dropped entirely, so
 *   optional fields leave no empty header behind.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { headerValue, markdownText, pythonString, tomlString } from './escape.js';
import type { PlaceholderMetadata } from './metadata.js';

export type Escaper = (text: string) => string;
export type TemplateValues = Record<string, string | undefined>;

/** A template file, already read. `path` is relative to the sdist's top directory. */
export interface Template {
  path: string;
  text: string;
}

const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
/** Generated files, in the order they are rendered: README first, since PKG-INFO embeds it. */
const TEMPLATE_FILES = ['README.md', 'PKG-INFO', 'pyproject.toml', 'pypi_reserve_placeholder.py', 'setup.py'] as const;

let cached: Template[] | undefined;

/** Reads the shipped templates once per process. */
export function loadTemplates(): Template[] {
  if (!cached) {
    const present = new Set(readdirSync(TEMPLATES_DIR));
    cached = TEMPLATE_FILES.filter((f) => present.has(f)).map((path) => ({
      path,
      text: readFileSync(join(TEMPLATES_DIR, path), 'utf8'),
    }));
    const missing = TEMPLATE_FILES.filter((f) => !present.has(f));
    if (missing.length) throw new Error(`internal: templates missing from the package: ${missing.join(', ')}`);
  }
  return cached;
}

export function escaperFor(path: string): Escaper {
  if (path.endsWith('.py')) return pythonString;
  if (path.endsWith('.toml')) return tomlString;
  if (path.endsWith('.md')) return markdownText;
  if (path === 'PKG-INFO') return headerValue;
  throw new Error(`internal: no escaper for template ${path}`);
}

const PLACEHOLDER = /\{\{(\{?)\s*([a-zA-Z][\w-]*)\s*\}?\}\}/g;

export function renderTemplate(template: Template, values: TemplateValues): string {
  const escape = escaperFor(template.path);
  const lines = template.text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    let absent = false;
    const rendered = line.replace(PLACEHOLDER, (_m, raw: string, key: string) => {
      if (!(key in values)) throw new Error(`internal: template ${template.path} uses unknown key '${key}'`);
      const value = values[key];
      if (value === undefined) {
        absent = true;
        return '';
      }
      return raw ? value : escape(value);
    });
    if (!absent) out.push(rendered);
  }
  return out.join('\n');
}

/** The values templates may use, all derived from one metadata object. */
export function templateValues(meta: PlaceholderMetadata): TemplateValues {
  return {
    name: meta.name,
    normalized: meta.normalized,
    version: meta.version,
    owner: meta.owner,
    contact: meta.contact,
    url: meta.url,
    note: meta.note,
    summary: meta.summary,
    message: meta.message,
    metadataVersion: meta.metadataVersion,
    classifier: meta.classifiers.join(', '),
    keywords: meta.keywords.join(','),
    descriptionContentType: meta.descriptionContentType,
    backendModule: meta.backendModule,
    // Filled in by renderFiles once README.md is rendered.
    description: undefined,
  };
}

/** Renders every template: a map from path (relative to the top directory) to file text. */
export function renderFiles(meta: PlaceholderMetadata, templates: Template[] = loadTemplates()): Map<string, string> {
  const values = templateValues(meta);
  const files = new Map<string, string>();
  for (const template of templates) {
    const text = renderTemplate(template, values);
    files.set(template.path, text);
    if (template.path === 'README.md') values.description = text;
  }
  return files;
}

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

/** A placeholder in a compiled line; it remembers its last value, since most values are the same for every name of a run. */
interface Slot {
  key: string;
  raw: boolean;
  lastValue?: string;
  lastText?: string;
}

/**
 * A template split once into chunks, so rendering a thousand names does not
 * re-parse it: runs of lines without placeholders become one string; a line
 * with placeholders stays a list of text and slots, to be dropped whole when a
 * value is absent.
 */
interface Compiled {
  escape: Escaper;
  chunks: (string | (string | Slot)[])[];
}

const compiled = new WeakMap<Template, Compiled>();

function compile(template: Template): Compiled {
  let c = compiled.get(template);
  if (c) return c;
  const chunks: Compiled['chunks'] = [];
  let plain: string[] = [];
  for (const line of template.text.split('\n')) {
    const matches = [...line.matchAll(PLACEHOLDER)];
    if (matches.length === 0) {
      plain.push(line);
      continue;
    }
    if (plain.length) chunks.push(plain.join('\n'));
    plain = [];
    const parts: (string | Slot)[] = [];
    let last = 0;
    for (const m of matches) {
      if (m.index > last) parts.push(line.slice(last, m.index));
      parts.push({ key: m[2]!, raw: m[1] === '{' });
      last = m.index + m[0].length;
    }
    if (last < line.length) parts.push(line.slice(last));
    chunks.push(parts);
  }
  if (plain.length) chunks.push(plain.join('\n'));
  c = { escape: escaperFor(template.path), chunks };
  compiled.set(template, c);
  return c;
}

export function renderTemplate(template: Template, values: TemplateValues): string {
  const { escape, chunks } = compile(template);
  // Joined once at the end: a flat string, which the tar writer copies as it is.
  const kept: string[] = [];
  chunks: for (const chunk of chunks) {
    if (typeof chunk === 'string') {
      kept.push(chunk);
      continue;
    }
    let text = '';
    for (const part of chunk) {
      if (typeof part === 'string') {
        text += part;
        continue;
      }
      if (!(part.key in values)) throw new Error(`internal: template ${template.path} uses unknown key '${part.key}'`);
      const value = values[part.key];
      // A line holding an absent value is dropped entirely.
      if (value === undefined) continue chunks;
      if (part.raw) text += value;
      else {
        if (part.lastValue !== value) {
          part.lastValue = value;
          part.lastText = escape(value);
        }
        text += part.lastText!;
      }
    }
    kept.push(text);
  }
  return kept.join('\n');
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

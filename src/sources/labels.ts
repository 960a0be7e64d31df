/**
 * How sources are named in messages: paths relative to the working directory
 * when that is shorter to read, URLs with any credentials masked.
 */
import { isAbsolute, relative } from 'node:path';

/** A path as the user would recognise it: relative to `cwd` when inside it, else absolute. */
export function displayPath(cwd: string, absolutePath: string): string {
  const rel = relative(cwd, absolutePath);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? absolutePath : rel;
}

/**
 * A URL with its userinfo replaced by `***`, so a password or token typed into
 * `https://user:secret@host/simple/` never reaches a terminal or a CI log.
 * Strings that are not URLs are returned with anything between `//` and `@` masked.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace('://', '://***@');
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//***@');
  }
}

/**
 * How sources are named in messages: paths relative to the working directory
 * when that is shorter to read. (URLs are masked by core/redact-url.ts.)
 */
import { isAbsolute, relative } from 'node:path';

/** A path as the user would recognise it: relative to `cwd` when inside it, else absolute. */
export function displayPath(cwd: string, absolutePath: string): string {
  const rel = relative(cwd, absolutePath);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? absolutePath : rel;
}


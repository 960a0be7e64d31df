/**
 * Description rendering at upload (fact sheet §4 step 9; warehouse
 * utils/readme.py with readme_renderer, `use_fallback=False`): the upload fails
 * when the renderer returns nothing.
 *   - text/plain always renders.
 *   - text/markdown (cmarkgfm) fails only when the output is empty: the text
 *     is blank or holds nothing but link reference definitions.
 *   - text/x-rst, and no content type (the default is reStructuredText), fail in
 *     docutils on any warning. NOT FAITHFUL: the stand-in has no docutils, so it
 *     only fails blank RST; malformed RST that PyPI rejects passes here.
 */
import { parseContentType } from './field-syntax.js';

function markdownRendersEmpty(text: string): boolean {
  const lines = text.split(/\r\n|\r|\n/);
  return lines.every((line) => !line.trim() || /^ {0,3}\[[^\]]+\]:\s*\S+/.test(line));
}

/** The error message (without the help link) when the description does not render, else undefined. */
export function descriptionProblem(description: string | undefined, contentType: string | undefined): string | undefined {
  // Only a non-empty description is rendered at all.
  if (!description) return undefined;
  const type = contentType ? parseContentType(contentType).type : 'text/x-rst';
  let renders: boolean;
  if (type === 'text/plain') renders = true;
  else if (type === 'text/markdown') renders = !markdownRendersEmpty(description);
  else renders = description.trim() !== '';
  if (renders) return undefined;
  return contentType
    ? `The description failed to render for '${contentType}'.`
    : 'The description failed to render in the default format of reStructuredText.';
}

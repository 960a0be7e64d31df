/**
 * HTML parser benchmark (issue 9 item 5): each reader of server HTML (project
 * page, root listing, upload error page) is fed the hostile shapes that made
 * the former regular expressions cubic or quadratic, at 1 MB each, and the
 * time per parser and shape is printed. A linear reader takes milliseconds on
 * every row; the old project-page expression took 189 s on 36 KB.
 *
 *   node dist/bench/parsers.js [sizeBytes]
 *
 * No assertions: a row far above the others (seconds) means a parser went
 * non-linear. Errors ("not a listing") are expected answers and timed too.
 */
import { performance } from 'node:perf_hooks';
import { parseProjectListHtml } from '../src/core/project-list-parse.js';
import { errorPageMessage } from '../src/core/error-page.js';
import { parseProjectPage } from '../src/registry/project-status.js';

const size = Number(process.argv[2] ?? 1_000_000);
const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length));

const shapes: Record<string, string> = {
  'a-href × many': `<html><body>${fill('<a href="')}</body></html>`,
  'br-br × many': `<html><body>${fill('<br><br>')}</body></html>`,
  'a-space × many': `<html><body>${fill('<a ')}</body></html>`,
  'unclosed tags': `<html><body>${fill('<b x="1" ')}`,
  'deep nesting': `<html><body>${fill('<div><span>')}x`,
  'real links': `<html><body>${fill('<a href="/simple/p/">p</a><br>\n')}</body></html>`,
};

const parsers: Record<string, (body: string) => unknown> = {
  'project page': (body) => parseProjectPage(body, 'text/html'),
  'root listing': (body) => parseProjectListHtml(body, 'https://pypi.org/simple/'),
  'error page': (body) => errorPageMessage(body),
};

console.log(`input size ${size} bytes per shape`);
console.log(['parser'.padEnd(14), 'shape'.padEnd(16), 'ms'.padStart(8), '  answer'].join(''));
for (const [parserName, parse] of Object.entries(parsers)) {
  for (const [shapeName, body] of Object.entries(shapes)) {
    const start = performance.now();
    let answer: string;
    try {
      const result = parse(body);
      answer = Array.isArray(result) ? `${result.length} names` : typeof result === 'object' && result ? `${(result as { files: unknown[] }).files.length} files` : String(result).slice(0, 20);
    } catch (err) {
      answer = `error: ${(err as Error).message.slice(0, 40)}`;
    }
    const ms = performance.now() - start;
    console.log([parserName.padEnd(14), shapeName.padEnd(16), ms.toFixed(1).padStart(8), `  ${answer}`].join(''));
  }
}

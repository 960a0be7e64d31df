/**
 * The message in an HTML error page, as Warehouse (Pyramid) renders one: a
 * generic explanation, `<br/><br/>`, then the message, then `</body>`; a bare
 * status page has only its `<h1>`. One linear pass (core/html-scan.ts), so a
 * hostile page of `<br>` × many costs no more than reading it.
 */
import { scanHtml } from './html-scan.js';
import { decodeEntities } from './html-entities.js';

/** The message after the first `<br><br>` up to `</body>` (undefined when empty), else the `<h1>` text. */
export function errorPageMessage(html: string): string | undefined {
  let brRun = 0;
  let after: string[] | undefined;
  let heading: string[] | undefined;
  let headingDone: string | undefined;
  for (const token of scanHtml(html)) {
    if (token.kind === 'open' && token.name === 'br') {
      if (after === undefined && ++brRun === 2) after = [];
      else if (after) after.push(' ');
      continue;
    }
    if (token.kind === 'text') {
      if (after) after.push(token.text);
      else if (token.text.trim() !== '') brRun = 0;
      if (heading) heading.push(token.text);
      continue;
    }
    if (token.kind === 'open' && token.name === 'h1' && headingDone === undefined) heading = [];
    else if (token.kind === 'close' && token.name === 'h1' && heading) {
      headingDone = heading.join('');
      heading = undefined;
    } else if (token.kind === 'close' && token.name === 'body' && after) {
      // An empty message (Pyramid's page for a bare status) is no message: the caller falls back to the reason.
      return tidy(after.join(''));
    }
    if (after) after.push(' ');
    else brRun = 0;
  }
  // Without </body> the part after the breaks is not known to be the message.
  return headingDone === undefined ? undefined : tidy(headingDone);
}

function tidy(text: string): string | undefined {
  const plain = decodeEntities(text).replace(/\s+/g, ' ').trim();
  return plain === '' ? undefined : plain;
}

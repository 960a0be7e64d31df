/**
 * Warehouse's error responses (fact sheet §6): the status line carries the
 * message (`_exc_with_message`, latin-1), the body is Pyramid's default
 * exception page chosen by `Accept`: HTML for `*`/`*` or `text/html`, JSON for
 * `application/json`, plain text otherwise and when no Accept is sent (§10).
 */
import { acceptableOffers } from './negotiation.js';
import { htmlEscape, pyJson } from './python-text.js';

/** Pyramid's title and explanation per status (pyramid/httpexceptions.py). */
const PYRAMID: Record<number, { title: string; explanation: string }> = {
  200: { title: 'OK', explanation: '' },
  301: { title: 'Moved Permanently', explanation: 'The resource has been moved to' },
  304: { title: 'Not Modified', explanation: '' },
  308: { title: 'Permanent Redirect', explanation: 'The resource has been moved to' },
  400: {
    title: 'Bad Request',
    explanation: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  },
  401: { title: 'Unauthorized', explanation: 'This server could not verify that you are authorized to access the document you requested.  Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.' },
  403: { title: 'Forbidden', explanation: 'Access was denied to this resource.' },
  404: { title: 'Not Found', explanation: 'The resource could not be found.' },
  405: { title: 'Method Not Allowed', explanation: '' },
  409: { title: 'Conflict', explanation: 'There was a conflict when trying to complete your request.' },
  410: { title: 'Gone', explanation: 'This resource is no longer available.  No forwarding address is given.' },
  413: { title: 'Request Entity Too Large', explanation: 'The body of your request was too large for this server.' },
  429: {
    title: 'Too Many Requests',
    explanation: 'The action could not be performed because there were too many requests by the client.',
  },
  500: {
    title: 'Internal Server Error',
    explanation: 'The server has either erred or is incapable of performing the requested operation.',
  },
  502: { title: 'Bad Gateway', explanation: 'Bad gateway.' },
  503: { title: 'Service Unavailable', explanation: 'The server is currently unavailable. Please try again at a later time.' },
  504: { title: 'Gateway Timeout', explanation: 'The gateway has timed out.' },
};

export function pyramidTitle(status: number): string {
  return PYRAMID[status]?.title ?? 'Unknown Error';
}

/** A finished HTTP answer: what the server writes. */
export interface Answer {
  status: number;
  /** Reason phrase as sent (already latin-1 safe). */
  reason: string;
  headers: Record<string, string>;
  body: Buffer | string;
}

/**
 * An error Warehouse raises. `message` (the `detail`) also becomes the reason
 * phrase when `withMessage` is set, as `_exc_with_message` does for every
 * upload error; otherwise the reason is Pyramid's title.
 */
export class WarehouseError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | undefined,
    readonly options: { withMessage?: boolean; headers?: Record<string, string>; location?: string; method?: string } = {},
  ) {
    super(detail ?? pyramidTitle(status));
  }
}

/** `_exc_with_message`: iso-8859-1 with `?` for other characters; CR/LF become spaces, other controls go (Node refuses them). */
export function latin1Reason(message: string): string {
  let out = '';
  for (const ch of message.replace(/[\r\n]/g, ' ')) {
    const code = ch.codePointAt(0)!;
    if (code > 0xff) out += '?';
    else if ((code < 0x20 && ch !== '\t') || code === 0x7f) continue;
    else out += ch;
  }
  return out;
}

/** Renders a Pyramid HTTPException page for the request's Accept header. */
export function renderError(error: WarehouseError, accept: string | undefined): Answer {
  const { status, detail, options } = error;
  const meta = PYRAMID[status] ?? { title: 'Unknown Error', explanation: '' };
  const reason = options.withMessage && detail ? latin1Reason(detail) : meta.title;
  const statusText = `${status} ${reason}`;
  // No (or an empty) Accept header is an empty list of ranges to Pyramid: nothing
  // matches HTML or JSON, so the page is text/plain (§10, correcting §6).
  const match = accept ? (acceptableOffers(accept, ['text/html', 'application/json'])[0] ?? 'text/plain') : 'text/plain';
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.location !== undefined) headers['Location'] = options.location;

  const bodyFor = (escape: (s: string) => string, br: string): string => {
    const d = escape(detail ?? '');
    if (status === 405) {
      return `The method ${escape(options.method ?? 'POST')} is not allowed for this resource. ${br}${br}\n${d}`;
    }
    if (options.location !== undefined) {
      return `${escape(meta.explanation)} ${escape(options.location)}; you should be redirected automatically.\n${d}\n`;
    }
    return `${escape(meta.explanation)}${br}${br}\n${d}\n\n`;
  };

  if (match === 'text/html') {
    const body = bodyFor(htmlEscape, '<br/>');
    headers['Content-Type'] = 'text/html; charset=UTF-8';
    // Pyramid substitutes the status unescaped into <title> and <h1>.
    return {
      status,
      reason,
      headers,
      body: `<html>\n <head>\n  <title>${statusText}</title>\n </head>\n <body>\n  <h1>${statusText}</h1>\n  ${body}\n </body>\n</html>`,
    };
  }
  if (match === 'application/json') {
    headers['Content-Type'] = 'application/json';
    const body = bodyFor((s) => s, '\n');
    return { status, reason, headers, body: pyJson({ message: body, code: statusText, title: meta.title }) };
  }
  headers['Content-Type'] = 'text/plain; charset=UTF-8';
  return { status, reason, headers, body: `${statusText}\n\n${bodyFor((s) => s, '\n')}` };
}

/** The 200 answer of a successful (or idempotent duplicate) upload: `HTTPOk()` with no body renders Pyramid's page. */
export function uploadOk(accept: string | undefined): Answer {
  return renderError(new WarehouseError(200, undefined), accept);
}

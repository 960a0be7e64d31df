/**
 * Reading Warehouse's answers. Its message is in the status line and in the
 * body (fact sheet §6); HTTP/2 has no reason phrase, so the body counts too.
 */
import { errorPageMessage } from '../core/error-page.js';

export interface ServerAnswer {
  status: number;
  /** The reason phrase without the status code, if the server sent one. */
  reason: string;
  body: string;
  headers: AnswerHeaders;
  /** Why the body is empty although the server sent one (it was past the deadline or the size cap). */
  unread?: string;
}

/**
 * The one thing read from an answer's headers: a value by name, repeated
 * headers joined with ", ", null when absent (as the Fetch `Headers.get` does,
 * so a `Headers` object serves too).
 */
export interface AnswerHeaders {
  get(name: string): string | null;
}

const GENERIC_REASONS = new Set(['OK', 'Bad Request', 'Forbidden', 'Not Found', 'Conflict', 'Too Many Requests', 'Internal Server Error', 'Service Unavailable', 'Bad Gateway', 'Gateway Timeout', '']);

/** The most specific message the server gave: the reason phrase unless generic, else one taken from the body. */
export function serverMessage(answer: ServerAnswer): string {
  const reason = answer.reason.replace(/^\d{3}\s+/, '').trim();
  if (!GENERIC_REASONS.has(reason)) return reason;
  return bodyMessage(answer.body) ?? (reason || `HTTP ${answer.status}`);
}

function bodyMessage(body: string): string | undefined {
  const text = body.trim();
  if (!text) return undefined;
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as { message?: unknown; code?: unknown };
      if (typeof json.message === 'string') {
        const lines = json.message.split('\n').map((l) => l.trim()).filter(Boolean);
        return lines[lines.length - 1];
      }
    } catch {
      /* not JSON after all */
    }
  }
  if (/<html|<body|<h1/i.test(text)) return errorPageMessage(text);
  // Not cut to length here: whoever shows it redacts secrets first, then caps it.
  return text.split('\n').map((l) => l.trim()).filter(Boolean).pop();
}


/** Both the reason and the body, for matching key phrases wherever the server put them. */
export function answerText(answer: ServerAnswer): string {
  return `${answer.reason}\n${answer.body}`;
}

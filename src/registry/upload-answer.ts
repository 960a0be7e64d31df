/**
 * What an upload answer means (fact sheet §3–§6). Pure: matches the status and
 * Warehouse's key phrases, which it puts in the status line and the body.
 */
import { answerText, serverMessage, type ServerAnswer } from './responses.js';
import { RETRYABLE_UPLOAD_STATUSES } from './http.js';
import { parseRateLimit, type RateLimitInfo } from '../core/pace.js';

/**
 * `rate`: the RateLimit headers, on every answer that carried them (the ones
 * that went through the new-project path).
 */
export type UploadVerdict = VerdictKind & { rate?: RateLimitInfo };

type VerdictKind =
  | { kind: 'uploaded' }
  /**
   * "File already exists": Warehouse checks upload permission before it looks
   * for duplicates (fact sheet §4, steps 7 and 14), so this answer proves the
   * project accepts our uploads.
   */
  | { kind: 'file-exists'; message: string }
  /** 409: someone created the project while we were creating it: look again to see whose it is. */
  | { kind: 'exists-recheck'; message: string }
  | { kind: 'taken'; message: string }
  /** The file name belonged to a deleted file: PyPI never accepts it again (fact sheet §4 step 15). */
  | { kind: 'filename-reused'; message: string }
  | { kind: 'prohibited'; message: string }
  | { kind: 'too-similar'; message: string }
  | { kind: 'quota'; message: string }
  /** The index refuses new projects or uploads for now: stop, try later. */
  | { kind: 'index-closed'; message: string }
  /** The credential is refused or unfit: stop at once, never try the next name with it. */
  | { kind: 'credential'; code: string; message: string; hint: string }
  | { kind: 'redirect'; message: string; hint: string }
  /**
   * `final`: the index did not answer within the deadline, or too much: a
   * second attempt would wait as long again (and may spend another slot).
   */
  | { kind: 'retryable'; message: string; final?: boolean }
  | { kind: 'failed'; message: string };

export function judgeUploadAnswer(answer: ServerAnswer): UploadVerdict {
  const rate = parseRateLimit(answer.headers.get('ratelimit-policy'), answer.headers.get('ratelimit'));
  const verdict = judge(answer);
  return rate ? { ...verdict, rate } : verdict;
}

function judge(answer: ServerAnswer): VerdictKind {
  const { status } = answer;
  // Before the message is dug out of the body: a success needs none.
  if (status >= 200 && status < 300) return { kind: 'uploaded' };
  const message = serverMessage(answer);
  const text = answerText(answer);
  if (status >= 300 && status < 400) {
    const location = answer.headers.get('location');
    return {
      kind: 'redirect',
      message: `the upload URL answered ${status} (redirect${location ? ` to ${location}` : ''}); uploads never follow redirects`,
      hint: /\/legacy\/$/.test(location ?? '') || /trailing slash/i.test(text)
        ? 'the upload URL must end with /legacy/ (with the trailing slash)'
        : `use the final upload URL${location ? ` (${location})` : ''} with --repository-url`,
    };
  }
  if (status === 429) return { kind: 'quota', message };
  if (RETRYABLE_UPLOAD_STATUSES.has(status)) return { kind: 'retryable', message };
  if (status === 403) return judgeForbidden(text, message);
  if (status === 409) return { kind: 'exists-recheck', message };
  if (status === 400) {
    if (/File already exists/i.test(text)) return { kind: 'file-exists', message };
    if (/previously used by a file that has since been deleted/i.test(text)) return { kind: 'filename-reused', message };
    if (/too similar to an existing project/i.test(text)) return { kind: 'too-similar', message };
    if (/isn't allowed/i.test(text)) return { kind: 'prohibited', message };
    if (/New project registration temporarily disabled/i.test(text)) return { kind: 'index-closed', message };
  }
  return { kind: 'failed', message };
}

function judgeForbidden(text: string, message: string): VerdictKind {
  if (/isn't allowed to upload to project/i.test(text)) return { kind: 'taken', message };
  if (/Invalid or non-existent authentication information/i.test(text)) {
    return {
      kind: 'credential',
      code: 'E_AUTH_INVALID',
      message: `the index refused the token: ${message}`,
      hint: 'check that the token is current and belongs to this index (a pypi.org token is not valid on test.pypi.org, and the reverse)',
    };
  }
  if (/Username\/Password authentication is no longer supported/i.test(text)) {
    return {
      kind: 'credential',
      code: 'E_AUTH_PASSWORD',
      message: `the index refused a username and password: ${message}`,
      hint: 'use an API token with the username __token__ (unset TWINE_USERNAME or set it to __token__)',
    };
  }
  if (/project-scoped token is not valid/i.test(text)) {
    return {
      kind: 'credential',
      code: 'E_TOKEN_SCOPE',
      message: `the token is scoped to other projects and cannot create new ones: ${message}`,
      hint: 'create an API token with the scope "Entire account" to reserve new names',
    };
  }
  // Every caveat failure (expired, wrong signature, restricted) answers so, after
  // the project was created and its quota slot spent (fact sheet §10).
  const caveat = /Invalid API Token:\s*(.*)/i.exec(message);
  if (caveat) {
    return {
      kind: 'credential',
      code: 'E_TOKEN_REFUSED',
      message: `the index refused the token: ${caveat[1]!.trim() || message}`,
      hint: 'create a new API token (scope "Entire account") and store it where this run reads it; nothing more is sent with this one',
    };
  }
  if (/verified primary email|two-factor authentication/i.test(text)) {
    return {
      kind: 'credential',
      code: 'E_ACCOUNT_SETUP',
      message: `the account cannot create projects yet: ${message}`,
      hint: 'verify the primary e-mail address and enable two-factor authentication on the account that owns the token',
    };
  }
  if (/Read-only mode|temporarily disabled/i.test(text)) return { kind: 'index-closed', message };
  return { kind: 'failed', message };
}

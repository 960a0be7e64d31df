/**
 * Sends one upload form to the legacy API (fact sheet §2) as one prebuilt
 * multipart body (core/multipart: the description keeps its line endings)
 * through undici's dispatcher with a plain handler (registry/exchange.ts),
 * which costs far less per call than fetch, and less than `request()`.
 * Redirects are never followed: a redirected POST could carry the token
 * somewhere else, and PyPI's only redirect here (`/legacy` → `/legacy/`) means
 * the URL is wrong.
 *
 * The answer is bounded in time and size: a server that never finishes, or
 * streams without end, cannot hold the run; Warehouse's answers are a few KiB.
 */
import type { Dispatcher } from 'undici';
import { encodeMultipart, type MultipartBody } from '../core/multipart.js';
import type { UploadForm } from '../core/upload-form.js';
import type { Credential } from './credentials.js';
import { exchange } from './exchange.js';
import type { AnswerHeaders, ServerAnswer } from './responses.js';

/** A placeholder is a few KB: minutes are plenty for sending it and hearing back, and a stalled server ends. */
export const UPLOAD_DEADLINE_MS = 5 * 60_000;
/** Warehouse's answers are a few KB; anything past this is not an answer worth reading. */
export const UPLOAD_ANSWER_MAX_BYTES = 1024 * 1024;

export interface UploadLimits {
  deadlineMs?: number;
  maxAnswerBytes?: number;
  /**
   * Called once the request is handed to undici, for work to do while the
   * index answers. Schedule it with setImmediate: undici writes a request on a
   * reused keep-alive connection from an immediate of its own (it first lets
   * the loop see a FIN or stray bytes on the idle socket), so work done at once
   * would hold the request back instead of overlapping the server's time.
   */
  whileWaiting?: () => void;
}

/** `form` may come already encoded (a run that re-sends, or prepares the next upload while this one is answered). */
export async function sendUpload(
  uploadUrl: string,
  form: UploadForm | MultipartBody,
  credential: Credential,
  dispatcher: Dispatcher | undefined,
  limits: UploadLimits = {},
): Promise<ServerAnswer> {
  const { contentType, body } = 'body' in form ? form : encodeMultipart(form);
  const authorization = `Basic ${Buffer.from(`${credential.username}:${credential.token}`).toString('base64')}`;
  const answer = await exchange({
    method: 'POST',
    url: uploadUrl,
    // HTML like twine gets (*/*), so answers match what the fact sheet records.
    headers: { authorization, accept: '*/*', 'user-agent': 'pypi-reserve', 'content-type': contentType, 'content-length': String(body.length) },
    body,
    dispatcher,
    maxBytes: limits.maxAnswerBytes ?? UPLOAD_ANSWER_MAX_BYTES,
    deadlineMs: limits.deadlineMs ?? UPLOAD_DEADLINE_MS,
    // No interrupt signal: an upload under way is allowed to finish.
    ...(limits.whileWaiting ? { onDispatched: limits.whileWaiting } : {}),
  });
  // Once the status line came, the upload was received and the status says what
  // happened to it: a body cut short (deadline, cap, broken connection) is
  // reported as `unread` and the answer judged by its status alone, so it never
  // makes a created project look retryable.
  return {
    status: answer.status,
    reason: answer.reason,
    headers: toHeaders(answer.headers),
    body: answer.body,
    ...(answer.unread ? { unread: answer.unread.message } : {}),
  };
}

/**
 * undici's header record (names lowercased, repeats as arrays) read as
 * `Headers.get` reads: repeated headers joined with ", ", null when absent.
 * Not the global `Headers`: its first use loads Node's own bundled copy of
 * undici, about 0.1 s of CPU in the run's first upload (measured with --cpu-prof).
 */
function toHeaders(record: Record<string, string | string[] | undefined>): AnswerHeaders {
  return {
    get: (name) => {
      const value = record[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

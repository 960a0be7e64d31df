/**
 * Sends one upload form to the legacy API (fact sheet §2) as one prebuilt
 * multipart body (core/multipart: the description keeps its line endings) with
 * undici's low-level `request`, which costs far less per call than fetch.
 * Redirects are never followed: a redirected POST could carry the token
 * somewhere else, and PyPI's only redirect here (`/legacy` → `/legacy/`) means
 * the URL is wrong.
 *
 * The answer is bounded in time and size: a server that never finishes, or
 * streams without end, cannot hold the run; Warehouse's answers are a few KiB.
 */
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import { encodeMultipart, type MultipartBody } from '../core/multipart.js';
import type { UploadForm } from '../core/upload-form.js';
import type { Credential } from './credentials.js';
import { connectionMessage, HttpError } from './http.js';
import { abortError, readCappedText } from './read.js';
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
  const deadlineMs = limits.deadlineMs ?? UPLOAD_DEADLINE_MS;
  const { contentType, body } = 'body' in form ? form : encodeMultipart(form);
  const authorization = `Basic ${Buffer.from(`${credential.username}:${credential.token}`).toString('base64')}`;
  const { request } = await undici();
  // Not the run's Ctrl-C signal: an upload under way is allowed to finish.
  const deadline = AbortSignal.timeout(deadlineMs);
  try {
    const answered = request(uploadUrl, {
      method: 'POST',
      body,
      // HTML like twine gets (*/*), so answers match what the fact sheet records.
      headers: { authorization, accept: '*/*', 'user-agent': 'pypi-reserve', 'content-type': contentType, 'content-length': String(body.length) },
      signal: deadline,
      ...(dispatcher ? { dispatcher } : {}),
    });
    limits.whileWaiting?.();
    const response = await answered;
    const answer = { status: response.statusCode, reason: response.statusText ?? '', headers: toHeaders(response.headers) };
    try {
      return { ...answer, body: await readCappedText(response.body, limits.maxAnswerBytes ?? UPLOAD_ANSWER_MAX_BYTES, 'POST', uploadUrl) };
    } catch (err) {
      // The status line came: the upload was received and the status says what
      // happened to it. Judged by the status alone (with no body), so a body past
      // the deadline or the size cap never makes a created project look retryable.
      const failure = err instanceof HttpError ? err : abortError('POST', uploadUrl, undefined, deadline, deadlineMs);
      return { ...answer, body: '', unread: (failure ?? new HttpError({ method: 'POST', url: uploadUrl, message: connectionMessage(err) })).message };
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw abortError('POST', uploadUrl, undefined, deadline, deadlineMs) ?? new HttpError({ method: 'POST', url: uploadUrl, message: connectionMessage(err), cause: err });
  }
}

/**
 * undici's header record (names lowercased) read as `Headers.get` reads.
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

/**
 * Sends one upload form to the legacy API (fact sheet §2) with undici's own
 * FormData, which sets the multipart boundary and content type itself.
 * Redirects are never followed: a redirected POST could carry the token
 * somewhere else, and PyPI's only redirect here (`/legacy` → `/legacy/`) means
 * the URL is wrong.
 */
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import type { UploadForm } from '../core/upload-form.js';
import type { Credential } from './credentials.js';
import { connectionMessage, HttpError } from './http.js';
import { abortError, readCappedText } from './read.js';
import type { ServerAnswer } from './responses.js';

/** Warehouse's answers are a few KB; anything past this is not an answer worth reading. */
export const UPLOAD_ANSWER_MAX_BYTES = 1024 * 1024;
/** A placeholder is a few KB: minutes are plenty for sending it and hearing back, and a stalled server ends. */
export const UPLOAD_DEADLINE_MS = 5 * 60_000;

export async function sendUpload(
  uploadUrl: string,
  form: UploadForm,
  credential: Credential,
  dispatcher: Dispatcher | undefined,
): Promise<ServerAnswer> {
  const { FormData, fetch } = await undici();
  const body = new FormData();
  for (const field of form.fields) body.append(field.name, field.value);
  body.append(form.file.name, new Blob([form.file.bytes], { type: form.file.contentType }), form.file.filename);
  const authorization = `Basic ${Buffer.from(`${credential.username}:${credential.token}`).toString('base64')}`;
  // Not the run's Ctrl-C signal: an upload under way is allowed to finish.
  const deadline = AbortSignal.timeout(UPLOAD_DEADLINE_MS);
  const fail = (err: unknown): never => {
    if (err instanceof HttpError) throw err;
    throw abortError('POST', uploadUrl, undefined, deadline, UPLOAD_DEADLINE_MS) ?? new HttpError({ method: 'POST', url: uploadUrl, message: connectionMessage(err), cause: err });
  };
  let response;
  try {
    response = await fetch(uploadUrl, {
      method: 'POST',
      body,
      redirect: 'manual',
      // HTML like twine gets (*/*), so answers match what the fact sheet records.
      headers: { authorization, accept: '*/*', 'user-agent': 'pypi-reserve' },
      signal: deadline,
      ...(dispatcher ? { dispatcher } : {}),
    });
  } catch (err) {
    return fail(err);
  }
  const text = response.body ? await readCappedText(response.body, UPLOAD_ANSWER_MAX_BYTES, 'POST', uploadUrl).catch(fail) : '';
  return { status: response.status, reason: response.statusText, body: text, headers: response.headers };
}

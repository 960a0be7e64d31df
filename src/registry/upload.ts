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
import type { ServerAnswer } from './responses.js';

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
  let response;
  try {
    response = await fetch(uploadUrl, {
      method: 'POST',
      body,
      redirect: 'manual',
      // HTML like twine gets (*/*), so answers match what the fact sheet records.
      headers: { authorization, accept: '*/*', 'user-agent': 'pypi-reserve' },
      ...(dispatcher ? { dispatcher } : {}),
    });
  } catch (err) {
    throw new HttpError({ method: 'POST', url: uploadUrl, message: connectionMessage(err), cause: err });
  }
  const text = await response.text();
  return { status: response.status, reason: response.statusText, body: text, headers: response.headers };
}

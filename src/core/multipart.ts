/**
 * The upload form as one multipart/form-data body, built once as bytes.
 *
 * Why not FormData: HTML form encoding turns every line break of a field into
 * CRLF (undici's FormData does so), and PyPI stores the description exactly as
 * the part carries it (fact sheet §10, "Line endings"). A field sent here keeps
 * its bytes, so the description PyPI stores is PKG-INFO's body, LF for LF.
 * Fields go as plain parts (no filename), because Warehouse refuses a metadata
 * field sent as a file ("description: Should not be a tuple", §10).
 *
 * Pure and deterministic: the boundary is derived from the file's SHA-256 (the
 * form's sha256_digest when it has one), so the same form always gives the
 * same bytes (and tests can compare them).
 */
import { createHash } from 'node:crypto';
import type { UploadForm } from './upload-form.js';

export interface MultipartBody {
  /** `multipart/form-data; boundary=…` */
  contentType: string;
  body: Uint8Array;
}

const CRLF = '\r\n';

/** Quoted-string escaping of the HTML standard for names in Content-Disposition. */
function quoted(value: string): string {
  // Most names (every field name of an upload form) need no escape: one test instead of three replacements.
  return /[\r\n"]/.test(value) ? `"${value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')}"` : `"${value}"`;
}

export function encodeMultipart(form: UploadForm): MultipartBody {
  const fieldText = form.fields.map((f) => `Content-Disposition: form-data; name=${quoted(f.name)}${CRLF}${CRLF}${f.value}`);
  const boundary = chooseBoundary(form, fieldText);
  const head = fieldText.map((part) => `--${boundary}${CRLF}${part}${CRLF}`).join('');
  const fileHead =
    `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoted(form.file.name)}; filename=${quoted(form.file.filename)}${CRLF}` +
    `Content-Type: ${form.file.contentType}${CRLF}${CRLF}`;
  const tail = `${CRLF}--${boundary}--${CRLF}`;
  const body = Buffer.concat([Buffer.from(head + fileHead, 'utf8'), form.file.bytes, Buffer.from(tail, 'latin1')]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}

/** A boundary that occurs in no part (checked, not hoped for: the file is arbitrary bytes). */
function chooseBoundary(form: UploadForm, fieldText: readonly string[]): string {
  const base = `pypi-reserve-${fileSha256(form).slice(0, 32)}`;
  const file = Buffer.from(form.file.bytes.buffer, form.file.bytes.byteOffset, form.file.bytes.byteLength);
  for (let n = 0; ; n++) {
    const boundary = n === 0 ? base : `${base}-${n}`;
    if (!fieldText.some((t) => t.includes(boundary)) && !file.includes(boundary, 0, 'latin1')) return boundary;
  }
}

/**
 * The file's SHA-256 in hex: the form's own sha256_digest field when it holds
 * one (an upload form always does, computed from these bytes when the sdist was
 * built), so the file is not hashed a second time; computed otherwise.
 */
function fileSha256(form: UploadForm): string {
  const given = form.fields.find((f) => f.name === 'sha256_digest')?.value;
  return given !== undefined && /^[0-9a-f]{64}$/.test(given) ? given : createHash('sha256').update(form.file.bytes).digest('hex');
}

/**
 * Sends one upload form to the legacy API (fact sheet §2) as one prebuilt
 * multipart body (core/multipart: the description keeps its line endings)
 * through undici's dispatcher with a plain handler (UploadExchange below),
 * which costs far less per call than fetch, and less than `request()`.
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
import { deadlineError, tooLargeError } from './read.js';
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
  const { defaultDispatcher, parseHeaders } = await undici();
  let target: URL;
  try {
    target = new URL(uploadUrl);
  } catch (err) {
    throw new HttpError({ method: 'POST', url: uploadUrl, message: connectionMessage(err), cause: err });
  }
  return new Promise<ServerAnswer>((resolve, reject) => {
    // Not the run's Ctrl-C signal: an upload under way is allowed to finish.
    const exchange = new UploadExchange(uploadUrl, limits.deadlineMs ?? UPLOAD_DEADLINE_MS, limits.maxAnswerBytes ?? UPLOAD_ANSWER_MAX_BYTES, parseHeaders, resolve, reject);
    (dispatcher ?? defaultDispatcher()).dispatch(
      {
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        body,
        // HTML like twine gets (*/*), so answers match what the fact sheet records.
        headers: { authorization, accept: '*/*', 'user-agent': 'pypi-reserve', 'content-type': contentType, 'content-length': String(body.length) },
      },
      exchange as unknown as Dispatcher.DispatchHandler,
    );
    limits.whileWaiting?.();
  });
}

/**
 * One upload's exchange as an undici dispatch handler: the status line, the
 * headers and at most `maxBytes` of answer, within `deadlineMs` for the whole
 * exchange. A handler instead of `request()`, whose answer comes as a Readable
 * stream read through an async iterator: that machinery ran cold for each of a
 * run's few dozen uploads (about 0.2 ms of CPU per upload more, measured over
 * 50 uploads in fresh processes).
 *
 * Once the status line came, the upload was received and the status says what
 * happened to it: a body cut short (deadline, cap, broken connection) is
 * reported as `unread` and the answer judged by its status alone, so it never
 * makes a created project look retryable. Before that, the failure is thrown.
 */
class UploadExchange {
  private abortRequest: ((reason: Error) => void) | undefined;
  /** Why this side ended the exchange: its deadline, or an answer past the cap. */
  private ended: HttpError | undefined;
  private settled = false;
  private status: number | undefined;
  private reason = '';
  private headers: Record<string, string | string[] | undefined> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    deadlineMs: number,
    private readonly maxBytes: number,
    private readonly parseHeaders: (raw: Buffer[]) => Record<string, string | string[] | undefined>,
    private readonly resolve: (answer: ServerAnswer) => void,
    private readonly reject: (err: HttpError) => void,
  ) {
    this.timer = setTimeout(() => this.end(deadlineError('POST', url, deadlineMs)), deadlineMs);
  }

  onConnect(abort: (reason: Error) => void): void {
    // Past the deadline before a connection was free: the upload is never sent.
    if (this.ended) abort(this.ended);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true; // 1xx: the answer is still to come
    this.status = statusCode;
    this.reason = statusText ?? '';
    this.headers = this.parseHeaders(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.end(tooLargeError('POST', this.url, this.maxBytes));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.settle(() => this.resolve({ ...this.answer(), body: Buffer.concat(this.chunks, this.size).toString('utf8') }));
  }

  onError(err: Error): void {
    const failure = this.ended ?? (err instanceof HttpError ? err : new HttpError({ method: 'POST', url: this.url, message: connectionMessage(err), cause: err }));
    if (this.status !== undefined) this.settle(() => this.resolve({ ...this.answer(), body: '', unread: failure.message }));
    else this.settle(() => this.reject(failure));
  }

  /** Ends the exchange from this side; undici answers an abort with onError. */
  private end(why: HttpError): void {
    if (this.settled || this.ended) return;
    this.ended = why;
    if (this.abortRequest) this.abortRequest(why);
    else this.onError(why);
  }

  private settle(report: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    report();
  }

  private answer(): Omit<ServerAnswer, 'body'> {
    return { status: this.status!, reason: this.reason, headers: toHeaders(this.headers) };
  }
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

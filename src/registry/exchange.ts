/**
 * One HTTP exchange through undici's dispatcher with a plain handler: the
 * status line, the headers and at most `maxBytes` of answer, within
 * `deadlineMs` for the whole exchange however slowly it trickles, and ended at
 * once by the run's interrupt when one is given. Page reads (read.ts) and
 * uploads (upload.ts) both go through here, so their limits and error words
 * are one mechanism.
 *
 * A handler, not undici's `request()`: that wraps every answer in a Readable
 * stream read through an async iterator, with combined abort signals per call,
 * about a third of `check`'s CPU over a thousand pages and 0.2 ms more per
 * upload (bench/check-reserve, --cpu-prof). No redirect is followed here.
 */
import type { Dispatcher } from 'undici';
import { undici } from './undici.js';
import { ReserveError } from '../core/errors.js';
import { connectionMessage, headersOverflowed, HttpError, installationDamage } from './http.js';

export interface ExchangeRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  dispatcher: Dispatcher | undefined;
  /** Largest answer body accepted, in bytes. */
  maxBytes: number;
  /** Time for the whole exchange, from sending the request to the body's last byte. */
  deadlineMs: number;
  /** The run's interrupt: aborting it ends the exchange at once (reads only: an upload under way may finish). */
  signal?: AbortSignal;
  /** Called once undici has the request, for work to overlap the server's time. */
  onDispatched?: () => void;
}

export interface ExchangeAnswer {
  status: number;
  /** The reason phrase, if the server sent one. */
  reason: string;
  /** Names lower-cased, repeats as arrays (undici's reading). */
  headers: Record<string, string | string[] | undefined>;
  /** Empty when `unread` is set. */
  body: string;
  /** Why the body was not read to its end although the status line came: deadline, cap, interrupt or a broken connection. */
  unread?: HttpError;
}

/** Resolves once the status line came (see `unread`); rejects with an HttpError when it never did (a ReserveError when pypi-reserve's own files are damaged). */
export async function exchange(request: ExchangeRequest): Promise<ExchangeAnswer> {
  const { method, url, signal } = request;
  if (signal?.aborted) throw interruptedError(method, url);
  const { defaultDispatcher, parseHeaders } = await undici();
  // Again after the wait: an abort while undici loaded fired no event the handler could still hear.
  if (signal?.aborted) throw interruptedError(method, url);
  let target: URL;
  try {
    target = new URL(url);
  } catch (err) {
    throw new HttpError({ method, url, message: connectionMessage(err), cause: err });
  }
  return new Promise<ExchangeAnswer>((resolve, reject) => {
    const handler = new CappedExchange(request, parseHeaders, resolve, reject);
    (request.dispatcher ?? defaultDispatcher()).dispatch(
      { origin: target.origin, path: `${target.pathname}${target.search}`, method, headers: request.headers, ...(request.body ? { body: request.body } : {}) },
      handler as unknown as Dispatcher.DispatchHandler,
    );
    request.onDispatched?.();
  });
}

/** The handler undici calls back: collects the answer and keeps the limits. */
class CappedExchange {
  private abortRequest: ((reason: Error) => void) | undefined;
  /** Why this side ended the exchange: its deadline, the interrupt, or an answer past the cap. */
  private ended: HttpError | undefined;
  private settled = false;
  private status: number | undefined;
  private reason = '';
  private headers: ExchangeAnswer['headers'] = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly onInterrupt = () => this.end(interruptedError(this.request.method, this.request.url));

  constructor(
    private readonly request: ExchangeRequest,
    private readonly parseHeaders: (raw: Buffer[]) => ExchangeAnswer['headers'],
    private readonly resolve: (answer: ExchangeAnswer) => void,
    private readonly reject: (err: HttpError | ReserveError) => void,
  ) {
    this.timer = setTimeout(() => this.end(deadlineError(request.method, request.url, request.deadlineMs)), request.deadlineMs);
    request.signal?.addEventListener('abort', this.onInterrupt, { once: true });
  }

  onConnect(abort: (reason: Error) => void): void {
    // Ended before a connection was free: the request is never sent.
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
    if (this.size > this.request.maxBytes) {
      this.end(tooLargeError(this.request.method, this.request.url, this.request.maxBytes));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.settle(() => this.resolve({ ...this.answer(), body: Buffer.concat(this.chunks, this.size).toString('utf8') }));
  }

  onError(err: Error): void {
    const damaged = installationDamage(err);
    if (damaged) {
      this.settle(() => this.reject(damaged));
      return;
    }
    const { method, url } = this.request;
    const failure =
      this.ended ??
      (err instanceof HttpError
        ? err
        : headersOverflowed(err)
          ? headersTooLargeError(method, url)
          : new HttpError({ method, url, message: connectionMessage(err), cause: err }));
    if (this.status !== undefined) this.settle(() => this.resolve({ ...this.answer(), body: '', unread: failure }));
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
    this.request.signal?.removeEventListener('abort', this.onInterrupt);
    report();
  }

  private answer(): Omit<ExchangeAnswer, 'body'> {
    return { status: this.status!, reason: this.reason, headers: this.headers };
  }
}

function interruptedError(method: string, url: string): HttpError {
  return new HttpError({ method, url, code: 'EINTERRUPTED', message: 'interrupted' });
}

function deadlineError(method: string, url: string, deadlineMs: number): HttpError {
  return new HttpError({ method, url, code: 'ETIMEOUT', message: `no complete answer within ${Math.round(deadlineMs / 1000)} s; the server is too slow or stalled` });
}

function tooLargeError(method: string, url: string, maxBytes: number): HttpError {
  return new HttpError({ method, url, code: 'ETOOLARGE', message: `the answer is larger than ${describeBytes(maxBytes)}; it was not read further` });
}

/** Past the agent's cap on header bytes (the CLI's: cli/world.ts): final, as a body past its cap is. */
function headersTooLargeError(method: string, url: string): HttpError {
  return new HttpError({ method, url, code: 'ETOOLARGE', message: "the answer's headers are larger than this client accepts; it was not read further" });
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`;
}

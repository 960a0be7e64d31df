import type { Redactor } from '../registry/redact.js';

/**
 * Wraps an output stream so nothing written through it can carry a secret,
 * whatever code path produced the text: the last line of defence after
 * redacting at each source.
 */
export function redactingStream<T extends NodeJS.WritableStream>(stream: T, redactor: Redactor): T {
  return new Proxy(stream, {
    get(target, prop, receiver) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => boolean).call(target, typeof chunk === 'string' ? redactor.redact(chunk) : chunk, ...rest);
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

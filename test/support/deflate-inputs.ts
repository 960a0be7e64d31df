/**
 * Inputs for the deflate's specs (test/gzip.test.ts, test/deflate-wasm.test.ts):
 * bytes with the repeats deflate looks for.
 */
import fc from 'fast-check';

/** Runs, copies from near and far, placeholder-like text, and noise. */
export const compressible: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.record({ byte: fc.integer({ min: 0, max: 255 }), length: fc.integer({ min: 1, max: 700 }) }).map(({ byte, length }) => new Uint8Array(length).fill(byte)),
      fc.constantFrom('# a reserved name\n', 'def build_wheel(wheel_directory, config_settings=None):\n    _refuse()\n\n').map((s) => new Uint8Array(Buffer.from(s))),
    ),
    { maxLength: 60 },
  )
  .map((parts) => new Uint8Array(Buffer.concat(parts)));

/** `base` with a few stretches replaced, put in or cut out: a placeholder of another name, roughly. */
export const edited = (base: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc
    .array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 40 }), put: fc.uint8Array({ maxLength: 60 }) }), { maxLength: 12 })
    .map((edits) => {
      let out = Buffer.from(base);
      for (const { at, cut, put } of edits) {
        const i = out.length === 0 ? 0 : at % out.length;
        out = Buffer.concat([out.subarray(0, i), put, out.subarray(i + cut)]);
      }
      return new Uint8Array(out);
    });

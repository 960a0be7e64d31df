/**
 * Our own deflate (core/gzip.ts, core/deflate/): every archive it makes is a
 * valid gzip member whose content is exactly the input, checked by an
 * independent decoder (Node's zlib), with and without a reference; the
 * Huffman codes obey deflate's limits; and the bytes of a placeholder are
 * pinned, since any change to the parse changes what is published.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { gzip, gzipReference } from '../src/core/gzip.js';
import { codeLengths } from '../src/core/deflate/huffman.js';
import { buildSdist, DEFAULT_MTIME, placeholderTar, prepareSdists } from '../src/core/sdist.js';
import { placeholderMetadata, type PlaceholderOptions } from '../src/core/metadata.js';
import { loadTemplates } from '../src/core/templates.js';
import { normalizeName } from '../src/core/names.js';
import { compressible, edited } from './support/deflate-inputs.js';

/** Every option given, so every template line is in the archive. */
const OPTIONS: PlaceholderOptions = { owner: 'Pinned Corp', contact: 'pin@example.com', url: 'https://example.com/pin', note: 'Pinned.', version: '0.0.0' };

const roundTrip = (data: Uint8Array, bytes: Uint8Array) => assert.deepEqual(new Uint8Array(gunzipSync(bytes)), new Uint8Array(data));

describe('our gzip', () => {
  it('holds exactly its input, for any input, parsed on its own', () => {
    fc.assert(fc.property(fc.oneof(compressible, fc.uint8Array({ maxLength: 3000 })), (data) => roundTrip(data, gzip(data))), { numRuns: 300 });
    for (const data of [new Uint8Array(0), new Uint8Array([7]), new Uint8Array(70_000).fill(0), new Uint8Array(Buffer.from('ab'.repeat(40_000)))]) roundTrip(data, gzip(data));
  });

  it('holds exactly its input against any reference, alike or not', () => {
    fc.assert(
      fc.property(
        compressible.chain((base) => fc.tuple(fc.constant(base), fc.oneof(edited(base), compressible))),
        ([base, data]) => roundTrip(data, gzip(data, gzipReference(base))),
      ),
      { numRuns: 300 },
    );
  });

  it('reaches back across more than the deflate window only by literals (an archive past 32 KiB)', () => {
    const text = new Uint8Array(Buffer.from(`${'x'.repeat(10)}${'placeholder text that comes back '.repeat(2000)}`));
    const longer = new Uint8Array(Buffer.concat([Buffer.from('a much longer name put in front '.repeat(50)), text]));
    roundTrip(longer, gzip(longer, gzipReference(text)));
  });

  it('has no time, no file name and no OS in its header, and the same input gives the same bytes', () => {
    const data = new Uint8Array(Buffer.from('same bytes, same archive\n'.repeat(20)));
    const a = gzip(data);
    assert.deepEqual([...a.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    assert.deepEqual(gzip(data), a);
  });
});

describe('Huffman code lengths', () => {
  it('never pass the limit and fill the code space exactly (a complete prefix code), whatever the frequencies', () => {
    const frequencies = fc.oneof(
      fc.array(fc.nat({ max: 5000 }), { minLength: 1, maxLength: 286 }),
      // Fibonacci-like frequencies make the deepest unlimited trees.
      fc.integer({ min: 2, max: 40 }).map((n) => Array.from({ length: n }, (_, i) => Math.min(2 ** 22, Math.round(1.618 ** i)))),
    );
    fc.assert(
      fc.property(frequencies, fc.constantFrom(7, 15), (freq, maxBits) => {
        const n = freq.length;
        const lengths = new Uint8Array(n);
        codeLengths(Uint32Array.from(freq), n, maxBits, lengths);
        let space = 0;
        let coded = 0;
        for (let s = 0; s < n; s++) {
          assert.ok(lengths[s]! <= maxBits);
          if (freq[s]! > 0) assert.ok(lengths[s]! > 0, 'every used symbol has a code');
          if (lengths[s]! > 0) {
            space += 2 ** (maxBits - lengths[s]!);
            coded++;
          }
        }
        if (n >= 2 || coded >= 2) assert.equal(space, 2 ** maxBits, 'the code is complete');
      }),
      { numRuns: 500 },
    );
  });
});

describe('placeholder archives', () => {
  const meta = (name: string, options: PlaceholderOptions = OPTIONS) => placeholderMetadata({ name, normalized: normalizeName(name), source: 'test' }, options);
  const tarOf = (m: ReturnType<typeof meta>, mtime = DEFAULT_MTIME) => placeholderTar(m, { mtime });

  it('are each exactly their own tar when many are built one after another (no buffer is shared by mistake)', () => {
    const names = Array.from({ length: 200 }, (_, i) => `${['acme', 'Zoë', 'x', 'a'.repeat(90)][i % 4]}-${i}`.replace('ë', 'e'));
    const built = names.map((n) => ({ m: meta(n), sdist: buildSdist(meta(n)) }));
    for (const { m, sdist } of built) roundTrip(tarOf(m), sdist.bytes);
  });

  it('are exactly their own tar for any name and any options', () => {
    const text = fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }).filter((s) => s.trim() === s && s !== '' && !/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(s));
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,60}[A-Za-z0-9])?$/),
        fc.record({ owner: text, contact: fc.option(text, { nil: undefined }), note: fc.option(text, { nil: undefined }), version: fc.constantFrom('0.0.0', '1.0.0') }),
        fc.option(fc.integer({ min: 0, max: 8 ** 11 - 1 }), { nil: undefined }),
        (name, raw, mtime) => {
          const options = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as unknown as PlaceholderOptions;
          const m = meta(name, options);
          roundTrip(tarOf(m, mtime ?? DEFAULT_MTIME), buildSdist(m, mtime === undefined ? {} : { mtime }).bytes);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are pinned byte for byte: a change here changes every published placeholder (keep the old format recognised: core/legacy-sdist.ts)', () => {
    const sdist = buildSdist(meta('Acme.Format_Pin'));
    assert.equal(sdist.sha256, 'a020bf722c63ec6a5ea6203675a8f4bdf6f5b0586cfebaa79142787456326e5a');
    assert.equal(sdist.size, 1654);
  });

  it('are pinned byte for byte across names of every length and shape, and two sets of options (a faster parse must not change one)', () => {
    const names = Array.from({ length: 120 }, (_, i) => [`acme-${i}`, `x${'y'.repeat(i % 70)}`, `Acme_Corp.${i}-lib`, `z${i}`.repeat(1 + (i % 6))][i % 4]!);
    const digest = createHash('sha256');
    for (const options of [OPTIONS, { owner: 'Acme', version: '1.0.0' }]) for (const name of names) digest.update(buildSdist(meta(name, options)).sha256);
    assert.equal(digest.digest('hex'), '1cde0527c9900340cb8641a42e4e92d2e3db3aae4e7e6b2ecc672da01c1bd259');
  });

  it('are the same bytes whether or not their builds were prepared first, with these options or others', () => {
    // A copy of the template set starts with nothing prepared (what is prepared is kept per template set).
    const fresh = () => ({ templates: [...loadTemplates()] });
    const otherOptions: PlaceholderOptions = { owner: 'Prepared Corp', version: '2.0.0' };
    const mtime = DEFAULT_MTIME + 86_400;
    const unprepared = buildSdist(meta('acme-prepared', otherOptions), { ...fresh(), mtime }).sha256;
    const same = { ...fresh(), mtime };
    prepareSdists(otherOptions, same);
    assert.equal(buildSdist(meta('acme-prepared', otherOptions), same).sha256, unprepared);
    const other = { ...fresh(), mtime };
    prepareSdists(OPTIONS, other);
    prepareSdists(otherOptions, { ...other, mtime: DEFAULT_MTIME });
    assert.equal(buildSdist(meta('acme-prepared', otherOptions), other).sha256, unprepared);
  });
});

describe('an archive handed to the caller', () => {
  it('owns its bytes: building more placeholders never changes them, and its buffer holds nothing else', () => {
    const options: PlaceholderOptions = { owner: 'Example Corp', version: '0.0.0' };
    const meta = (name: string) => placeholderMetadata({ name, normalized: normalizeName(name), source: 'spec' }, options);
    const first = buildSdist(meta('acme-first'));
    const copy = Uint8Array.from(first.bytes);
    for (let i = 0; i < 50; i++) buildSdist(meta(`acme-other-${i}`));
    assert.deepEqual(first.bytes, copy);
    assert.equal(first.bytes.byteOffset, 0);
    assert.equal(first.bytes.buffer.byteLength, first.bytes.byteLength);
  });

  it('gzip itself returns memory of its own, so createTarGz and buildSdist both give owned bytes', () => {
    const out = gzip(new TextEncoder().encode('placeholder '.repeat(100)));
    const kept = Uint8Array.from(out);
    gzip(new TextEncoder().encode('another input entirely'));
    assert.deepEqual(out, kept);
    assert.equal(out.buffer.byteLength, out.byteLength);
  });
});

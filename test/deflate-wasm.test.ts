/**
 * The deflate as WebAssembly (wasm/deflate.ts → core/deflate/wasm-binary.ts,
 * run by core/deflate/wasm.ts) is the TypeScript deflate, byte for byte: the
 * TypeScript stays the definition, and runs wherever WebAssembly cannot. The
 * committed module is exactly what the pinned compiler makes of the source.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { gzip, gzipReference, gzipWithTypeScript } from '../src/core/gzip.js';
import { MAX_WASM_INPUT, WasmDeflate, wasmDeflate } from '../src/core/deflate/wasm.js';
import { DEFLATE_WASM_BASE64 } from '../src/core/deflate/wasm-binary.js';
import { placeholderTar } from '../src/core/sdist.js';
import { placeholderMetadata, type PlaceholderOptions } from '../src/core/metadata.js';
import { normalizeName } from '../src/core/names.js';
import { compressible, edited } from './support/deflate-inputs.js';
import { baseEnv, runCli } from './support/cli.js';

type WasmApi = ConstructorParameters<typeof WasmDeflate>[0];
const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const moduleBytes = () => new Uint8Array(Buffer.from(DEFLATE_WASM_BASE64, 'base64'));
/** A module of its own, so a spec sees its memory and slots alone. */
const freshDeflate = () => new WasmDeflate(api, moduleBytes());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const OPTIONS: PlaceholderOptions = { owner: 'Wasm Corp', contact: 'wasm@example.com', url: 'https://example.com/w', note: 'Held.', version: '0.0.0' };
const tarOf = (name: string, options: PlaceholderOptions = OPTIONS) => placeholderTar(placeholderMetadata({ name, normalized: normalizeName(name), source: 'spec' }, options));

describe('the WebAssembly deflate', () => {
  it('is exactly what the pinned AssemblyScript makes of wasm/deflate.ts (node scripts/build-wasm.mjs rewrites it)', async () => {
    const script = new URL('../../scripts/build-wasm.mjs', import.meta.url).href;
    const { compileDeflateWasm } = (await import(script)) as { compileDeflateWasm(): Promise<{ bytes: Uint8Array }> };
    const { bytes } = await compileDeflateWasm();
    assert.equal(sha256(bytes), sha256(moduleBytes()), 'src/core/deflate/wasm-binary.ts is stale: run `node scripts/build-wasm.mjs`');
  });

  it("writes the TypeScript's bytes for placeholders of any name and options", () => {
    const text = fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }).filter((s) => s.trim() === s && s !== '' && !/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(s));
    const reference = gzipReference(tarOf('x'));
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,60}[A-Za-z0-9])?$/), fc.option(text, { nil: undefined }), (name, note) => {
        const tar = tarOf(name, note === undefined ? OPTIONS : { ...OPTIONS, note });
        const ref = note === undefined ? reference : gzipReference(tarOf('x', { ...OPTIONS, note }));
        assert.deepEqual(gzip(tar, ref), gzipWithTypeScript(tar, ref));
      }),
      { numRuns: 200 },
    );
  });

  it("writes the TypeScript's bytes for any input, against any reference or none", () => {
    const deflate = freshDeflate();
    const body = (gz: Uint8Array) => gz.subarray(10, gz.length - 8);
    fc.assert(
      fc.property(
        fc.oneof(compressible, fc.uint8Array({ maxLength: 3000 })).chain((base) => fc.tuple(fc.constant(base), fc.oneof(edited(base), compressible, fc.uint8Array({ maxLength: 3000 })))),
        ([base, data]) => {
          assert.deepEqual(deflate.deflate(data), body(gzipWithTypeScript(data)));
          const reference = gzipReference(base);
          assert.deepEqual(deflate.deflate(data, reference), body(gzipWithTypeScript(data, reference)));
        },
      ),
      { numRuns: 300 },
    );
    const edges = [new Uint8Array(0), new Uint8Array([7]), new Uint8Array(7).fill(0), new Uint8Array(70_000), new Uint8Array(Buffer.from('ab'.repeat(40_000)))];
    for (const data of edges) for (const base of edges) assert.deepEqual(deflate.deflate(data, gzipReference(base)), body(gzipWithTypeScript(data, gzipReference(base))));
  });

  it('holds eight references at once and makes again one whose slot was taken since, with the same bytes', () => {
    const deflate = freshDeflate();
    const references = Array.from({ length: 11 }, (_, i) => gzipReference(tarOf('x', { ...OPTIONS, note: `Option set ${i}.` })));
    const tar = tarOf('acme-slots');
    const first = references.map((r) => Uint8Array.from(deflate.deflate(tar, r)!));
    for (const [i, r] of [...references.entries()].reverse()) assert.deepEqual(deflate.deflate(tar, r), first[i], `reference ${i}`);
    for (const [i, r] of references.entries()) assert.deepEqual(first[i], gzipWithTypeScript(tar, r).subarray(10, -8));
  });

  it('keeps its memory bounded by the largest input, however many archives it makes', () => {
    const deflate = freshDeflate();
    const reference = gzipReference(tarOf('x'));
    deflate.deflate(tarOf(`acme-largest-${'n'.repeat(60)}`), reference);
    const settled = deflate.memoryBytes();
    for (let i = 0; i < 2000; i++) deflate.deflate(tarOf(`acme-memory-${i}-${'n'.repeat(i % 50)}`), reference);
    assert.equal(deflate.memoryBytes(), settled);
    // Inputs (and references, a new one each time) of rising sizes take new scratch only as a size
    // passes a power of two; the same sizes again take none.
    const rising = freshDeflate();
    const text = Buffer.from('placeholder text, more or less of it; '.repeat(3000));
    const risingSizes = () => {
      for (let n = 1000; n <= 100_000; n += 500) rising.deflate(new Uint8Array(text.subarray(0, n)), gzipReference(new Uint8Array(text.subarray(0, n / 2))));
    };
    risingSizes();
    const afterRising = rising.memoryBytes();
    assert.ok(afterRising <= 32 * 1024 * 1024, `${afterRising} bytes after inputs up to 100 kB`);
    risingSizes();
    assert.equal(rising.memoryBytes(), afterRising);
  });

  it('takes inputs and references up to 256 KiB, and leaves larger ones to the TypeScript, which gzip then runs with the same bytes', () => {
    const deflate = freshDeflate();
    const random = (n: number) => new Uint8Array(randomBytes(n));
    assert.equal(MAX_WASM_INPUT, 256 * 1024);
    const largest = random(MAX_WASM_INPUT);
    assert.ok(deflate.deflate(largest, gzipReference(random(MAX_WASM_INPUT))));
    assert.equal(deflate.deflate(random(MAX_WASM_INPUT + 1)), undefined);
    assert.equal(deflate.deflate(largest, gzipReference(random(MAX_WASM_INPUT + 1))), undefined);
    // Through gzip, between placeholders: an incompressible 45 MB input (whose worst-case output size
    // once overflowed the module's 32-bit arithmetic) is the TypeScript's, and the module stays in use.
    const placeholder = tarOf('acme-around-a-large-input');
    const reference = gzipReference(tarOf('x'));
    const before = gzip(placeholder, reference);
    const large = random(45 * 1024 * 1024);
    assert.deepEqual(gunzipSync(gzip(large)), Buffer.from(large));
    assert.ok(wasmDeflate(), 'the module is still in use');
    assert.deepEqual(gzip(placeholder, reference), before);
  });
});

describe('where Node has no WebAssembly (--jitless)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-deflate-wasm-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('`build` writes the very same archives through the TypeScript deflate', async () => {
    writeFileSync(join(dir, 'names.txt'), 'acme-jitless\nAcme.Other_Name\nz\n');
    const digests: string[][] = [];
    for (const [out, nodeArgs] of [['with-wasm', []], ['jitless', ['--jitless']]] as const) {
      const run = await runCli(['build', '-f', 'names.txt', '--owner', 'Example Corp', '-o', out], { cwd: dir, nodeArgs, env: baseEnv() });
      assert.equal(run.code, 0, run.stderr);
      const files = readdirSync(join(dir, out)).sort();
      assert.equal(files.length, 3);
      digests.push(files.map((f) => `${f} ${sha256(readFileSync(join(dir, out, f)))}`));
    }
    assert.deepEqual(digests[1], digests[0]);
  });
});

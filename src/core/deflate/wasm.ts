/**
 * The archive deflate as WebAssembly (wasm/deflate.ts, compiled by
 * AssemblyScript into wasm-binary.ts): the same parse and block as the
 * TypeScript beside it, byte for byte (test/deflate-wasm.test.ts), without
 * V8's interpreter. `reserve` builds its few placeholders long before V8
 * optimises the TypeScript: gzipping 50 of them took 55-62 ms of CPU there, and
 * takes 11-13 ms here, the module's compile and instantiation included
 * (bench/deflate.ts).
 *
 * Where WebAssembly is missing (`--jitless`, `--no-expose-wasm`) or the module
 * cannot be made, the TypeScript runs instead: the bytes are the same either way.
 */
import { DEFLATE_WASM_BASE64 } from './wasm-binary.js';

/** What the module exports (wasm/deflate.ts). */
interface DeflateExports {
  memory: { buffer: ArrayBuffer };
  inputPointer(n: number): number;
  outputPointer(): number;
  makeReference(slot: number, n: number): void;
  deflateGuided(slot: number, n: number): number;
  deflatePlain(n: number): number;
}

/** The part of WebAssembly's API used here (the project's TypeScript libraries declare none of it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/**
 * The largest input (and reference) given to the module (wasm/deflate.ts
 * MAX_INPUT): anything larger is deflated by the TypeScript, with the same
 * bytes. Placeholders are 8-20 KiB. The module's scratch is about 25 bytes an
 * input byte, and a reference's tables 17, rounded up to powers of two, in
 * memory that only grows: with eight references and inputs at this size,
 * 50-64 MiB measured (test/deflate-wasm.test.ts bounds a run's growth).
 */
export const MAX_WASM_INPUT = 256 * 1024;

/** References the module holds at once (wasm/deflate.ts REFERENCE_SLOTS). */
const REFERENCE_SLOTS = 8;

/** A reference archive as the module knows it: which slot holds it. */
export interface WasmReferenceSlot {
  slot: number;
}

export class WasmDeflate {
  private readonly exports: DeflateExports;
  /** Which reference each slot holds now; a reference whose slot was taken since is made again. */
  private readonly holders: (WasmReferenceSlot | undefined)[] = new Array(REFERENCE_SLOTS);
  private nextSlot = 0;

  constructor(api: WasmApi, bytes: Uint8Array) {
    const instance = new api.Instance(new api.Module(bytes), {
      env: {
        // Only a bounds check fails here: a bug, which the caller turns into the TypeScript's bytes.
        abort: () => {
          throw new Error('the WebAssembly deflate stopped on a failed bounds check');
        },
      },
    });
    this.exports = instance.exports as DeflateExports;
  }

  /** `data` deflated (one final dynamic block), as a view of the module's memory valid until the next call; undefined for an input past MAX_WASM_INPUT. */
  deflate(data: Uint8Array, reference?: { data: Uint8Array; wasm?: WasmReferenceSlot }): Uint8Array | undefined {
    if (data.length > MAX_WASM_INPUT || (reference && reference.data.length > MAX_WASM_INPUT)) return undefined;
    const w = this.exports;
    const slot = reference ? this.hold(reference) : -1;
    this.put(data);
    const length = slot >= 0 ? w.deflateGuided(slot, data.length) : w.deflatePlain(data.length);
    // The memory may have grown during the call: a view made before it would be detached.
    return new Uint8Array(w.memory.buffer, w.outputPointer(), length);
  }

  /** The slot holding `reference`'s parse, made now if no slot holds it any more. */
  hold(reference: { data: Uint8Array; wasm?: WasmReferenceSlot }): number {
    if (reference.data.length > MAX_WASM_INPUT) throw new RangeError('the reference is too large for the WebAssembly deflate');
    let held = reference.wasm;
    if (!held || this.holders[held.slot] !== held) {
      held = { slot: this.nextSlot };
      this.nextSlot = (this.nextSlot + 1) % REFERENCE_SLOTS;
      // The slot's tables are rewritten now: whatever held it before holds it no more, even if this fails.
      this.holders[held.slot] = undefined;
      this.put(reference.data);
      this.exports.makeReference(held.slot, reference.data.length);
      this.holders[held.slot] = held;
      reference.wasm = held;
    }
    return held.slot;
  }

  /** The module's memory now, in bytes (it only grows, by what the largest input needs). */
  memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  private put(data: Uint8Array): void {
    const at = this.exports.inputPointer(data.length);
    new Uint8Array(this.exports.memory.buffer, at, data.length).set(data);
  }
}

let shared: WasmDeflate | null | undefined;

/** The process's WebAssembly deflate, made on first use; null where it cannot be. */
export function wasmDeflate(): WasmDeflate | null {
  if (shared === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      shared = api ? new WasmDeflate(api, Buffer.from(DEFLATE_WASM_BASE64, 'base64')) : null;
    } catch {
      shared = null;
    }
  }
  return shared;
}

/** After a failure inside the module: the TypeScript deflate from then on. */
export function dropWasmDeflate(): void {
  shared = null;
}

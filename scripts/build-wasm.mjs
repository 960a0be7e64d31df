// Compiles wasm/deflate.ts (AssemblyScript) and writes the module, as base64
// text, into src/core/deflate/wasm-binary.ts, which is committed: the build and
// the installed package need no compiler, and test/deflate-wasm.test.ts
// compiles the source again and fails until this file holds exactly what
// the compiler makes of it.
//
//   node scripts/build-wasm.mjs           rewrites src/core/deflate/wasm-binary.ts
//   import { compileDeflateWasm } from …   the bytes, in memory (the spec)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFLATE_SOURCE = join(root, 'wasm', 'deflate.ts');
export const DEFLATE_BINARY_MODULE = join(root, 'src', 'core', 'deflate', 'wasm-binary.ts');

/**
 * The compiler's options are part of the module's bytes: the stub runtime (a
 * bump allocator; wasm/deflate.ts reuses its regions), full optimisation, and
 * bounds checks kept (an index out of range stops the call, through `abort`,
 * rather than reading past an array).
 */
const ASC_OPTIONS = ['--runtime', 'stub', '--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert', '--noColors'];

/** The module's bytes, compiled now. */
export async function compileDeflateWasm() {
  const { default: asc, version } = await import('assemblyscript/asc');
  let binary;
  const stderr = [];
  const { error } = await asc.main(['deflate.ts', '--outFile', 'deflate.wasm', ...ASC_OPTIONS], {
    readFile: (name) => (name === 'deflate.ts' ? readFileSync(DEFLATE_SOURCE, 'utf8') : null),
    writeFile: (name, contents) => {
      if (name === 'deflate.wasm') binary = contents;
    },
    listFiles: () => [],
    stdout: { write: () => true },
    stderr: { write: (text) => (stderr.push(String(text)), true) },
  });
  if (error || !binary) throw new Error(`AssemblyScript ${version} could not compile wasm/deflate.ts:\n${stderr.join('') || error}`);
  return { bytes: Uint8Array.from(binary), compiler: `AssemblyScript ${version}` };
}

/** The text of src/core/deflate/wasm-binary.ts for these bytes. */
export function binaryModuleText(bytes, compiler) {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return `// Written by scripts/build-wasm.mjs from wasm/deflate.ts (${compiler}, ${ASC_OPTIONS.join(' ')}): do not edit.
// test/deflate-wasm.test.ts compiles the source again and fails until this is what it makes.

/** The WebAssembly module of core/deflate/wasm.ts, ${bytes.length} bytes. */
export const DEFLATE_WASM_BASE64 =
${lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n')}
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { bytes, compiler } = await compileDeflateWasm();
  writeFileSync(DEFLATE_BINARY_MODULE, binaryModuleText(bytes, compiler));
  console.log(`wrote ${DEFLATE_BINARY_MODULE}: ${bytes.length} bytes (${compiler})`);
}

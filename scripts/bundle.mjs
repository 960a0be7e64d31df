// Bundles the CLI: dist/pypi-reserve.cjs, the small executable, and
// dist/cli/program-<hash>.cjs, the rest of the CLI (with undici, commander and
// the other dependencies) as one CommonJS-format script, which the executable
// runs through V8's code cache (src/cli/code-cache.ts). Node then reads two
// files and, from the second run on, compiles almost nothing, instead of
// resolving, loading and compiling about 125 modules of ours and undici's on
// every run (bench/startup measures it). Both are CommonJS because Node's ES
// module loader alone costs a run 10-20 ms, and a script is what V8's code cache
// takes. The library entry (dist/src/index.js) stays unbundled, for importers
// and their own bundlers.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/** A plugin giving one dependency's `require(builtin)` the module `contents` instead. */
function replaceBuiltinFor(dependency, builtin, contents) {
  const namespace = `${dependency}-${builtin}`;
  return {
    name: namespace,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^node:${builtin}$`) }, (args) =>
        new RegExp(`[\\\\/]node_modules[\\\\/]${dependency}[\\\\/]`).test(args.importer) ? { path: builtin, namespace } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace }, () => ({ loader: 'js', contents }));
    },
  };
}

// undici's HTTP/2 client loads node:http2 (and with it node:tls) when undici
// loads: 30-40 ms of every networked run on Node 20 (bench/startup, --cpu-prof),
// for a protocol this tool never asks for (no Agent sets `allowH2`, whose
// default is off, so connections offer only http/1.1). In the bundle undici gets
// what it falls back to where Node has no http2, plus a connect() that says so.
const withoutHttp2 = replaceBuiltinFor(
  'undici',
  'http2',
  "module.exports = { constants: {}, connect() { throw new Error('pypi-reserve is built without HTTP/2 (scripts/bundle.mjs)'); } };",
);

// commander loads node:child_process when it loads (about 10 ms on Node 20),
// for executable subcommands, which this CLI has none of. Its copy in the bundle
// gets the module on first use instead: the same object, fetched when a property
// is read (watch --hook, the only spawn here, imports it itself).
const lazyChildProcessForCommander = replaceBuiltinFor(
  'commander',
  'child_process',
  "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
);

// undici loads node:assert (about 4 ms on Node 20) only to call `assert(value)`
// on its own invariants. Its copy in the bundle checks the value itself and
// hands a failure, or any other use, to the real module: the same AssertionError,
// without loading node:assert in a run where every invariant holds.
const lightAssertForUndici = replaceBuiltinFor(
  'undici',
  'assert',
  "const real = () => require('node:assert'); module.exports = new Proxy(function assert(value, message) { if (!value) real()(value, message); }, { get: (_, key) => real()[key] });",
);

/**
 * A plugin that edits a dependency's source text: each `[from, to]` must occur
 * exactly once in the file, or the build fails (a new version of the dependency
 * is then looked at again, not silently left unedited).
 */
function editDependencyText(name, file, edits) {
  return {
    name,
    setup(build) {
      const filter = new RegExp(`[\\\\/]node_modules[\\\\/]${file.replace(/[/]/g, '[\\\\/]').replace(/\./g, '\\.')}$`);
      build.onLoad({ filter }, (args) => {
        let text = readFileSync(args.path, 'utf8');
        for (const [from, to] of edits) {
          const at = text.indexOf(from);
          if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${name}: expected exactly one ${JSON.stringify(from)} in ${args.path}`);
          text = text.slice(0, at) + to + text.slice(at + from.length);
        }
        return { loader: 'js', contents: text };
      });
    },
  };
}

// undici loads node:http when it loads (2-3 ms on Node 20, for Node's whole
// HTTP server and client) to learn two things it rarely needs: the class of
// Node's incoming messages (to unhook one it is asked to destroy) and the
// default header size cap (for a client created without one; the CLI's agent
// sets its own, cli/world.ts). Its copy in the bundle asks node:http for them
// when it needs them.
const lazyHttpForUndiciUtil = editDependencyText('lazy-http-undici-util', 'undici/lib/core/util.js', [
  ["const { IncomingMessage } = require('node:http')", "const nodeHttp = () => require('node:http')"],
  ['Object.getPrototypeOf(stream).constructor === IncomingMessage', 'Object.getPrototypeOf(stream).constructor === nodeHttp().IncomingMessage'],
]);
const lazyHttpForUndiciClient = editDependencyText('lazy-http-undici-client', 'undici/lib/dispatcher/client.js', [
  ["const http = require('node:http')", ''],
  [
    `const getDefaultNodeMaxHeaderSize = http &&
  http.maxHeaderSize &&
  Number.isInteger(http.maxHeaderSize) &&
  http.maxHeaderSize > 0
  ? () => http.maxHeaderSize
  : () => { throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid') }`,
    `const getDefaultNodeMaxHeaderSize = () => {
  const http = require('node:http')
  if (http && http.maxHeaderSize && Number.isInteger(http.maxHeaderSize) && http.maxHeaderSize > 0) return http.maxHeaderSize
  throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid')
}`,
  ],
]);

// undici's parser files give it the compiled module (below), not bytes to compile. undici
// swallows any failure of the parser with SIMD (a CPU without SIMD) and takes the other:
// a damaged file is said to be one instead.
const compiledParserForUndici = editDependencyText('compiled-parser-undici', 'undici/lib/dispatcher/client-h1.js', [
  [
    "    try {\n      mod = new WebAssembly.Module(require('../llhttp/llhttp_simd-wasm.js'))\n    } catch {\n    }",
    "    try {\n      mod = require('../llhttp/llhttp_simd-wasm.js')\n    } catch (err) {\n      if (err && err.code === 'E_INSTALLATION_DAMAGED') throw err\n    }",
  ],
  ["mod = new WebAssembly.Module(llhttpWasmData || require('../llhttp/llhttp-wasm.js'))", "mod = llhttpWasmData || require('../llhttp/llhttp-wasm.js')"],
]);

// undici's HTTP parser, a WebAssembly module, comes as base64 text in a
// JavaScript file (two builds: with SIMD and without). In the program that
// text would be read, kept in V8's code cache and decoded on every run; it
// ships as the binary files beside the program instead, read when undici
// first parses an answer. Their bytes are undici's, decoded here.
const LLHTTP = [
  { module: 'llhttp_simd-wasm.js', file: 'llhttp_simd.wasm' },
  { module: 'llhttp-wasm.js', file: 'llhttp.wasm' },
];
/**
 * FNV-1a over the file's 32-bit words (little-endian), then its last bytes:
 * tells a damaged file from the one built (not a defence: whoever can write the
 * file can write the program). Words, not bytes: the check runs once per run, in
 * V8's interpreter, where a byte at a time cost 3-6 ms of every networked run
 * and a word at a time costs 0.3-0.4 ms.
 */
function fnv1aWords(bytes) {
  const words = bytes.length >>> 2;
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.prototype.slice.call(bytes);
  const view = new Int32Array(aligned.buffer, aligned.byteOffset, words);
  const LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words; i++) {
    const w = view[i];
    h = Math.imul(h ^ (LE ? w : ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)), 0x01000193);
  }
  for (let i = words * 4; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

const llhttpAsFiles = {
  name: 'llhttp-as-files',
  setup(build) {
    const filter = new RegExp(`[\\\\/]node_modules[\\\\/]undici[\\\\/]lib[\\\\/]llhttp[\\\\/](${LLHTTP.map((l) => l.module.replace('.', '\\.')).join('|')})$`);
    build.onLoad({ filter }, (args) => {
      const { file } = LLHTTP.find((l) => args.path.endsWith(l.module) && /[\\/]$/.test(args.path.slice(0, -l.module.length)));
      const bytes = require(args.path);
      writeFileSync(`dist/cli/${file}`, bytes);
      const sum = fnv1aWords(bytes);
      // A file missing, cut short or replaced is said to be the installation's fault (registry/http.ts
      // installationDamage), not taken for the index being unreachable and retried.
      return {
        loader: 'js',
        contents: `
          const FILE = ${JSON.stringify(file)};
          const SIZE = ${bytes.length};
          const SUM = ${sum};
          ${fnv1aWords.toString()}
          let compiled;
          Object.defineProperty(module, 'exports', {
            get: () => {
              if (compiled) return compiled;
              const path = require('node:path').join(__dirname, FILE);
              // What the executable compiled from the start (src/registry/parser-precompile.ts), when it is this file.
              const ahead = globalThis[Symbol.for('pypi-reserve.llhttp-precompiled')];
              const given = ahead && ahead.file === FILE ? ahead : undefined;
              let read;
              if (given) read = given.bytes;
              else {
                try {
                  read = require('node:fs').readFileSync(path);
                } catch (err) {
                  throw Object.assign(new Error('pypi-reserve is damaged: it cannot read ' + path + ' (' + (err.code || err.message) + ')'), { code: 'E_INSTALLATION_DAMAGED' });
                }
              }
              if (read.length !== SIZE || fnv1aWords(read) !== SUM) {
                throw Object.assign(new Error('pypi-reserve is damaged: ' + path + ' is not the file it was built with (its size or checksum differs)'), { code: 'E_INSTALLATION_DAMAGED' });
              }
              return (compiled = (given && given.module) || new WebAssembly.Module(read));
            },
          });`,
      };
    });
  },
};

// Some of Node's modules cost milliseconds to load on Node 20 (node:crypto
// about 6 ms, node:child_process about 10, node:zlib about 6, node:fs/promises
// about 2 with the readline parts it loads), and many runs never call them:
// `check` of names that are free or taken by others hashes nothing, reads no
// file through promises, spawns no hook and decompresses no listing. Our code
// gets each function of such a module as a stand-in that loads the module on
// its first call (and no `import()`, which a script run through the code cache
// cannot do). Only functions: importing anything else from these modules fails
// the build ("No matching export").
const LAZY_BUILTINS = ['child_process', 'crypto', 'fs/promises', 'readline', 'timers/promises', 'zlib'];
const lazyBuiltinsForOurCode = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^node:(${LAZY_BUILTINS.join('|').replace('/', '\\/')})$`);
    // Dependencies keep the real module, and so does the stand-in's own require().
    build.onResolve({ filter }, (args) =>
      /[\\/]node_modules[\\/]/.test(args.importer) || args.namespace === 'lazy-builtin' ? undefined : { path: args.path, namespace: 'lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const real = require(args.path);
      // Plain functions only: a class (Hash, Interface, Gzip, …) would lose `new` and `instanceof` as a stand-in, so importing one fails the build.
      const functions = Object.keys(real).filter((key) => typeof real[key] === 'function' && /^[a-z_$][\w$]*$/.test(key));
      const load = `const __lazyLoad = () => require(${JSON.stringify(args.path)});`;
      return { loader: 'js', contents: [load, ...functions.map((name) => `export function ${name}(...args) { return __lazyLoad().${name}(...args); }`)].join('\n') };
    });
  },
};

// `import.meta.url` in a CommonJS bundle: the URL of the file the code runs from (package-root.ts finds the package from it).
const importMetaUrl = { inject: ['scripts/import-meta-url.cjs'], define: { 'import.meta.url': 'import_meta_url' } };

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.18',
  // Smaller source to read, and to parse on a run without the code cache;
  // names are kept, so stack traces still name our functions.
  minifyWhitespace: true,
  minifySyntax: true,
  // The program is read as Latin-1 text (code-cache.ts): ASCII only, checked below.
  charset: 'ascii',
  legalComments: 'linked',
  logLevel: 'warning',
  ...importMetaUrl,
};

const PROGRAM_WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const PROGRAM_WRAPPER_TAIL = '\n})';

// The program's name carries a hash of its content: clear the old ones, or they pile up in the package.
rmSync('dist/cli', { recursive: true, force: true });
mkdirSync('dist/cli', { recursive: true });
for (const old of ['dist/pypi-reserve.mjs', 'dist/pypi-reserve.mjs.LEGAL.txt']) rmSync(old, { force: true });

await build({
  ...common,
  entryPoints: ['src/cli/program.ts'],
  outfile: 'dist/cli/program.cjs',
  // Beside it, not linked from it: a link would name the file before its rename below.
  legalComments: 'external',
  plugins: [withoutHttp2, lazyChildProcessForCommander, lightAssertForUndici, lazyHttpForUndiciUtil, lazyHttpForUndiciClient, compiledParserForUndici, llhttpAsFiles, lazyBuiltinsForOurCode],
});
// The program file is one function expression, CommonJS's wrapper around the code (src/cli/code-cache.ts
// WRAPPER_HEAD and WRAPPER_TAIL, which a spec compares): the executable compiles its text as read.
writeFileSync('dist/cli/program.cjs', Buffer.concat([Buffer.from(PROGRAM_WRAPPER_HEAD), readFileSync('dist/cli/program.cjs'), Buffer.from(PROGRAM_WRAPPER_TAIL)]));
const program = readFileSync('dist/cli/program.cjs');
const nonAscii = program.findIndex((byte) => byte > 0x7f);
if (nonAscii !== -1) throw new Error(`dist/cli/program.cjs has a non-ASCII byte at ${nonAscii}: the executable reads it as Latin-1`);
// A dynamic import() needs Node's module loader, which a script compiled with a code cache does not get on Node 20.
if (/\bimport\(/.test(program.toString('latin1'))) throw new Error('dist/cli/program.cjs calls import(): load the module statically (a lazy built-in above, or bundled)');
const programName = `program-${createHash('sha256').update(program).digest('hex').slice(0, 16)}.cjs`;
renameSync('dist/cli/program.cjs', `dist/cli/${programName}`);
renameSync('dist/cli/program.cjs.LEGAL.txt', `dist/cli/${programName}.LEGAL.txt`);

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/pypi-reserve.cjs',
  define: { ...common.define, PYPI_RESERVE_PROGRAM: JSON.stringify(`cli/${programName}`), PYPI_RESERVE_PARSER: JSON.stringify(LLHTTP[0].file) },
  // The unbundled fallback's import of the program stays out of the executable.
  plugins: [{ name: 'program-external', setup: (b) => b.onResolve({ filter: /^\.\/program\.js$/ }, () => ({ path: './program.js', external: true })) }],
});

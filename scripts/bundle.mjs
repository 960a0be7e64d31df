// Bundles the CLI (dist/pypi-reserve.mjs and its chunks under dist/cli/): Node
// then resolves and loads a handful of modules instead of about 125 of ours and
// undici's, which was most of the start-up time a user pays on every run
// (bench/startup measures it). The library entry (dist/src/index.js) stays
// unbundled, for importers and their own bundlers. undici's files are bundled
// too, in chunks of their own that load on a command's first request
// (registry/undici.ts).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/** A plugin giving one dependency's `require(builtin)` the module `contents` instead. */
function replaceBuiltinFor(dependency, builtin, contents) {
  const namespace = `${dependency}-${builtin}`;
  return {
    name: namespace,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^node:${builtin}$`) }, (args) =>
        args.importer.includes(`/node_modules/${dependency}/`) ? { path: builtin, namespace } : undefined,
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

// Chunk names carry a hash of their content: clear the old ones, or they pile up in the package.
rmSync('dist/cli', { recursive: true, force: true });
rmSync('dist/pypi-reserve.mjs.LEGAL.txt', { force: true });

await build({
  entryPoints: { 'pypi-reserve': 'src/cli/main.ts' },
  outdir: 'dist',
  // The entry stays small: what every run needs first (and all of `--version`).
  // The rest of the CLI and undici are chunks it imports when a command runs.
  splitting: true,
  chunkNames: 'cli/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  plugins: [withoutHttp2, lazyChildProcessForCommander],
  platform: 'node',
  format: 'esm',
  target: 'node20.18',
  // CommonJS dependencies call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __pypiReserveRequire } from 'node:module'; const require = __pypiReserveRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
});

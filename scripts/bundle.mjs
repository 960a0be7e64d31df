// Bundles the CLI into one file (dist/pypi-reserve.mjs): Node then resolves and
// loads one module instead of about 125, which is most of the start-up time a
// user pays on every run (bench/startup measures it). The library entry
// (dist/src/index.js) stays unbundled, for importers and their own bundlers.
// undici stays external: it is loaded lazily, from its own files (registry/undici.ts).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/pypi-reserve.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.18',
  external: ['undici'],
  // CommonJS dependencies call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __pypiReserveRequire } from 'node:module'; const require = __pypiReserveRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
});

// The suite once more on each Node binary listed in PYPI_RESERVE_TEST_NODES
// (separated like PATH), after `npm test` has run it on the Node that runs npm.
//
// Why: the executable tunes V8 per version (cli/v8-flags.ts), compiles
// undici's parser ahead (registry/parser-precompile.ts) and keeps a code
// cache per Node version (cli/code-cache.ts); each has behaved differently on
// Node 20, 22 and 24 (a compile under way kept no process alive on Node 24
// only, and those runs ended with status 0 having done nothing). Users run
// 22 and 24, so CI runs every spec on them too: .ci/run fetches both and sets
// the variable. In CI (CI=true) the variable must be set, as a missing Python
// tool fails its specs there; elsewhere, without it, this says so and passes.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const listed = (process.env.PYPI_RESERVE_TEST_NODES ?? '').split(delimiter).filter(Boolean);
if (listed.length === 0) {
  const why = 'PYPI_RESERVE_TEST_NODES names no Node binary to run the specs on besides this one';
  if (process.env.CI === 'true') {
    process.stderr.write(`error: ${why}; CI runs them on Node 22 and 24 too (.ci/run fetches both)\n`);
    process.exit(1);
  }
  process.stderr.write(`note: ${why}, so they ran on ${process.version} only (.ci/run shows how to fetch others)\n`);
  process.exit(0);
}

// The package's compiled specs, wherever this is run from; run from the package, as npm test runs them.
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const specDir = join(root, 'dist', 'test');
const specs = readdirSync(specDir)
  .filter((file) => file.endsWith('.test.js'))
  .sort()
  .map((file) => join('dist', 'test', file));
let failed = false;
for (const node of listed) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    process.stderr.write(`error: PYPI_RESERVE_TEST_NODES lists ${JSON.stringify(node)}, which does not run: ${version.error?.message ?? version.stderr.trim()}\n`);
    failed = true;
    continue;
  }
  process.stdout.write(`\nthe specs on Node ${version.stdout.trim()} (${node})\n`);
  // The same reporter on every Node: 20 picks `spec` for a pipe, 22 and later `tap`.
  const run = spawnSync(node, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...specs], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`error: the specs failed on Node ${version.stdout.trim()} (${node})\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);

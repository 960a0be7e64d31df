// The suite once more on each Node binary listed in PYPI_RESERVE_TEST_NODES
// (separated like PATH), after `npm test` has run it on the Node that runs npm.
//
// Why: the executable tunes V8 per version (cli/v8-flags.ts), compiles
// undici's parser ahead (registry/parser-precompile.ts) and keeps a code
// cache per Node version (cli/code-cache.ts); each has behaved differently on
// Node 20, 22 and 24 (a compile under way kept no process alive on Node 24
// only, and those runs ended with status 0 having done nothing). Users run
// 22 and 24, so CI runs every spec on them too: .ci/run fetches both and sets
// the variable. In CI the variable must name at least one, as a missing
// Python tool fails its specs there; elsewhere, without it, this says so and
// passes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** One suite's run may take this long on one Node (about 100 s on the reference machine): past it, it has hung. */
const RUN_DEADLINE_MS = 20 * 60_000;

const listed = (process.env.PYPI_RESERVE_TEST_NODES ?? '').split(delimiter).filter(Boolean);
if (listed.length === 0) {
  const why = 'PYPI_RESERVE_TEST_NODES names no Node binary to run the specs on besides this one';
  // CI as the rest of the suite knows it (test/support/python.ts): the variable set at all.
  if (process.env.CI) {
    process.stderr.write(`error: ${why}; CI runs them on Node 22 and 24 too (.ci/run fetches both)\n`);
    process.exit(1);
  }
  process.stderr.write(`note: ${why}, so they ran on ${process.version} only (.ci/run shows how to fetch others)\n`);
  process.exit(0);
}

const specs = readdirSync(join(root, 'dist', 'test'))
  .filter((file) => file.endsWith('.test.js'))
  .sort()
  .map((file) => join('dist', 'test', file));
const minimum = nodeVersion(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node.replace(/^>=\s*/, 'v'));
const thisNode = realpathSync(process.execPath);
const seen = new Set();
let failed = false;
let ran = 0;
for (const given of listed) {
  const fail = (why) => {
    process.stderr.write(`error: PYPI_RESERVE_TEST_NODES lists ${JSON.stringify(given)}: ${why}\n`);
    failed = true;
  };
  // A path, from where npm test was started (npm runs this from the package, and says where in
  // INIT_CWD); a bare name would leave which binary runs to PATH.
  if (!given.includes('/') && !given.includes(sep)) {
    fail('give the path to a Node binary, not a name to look up');
    continue;
  }
  const node = resolve(process.env.INIT_CWD ?? process.cwd(), given);
  let real;
  try {
    real = realpathSync(node);
  } catch (err) {
    fail(`${node} cannot be run (${err.code ?? err.message})`);
    continue;
  }
  if (real === thisNode) {
    process.stderr.write(`note: PYPI_RESERVE_TEST_NODES lists ${JSON.stringify(given)}, the Node the specs just ran on: skipped\n`);
    continue;
  }
  if (seen.has(real)) continue;
  seen.add(real);
  const asked = spawnSync(real, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (asked.error || asked.status !== 0) {
    fail(`${real} does not run (${asked.error?.message ?? `exit ${asked.status ?? asked.signal}: ${asked.stderr.trim()}`})`);
    continue;
  }
  const version = asked.stdout.trim();
  const parsed = nodeVersion(version);
  if (!parsed) {
    fail(`it answers --version with ${JSON.stringify(version.slice(0, 80))}, which is not a Node version`);
    continue;
  }
  if (compare(parsed, minimum) < 0) {
    fail(`it is Node ${version}; this package supports Node ${minimum.join('.')} and later`);
    continue;
  }
  ran++;
  process.stdout.write(`\nthe specs on Node ${version} (${real})\n`);
  // Specs that start the CLI or the Action's script through `node` on PATH start this Node too:
  // a directory of its own holds `node`, this binary, whatever its file is called, and only that
  // goes before the user's PATH. npm's NODE names the Node of the run as well.
  const onPath = mkdtempSync(join(tmpdir(), 'pypi-reserve-node-'));
  let run;
  try {
    symlinkSync(real, join(onPath, 'node'));
    // One reporter for every Node, as the first run uses: each picks its own for a pipe otherwise.
    run = spawnSync(real, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...specs], {
      cwd: root,
      stdio: 'inherit',
      timeout: RUN_DEADLINE_MS,
      env: { ...process.env, PATH: `${onPath}${delimiter}${process.env.PATH ?? ''}`, NODE: real, npm_node_execpath: real },
    });
  } finally {
    rmSync(onPath, { recursive: true, force: true });
  }
  if (run.error || run.status !== 0) {
    const how =
      run.error?.code === 'ETIMEDOUT'
        ? `not finished within ${RUN_DEADLINE_MS / 60_000} minutes`
        : run.error
          ? run.error.message
          : run.signal
            ? `killed by ${run.signal}`
            : `exit ${run.status}`;
    process.stderr.write(`error: the specs failed on Node ${version} (${real}): ${how}\n`);
    failed = true;
  }
}
if (ran === 0 && !failed && process.env.CI) {
  process.stderr.write('error: PYPI_RESERVE_TEST_NODES names no Node but the one the specs just ran on; CI runs them on Node 22 and 24 too\n');
  failed = true;
}
process.exit(failed ? 1 : 0);

/** [major, minor, patch] of `v20.18.1`, or undefined. */
function nodeVersion(text) {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return match ? match.slice(1).map(Number) : undefined;
}

function compare(a, b) {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

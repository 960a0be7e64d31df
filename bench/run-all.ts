/**
 * `npm run bench`: every benchmark, one after the other, each in its own
 * process so none inherits another's heap or loaded modules. Prints their
 * figures; asserts nothing. Quiet the machine first: the figures are wall times.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['startup.js', 'build.js', 'deflate.js', 'check-reserve.js', 'preflight.js', 'private-index.js', 'parsers.js'];

let failed = 0;
for (const file of BENCHES) {
  process.stdout.write(`\n== bench/${file.replace(/\.js$/, '.ts')}\n`);
  const run = spawnSync(process.execPath, [fileURLToPath(new URL(`./${file}`, import.meta.url))], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`bench/${file} exited ${run.status ?? run.signal}\n`);
  }
}
process.exitCode = failed ? 1 : 0;

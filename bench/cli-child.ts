/**
 * Runs the real CLI in this process and reports its own peak memory on the
 * last stderr line, so a benchmark driver can measure the tool alone.
 *   node dist/bench/cli-child.js <cli args…>
 */
import { processContext } from '../src/cli/context.js';
import { runCli } from '../src/cli/run.js';

const started = performance.now();
const ctx = processContext(new AbortController().signal);
const code = await runCli(process.argv.slice(2), ctx);
process.stderr.write(`\nBENCH ${JSON.stringify({ code, wallMs: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;

/**
 * `watch`, end to end: the real CLI polling the Warehouse stand-in's
 * newest-projects feed (fact sheet §10) and judging what appears with `check`'s
 * rules.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { baseEnv, CLI_PATH } from './support/cli.js';
import { GOOD_TOKEN, OWNER, standUp, type Stand } from './support/reserve-fixture.js';
import type { CliResult } from './support/cli.js';

const META = ['--owner', OWNER, '--contact', 'security@acme.example'];
const NAMES = ['acme-billing', 'acme-auth'];

/** A stranger's project with a real release, as an attacker creates it. */
function attackerCreates(stand: Stand, name: string): void {
  stand.warehouse.advance(5);
  const stem = name.replace(/[-_.]+/g, '_').toLowerCase();
  stand.warehouse.addProject({ name, owner: 'mallory', files: [{ filename: `${stem}-99.0.tar.gz`, content: Buffer.from(`evil ${name}`) }] });
}

function json(result: CliResult) {
  try {
    return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      poll: { newProjects: number; fullCheck: string | null; notModified: boolean };
      results: { name: string; status: string; detail: string; feedItem?: { name: string } }[];
    };
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

describe('watch --once: the alarm within one poll of an attacker\'s upload', () => {
  let stand: Stand;
  let state: string;
  const watch = (extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
    stand.run(['watch', ...NAMES, ...META, '--once', '--state', state, '--feed-url', `${stand.warehouse.url}/rss/packages.xml`, ...extra], env);

  before(async () => {
    stand = await standUp();
    state = join(stand.dir, 'watch-state.json');
    // Some history on the index before the first poll.
    attackerCreates(stand, 'numpy-helpers');
  });
  after(() => stand.close());

  it('checks every name on the first poll (no state yet), finds nothing of ours, remembers the feed and exits 0', async () => {
    const result = await watch(['--json']);
    assert.equal(result.code, 0, result.stderr);
    const doc = json(result);
    assert.equal(doc.poll.fullCheck, 'no-state');
    assert.deepEqual(doc.results.map((r) => [r.name, r.status]), [['acme-billing', 'free'], ['acme-auth', 'free']]);
    const saved = JSON.parse(readFileSync(state, 'utf8'));
    assert.equal(saved.seen.length, 1);
    assert.match(saved.seen[0], /^https:\/\/pypi\.org\/project\/numpy-helpers\/ \w{3}, /);
    assert.ok(!readFileSync(state, 'utf8').includes('acme-billing'), 'the state file must not list private names');
  });

  it('asks conditionally afterwards: an unchanged feed costs a 304 and no other request', async () => {
    const before = stand.warehouse.requests.length;
    const result = await watch();
    assert.equal(result.code, 0, result.stderr);
    const asked = stand.warehouse.requests.slice(before);
    assert.deepEqual(asked.map((r) => [r.path, r.status]), [['/rss/packages.xml', 304]]);
    assert.match(result.stdout, /no new projects/);
  });

  it('raises the alarm for a private name someone else just created: ALERT, a taken line, exit 1', async () => {
    attackerCreates(stand, 'acme-billing');
    const result = await watch();
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /acme-billing\s+taken/);
    assert.match(result.stderr, /^ALERT: acme-billing is taken on .* by someone else/m);
    assert.match(result.stdout, /1 new project .*1 alarm/);
  });

  it('raises it once: the next poll has nothing new', async () => {
    const result = await watch();
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /ALERT/);
  });

  it('says nothing about our own new placeholder', async () => {
    const reserved = await stand.run(['reserve', 'acme-auth', ...META], { PYPI_TOKEN: GOOD_TOKEN });
    assert.equal(reserved.code, 0, reserved.stderr);
    const result = await watch(['--json']);
    assert.equal(result.code, 0, result.stderr);
    const doc = json(result);
    assert.equal(doc.poll.newProjects, 1);
    assert.deepEqual(doc.results.map((r) => [r.name, r.status]), [['acme-auth', 'reserved']]);
    assert.doesNotMatch(result.stderr, /ALERT/);
  });

  it('warns about a lookalike (PyPI\'s own similarity rule) without failing', async () => {
    attackerCreates(stand, 'acme-b1lling');
    const result = await watch(['--json']);
    assert.equal(result.code, 0, result.stderr);
    const doc = json(result);
    assert.deepEqual(doc.results.map((r) => [r.name, r.status, r.feedItem?.name]), [['acme-billing', 'lookalike', 'acme-b1lling']]);
    assert.match(result.stderr, /warning: lookalike of acme-billing: acme-b1lling was just created/);
  });

  it('falls back to a full check when more projects were created than the feed holds, and still finds the name', async () => {
    // Both names are taken now (acme-billing by the attacker); a new one appears in the gap.
    attackerCreates(stand, 'acme-auth-gap');
    for (let i = 0; i < 45; i++) attackerCreates(stand, `filler-${i}`);
    const result = await stand.run(
      ['watch', 'acme-auth-gap', 'acme-billing', ...META, '--once', '--json', '--state', state, '--feed-url', `${stand.warehouse.url}/rss/packages.xml`],
      {},
    );
    assert.equal(result.code, 1, result.stderr);
    const doc = json(result);
    // The names list changed too; either way every name is checked.
    assert.ok(doc.poll.fullCheck === 'dropped-off' || doc.poll.fullCheck === 'names-changed');
    assert.deepEqual(doc.results.filter((r) => r.status === 'taken').map((r) => r.name).sort(), ['acme-auth-gap', 'acme-billing']);
  });
});

describe('watch: gaps, bad feeds and bad input', () => {
  let stand: Stand;
  let state: string;
  const feed = () => `${stand.warehouse.url}/rss/packages.xml`;
  beforeEach(async () => {
    stand = await standUp();
    state = join(stand.dir, 'state.json');
  });

  it('notices that the feed moved past its last item with the same names, and checks them all', async () => {
    try {
      attackerCreates(stand, 'first-project');
      assert.equal((await stand.run(['watch', 'acme-x', ...META, '--once', '--state', state, '--feed-url', feed()])).code, 0);
      attackerCreates(stand, 'acme-x');
      for (let i = 0; i < 41; i++) attackerCreates(stand, `later-${i}`);
      const result = await stand.run(['watch', 'acme-x', ...META, '--once', '--json', '--state', state, '--feed-url', feed()]);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(json(result).poll.fullCheck, 'dropped-off');
      assert.match(result.stderr, /ALERT: acme-x is taken/);
    } finally {
      await stand.close();
    }
  });

  it('says clearly that a feed which is not RSS tells nothing, exits 1 (never an all-clear), and keeps the state as it was', async () => {
    try {
      stand.warehouse.injectFaults('feed', { garbage: true });
      const result = await stand.run(['watch', 'acme-x', ...META, '--once', '--state', state, '--feed-url', feed()]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /is not a newest-projects feed, so nothing is known about new projects: not an RSS document/);
      assert.equal(existsSync(state), false);
    } finally {
      await stand.close();
    }
  });

  it('says that an index without a feed has none (404), exit 2', async () => {
    try {
      const result = await stand.run(['watch', 'acme-x', ...META, '--once', '--state', state, '--feed-url', `${stand.warehouse.url}/no/feed.xml`]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /serves no newest-projects feed \(404\)/);
    } finally {
      await stand.close();
    }
  });

  it('derives the feed beside a Warehouse-laid-out index', async () => {
    try {
      const result = await stand.run(['watch', 'acme-x', ...META, '--once', '--state', state]);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(stand.warehouse.requests.some((r) => r.path === '/rss/packages.xml'));
    } finally {
      await stand.close();
    }
  });

  it('backs off on 429 and 5xx with the shared retry policy and then reads the feed', async () => {
    try {
      stand.warehouse.injectFaults('feed', { status: 429 }, { status: 503 });
      const result = await stand.run(['watch', 'acme-x', ...META, '--once', '--state', state, '--feed-url', feed()]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(stand.warehouse.requests.filter((r) => r.path === '/rss/packages.xml').length, 3);
    } finally {
      await stand.close();
    }
  });

  it('exits 1, not 0, when the feed cannot be read at all: nothing is known', async () => {
    try {
      stand.warehouse.injectFaults('feed', ...Array.from({ length: 5 }, () => ({ status: 503 })));
      const result = await stand.run(['watch', 'acme-x', ...META, '--once', '--state', state, '--feed-url', feed()]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /the feed could not be read, so nothing is known about new projects/);
    } finally {
      await stand.close();
    }
  });

  it('reports every bad flag at once before any request', async () => {
    try {
      const result = await stand.run(['watch', 'acme-x', ...META, '--interval', '30s', '--feed-url', 'http://feeds.example/rss', '--hook', ' ', '--state', stand.dir]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /4 problems/);
      assert.match(result.stderr, /--state: is a directory; name a file/);
      assert.match(result.stderr, /--interval: must be at least 1m/);
      assert.match(result.stderr, /--feed-url: must be https/);
      assert.match(result.stderr, /--hook: needs a command/);
      assert.equal(stand.warehouse.requests.length, 0);
    } finally {
      await stand.close();
    }
  });
});

describe('watch: the alarm reaches people', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp();
  });
  after(() => stand.close());

  it('runs --hook once per alarm with the alarm as JSON on stdin and no token in its environment', async () => {
    const state = join(stand.dir, 'hook-state.json');
    const got = join(stand.dir, 'hook-got.txt');
    attackerCreates(stand, 'acme-pay');
    const hook = `cat > ${JSON.stringify(got)}; echo "token=[$PYPI_TOKEN][$TWINE_PASSWORD]" >> ${JSON.stringify(got)}`;
    const result = await stand.run(
      ['watch', 'acme-pay', 'acme-free', ...META, '--once', '--state', state, '--feed-url', `${stand.warehouse.url}/rss/packages.xml`, '--hook', hook],
      { PYPI_TOKEN: GOOD_TOKEN, TWINE_PASSWORD: GOOD_TOKEN },
    );
    assert.equal(result.code, 1, result.stderr);
    const [alarmLine, tokenLine] = readFileSync(got, 'utf8').trim().split('\n');
    const alarm = JSON.parse(alarmLine!);
    assert.equal(alarm.event, 'alarm');
    assert.equal(alarm.name, 'acme-pay');
    assert.equal(alarm.status, 'taken');
    assert.equal(tokenLine, 'token=[][]');
  });

  it('annotates the GitHub run and writes the job summary and report', async () => {
    const state = join(stand.dir, 'gh-state.json');
    const summary = join(stand.dir, 'summary.md');
    const report = join(stand.dir, 'watch-report.json');
    writeFileSync(summary, '');
    attackerCreates(stand, 'acme-ledger');
    attackerCreates(stand, 'acme-1edger2');
    const result = await stand.run(
      ['watch', 'acme-ledger', 'acme-ledger2', ...META, '--once', '--state', state, '--report', report, '--feed-url', `${stand.warehouse.url}/rss/packages.xml`],
      { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^::error title=acme-ledger is taken::/m);
    assert.match(result.stderr, /^::warning title=lookalike of acme-ledger2::/m);
    assert.match(readFileSync(summary, 'utf8'), /### pypi-reserve watch/);
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).summary.alarms, 1);
    rmSync(report);
  });
});

describe('watch: nothing after the alarm may swallow it', () => {
  it('prints the alarm and runs the hook even when the state cannot be written, then exits 1 with a warning', async () => {
    const stand = await standUp();
    try {
      attackerCreates(stand, 'acme-lost');
      const got = join(stand.dir, 'lost-hook.txt');
      // /proc takes no new files, even from root: the write fails only after the poll.
      const result = await stand.run(
        ['watch', 'acme-lost', ...META, '--once', '--state', '/proc/version', '--feed-url', `${stand.warehouse.url}/rss/packages.xml`, '--hook', `cat > ${JSON.stringify(got)}`],
      );
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /ALERT: acme-lost is taken/);
      assert.match(result.stderr, /warning: cannot write the watch state \/proc\/version/);
      assert.equal(JSON.parse(readFileSync(got, 'utf8')).name, 'acme-lost');
    } finally {
      await stand.close();
    }
  });
});

describe('watch --hook is bounded', () => {
  it('stops a hook that hangs (with a background grandchild holding its pipes) and relays only printable, marked lines', async () => {
    const { runAlarmHook } = await import('../src/cli/watch-hook.js');
    const { Redactor } = await import('../src/registry/redact.js');
    let stderr = '';
    const ctx = {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH },
      secrets: new Redactor(),
      stderr: { write: (s: string) => ((stderr += s), true) },
    } as unknown as Parameters<typeof runAlarmHook>[2];
    const started = Date.now();
    await runAlarmHook(`printf '::error::forged\\033[2J\\n'; (sleep 30 &) ; sleep 30`, { event: 'alarm' }, ctx, 500);
    assert.ok(Date.now() - started < 10_000, 'the hook was not stopped');
    assert.match(stderr, /the --hook command ran longer than 0\.5 s and was stopped/);
    assert.match(stderr, /^hook: ::error::forged\\x1b\[2J$/m);
    assert.doesNotMatch(stderr, /^::error/m);
  });

  it('drops a flood of output after a few kilobytes', async () => {
    const { runAlarmHook } = await import('../src/cli/watch-hook.js');
    const { Redactor } = await import('../src/registry/redact.js');
    let stderr = '';
    const ctx = { cwd: process.cwd(), env: { PATH: process.env.PATH }, secrets: new Redactor(), stderr: { write: (s: string) => ((stderr += s), true) } } as unknown as Parameters<typeof runAlarmHook>[2];
    await runAlarmHook('yes ::error::flood | head -c 5000000', { event: 'alarm' }, ctx);
    assert.ok(stderr.length < 64 * 1024, `relayed ${stderr.length} characters`);
    assert.match(stderr, /more output dropped/);
  });
});

describe('watch without --once', () => {
  it('polls at once, stays quiet without a terminal, and stops promptly on Ctrl-C with the alarm\'s exit code', async () => {
    const stand = await standUp();
    try {
      attackerCreates(stand, 'acme-loop');
      const state = join(stand.dir, 'loop-state.json');
      const child = spawn(
        process.execPath,
        [CLI_PATH, 'watch', 'acme-loop', ...META, '--interval', '10m', '--state', state,
          '--feed-url', `${stand.warehouse.url}/rss/packages.xml`, '--repository-url', stand.warehouse.uploadUrl, '--index-url', stand.warehouse.indexUrl],
        { cwd: stand.dir, env: baseEnv({ HOME: stand.dir, PYPI_RESERVE_BACKOFF_SCALE: '0' }) },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      // The first poll's alarm is printed, then the command sleeps until the next poll.
      while (!stderr.includes('ALERT')) await new Promise((r) => setTimeout(r, 50));
      const code = await new Promise<number | null>((resolve) => {
        child.on('close', resolve);
        child.kill('SIGINT');
      });
      assert.equal(code, 1, stderr);
      assert.match(stdout, /acme-loop\s+taken/);
      assert.equal(stand.warehouse.requests.filter((r) => r.path === '/rss/packages.xml').length, 1);
    } finally {
      await stand.close();
    }
  });
});

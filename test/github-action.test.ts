/**
 * The composite action end to end: scripts/github-action.sh run with the
 * environment a GitHub runner gives the step (action.yml's env mapping,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP, GITHUB_ACTION_PATH),
 * against the Warehouse stand-in.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annotations, FAILING_STATUSES } from '../src/cli/ci-output.js';
import { runCli } from './support/cli.js';
import { actionYml, runAction, stepEnv } from './support/github-action.js';
import { GOOD_TOKEN, OWNER, standUp, type Stand } from './support/reserve-fixture.js';

describe('the GitHub Action against the stand-in', () => {
  let stand: Stand;
  let workspace: string;
  before(async () => {
    stand = await standUp({ projects: [{ name: 'act-stolen', owner: 'mallory' }] });
    workspace = join(stand.dir, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'private-names.txt'), 'act-stolen\nact-one\nact-two\n');
    // The upload URL has no input of its own (pypi and testpypi need none); the config carries it.
    writeFileSync(join(workspace, 'pypi-reserve.toml'), `owner = "${OWNER}"\nrepository-url = "${stand.warehouse.uploadUrl}"\n`);
  });
  after(() => stand.close());

  const inputs = (extra: Record<string, string> = {}) => ({
    'names-file': 'private-names.txt',
    'index-url': stand.warehouse.indexUrl,
    contact: 'security@example.com',
    url: 'https://example.com/dependency-confusion',
    note: 'Internal package of Example Corp.',
    token: GOOD_TOKEN,
    ...extra,
  });

  it('reserves, writes every output and the report it names, annotates each failing and deferred name, and fills the job summary', async () => {
    const before = stand.warehouse.uploads().length;
    const run = await runAction(workspace, inputs({ 'max-new': '1', report: 'out/report.json' }));
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.outputs['exit-code'], '1');
    assert.equal(run.outputs.report, join(workspace, 'out', 'report.json'));
    assert.ok(existsSync(run.outputs.report as string));
    assert.deepEqual(
      [run.outputs.total, run.outputs.uploaded, run.outputs.taken, run.outputs.deferred],
      ['3', '1', '1', '1'],
    );
    assert.match(run.stderr, /^::error title=act-stolen is taken::/m);
    assert.match(run.stderr, /^::notice title=act-two deferred::/m);
    assert.match(run.summary, /\| act\\-stolen \| \*\*taken\*\* \|/);
    assert.equal(stand.warehouse.uploads().length, before + 1);
    const upload = stand.warehouse.uploads().at(-1);
    assert.match(JSON.stringify(upload), /security@example\.com/);
    assert.ok(!run.stdout.includes(GOOD_TOKEN) && !run.stderr.includes(GOOD_TOKEN));
  });

  it('leaves a scheduled run green when names only wait for the quota, and fails it with fail-on-deferred (any letter case)', async () => {
    const names = join(workspace, 'deferred-names.txt');
    writeFileSync(names, 'act-later-one\nact-later-two\n');
    const green = await runAction(workspace, inputs({ 'names-file': 'deferred-names.txt', 'max-new': '0' }));
    assert.equal(green.status, 0, green.stderr);
    assert.equal(green.outputs['exit-code'], '3');
    const red = await runAction(workspace, inputs({ 'names-file': 'deferred-names.txt', 'max-new': '0', 'fail-on-deferred': 'TRUE' }));
    assert.equal(red.status, 3, red.stderr);
  });

  it('reads dry-run: True as true: nothing is uploaded', async () => {
    const before = stand.warehouse.uploads().length;
    const run = await runAction(workspace, inputs({ 'names-file': 'deferred-names.txt', 'dry-run': 'True', token: '' }));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(stand.warehouse.uploads().length, before);
  });

  for (const value of ['yes', '1', 'True ', 'on']) {
    it(`refuses dry-run: ${JSON.stringify(value)} before anything runs, with outputs still set`, async () => {
      const before = stand.warehouse.uploads().length;
      const run = await runAction(workspace, inputs({ 'dry-run': value, 'fail-on-deferred': 'no' }));
      assert.equal(run.status, 2);
      assert.ok(run.stdout.includes(`::error title=pypi-reserve input::input 'dry-run' must be true or false, got '${value}'`), run.stdout);
      assert.match(run.stdout, /input 'fail-on-deferred' must be true or false, got 'no'/);
      assert.equal(stand.warehouse.uploads().length, before);
      // Every output is set; none claims a count or a report that no run produced.
      assert.deepEqual(run.outputs, { 'exit-code': '2', report: '', total: '', uploaded: '', reserved: '', taken: '', deferred: '', failed: '' });
    });
  }

  it('an input cannot forge a workflow command: line breaks in an echoed value are escaped', async () => {
    const run = await runAction(workspace, inputs({ command: 'check\n::error::forged' }));
    assert.equal(run.status, 2);
    assert.doesNotMatch(run.stdout + run.stderr, /^::error::forged/m);
    assert.match(run.stdout, /got 'check%0A::error::forged'/);
  });

  it('when the tool stops on bad input, exit-code is 2 and report names no file', async () => {
    const run = await runAction(workspace, inputs({ 'names-file': 'missing.txt' }));
    assert.equal(run.status, 2);
    assert.equal(run.outputs['exit-code'], '2');
    assert.equal(run.outputs.report, '');
    assert.equal(run.outputs.taken, '');
  });
});

describe('the GitHub Action: command watch', () => {
  it('polls once, keeps its state at watch-state for the cache to carry, and fails the step on an attacker\'s new project', async () => {
    const stand = await standUp();
    try {
      const workspace = join(stand.dir, 'workspace');
      mkdirSync(workspace);
      writeFileSync(join(workspace, 'private-names.txt'), 'act-watched\n');
      writeFileSync(join(workspace, 'pypi-reserve.toml'), `owner = "${OWNER}"\nrepository-url = "${stand.warehouse.uploadUrl}"\n`);
      const inputs = { command: 'watch', 'names-file': 'private-names.txt', 'index-url': stand.warehouse.indexUrl, account: 'acme', token: GOOD_TOKEN };
      const first = await runAction(workspace, inputs);
      assert.equal(first.status, 0, first.stderr);
      assert.ok(existsSync(join(workspace, '.pypi-reserve', 'watch-state.json')), 'the default watch-state is in the workspace');
      stand.warehouse.advance(60);
      stand.warehouse.addProject({ name: 'act-watched', owner: 'mallory', files: [{ filename: 'act_watched-99.0.tar.gz', content: Buffer.from('evil') }] });
      const second = await runAction(workspace, inputs);
      assert.equal(second.status, 1, second.stderr);
      assert.equal(second.outputs['exit-code'], '1');
      assert.equal(second.outputs.taken, '1');
      assert.match(second.stderr, /^::error title=act-watched is taken::/m);
      assert.match(second.summary, /### pypi-reserve watch/);
      assert.ok(!second.stdout.includes(GOOD_TOKEN) && !second.stderr.includes(GOOD_TOKEN));
    } finally {
      await stand.close();
    }
  });

  it('refuses dry-run with watch before anything runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-action-'));
    try {
      const run = await runAction(dir, { command: 'watch', 'dry-run': 'true' });
      assert.equal(run.status, 2);
      assert.match(run.stdout + run.stderr, /input 'dry-run' applies to command reserve only; watch never uploads/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the GitHub Action: account and organization', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-action-argv-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** An action checkout whose CLI only records its arguments. */
  function recordingActionPath(): { path: string; argv: () => string[] } {
    const path = join(dir, 'action');
    const log = join(dir, 'argv.json');
    mkdirSync(join(path, 'dist', 'src', 'cli'), { recursive: true });
    writeFileSync(join(path, 'dist', 'pypi-reserve.cjs'), `require('node:fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)));\n`);
    return { path, argv: () => JSON.parse(readFileSync(log, 'utf8')) as string[] };
  }

  it('passes each account name (white space, commas or line breaks between them) as --account, and the organization as --organization', async () => {
    const cli = recordingActionPath();
    const run = await runAction(dir, { command: 'check', account: 'acme-bot, alice\n  bob carol,,', organization: 'acme-corp' }, { actionPath: cli.path });
    assert.equal(run.status, 0, run.stderr);
    const argv = cli.argv();
    const values = (flag: string) => argv.flatMap((a, i) => (a === flag ? [argv[i + 1]] : []));
    assert.deepEqual(values('--account'), ['acme-bot', 'alice', 'bob', 'carol']);
    assert.deepEqual(values('--organization'), ['acme-corp']);
  });

  it('passes the organization as one value, even with white space or a comma in it', async () => {
    const cli = recordingActionPath();
    const run = await runAction(dir, { command: 'check', organization: 'acme corp,x' }, { actionPath: cli.path });
    assert.equal(run.status, 0, run.stderr);
    const argv = cli.argv();
    assert.deepEqual(argv.flatMap((a, i) => (a === '--organization' ? [argv[i + 1]] : [])), ['acme corp,x']);
  });

  it('the CLI takes --account and --organization on check, reserve and watch', async () => {
    for (const command of ['check', 'reserve', 'watch']) {
      const h = await runCli([command, '--help']);
      assert.match(h.stdout, /--account/);
      assert.match(h.stdout, /--organization/);
    }
  });
});

describe('the action definition', () => {
  const action = actionYml();

  it('has every input the README documents, each reaching the script through the environment', () => {
    const expected = ['command', 'config', 'names-file', 'requirements', 'pyproject', 'from-index', 'index-credentials', 'repository', 'index-url', 'owner', 'contact', 'url', 'note', 'account', 'organization', 'max-new', 'dry-run', 'fail-on-deferred', 'report', 'token', 'feed-url', 'watch-state'];
    assert.deepEqual(Object.keys(action.inputs).sort(), [...expected].sort());
    const env = stepEnv(action, {});
    assert.equal(Object.keys(env).length, expected.length);
  });

  it('declares the outputs total, taken, exit-code and report, from the run step', () => {
    for (const name of ['total', 'taken', 'exit-code', 'report']) assert.equal(action.outputs[name]?.value, `\${{ steps.run.outputs.${name} }}`);
  });
});

describe('annotations', () => {
  it('mark every status that fails the step as an error, naming the name and the status', () => {
    const statuses = ['taken', 'prohibited', 'too-similar', 'failed', 'unknown', 'filename-reused'];
    assert.deepEqual([...FAILING_STATUSES].sort(), [...statuses].sort());
    const lines = annotations(
      [...statuses, 'uploaded', 'reserved'].map((status) => ({ name: `n-${status}`, normalized: `n-${status}`, status, detail: 'why, with: punctuation\nand a line' })),
      'PyPI',
    );
    assert.equal(lines.length, statuses.length);
    for (const [i, status] of statuses.entries()) {
      // filename-reused has its own title ("<name>: file name refused").
      assert.match(lines[i] as string, new RegExp(`^::error title=n-${status}( |%3A )`));
      assert.ok(!(lines[i] as string).includes('\n'));
    }
  });
});

/**
 * Batch runs and CI, end to end through the CLI: names from where they live
 * (a private index, requirements, pyproject.toml), the config file and its
 * precedence, a list completed over several quota windows, GitHub's job
 * summary and annotations, and the composite action.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWarehouse, type Warehouse } from './support/warehouse/index.js';
import { baseEnv, runCli } from './support/cli.js';
import { GOOD_TOKEN, OWNER, json, standUp, statuses, type Stand } from './support/reserve-fixture.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN_ENV = { PYPI_TOKEN: GOOD_TOKEN };

/** A Nexus-style private index that answers only HTML and wants Basic auth. */
async function htmlPrivateIndex(projects: string[], credential: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.headers.authorization !== `Basic ${Buffer.from(credential).toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="nexus"' }).end('Unauthorized');
      return;
    }
    if (req.url !== '/repository/pypi-internal/simple/') {
      res.writeHead(404).end();
      return;
    }
    const anchors = projects.map((p) => `<a href="/repository/pypi-internal/simple/${p}/">${p}</a><br/>`).join('\n');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"><title>Simple Index</title></head><body>\n${anchors}\n</body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/repository/pypi-internal/simple/`, server };
}

describe('names from a private index feed reserve against the public index', () => {
  let publicIndex: Stand;
  let privateJson: Warehouse;
  let privateHtml: { url: string; server: Server };
  before(async () => {
    publicIndex = await standUp({ quota: { limit: 100, windowSeconds: 86_400 } });
    privateJson = await startWarehouse({
      projects: ['acme-billing', 'acme-auth', 'acme-test-fixtures', 'requests'].map((name) => ({ name, owner: 'corp' })),
    });
    privateHtml = await htmlPrivateIndex(['acme-ledger', 'Acme_Billing', 'acme-test-helpers', 'numpy'], 'ci-bot:s3cret-index-pass');
  });
  after(async () => {
    await publicIndex.close();
    await privateJson.close();
    await new Promise((r) => privateHtml.server.close(r));
  });

  it('reserves the private names the patterns choose, from a JSON index and an authenticated HTML index', async () => {
    const result = await publicIndex.run(
      [
        'reserve',
        '--from-index', privateJson.indexUrl,
        '--from-index', privateHtml.url,
        '--index-credentials-env', 'NEXUS_CREDENTIALS',
        '--include', 'acme-*',
        '--exclude', 'acme-test-*',
        '--owner', OWNER,
        '--json',
      ],
      { ...TOKEN_ENV, NEXUS_CREDENTIALS: 'ci-bot:s3cret-index-pass' },
    );
    assert.equal(result.code, 0, result.stderr);
    // Listing order of each index, first occurrence kept: Acme_Billing is acme-billing again.
    assert.deepEqual(Object.keys(statuses(result)).sort(), ['acme-auth', 'acme-billing', 'acme-ledger']);
    assert.deepEqual(new Set(Object.values(statuses(result))), new Set(['uploaded']));
    assert.match(result.stderr, /names: .*127\.0\.0\.1.*found/);
    assert.ok(!result.stderr.includes('s3cret-index-pass') && !result.stdout.includes('s3cret-index-pass'));
  });

  it('an unauthorized private index is a clear error naming the source, exit 2, nothing uploaded', async () => {
    const before = publicIndex.warehouse.uploads().length;
    const result = await publicIndex.run(['reserve', '--from-index', privateHtml.url, '--owner', OWNER], { ...TOKEN_ENV });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /401/);
    assert.match(result.stderr, /repository\/pypi-internal\/simple/);
    assert.equal(publicIndex.warehouse.uploads().length, before);
  });

  it('a page that is not a simple index is refused', async () => {
    const result = await publicIndex.run(['check', '--from-index', `${privateJson.url}/pypi/acme-auth/json`, '--owner', OWNER]);
    assert.equal(result.code, 2);
  });
});

describe('requirements and pyproject sources through the CLI', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp();
  });
  after(() => stand.close());

  it('keeps only project names, in priority order, across awkward syntax', async () => {
    writeFileSync(join(stand.dir, 'base.txt'), 'acme-shared==1.0\n');
    writeFileSync(
      join(stand.dir, 'requirements.txt'),
      [
        '--extra-index-url https://nexus.example/simple/',
        '-r base.txt',
        'Acme_Core[cli]>=1.2 ; python_version < "3.9"  # comment',
        'acme-hashed==1.0 \\',
        '    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000',
        'acme-direct @ https://files.example/acme_direct-1.0-py3-none-any.whl',
        '-e git+https://git.example/acme/tool.git#egg=acme-tool',
        './local/path',
        '',
      ].join('\r\n'),
    );
    writeFileSync(
      join(stand.dir, 'pyproject.toml'),
      '[project]\nname = "acme-app"\ndependencies = ["acme-core>=1", "acme-pyproject-only"]\n[project.optional-dependencies]\ndocs = ["acme-docs-theme"]\n[dependency-groups]\ndev = ["acme-devtools", {include-group = "lint"}]\nlint = ["acme-lint"]\n',
    );
    const result = await stand.run(['check', '--requirements', 'requirements.txt', '--pyproject', 'pyproject.toml', '--owner', OWNER, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const names = json(result).results.map((r) => r.normalized);
    assert.deepEqual(names.slice(0, 5), ['acme-shared', 'acme-core', 'acme-hashed', 'acme-direct', 'acme-tool']);
    for (const n of ['acme-pyproject-only', 'acme-docs-theme', 'acme-devtools', 'acme-lint']) assert.ok(names.includes(n), n);
    assert.equal(names.filter((n) => n === 'acme-core').length, 1, 'a name in both sources is one name');
  });

  it('a requirements file with unsupported syntax is an error with file and line, nothing sent', async () => {
    writeFileSync(join(stand.dir, 'bad.txt'), 'acme-ok\n--frobnicate\nacme thing\n');
    const before = stand.warehouse.requests.length;
    const result = await stand.run(['reserve', '--requirements', 'bad.txt', '--owner', OWNER], TOKEN_ENV);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.txt:2/);
    assert.match(result.stderr, /bad\.txt:3/);
    assert.equal(stand.warehouse.requests.length, before);
  });
});

describe('the config file', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp();
  });
  after(() => stand.close());

  it('supplies owner, sources and max-new; flags override it', async () => {
    writeFileSync(join(stand.dir, 'names.txt'), 'cfg-one\ncfg-two\ncfg-three\n');
    writeFileSync(
      join(stand.dir, 'pypi-reserve.toml'),
      `owner = "Config Owner"\ncontact = "sec@acme.example"\nmax-new = 1\nrepository-url = "${stand.warehouse.uploadUrl}"\nindex-url = "${stand.warehouse.indexUrl}"\n\n[sources]\nnames-files = ["names.txt"]\n`,
    );
    const fromFile = await runCli(['reserve', '--json'], { cwd: stand.dir, env: baseEnv({ HOME: stand.dir, ...TOKEN_ENV }) });
    assert.equal(fromFile.code, 3, fromFile.stderr);
    assert.deepEqual(statuses(fromFile), { 'cfg-one': 'uploaded', 'cfg-two': 'deferred', 'cfg-three': 'deferred' });
    assert.deepEqual(stand.warehouse.uploads().at(-1)?.fields?.author, ['Config Owner']);

    const overridden = await runCli(['reserve', 'cfg-flag', '--owner', 'Flag Owner', '--max-new', '5', '--json'], {
      cwd: stand.dir,
      env: baseEnv({ HOME: stand.dir, ...TOKEN_ENV }),
    });
    assert.equal(overridden.code, 0, overridden.stderr);
    // Names on the command line replace the file's sources; the flag's owner wins.
    assert.deepEqual(statuses(overridden), { 'cfg-flag': 'uploaded' });
    assert.deepEqual(stand.warehouse.uploads().at(-1)?.fields?.author, ['Flag Owner']);
  });

  it('a config with typos and bad values is reported completely, with lines, and nothing runs', async () => {
    const bad = join(stand.dir, 'bad.toml');
    writeFileSync(bad, 'ownr = "Acme"\nmax-new = -1\ncontact = 42\nurl = "ftp://acme.example"\n[sources]\ninclude = []\nnames-file = ["x"]\n');
    const before = stand.warehouse.requests.length;
    const result = await stand.run(['reserve', '--config', bad], TOKEN_ENV);
    assert.equal(result.code, 2);
    for (const line of [1, 2, 3, 4, 7]) assert.match(result.stderr, new RegExp(`bad\\.toml:${line}\\b`), `line ${line} reported:\n${result.stderr}`);
    assert.match(result.stderr, /owner/);
    assert.equal(stand.warehouse.requests.length, before);
  });

  it('init writes a commented starter file that loads cleanly, and refuses to overwrite it', async () => {
    const dir = join(stand.dir, 'fresh');
    mkdirSync(dir);
    const first = await runCli(['init'], { cwd: dir, env: baseEnv({ HOME: dir }) });
    assert.equal(first.code, 0, first.stderr);
    assert.match(readFileSync(join(dir, 'pypi-reserve.toml'), 'utf8'), /^# /m);
    const again = await runCli(['init'], { cwd: dir, env: baseEnv({ HOME: dir }) });
    assert.equal(again.code, 2);
  });
});

describe('a scheduled job over a list longer than the quota', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ quota: { limit: 4, windowSeconds: 86_400 } });
  });
  after(() => stand.close());

  it('completes 10 names at 4 per window in three runs, reporting what remains and when it will be done', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `sched-${i + 1}`);
    writeFileSync(join(stand.dir, 'names.txt'), names.join('\n'));
    const run = () => stand.run(['reserve', '-f', 'names.txt', '--owner', OWNER, '--max-new', '4', '--json'], TOKEN_ENV);

    const first = await run();
    assert.equal(first.code, 3);
    assert.equal(json(first).summary.uploaded, 4);
    assert.equal((json(first).summary.pace as { remaining: number }).remaining, 6);
    assert.match(String((json(first).summary.pace as { allProtectedBy: string }).allProtectedBy), /^\d{4}-\d\d-\d\dT/);

    stand.warehouse.advance(86_400);
    const second = await run();
    assert.equal(second.code, 3);
    assert.equal(json(second).summary.uploaded, 4);
    assert.equal(json(second).summary.reserved, 4);

    stand.warehouse.advance(86_400);
    const third = await run();
    assert.equal(third.code, 0, third.stderr);
    assert.equal(json(third).summary.uploaded, 2);
    assert.equal(json(third).summary.reserved, 8);
    assert.equal(stand.warehouse.uploads().filter((u) => u.status === 429).length, 0, 'the per-run limit kept every run under the quota');
  });
});

describe('GitHub Actions', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ projects: [{ name: 'gh-stolen', owner: 'mallory' }] });
  });
  after(() => stand.close());

  it('appends a Markdown table to the job summary, annotates taken and deferred names, and writes the report', async () => {
    const summary = join(stand.dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const report = join(stand.dir, 'out', 'report.json');
    mkdirSync(join(stand.dir, 'out'));
    const result = await stand.run(['reserve', 'gh-stolen', 'gh-one', 'gh-two', '--owner', OWNER, '--max-new', '1', '--report', report], {
      ...TOKEN_ENV,
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    assert.equal(result.code, 1);
    const md = readFileSync(summary, 'utf8');
    assert.match(md, /^# earlier step\n/);
    assert.match(md, /\| Name \| Outcome \| Detail \|/);
    // Cells are Markdown-escaped text: `gh\-stolen` renders as gh-stolen.
    assert.match(md, /\| gh\\-stolen \| \*\*taken\*\* \|/);
    assert.match(md, /\| gh\\-two \| deferred \|/);
    assert.match(result.stderr, /^::error title=gh-stolen is taken::gh-stolen is taken on /m);
    assert.match(result.stderr, /^::notice title=gh-two deferred::/m);
    assert.deepEqual(statuses({ ...result, stdout: readFileSync(report, 'utf8') }), { 'gh-stolen': 'taken', 'gh-one': 'uploaded', 'gh-two': 'deferred' });
  });

  it('a stop on the credential is one ::error:: annotation, and deferred names say they were not attempted', async () => {
    const result = await stand.run(['reserve', 'gh-cred-a', 'gh-cred-b', '--owner', OWNER, '--contact', 'security@acme.example'], { GITHUB_ACTIONS: 'true' });
    assert.equal(result.code, 2, result.stderr);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('::error title=pypi-reserve::'));
    assert.equal(errors.length, 1, result.stderr);
    assert.match(errors[0]!, /token/i);
    assert.match(result.stderr, /^::notice title=gh-cred-a deferred::gh-cred-a not attempted: /m);
    assert.doesNotMatch(result.stderr, /waits for a later run/);
  });

  it('input errors on GitHub Actions are one escaped ::error:: annotation per problem, besides the usual text', async () => {
    const result = await stand.run(['check', 'bad name!', 'also%bad\r', '--owner', OWNER], { GITHUB_ACTIONS: 'true' });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: 2 problems in the input; nothing was done:/m);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('::error title=pypi-reserve input::'));
    assert.equal(errors.length, 2, result.stderr);
    assert.ok(errors.every((l) => !l.includes('\r')), 'a carriage return cannot end the command early');
    assert.match(errors[1]!, /%25/, 'workflow-command escaping');
    const plain = await stand.run(['check', 'bad name!', '--owner', OWNER]);
    assert.doesNotMatch(plain.stderr, /^::error/m, 'only on GitHub Actions');
  });

  it('without GitHub, no annotations are printed', async () => {
    const result = await stand.run(['check', 'gh-stolen', '--owner', OWNER]);
    assert.doesNotMatch(result.stderr, /^::error/m);
  });
});

describe('the composite action', () => {
  const action = JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', join(REPO, 'action.yml')], { encoding: 'utf8' }),
  ) as {
    inputs: Record<string, { description: string; default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: { run?: string; env?: Record<string, string>; uses?: string; id?: string }[] };
  };
  const script = readFileSync(join(REPO, 'scripts', 'github-action.sh'), 'utf8');

  it('is a composite action that sets up Node and runs from its own checkout', () => {
    assert.equal(action.runs.using, 'composite');
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('actions/setup-node@')));
    assert.ok(action.runs.steps.some((s) => s.run?.includes('npm ci --prefix "$GITHUB_ACTION_PATH"')));
  });

  it('uses every input, and only through the environment: no expression is spliced into a script', () => {
    const env = Object.values(action.runs.steps.find((s) => s.id === 'run')?.env ?? {});
    for (const name of Object.keys(action.inputs)) {
      assert.ok(env.includes(`\${{ inputs.${name} }}`), `input ${name} is passed to the run step`);
    }
    for (const step of action.runs.steps) assert.doesNotMatch(step.run ?? '', /\$\{\{/, 'no ${{ }} inside run:');
  });

  it('hands the token over as PYPI_TOKEN in the environment, never as an argument', () => {
    assert.equal(action.runs.steps.find((s) => s.id === 'run')?.env?.PYPI_TOKEN, '${{ inputs.token }}');
    const mentions = script.split('\n').filter((l) => l.includes('PYPI_TOKEN') && !l.trim().startsWith('#'));
    assert.deepEqual(mentions, ['[ -z "${PYPI_TOKEN:-}" ] && unset PYPI_TOKEN']);
    assert.doesNotMatch(script, /--token/);
  });

  it('declares outputs for the counts and the report, all from the run step', () => {
    for (const name of ['exit-code', 'report', 'uploaded', 'reserved', 'taken', 'deferred', 'failed']) {
      assert.equal(action.outputs[name]?.value, `\${{ steps.run.outputs.${name} }}`);
    }
  });

  it('its script runs the CLI, writes the outputs, and treats names waiting for the quota as success', async () => {
    const stand = await standUp();
    try {
      writeFileSync(join(stand.dir, 'names.txt'), 'act-one\nact-two\n');
      writeFileSync(
        join(stand.dir, 'pypi-reserve.toml'),
        `owner = "${OWNER}"\nrepository-url = "${stand.warehouse.uploadUrl}"\nindex-url = "${stand.warehouse.indexUrl}"\n`,
      );
      const output = join(stand.dir, 'github-output');
      writeFileSync(output, '');
      // Asynchronously: the stand-in answers from this very process.
      const child = spawn('bash', [join(REPO, 'scripts', 'github-action.sh')], {
        cwd: stand.dir,
        env: baseEnv({
          HOME: stand.dir,
          GITHUB_ACTION_PATH: REPO,
          GITHUB_OUTPUT: output,
          RUNNER_TEMP: stand.dir,
          PYPI_RESERVE_COMMAND: 'reserve',
          PYPI_RESERVE_NAMES_FILES: 'names.txt\n',
          PYPI_RESERVE_MAX_NEW: '1',
          PYPI_TOKEN: GOOD_TOKEN,
        }),
      });
      const result = { stdout: '', stderr: '', status: null as number | null };
      child.stdout.setEncoding('utf8').on('data', (d: string) => (result.stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (result.stderr += d));
      result.status = await new Promise((r) => child.on('close', r));
      assert.equal(result.status, 0, result.stderr);
      const outputs = Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
      assert.equal(outputs['exit-code'], '3');
      assert.equal(outputs.uploaded, '1');
      assert.equal(outputs.deferred, '1');
      assert.ok(existsSync(outputs.report!));
      assert.ok(!result.stdout.includes(GOOD_TOKEN) && !result.stderr.includes(GOOD_TOKEN));
    } finally {
      await stand.close();
    }
  });
});

/**
 * Requirements files and pyproject.toml name public dependencies next to private
 * names (issue 11, rough edges): after a check, public projects from such a
 * source get one note pointing at `include` (the alert and the verdict stay),
 * and Poetry's `[tool.poetry]` dependency tables are read like PEP 621's.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPyproject } from '../src/sources/pyproject.js';
import { runCli } from './support/cli.js';
import { OWNER, standUp, statuses, type Stand } from './support/reserve-fixture.js';
import { workDirs } from './support/work-dirs.js';

const workDir = workDirs('pypi-reserve-dependency-sources-test-');

describe('public projects from a dependency list', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp({ projects: [{ name: 'requests', owner: 'mallory' }, { name: 'acme-stolen', owner: 'mallory' }] });
    writeFileSync(join(stand.dir, 'requirements.txt'), 'requests>=2\nacme-private==1.0\n');
    writeFileSync(join(stand.dir, 'names.txt'), 'acme-stolen\n');
  });
  after(() => stand.close());

  it('check notes them once, pointing at include, and keeps the alert and the exit code', async () => {
    const result = await stand.run(['check', '--requirements', 'requirements.txt', '-f', 'names.txt', '--owner', OWNER, '--no-preflight', '--json']);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(statuses(result), { requests: 'taken', 'acme-private': 'free', 'acme-stolen': 'taken' });
    assert.match(result.stderr, /ALERT: requests is taken/);
    assert.match(
      result.stderr,
      /^note: requests from a requirements or pyproject source is a project that someone else publishes: probably dependencies, not private names; keep only your own names with include \(/m,
    );
    assert.doesNotMatch(result.stderr, /note: .*acme-stolen.*someone else publishes/, 'a name from a names file is no dependency');
  });
});

describe("Poetry's tables in pyproject.toml", () => {
  const POETRY = [
    '[tool.poetry]', // 1
    'name = "acme-app"', // 2
    '', // 3
    '[tool.poetry.dependencies]', // 4
    'python = "^3.11"', // 5
    'requests = "^2.31"', // 6
    'acme-core = { version = "^1.0", source = "private" }', // 7
    '', // 8
    '[tool.poetry.group.dev.dependencies]', // 9
    '"acme.testing" = "*"', // 10
    '', // 11
    '[tool.poetry.dev-dependencies]', // 12
    'black = "*"', // 13
  ].join('\n');

  it('give the project name, the dependencies and every group, each at its line; python is not a project', async () => {
    const dir = workDir({ 'pyproject.toml': POETRY });
    const read = await readPyproject('pyproject.toml', { cwd: dir });
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.entries, [
      { name: 'acme-app', source: 'pyproject.toml:2' },
      { name: 'requests', source: 'pyproject.toml:6' },
      { name: 'acme-core', source: 'pyproject.toml:7' },
      { name: 'black', source: 'pyproject.toml:13' },
      { name: 'acme.testing', source: 'pyproject.toml:10' },
    ]);
  });

  it('are a names source for every command', async () => {
    const dir = workDir({ 'pyproject.toml': POETRY });
    const result = await runCli(['build', '--pyproject', 'pyproject.toml', '--include', 'acme-*', '--owner', OWNER, '--json'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const built = (JSON.parse(result.stdout) as { results: { name: string }[] }).results.map((r) => r.name);
    assert.deepEqual(built, ['acme-app', 'acme-core', 'acme.testing']);
  });

  it('a [project] name wins over [tool.poetry] name, which is then not read twice', async () => {
    const dir = workDir({ 'pyproject.toml': `[project]\nname = "acme-pep621"\n\n${POETRY}` });
    const read = await readPyproject('pyproject.toml', { cwd: dir });
    assert.deepEqual(read.entries[0], { name: 'acme-pep621', source: 'pyproject.toml:2' });
    assert.ok(!read.entries.some((e) => e.name === 'acme-app'));
  });
});

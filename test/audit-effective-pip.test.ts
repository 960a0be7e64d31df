/**
 * Real pip is the oracle for `audit --effective`: for each fixture (pip.conf
 * at global, user and site level, PIP_CONFIG_FILE, PIP_* variables, the
 * requirements files given), Debian's pip in a venv runs
 * `pip install --dry-run` against dead-end file:// indexes, and the indexes and
 * links it prints ("Looking in indexes: ...", "Looking in links: ...") must be
 * exactly our effective list for pip. pip's own option parser also decides
 * which abbreviations of its long options are valid.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { baseEnv, runCli } from './support/cli.js';
import { createVenv, need, pythonEnv, pythonTools, run, unavailable } from './support/python.js';
import { PIP_INSTALL_LONG_OPTIONS, resolvePipLongOption } from '../src/audit/command-line.js';

const tools = pythonTools();
const skip = unavailable(tools.venv);
let venv = '';
const temps: string[] = [];

before(async () => {
  if (skip === false) venv = await createVenv(need(tools.venv));
});
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  if (venv) rmSync(dirname(venv), { recursive: true, force: true });
});

interface Fixture {
  /** Files relative to the fixture directory; `site/pip.conf` becomes the venv's own pip.conf. */
  files: Record<string, string>;
  /** PIP_* variables; `$DIR` stands for the fixture directory. */
  env?: Record<string, string>;
  /** Requirements files given to pip with -r and to audit as PATHs. */
  given?: string[];
}

interface Locations {
  indexes: string[];
  findLinks: string[];
}

function materialise(fixture: Fixture): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-effective-'));
  temps.push(dir);
  const sub = (text: string): string => text.replaceAll('$DIR', dir);
  rmSync(join(venv, 'pip.conf'), { force: true });
  for (const [path, content] of Object.entries(fixture.files)) {
    const target = path === 'site/pip.conf' ? join(venv, 'pip.conf') : join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, sub(content));
  }
  mkdirSync(join(dir, 'home'), { recursive: true });
  const env: Record<string, string> = { HOME: join(dir, 'home'), XDG_CONFIG_DIRS: join(dir, 'xdg') };
  for (const [name, value] of Object.entries(fixture.env ?? {})) env[name] = sub(value);
  return { dir, env };
}

/**
 * What pip prints it will look in. pip leaves out the "Looking in indexes" line
 * for PyPI alone and for no index at all; every fixture sets an index (PyPI
 * alone would reach the network), so a missing line here means no index, which
 * pip's silence about index locations confirms.
 */
async function pipLooksIn(fixture: Fixture): Promise<{ pip: Locations; ours: Locations }> {
  const { dir, env } = materialise(fixture);
  const given = fixture.given ?? [];
  const args = ['install', '--dry-run', '--no-deps', ...(given.length > 0 ? given.flatMap((g) => ['-r', g]) : ['somepkg'])];
  // Only the fixture's variables: the machine's own PIP_* (this one sets PIP_FIND_LINKS) must not leak in.
  const r = await run(join(venv, 'bin', 'pip'), args, { cwd: dir, env: pythonEnv({ ...env, PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' }) });
  assert.match(r.stdout + r.stderr, /No matching distribution found for somepkg/, `pip should fail on the dead-end indexes:\n${r.stdout}${r.stderr}`);
  const line = (label: string): string[] | undefined =>
    new RegExp(`^${label}: (.*)$`, 'm').exec(r.stdout)?.[1]?.split(', ');
  const indexes = line('Looking in indexes');
  if (indexes === undefined) assert.doesNotMatch(r.stdout + r.stderr, /Location 'file:\/\/\/nonexistent\/pypi-reserve/);
  const pip = { indexes: indexes ?? [], findLinks: line('Looking in links') ?? [] };

  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  const result = await runCli(['audit', '--json', '--root', root, ...given], {
    cwd: dir,
    env: baseEnv({ ...env, VIRTUAL_ENV: venv }),
  });
  const report = JSON.parse(result.stdout) as { effective: { pip: Locations } };
  return { pip, ours: { indexes: report.effective.pip.indexes, findLinks: report.effective.pip.findLinks } };
}

const DEAD = 'file:///nonexistent/pypi-reserve';

describe('audit --effective agrees with real pip', { skip }, () => {
  const fixtures: Record<string, Fixture> = {
    'global, user and site files: later levels replace a key, [install] beats [global] whatever the level': {
      files: {
        'xdg/pip/pip.conf': `[global]\nindex-url = ${DEAD}/global\nfind-links = /nonexistent/global-links\n[install]\nextra-index-url = ${DEAD}/global-install\n`,
        'home/.config/pip/pip.conf': `[global]\nextra-index-url =\n    ${DEAD}/user-1\n    ${DEAD}/user-2\n`,
        'site/pip.conf': `[global]\nfind-links = /nonexistent/site-links /nonexistent/site-links-2\n`,
      },
    },
    'PIP_CONFIG_FILE is read last and makes pip skip the user file': {
      files: {
        'home/.config/pip/pip.conf': `[global]\nextra-index-url = ${DEAD}/user\n`,
        'pip-config-file.conf': `[global]\nindex-url = ${DEAD}/config-file\n`,
      },
      env: { PIP_CONFIG_FILE: '$DIR/pip-config-file.conf' },
    },
    'PIP_* variables replace the files': {
      files: { 'home/.config/pip/pip.conf': `[global]\nextra-index-url = ${DEAD}/user\nfind-links = /nonexistent/user-links\n` },
      env: { PIP_EXTRA_INDEX_URL: `${DEAD}/env-1 ${DEAD}/env-2`, PIP_FIND_LINKS: '/nonexistent/env-links' },
    },
    'requirements files given: -r followed in place, --index-url replaces, -f relative to the file': {
      files: {
        'reqs/main.txt': `--extra-index-url ${DEAD}/main-extra\n-r nested/more.txt\n-f ./wheels\nsomepkg\n`,
        'reqs/nested/more.txt': `--index-url ${DEAD}/nested-index\n--extra-index-url ${DEAD}/nested-extra\n`,
        'reqs/wheels/.keep': '',
        'home/.config/pip/pip.conf': `[global]\nextra-index-url = ${DEAD}/user\n`,
      },
      given: ['reqs/main.txt'],
    },
    'a constraint file named in pip.conf adds its index options': {
      files: {
        'home/.config/pip/pip.conf': '[global]\nconstraint = $DIR/pins.txt\n',
        'pins.txt': `--extra-index-url ${DEAD}/from-constraints\n`,
      },
    },
    '--no-index in a requirements file drops every index': {
      files: {
        'home/.config/pip/pip.conf': `[global]\nextra-index-url = ${DEAD}/user\n`,
        'offline.txt': '--no-index\n--find-links /nonexistent/offline\nsomepkg\n',
      },
      given: ['offline.txt'],
    },
  };

  for (const [name, fixture] of Object.entries(fixtures)) {
    it(name, async () => {
      const { pip, ours } = await pipLooksIn(fixture);
      assert.deepEqual(ours, pip);
    });
  }
});

describe('abbreviated pip options are resolved as pip resolves them', { skip }, () => {
  it('agrees with pip install’s own parser on every prefix of every long option', async () => {
    const script = `
import json, optparse, sys
from pip._internal.commands import create_command
parser = create_command('install').parser
names = sorted(o[2:] for o in parser._long_opt)
out = {}
for name in names:
    for n in range(1, len(name) + 1):
        prefix = name[:n]
        try:
            out[prefix] = parser._match_long_opt('--' + prefix)[2:]
        except optparse.BadOptionError:
            out[prefix] = None
json.dump({'names': names, 'resolved': out}, sys.stdout)
`;
    const r = await run(join(venv, 'bin', 'python'), ['-c', script], { env: pythonEnv() });
    assert.equal(r.code, 0, r.stderr);
    const { names, resolved } = JSON.parse(r.stdout) as { names: string[]; resolved: Record<string, string | null> };
    assert.deepEqual([...PIP_INSTALL_LONG_OPTIONS].sort(), names);
    for (const [prefix, option] of Object.entries(resolved)) {
      assert.equal(resolvePipLongOption(prefix) ?? null, option, `--${prefix}`);
    }
  });
});

/**
 * `pypi-reserve audit` finds every merge pip, uv, Poetry, PDM and Pipenv
 * really perform (issue 10): find-links, files pip follows, the spellings
 * scripts use, uv's precedence rules, public mirrors, PDM and Pipenv files,
 * lock files given the private names; and its output is read once.
 * Each spec is a tree a user could have, run through the real CLI with an
 * empty machine (HOME, XDG_*, --root) and no inherited PIP_* / UV_* variables.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, runCli, type CliResult } from './support/cli.js';
import type { Finding } from '../src/audit/types.js';
import type { JsonReport } from './support/audit-report.js';
import { workDirs } from './support/work-dirs.js';

/** A directory holding `files` (path → content), removed when this file's specs end. */
const tree = workDirs('pypi-reserve-audit-merges-');

/** Runs audit in `project/` of `dir`, with `home/` as HOME and `root/` as the filesystem root. */
async function audit(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  mkdirSync(join(dir, 'project'), { recursive: true });
  mkdirSync(join(dir, 'home'), { recursive: true });
  mkdirSync(join(dir, 'root'), { recursive: true });
  return runCli(['audit', '--root', join(dir, 'root'), ...args], {
    cwd: join(dir, 'project'),
    env: baseEnv({ HOME: join(dir, 'home'), XDG_CONFIG_DIRS: join(dir, 'root', 'xdg'), ...env }),
  });
}

async function auditJson(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ result: CliResult; report: JsonReport }> {
  const result = await audit(dir, ['--json', ...args], env);
  return { result, report: JSON.parse(result.stdout) as JsonReport };
}

/** `file:line severity setting value`, the file relative to the project. */
function brief(f: Finding): string {
  return `${f.file}${f.line === null ? '' : `:${f.line}`} ${f.severity} ${f.setting} ${f.value}`;
}

describe('audit: find-links merges with the index everywhere', () => {
  it('reports find-links in pip.conf, requirements files, PIP_FIND_LINKS, command lines, uv.toml and UV_FIND_LINKS', async () => {
    const dir = tree({
      'home/.config/pip/pip.conf': '[global]\nfind-links = /srv/wheels\n',
      'project/requirements.txt': 'corp-lib==1.0\n-f ./vendor\n',
      'project/Dockerfile': 'FROM python:3.12\nRUN pip install -f https://wheels.corp.example/ corp-lib\n',
      'project/uv.toml': 'find-links = ["https://uv-wheels.corp.example/"]\n',
      'project/offline/requirements.txt': '--no-index\n--find-links /mnt/wheels\n',
    });
    const { result, report } = await auditJson(dir, [], { PIP_FIND_LINKS: '/opt/wheels', UV_FIND_LINKS: '/opt/uv-wheels' });
    assert.equal(result.code, 1);
    const home = join(dir, 'home');
    assert.deepEqual(
      report.findings.map(brief).map((b) => b.replace(home, '~')),
      [
        '~/.config/pip/pip.conf:2 risky global.find-links /srv/wheels',
        'env:PIP_FIND_LINKS risky PIP_FIND_LINKS /opt/wheels',
        'env:UV_FIND_LINKS risky UV_FIND_LINKS /opt/uv-wheels',
        'Dockerfile:2 risky pip --find-links https://wheels.corp.example/',
        'requirements.txt:2 risky --find-links ./vendor',
        'uv.toml:1 risky find-links https://uv-wheels.corp.example/',
        'offline/requirements.txt:2 info --find-links /mnt/wheels',
      ],
    );
    const pipFindLinks = report.findings.find((f) => f.setting === 'PIP_FIND_LINKS');
    assert.match(pipFindLinks?.why ?? '', /no ordering/);
    assert.match(report.findings.find((f) => f.file === 'uv.toml')?.why ?? '', /^uv adds the files/);
  });
});

describe('audit: files pip follows are opened too', () => {
  it('follows pip.conf constraint/requirement, PIP_CONSTRAINT and -r/-c on script command lines', async () => {
    const dir = tree({
      'home/.config/pip/pip.conf': '[global]\nconstraint = /ABS/pinned.txt\n',
      'pinned.txt': 'corp-lib<2\n--extra-index-url https://pinned.corp.example/simple\n',
      'env-constraints.txt': '--extra-index-url https://env.corp.example/simple\n',
      'project/Dockerfile': 'FROM python:3.12\nRUN pip install -r deps/base.txt\n',
      'project/deps/base.txt': 'corp-lib\n--extra-index-url https://deps.corp.example/simple\n',
      'project/Makefile': 'install:\n\tpip install -qc locks/pins.lst\n',
      'project/locks/pins.lst': '--extra-index-url https://make.corp.example/simple\n',
    });
    writeFileSync(join(dir, 'home/.config/pip/pip.conf'), `[global]\nconstraint = ${join(dir, 'pinned.txt')}\n`);
    const { report } = await auditJson(dir, [], { PIP_CONSTRAINT: join(dir, 'env-constraints.txt') });
    const risky = report.findings.filter((f) => f.severity === 'risky').map((f) => `${f.file.replace(`${dir}/`, '')}:${f.line} ${f.value}`);
    assert.deepEqual(risky, [
      'pinned.txt:2 https://pinned.corp.example/simple',
      'env-constraints.txt:1 https://env.corp.example/simple',
      'deps/base.txt:2 https://deps.corp.example/simple',
      'locks/pins.lst:1 https://make.corp.example/simple',
    ]);
    assert.ok(report.read.includes('env:PIP_CONSTRAINT'));
  });
});

describe('audit: the spellings scripts use', () => {
  it('finds ENV K V, pip config --site set, abbreviated options, CI variables, Make ?= += :=, .env, .envrc, .ps1, .bat, .cmd', async () => {
    const dir = tree({
      'project/Dockerfile': [
        'FROM python:3.12',
        'ENV PIP_EXTRA_INDEX_URL https://docker-env.corp.example/simple',
        'RUN pip config --site set global.extra-index-url https://docker-site.corp.example/simple',
        'RUN pip install --extra-index https://docker-abbrev.corp.example/simple \\',
        '    --ext https://docker-continued.corp.example/simple corp-lib',
        'RUN pip install --ex https://ambiguous.example/ corp-lib',
      ].join('\n'),
      'project/.github/workflows/ci.yml': 'env:\n  UV_INDEX: https://pypi.org/simple\n  UV_DEFAULT_INDEX: https://proxy.corp.example/simple\n',
      'project/Makefile': 'PIP_EXTRA_INDEX_URL ?= https://make-q.corp.example/simple\nPIP_FIND_LINKS += /make/wheels\nUV_INDEX := https://mirrors.aliyun.com/pypi/simple\n',
      'project/.env': 'PIP_EXTRA_INDEX_URL=https://dotenv.corp.example/simple\n',
      'project/.envrc': 'export UV_INDEX_STRATEGY=unsafe-best-match\n',
      'project/setup.ps1': '$env:PIP_EXTRA_INDEX_URL = "https://ps1.corp.example/simple"\n',
      'project/build.bat': 'set PIP_EXTRA_INDEX_URL=https://bat.corp.example/simple\n',
      'project/tools/get.cmd': 'setx PIP_FIND_LINKS C:\\wheels\n',
    });
    const { report } = await auditJson(dir);
    assert.deepEqual(report.findings.map(brief), [
      '.env:1 risky PIP_EXTRA_INDEX_URL https://dotenv.corp.example/simple',
      '.envrc:1 risky UV_INDEX_STRATEGY unsafe-best-match',
      'Dockerfile:2 risky PIP_EXTRA_INDEX_URL https://docker-env.corp.example/simple',
      'Dockerfile:3 risky pip config set extra-index-url https://docker-site.corp.example/simple',
      'Dockerfile:4 risky pip --extra-index-url https://docker-abbrev.corp.example/simple',
      'Dockerfile:5 risky pip --extra-index-url https://docker-continued.corp.example/simple',
      'Makefile:1 risky PIP_EXTRA_INDEX_URL https://make-q.corp.example/simple',
      'Makefile:2 risky PIP_FIND_LINKS /make/wheels',
      'Makefile:3 risky UV_INDEX https://mirrors.aliyun.com/pypi/simple',
      'build.bat:1 risky PIP_EXTRA_INDEX_URL https://bat.corp.example/simple',
      'setup.ps1:1 risky PIP_EXTRA_INDEX_URL https://ps1.corp.example/simple',
      'tools/get.cmd:1 risky PIP_FIND_LINKS C:\\wheels',
      '.github/workflows/ci.yml:2 risky UV_INDEX https://pypi.org/simple',
    ]);
  });
});

describe('audit: uv precedence, [pip], ignore-error-codes, first-index', () => {
  it('calls a public UV_INDEX risky: it comes before every configured index', async () => {
    const dir = tree({ 'project/uv.toml': '[[index]]\nname = "internal"\nurl = "https://uv.corp.example/simple"\n' });
    const { result, report } = await auditJson(dir, [], { UV_INDEX: 'https://pypi.org/simple' });
    assert.equal(result.code, 1);
    assert.deepEqual(report.findings.map(brief), [
      'env:UV_INDEX risky UV_INDEX https://pypi.org/simple',
      'uv.toml:3 info [[index]] internal https://uv.corp.example/simple',
    ]);
    assert.deepEqual(report.effective.uv?.indexes, ['https://pypi.org/simple', 'https://uv.corp.example/simple']);
  });

  it('reports PyPI before internal once, as a risk, without also calling internal safe', async () => {
    const dir = tree({
      'project/uv.toml': '[[index]]\nname = "pypi"\nurl = "https://pypi.org/simple"\n\n[[index]]\nname = "internal"\nurl = "https://uv.corp.example/simple"\n',
    });
    const { report } = await auditJson(dir);
    assert.deepEqual(report.findings.map((f) => `${brief(f)}: ${f.why.slice(0, 40)}`), [
      'uv.toml:3 risky [[index]] pypi https://pypi.org/simple: uv consults this public index before int',
      'uv.toml:7 info [[index]] internal https://uv.corp.example/simple: consulted after pypi, a public index (se',
    ]);
  });

  it('calls ignore-error-codes 401/403 on the private index risky at its own line, and applies the top-level strategy to [pip]', async () => {
    const dir = tree({
      'project/pyproject.toml': [
        '[project]',
        'name = "app"',
        '[[tool.uv.index]]',
        'name = "internal"',
        'url = "https://uv.corp.example/simple"',
        'ignore-error-codes = [401, 403]',
      ].join('\n'),
      'project/uv.toml': 'index-strategy = "unsafe-best-match"\n[pip]\nextra-index-url = ["https://pip.corp.example/simple"]\n',
    });
    const { report } = await auditJson(dir);
    assert.deepEqual(report.findings.map(brief), [
      'pyproject.toml:6 risky [[tool.uv.index]] internal ignore-error-codes https://uv.corp.example/simple',
      'uv.toml:1 risky index-strategy unsafe-best-match',
      'uv.toml:3 info pip.extra-index-url https://pip.corp.example/simple',
    ]);
    assert.match(report.findings[2]?.why ?? '', /index-strategy is unsafe-best-match/);
  });

  it("explains `uv pip install --extra-index-url <private>` as uv's first-index, not as pip's merge", async () => {
    const dir = tree({ 'project/ci.sh': 'uv pip install --extra-index-url https://uv.corp.example/simple corp-lib\n' });
    const { result, report } = await auditJson(dir);
    assert.equal(result.code, 0);
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0]?.severity, 'info');
    assert.match(report.findings[0]?.why ?? '', /^uv's default first-index/);
  });
});

describe('audit: public mirrors and --public-index', () => {
  it('counts a public PyPI mirror before the private index as public, and a proxy named with --public-index or public-indexes', async () => {
    const files = {
      'project/uv.toml': [
        '[[index]]',
        'name = "mirror"',
        'url = "https://mirrors.aliyun.com/pypi/simple/"',
        '[[index]]',
        'name = "nexus"',
        'url = "https://nexus.corp.example/repository/pypi-proxy/simple"',
        '[[index]]',
        'name = "internal"',
        'url = "https://nexus.corp.example/repository/pypi-internal/simple"',
      ].join('\n'),
    };
    const plain = await auditJson(tree(files));
    assert.deepEqual(plain.report.findings.filter((f) => f.severity === 'risky').map(brief), [
      'uv.toml:3 risky [[index]] mirror https://mirrors.aliyun.com/pypi/simple/',
    ]);
    const flagged = await auditJson(tree(files), ['--public-index', 'https://nexus.corp.example/repository/pypi-proxy/']);
    assert.deepEqual(flagged.report.findings.filter((f) => f.severity === 'risky').map(brief), [
      'uv.toml:3 risky [[index]] mirror https://mirrors.aliyun.com/pypi/simple/',
      'uv.toml:6 risky [[index]] nexus https://nexus.corp.example/repository/pypi-proxy/simple',
    ]);
    const configured = tree({
      ...files,
      'project/pypi-reserve.toml': 'public-indexes = ["https://nexus.corp.example/repository/pypi-proxy"]\n',
    });
    assert.equal((await auditJson(configured)).report.summary.risky, 2);
  });

  it('refuses a --public-index that is not an http(s) URL before reading anything', async () => {
    const result = await audit(tree({}), ['--public-index', 'nexus.corp']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--public-index 1/);
  });
});

describe('audit: PDM and Pipenv outside pyproject.toml', () => {
  it('reads pdm.toml and ~/.config/pdm/config.toml sources, and Pipfile [[source]] entries', async () => {
    const dir = tree({
      'project/pdm.toml': '[pypi.internal]\nurl = "https://pdm.corp.example/simple"\n',
      'home/.config/pdm/config.toml': '[pypi.extra]\nurl = "https://pdm-user.corp.example/simple"\n',
      'project/Pipfile': [
        '[[source]]',
        'name = "pypi"',
        'url = "https://pypi.org/simple"',
        '[[source]]',
        'name = "corp"',
        'url = "https://pipenv.corp.example/simple"',
        '[packages]',
        'corp-lib = { version = "*", index = "corp" }',
      ].join('\n'),
    });
    const { report } = await auditJson(dir);
    assert.deepEqual(
      report.findings.map((f) => brief(f).replace(join(dir, 'home'), '~')),
      [
        '~/.config/pdm/config.toml:2 risky [pypi.extra] https://pdm-user.corp.example/simple',
        'Pipfile:3 info [[source]] pypi https://pypi.org/simple',
        'Pipfile:6 risky [[source]] corp https://pipenv.corp.example/simple',
        'pdm.toml:2 risky [pypi.internal] https://pdm.corp.example/simple',
      ],
    );
    assert.match(report.findings[2]?.why ?? '', /pinned here: corp-lib/);
  });
});

describe('audit: contradictions and noise', () => {
  it('notes a PIP_CONFIG_FILE that does not exist (pip ignores it) and stays exit 0', async () => {
    const result = await audit(tree({}), [], { PIP_CONFIG_FILE: '/nonexistent/pip.conf' });
    assert.equal(result.code, 0);
    assert.match(result.stderr, /^note: env:PIP_CONFIG_FILE: names a file that does not exist, which pip ignores/m);
  });

  it('explains a Poetry secondary source as merged like a primary one', async () => {
    const dir = tree({
      'project/pyproject.toml': '[tool.poetry]\nname = "app"\n[[tool.poetry.source]]\nname = "corp"\nurl = "https://poetry.corp.example/simple"\npriority = "secondary"\n',
    });
    const { report } = await auditJson(dir);
    assert.equal(report.findings[0]?.severity, 'risky');
    assert.match(report.findings[0]?.why ?? '', /secondary source for every dependency together with the primary sources/);
  });

  it('keeps explicit uv, Poetry and PDM setups at exit 0', async () => {
    const dir = tree({
      'project/uv/pyproject.toml': [
        '[[tool.uv.index]]',
        'name = "internal"',
        'url = "https://uv.corp.example/simple"',
        'explicit = true',
        '[tool.uv.sources]',
        'corp-lib = { index = "internal" }',
      ].join('\n'),
      'project/poetry/pyproject.toml': '[tool.poetry]\nname = "a"\n[[tool.poetry.source]]\nname = "corp"\nurl = "https://p.corp.example/simple"\npriority = "explicit"\n',
      'project/pdm/pyproject.toml': '[[tool.pdm.source]]\nname = "pypi"\nurl = "https://proxy.corp.example/simple"\n',
    });
    const result = await audit(dir);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /: no risky index configuration found\n$/);
  });

  it('lists what it read: text closing line and JSON "read"', async () => {
    const dir = tree({ 'project/requirements.txt': 'corp-lib\n', 'home/.config/pip/pip.conf': '[global]\nindex-url = https://proxy.corp.example/simple\n' });
    const text = await audit(dir, [], { PIP_INDEX_URL: 'https://proxy.corp.example/simple' });
    assert.match(text.stdout, new RegExp(`^read: ${join(dir, 'home')}/\\.config/pip/pip\\.conf, env:PIP_INDEX_URL, requirements\\.txt\\n`, 'm'));
    const { report } = await auditJson(dir);
    assert.deepEqual(report.read, [join(dir, 'home/.config/pip/pip.conf'), 'requirements.txt']);
  });
});

describe('audit --effective: Poetry and PDM', () => {
  it('lists Poetry primary sources before supplemental ones, explicit apart, and PDM pypi.url before the project sources', async () => {
    const dir = tree({
      'project/pyproject.toml': [
        '[tool.poetry]',
        'name = "app"',
        '[[tool.poetry.source]]',
        'name = "extra"',
        'url = "https://supplemental.corp.example/simple"',
        'priority = "supplemental"',
        '[[tool.poetry.source]]',
        'name = "corp"',
        'url = "https://explicit.corp.example/simple"',
        'priority = "explicit"',
        '[[tool.pdm.source]]',
        'name = "corp"',
        'url = "https://pdm.corp.example/simple"',
      ].join('\n'),
      'project/pdm.toml': '[pypi]\nurl = "https://proxy.corp.example/simple"\n',
    });
    const { report } = await auditJson(dir);
    assert.deepEqual(report.effective.poetry, {
      indexes: ['https://pypi.org/simple', 'https://supplemental.corp.example/simple'],
      findLinks: [],
      explicit: ['https://explicit.corp.example/simple'],
    });
    assert.deepEqual(report.effective.pdm, {
      indexes: ['https://proxy.corp.example/simple', 'https://pdm.corp.example/simple'],
      findLinks: [],
    });
  });
});

describe('audit: lock files, given the private names', () => {
  const locks = {
    'project/uv.lock': [
      'version = 1',
      '[[package]]',
      'name = "corp-lib"',
      'version = "99.0"',
      'source = { registry = "https://pypi.org/simple" }',
      '[[package]]',
      'name = "corp-safe"',
      'version = "1.0"',
      'source = { registry = "https://uv.corp.example/simple" }',
    ].join('\n'),
    'project/poetry.lock': '[[package]]\nname = "Corp_Lib"\nversion = "99.0"\n\n[[package]]\nname = "corp-safe"\nversion = "1.0"\n[package.source]\ntype = "legacy"\nurl = "https://p.corp.example/simple"\nreference = "corp"\n',
    'project/pdm.lock': '[[package]]\nname = "corp-lib"\nversion = "99.0"\nfiles = [{url = "https://files.pythonhosted.org/packages/corp_lib-99.0.tar.gz", hash = "sha256:00"}]\n',
    'project/names.txt': 'corp-lib\ncorp-safe\n',
  };

  it('calls a private name resolved from PyPI risky in uv.lock, poetry.lock and pdm.lock', async () => {
    const { result, report } = await auditJson(tree(locks), ['-f', 'names.txt']);
    assert.equal(result.code, 1);
    assert.deepEqual(report.findings.map(brief), [
      'pdm.lock:2 risky pdm.lock corp-lib https://files.pythonhosted.org/packages/corp_lib-99.0.tar.gz',
      'poetry.lock:2 risky poetry.lock Corp_Lib https://pypi.org/simple (no [package.source])',
      'uv.lock:3 risky uv.lock corp-lib https://pypi.org/simple',
    ]);
  });

  it('says lock files were not checked when no names are given', async () => {
    const result = await audit(tree(locks));
    assert.equal(result.code, 0);
    assert.match(result.stderr, /^note: lock files not checked without the private names .*pdm\.lock, poetry\.lock, uv\.lock/m);
  });
});

describe('audit: credentials', () => {
  it('masks credentials in findings, explanations and --effective, in text and JSON', async () => {
    const dir = tree({
      'home/.config/pip/pip.conf': '[global]\nextra-index-url = https://deploy:s3cr3t-pass@pypi.corp.example/simple\n',
      'project/uv.toml': '[[index]]\nname = "corp"\nurl = "https://u:uv-s3cr3t@uv.corp.example/simple"\n',
    });
    const text = await audit(dir, ['--effective']);
    const json = await audit(dir, ['--json']);
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      assert.doesNotMatch(out, /s3cr3t/);
    }
    assert.match(text.stdout, /pip: {4}indexes: https:\/\/pypi\.org\/simple, https:\/\/\*\*\*@pypi\.corp\.example\/simple/);
  });
});

/**
 * `pypi-reserve audit`: finds every place where pip, uv, Poetry or PDM merge a
 * private index with public PyPI, explains each finding, and never prints a
 * credential. End-to-end tests run the real CLI against fixture trees with
 * HOME, XDG_*, VIRTUAL_ENV, PIP_CONFIG_FILE and the filesystem root pointed at
 * fixtures; unit tests pin down the parsers and rules.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { baseEnv, runCli, type CliResult } from './support/cli.js';
import { parseIni, normalizePipOptionName } from '../src/audit/ini.js';
import { parseRequirementsText } from '../src/audit/requirements.js';
import { shellSplit } from '../src/core/requirements-lines.js';
import { mapTomlLines } from '../src/audit/toml-lines.js';
import { redactSecrets } from '../src/core/redact-url.js';
import { pipConfigLocations, uvConfigLocations } from '../src/audit/locations.js';
import { auditText } from '../src/audit/audit.js';
import { formatForScan } from '../src/audit/file-kinds.js';
import { envFindings } from '../src/audit/rules-env.js';
import { scanDirectory } from '../src/audit/scan.js';
import type { Finding } from '../src/audit/types.js';
import type { JsonReport } from './support/audit-report.js';
import { isPublicIndex } from '../src/audit/public-index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/audit/', import.meta.url));
const MACHINE = join(FIXTURES, 'machine');

const temps: string[] = [];
function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pypi-reserve-audit-${label}-`));
  temps.push(dir);
  return dir;
}
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** An empty home and an empty filesystem root: no machine-level configuration at all. */
function emptyMachine(): { home: string; root: string } {
  return { home: tempDir('home'), root: tempDir('root') };
}

let cacheDir: string | undefined;

/** `audit` with the given environment; the CLI's own cache goes to a temporary directory, never into a fixture home. */
async function audit(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  cacheDir ??= tempDir('cache');
  return runCli(['audit', ...args], { cwd: options.cwd, env: baseEnv({ PYPI_RESERVE_CACHE_DIR: cacheDir, ...options.env }) });
}

function parseJson(result: CliResult): JsonReport {
  return JSON.parse(result.stdout) as JsonReport;
}

/** `file:line severity setting` for compact, order-preserving assertions. */
function brief(f: Finding): string {
  return `${f.file}${f.line === null ? '' : `:${f.line}`} ${f.severity} ${f.setting}`;
}

// ------------------------------------------------------------------ end to end

describe('audit: pip configuration files at every level pip reads', () => {
  it("lists global, user and site files in pip's order, with each file's level", async () => {
    const cwd = tempDir('cwd');
    const result = await audit(['--json', '--root', join(MACHINE, 'root')], {
      cwd,
      env: { HOME: join(MACHINE, 'home'), VIRTUAL_ENV: join(MACHINE, 'venv') },
    });
    const report = parseJson(result);
    const pip = report.findings.filter((f) => f.kind === 'pip-config');
    assert.deepEqual(
      pip.map((f) => `${f.file.slice(MACHINE.length)}:${f.line} ${f.level} ${f.severity} ${f.setting} ${f.value}`),
      [
        '/root/etc/xdg/pip/pip.conf:2 global risky global.extra-index-url https://xdg-global.example/simple/',
        '/root/etc/pip.conf:3 global info global.index-url https://proxy.corp.example/simple/',
        '/root/etc/pip.conf:6 global risky install.extra_index_url https://global-install.example/simple/',
        '/home/.pip/pip.conf:5 user risky global.extra-index-url https://***@nexus.example.com/simple/',
        '/home/.pip/pip.conf:7 user risky global.extra-index-url https://legacy-second.example/simple/',
        '/home/.config/pip/pip.conf:2 user risky download.extra-index-url https://user-download.example/simple/',
        '/venv/pip.conf:2 site info global.index-url https://site-proxy.example/simple/',
      ],
    );
    assert.equal(result.code, 1);
  });

  it('follows XDG_CONFIG_HOME and XDG_CONFIG_DIRS instead of the defaults when they are set', async () => {
    const configHome = tempDir('xdg-home');
    const configDirA = tempDir('xdg-dir-a');
    const configDirB = tempDir('xdg-dir-b');
    for (const [dir, host] of [
      [configHome, 'xdg-home'],
      [configDirA, 'xdg-dir-a'],
      [configDirB, 'xdg-dir-b'],
    ] as const) {
      mkdirSync(join(dir, 'pip'));
      writeFileSync(join(dir, 'pip', 'pip.conf'), `[global]\nextra-index-url = https://${host}.example/simple/\n`);
    }
    const { home, root } = emptyMachine();
    const result = await audit(['--json', '--root', root], {
      cwd: tempDir('cwd'),
      env: { HOME: home, XDG_CONFIG_HOME: configHome, XDG_CONFIG_DIRS: `${configDirA}:${configDirB}` },
    });
    assert.deepEqual(
      parseJson(result).findings.map((f) => `${f.level} ${f.value}`),
      ['global https://xdg-dir-a.example/simple/', 'global https://xdg-dir-b.example/simple/', 'user https://xdg-home.example/simple/'],
    );
  });

  it('reads PIP_CONFIG_FILE last and notes that pip skips the user files while it is set', async () => {
    const configFile = join(MACHINE, 'pip-config-file.conf');
    const result = await audit(['--json', '--root', tempDir('root')], {
      cwd: tempDir('cwd'),
      env: { HOME: join(MACHINE, 'home'), PIP_CONFIG_FILE: configFile },
    });
    const pip = parseJson(result).findings.filter((f) => f.kind === 'pip-config');
    const last = pip.at(-1);
    assert.equal(last?.file, configFile);
    assert.equal(last?.level, 'PIP_CONFIG_FILE');
    assert.equal(last?.severity, 'risky');
    const user = pip.filter((f) => f.level === 'user');
    assert.equal(user.length, 3);
    for (const f of user) assert.match(f.note ?? '', /pip skips this file while PIP_CONFIG_FILE is set/);
  });

  it('reads no pip configuration file when PIP_CONFIG_FILE is os.devnull, and says so', async () => {
    const result = await audit(['--json', '--root', join(MACHINE, 'root')], {
      cwd: tempDir('cwd'),
      env: { HOME: join(MACHINE, 'home'), VIRTUAL_ENV: join(MACHINE, 'venv'), PIP_CONFIG_FILE: '/dev/null' },
    });
    const report = parseJson(result);
    assert.deepEqual(report.findings.filter((f) => f.kind === 'pip-config'), []);
    assert.ok(report.notes.some((w) => w.file === 'env:PIP_CONFIG_FILE' && /os\.devnull/.test(w.message)));
  });

  it("audits uv's user uv.toml next to pip's files", async () => {
    const result = await audit(['--json', '--root', tempDir('root')], {
      cwd: tempDir('cwd'),
      env: { HOME: join(MACHINE, 'home') },
    });
    const uv = parseJson(result).findings.filter((f) => f.kind === 'uv');
    assert.deepEqual(uv.map((f) => `${f.file.slice(MACHINE.length)}:${f.line} ${f.level} ${f.severity} ${f.setting}`), [
      '/home/.config/uv/uv.toml:2 user risky index-strategy',
      '/home/.config/uv/uv.toml:6 user info [[index]] corp',
    ]);
  });

  it('skips every machine-level location with --no-user-config', async () => {
    const result = await audit(['--json', '--no-user-config', '--root', join(MACHINE, 'root')], {
      cwd: tempDir('cwd'),
      env: { HOME: join(MACHINE, 'home'), VIRTUAL_ENV: join(MACHINE, 'venv'), PIP_EXTRA_INDEX_URL: 'https://env.example/simple' },
    });
    assert.deepEqual(parseJson(result).findings, []);
    assert.equal(result.code, 0);
  });
});

describe('audit: environment variables', () => {
  it('reports PIP_* and UV_* index variables as env:NAME without a line', async () => {
    const { home, root } = emptyMachine();
    const result = await audit(['--json', '--root', root], {
      cwd: tempDir('cwd'),
      env: {
        HOME: home,
        PIP_INDEX_URL: 'https://proxy.corp.example/simple/',
        PIP_EXTRA_INDEX_URL: 'https://env-one.example/simple/ https://env-two.example/simple/',
        UV_INDEX_STRATEGY: 'unsafe-best-match',
        UV_INDEX: 'corp=https://uv-env.example/simple/',
        UV_DEFAULT_INDEX: 'https://proxy.corp.example/simple/',
      },
    });
    const report = parseJson(result);
    assert.deepEqual(report.findings.map((f) => `${brief(f)} = ${f.value}`), [
      'env:PIP_INDEX_URL info PIP_INDEX_URL = https://proxy.corp.example/simple/',
      'env:PIP_EXTRA_INDEX_URL risky PIP_EXTRA_INDEX_URL = https://env-one.example/simple/',
      'env:PIP_EXTRA_INDEX_URL risky PIP_EXTRA_INDEX_URL = https://env-two.example/simple/',
      'env:UV_INDEX_STRATEGY risky UV_INDEX_STRATEGY = unsafe-best-match',
      'env:UV_INDEX info UV_INDEX = corp=https://uv-env.example/simple/',
      'env:UV_DEFAULT_INDEX info UV_DEFAULT_INDEX = https://proxy.corp.example/simple/',
    ]);
    assert.ok(report.findings.every((f) => f.kind === 'env' && f.line === null));
    assert.equal(report.summary.files, 0);
    assert.equal(result.code, 1);
  });
});

describe('audit: a project tree', () => {
  let report: JsonReport;
  let human: CliResult;
  let projectDir: string;

  before(async () => {
    projectDir = join(tempDir('project'), 'project');
    cpSync(join(FIXTURES, 'project'), projectDir, { recursive: true });
    // Installed dependencies are never scanned (and node_modules cannot be committed as a fixture).
    mkdirSync(join(projectDir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(projectDir, 'node_modules', 'dep', 'requirements.txt'), '--extra-index-url https://in-node-modules.example/\n');
    const { home, root } = emptyMachine();
    const env = { HOME: home };
    report = parseJson(await audit(['--json', '--root', root], { cwd: projectDir, env }));
    human = await audit(['--root', root], { cwd: projectDir, env });
  });

  it('finds requirements options in every spelling, mid-file and across continuation lines', () => {
    // requirements.txt comes first: the Dockerfile's `pip install -r requirements.txt` is followed where it stands.
    const requirements = report.findings.filter((f) => f.kind === 'requirements').map(brief);
    assert.deepEqual(requirements, [
      'requirements.txt:5 risky --extra-index-url',
      'requirements/base.txt:1 info --index-url',
      'requirements/base.txt:4 risky --extra-index-url',
      'constraints.txt:2 info --index-url',
    ]);
  });

  it('classifies uv: unsafe index strategies are risky, an explicit index with pinned packages is not', () => {
    const uv = report.findings.filter((f) => f.kind === 'uv').map(brief);
    assert.deepEqual(uv, [
      'uv.toml:1 risky index-strategy',
      'uv.toml:2 info extra-index-url',
      'services/api/pyproject.toml:6 risky tool.uv.index-strategy',
      'services/api/pyproject.toml:10 info [[tool.uv.index]] internal',
      'services/worker/pyproject.toml:11 info [[tool.uv.index]] internal',
    ]);
    const worker = report.findings.find((f) => f.file === 'services/worker/pyproject.toml');
    assert.match(worker?.why ?? '', /corp-lib/);
  });

  it('classifies Poetry: a supplemental private source is risky, a single primary proxy is not', () => {
    const poetry = report.findings.filter((f) => f.kind === 'poetry').map(brief);
    assert.deepEqual(poetry, [
      'services/poetry-proxy/pyproject.toml:7 info [[tool.poetry.source]] proxy (priority primary)',
      'services/poetry-supplemental/pyproject.toml:12 risky [[tool.poetry.source]] corp (priority supplemental)',
    ]);
    const supplemental = report.findings.find((f) => f.kind === 'poetry' && f.severity === 'risky');
    assert.match(supplemental?.why ?? '', /corp-auth/);
    assert.match(supplemental?.fix ?? '', /priority = "explicit"/);
  });

  it('classifies PDM: a private source next to PyPI is risky', () => {
    assert.deepEqual(report.findings.filter((f) => f.kind === 'pdm').map(brief), [
      'services/pdm/pyproject.toml:7 risky [[tool.pdm.source]] private',
    ]);
  });

  it("reads a virtual environment's own pip.conf but nothing else inside it", () => {
    const venv = report.findings.filter((f) => f.file.startsWith('.venv'));
    assert.deepEqual(venv.map((f) => `${brief(f)} ${f.level}`), ['.venv/pip.conf:2 risky global.extra-index-url virtualenv site']);
  });

  it('finds --extra-index-url and `pip config set` in a Dockerfile', () => {
    assert.deepEqual(report.findings.filter((f) => f.kind === 'script').map((f) => `${brief(f)} ${f.value}`), [
      'Dockerfile:2 risky pip config set extra-index-url https://docker-config.example/simple/',
      'Dockerfile:3 risky pip --extra-index-url https://docker-extra.example/simple/',
    ]);
  });

  it('skips node_modules and files that are not configuration', () => {
    const all = JSON.stringify(report);
    assert.doesNotMatch(all, /in-node-modules|inside-venv-must-not-be-scanned|not-a-requirements-file/);
  });

  it('gives every risky finding a why and a fix, and counts what it read', () => {
    for (const f of report.findings) {
      assert.ok(f.why.length > 20, brief(f));
      if (f.severity === 'risky') assert.ok((f.fix ?? '').length > 20, brief(f));
    }
    assert.deepEqual(report.summary, { risky: 9, info: 6, files: 11, incomplete: false });
    assert.deepEqual(report.errors, []);
  });

  it('groups findings by file and prints each explanation once, numbered, with every place it applies to', () => {
    assert.equal(human.code, 1);
    assert.match(
      human.stdout,
      /^requirements\.txt\n {2}5: risky {2}--extra-index-url = https:\/\/\*\*\*@gitlab\.example\.com\/api\/v4\/projects\/1\/packages\/pypi\/simple {2}\[1\]\n/m,
    );
    const explanations = human.stdout.match(/^\[\d+\] /gm) ?? [];
    assert.equal(new Set(explanations).size, explanations.length);
    assert.match(human.stdout, /^\[1\] pip merges .*\n {4}fix: remove extra-index-url .*export-rules.*\n {4}at: Dockerfile:2, Dockerfile:3, requirements\.txt:5, requirements\/base\.txt:4, /m);
    assert.equal((human.stdout.match(/pip merges every extra index/g) ?? []).length, 1);
    assert.match(human.stdout, /^read: Dockerfile, requirements\.txt, requirements\/base\.txt, constraints\.txt, uv\.toml, .*services\/worker\/pyproject\.toml\n/m);
    assert.match(human.stdout, /^audit: 9 risky, 6 info in 11 files: needs attention\n$/m);
    assert.equal(human.stderr, '');
  });

  it('follows -r and -c includes from a requirements file given as PATH', async () => {
    const result = await audit(['--json', '--no-user-config', 'requirements.txt'], { cwd: projectDir });
    assert.deepEqual(parseJson(result).findings.map(brief), [
      'requirements.txt:5 risky --extra-index-url',
      'requirements/base.txt:1 info --index-url',
      'requirements/base.txt:4 risky --extra-index-url',
      'constraints.txt:2 info --index-url',
    ]);
  });
});

describe('audit: files that cannot be parsed', () => {
  it('reports a broken TOML and a broken INI with their line, and still reports everything else', async () => {
    const result = await audit(['--json', '--no-user-config', join(FIXTURES, 'broken')], { cwd: FIXTURES });
    const report = parseJson(result);
    assert.deepEqual(
      report.errors.map((e) => `${e.file}:${e.line}`),
      ['broken/pip.conf:3', 'broken/pyproject.toml:3'],
    );
    assert.match(report.errors[0]?.message ?? '', /neither|not a \[section\]/);
    assert.match(report.errors[1]?.message ?? '', /^invalid TOML: /);
    assert.deepEqual(report.findings.map(brief), [
      'broken/pip.conf:4 risky global.extra-index-url',
      'broken/requirements.txt:1 risky --extra-index-url',
    ]);
    assert.equal(result.code, 1);
  });

  it('names the broken files on stderr in human mode', async () => {
    const result = await audit(['--no-user-config', 'broken'], { cwd: FIXTURES });
    assert.match(result.stderr, /^error: broken\/pyproject\.toml:3: invalid TOML: /m);
    assert.match(result.stderr, /^error: broken\/pip\.conf:3: /m);
    assert.match(result.stdout, /2 files could not be parsed or read \(see stderr\)/);
  });
});

describe('audit: exit codes', () => {
  it('exits 0 for a clean tree: a single index-url / default index is information, not a risk', async () => {
    const { home, root } = emptyMachine();
    const result = await audit(['--root', root, join(FIXTURES, 'clean')], { cwd: FIXTURES, env: { HOME: home } });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^audit: 0 risky, 2 info in 2 files: no risky index configuration found$/m);
  });

  it('exits 1 when the only problem is a file that cannot be parsed', async () => {
    const dir = tempDir('only-broken');
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.uv\n');
    const result = await audit(['--no-user-config', dir], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^audit: 0 risky, 0 info in 1 file; 1 file could not be parsed or read/m);
  });

  it('exits 2 and names every PATH that does not exist, before auditing anything', async () => {
    const result = await audit(['--no-user-config', 'missing-one', '.', 'missing-two'], { cwd: FIXTURES });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /argument 1: cannot audit this path: no such file or directory (?:\(ENOENT\) )?\(got "missing-one"\)/);
    assert.match(result.stderr, /argument 3: cannot audit this path: no such file or directory (?:\(ENOENT\) )?\(got "missing-two"\)/);
    assert.doesNotMatch(result.stderr, /path: ENOENT/);
    assert.equal(result.stdout, '');
  });

  it('reports a missing path, a --public-index that is no URL and a missing names file all at once', async () => {
    const dir = tempDir('three-problems');
    const result = await audit(['--no-user-config', 'nope', '--public-index', 'ftp://x', '-f', 'missing.txt'], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /3 problems in the input/);
    assert.match(result.stderr, /cannot audit this path: no such file or directory (?:\(ENOENT\) )?\(got "nope"\)/);
    assert.match(result.stderr, /--public-index 1: not an http\(s\) URL/);
    assert.match(result.stderr, /missing\.txt/);
  });

  it('a private index with ignore-error-codes = [401, 403] is risky at that line even under an unsafe strategy; findings print in line order', async () => {
    const dir = tempDir('uv-ignore-unsafe');
    writeFileSync(
      join(dir, 'uv.toml'),
      [
        // find-links first: the uv rules find index-strategy before it.
        'find-links = ["https://wheels.example/"]',
        'index-strategy = "unsafe-best-match"',
        '[[index]]',
        'name = "corp"',
        'url = "https://nexus.acme.example/simple/"',
        'ignore-error-codes = [401, 403]',
        '',
      ].join('\n'),
    );
    const result = await audit(['--no-user-config', '--json', dir], { cwd: dir });
    const findings = parseJson(result).findings.map(brief);
    assert.ok(findings.includes('uv.toml:6 risky [[index]] corp ignore-error-codes'), findings.join('\n'));
    const text = await audit(['--no-user-config', dir], { cwd: dir });
    const lines = [...text.stdout.matchAll(/^  (\d+): /gm)].map((m) => Number(m[1]));
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b), text.stdout);
    assert.ok(lines.includes(6), text.stdout);
  });
});

describe('audit: credentials in URLs are never printed', () => {
  const secrets = ['hunter2-secret', 'gl-token-XYZ', 'toml-secret', 'env-pass-123', 'query-tok-456', 'alice:', 'deploy:'];

  it('redacts userinfo and token parameters in findings, errors, human and JSON output', async () => {
    const dir = tempDir('secrets');
    cpSync(join(FIXTURES, 'project'), join(dir, 'project'), { recursive: true });
    cpSync(join(FIXTURES, 'broken'), join(dir, 'broken'), { recursive: true });
    const env = {
      HOME: join(MACHINE, 'home'),
      PIP_EXTRA_INDEX_URL: 'https://ci:env-pass-123@ci.example/simple/ https://plain.example/simple/?token=query-tok-456',
    };
    for (const json of [true, false]) {
      const args = [...(json ? ['--json'] : []), '--root', join(MACHINE, 'root'), 'project', 'broken'];
      const result = await audit(args, { cwd: dir, env });
      const everything = result.stdout + result.stderr;
      for (const secret of secrets) assert.ok(!everything.includes(secret), `${secret} leaked (json=${json})`);
      assert.match(result.stdout, /https:\/\/\*\*\*@nexus\.example\.com\/simple\//);
      assert.match(result.stdout, /https:\/\/plain\.example\/simple\/\?token=\*\*\*/);
    }
  });
});

// ------------------------------------------------------------------ parsers

describe('parseIni (configparser as pip uses it)', () => {
  it('reads multi-line values from indented continuation lines, skipping comment lines', () => {
    const parsed = parseIni('[global]\nextra-index-url =\n  https://a/\n  # note\n\n  https://b/\ntimeout = 5\n');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.options[0], {
      section: 'global',
      key: 'extra-index-url',
      line: 2,
      values: [
        { text: 'https://a/', line: 3 },
        { text: 'https://b/', line: 6 },
      ],
    });
    assert.equal(parsed.options[1]?.key, 'timeout');
  });

  it('accepts `key: value`, lower-cases keys, keeps section case, and splits at the first delimiter', () => {
    const parsed = parseIni('[Install]\nExtra_Index_URL: https://x/?a=b\n; comment\n# comment\n');
    assert.deepEqual(
      parsed.options.map((o) => [o.section, o.key, o.values[0]?.text]),
      [['Install', 'extra_index_url', 'https://x/?a=b']],
    );
  });

  it('reports what configparser would refuse, with the line, without quoting the line', () => {
    const parsed = parseIni('orphan = 1\n[global]\nsecret-token-value\n[global]\na = 1\na = 2\n= 3\n');
    assert.deepEqual(
      parsed.problems.map((p) => p.line),
      [1, 3, 4, 6, 7],
    );
    for (const p of parsed.problems) assert.doesNotMatch(p.message, /secret-token-value/);
  });

  it('handles CRLF line ends and a byte-order mark', () => {
    const parsed = parseIni('\uFEFF[global]\r\nindex-url = https://p/\r\n');
    assert.deepEqual(parsed.options.map((o) => [o.line, o.values[0]?.text]), [[2, 'https://p/']]);
  });

  it('treats -, _ and a leading -- as the same option name, as pip does', () => {
    assert.equal(normalizePipOptionName('Extra_Index_URL'), 'extra-index-url');
    assert.equal(normalizePipOptionName('--extra-index-url'), 'extra-index-url');
  });
});

describe('parseRequirementsText (pip requirements files)', () => {
  const cases: [string, string, number][] = [
    ['--extra-index-url https://a/', 'extra-index-url https://a/', 1],
    ['--extra-index-url=https://a/', 'extra-index-url https://a/', 1],
    ['--extra-index https://a/', 'extra-index-url https://a/', 1],
    ['  --EXTRA-INDEX-URL https://a/   # comment', 'extra-index-url https://a/', 1],
    ['-i https://a/', 'index-url https://a/', 1],
    ['-ihttps://a/', 'index-url https://a/', 1],
    ['--index-url="https://a/"', 'index-url https://a/', 1],
    ['--pre --extra-index-url https://a/ --trusted-host a', 'extra-index-url https://a/', 1],
    ['requests\n--extra-index-url \\\n   https://a/', 'extra-index-url https://a/', 2],
  ];
  for (const [text, expected, line] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => {
      const parsed = parseRequirementsText(text);
      assert.deepEqual(
        parsed.options.map((o) => `${o.option} ${o.value}`),
        [expected],
      );
      assert.equal(parsed.options[0]?.line, line);
    });
  }

  it('ignores commented-out options and requirement lines', () => {
    const parsed = parseRequirementsText('# --extra-index-url https://a/\nrequests # --extra-index-url https://b/\n');
    assert.deepEqual(parsed.options, []);
  });

  it('lists -r / -c / --requirement= includes with their lines', () => {
    const parsed = parseRequirementsText('-r base.txt\n-cconstraints.txt\n--requirement=dev.txt\n--constraint other.txt\n');
    assert.deepEqual(
      parsed.includes.map((i) => `${i.kind} ${i.path} ${i.line}`),
      ['requirement base.txt 1', 'constraint constraints.txt 2', 'requirement dev.txt 3', 'constraint other.txt 4'],
    );
  });

  it('splits option lines like a shell', () => {
    assert.deepEqual(shellSplit(`-i "https://a b/" 'x y' z\\ w`), ['-i', 'https://a b/', 'x y', 'z w']);
  });
});

describe('mapTomlLines', () => {
  const text = [
    '[project]', // 1
    'name = "x"', // 2
    'description = """', // 3
    'url = "not a key"', // 4
    '"""', // 5
    '[tool.uv]', // 6
    'index-strategy = "first-index"', // 7
    '[[tool.uv.index]]', // 8
    'url = "https://a/"', // 9
    '[[tool.uv.index]]', // 10
    'name = "b"', // 11
    'url = "https://b/"', // 12
    '[tool."poetry".dependencies]', // 13
    'a.b = 1', // 14
  ].join('\n');
  const lines = mapTomlLines(text);

  it('finds keys, tables and array-of-table entries by dotted path', () => {
    assert.equal(lines.lineOf('tool.uv.index-strategy'), 7);
    assert.equal(lines.lineOf('tool.uv.index[0].url'), 9);
    assert.equal(lines.lineOf('tool.uv.index[1].url'), 12);
    assert.equal(lines.lineOf('tool.uv.index[1]'), 10);
    assert.equal(lines.lineOf('tool.poetry.dependencies.a.b'), 14);
  });

  it('ignores key-like lines inside multi-line strings and falls back to the enclosing table', () => {
    assert.equal(lines.lineOf('project.url'), 1);
    assert.equal(lines.lineOf('tool.uv.index[1].explicit'), 10);
  });
});

describe('redactSecrets', () => {
  it('replaces userinfo and credential query parameters', () => {
    assert.equal(redactSecrets('https://user:pass@host/simple/'), 'https://***@host/simple/');
    assert.equal(redactSecrets('https://tok@host/'), 'https://***@host/');
    assert.equal(redactSecrets('https://u:p@ss@host/x'), 'https://***@host/x');
    assert.equal(redactSecrets('https://h/simple?token=abc&x=1'), 'https://h/simple?token=***&x=1');
    assert.equal(redactSecrets('a https://a:b@h/ and http://c:d@i/'), 'a https://***@h/ and http://***@i/');
  });

  it('keeps variable references, which name a secret without containing it', () => {
    assert.equal(redactSecrets('https://${USER}:${TOKEN}@host/'), 'https://${USER}:${TOKEN}@host/');
  });

  it('never leaves a password in the output, whatever it contains', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9!$%&*+,;=~._:@-]{6,30}$/).filter((s) => /[A-Za-z0-9]{6}/.test(s));
    fc.assert(
      fc.property(secret, (password) => {
        const core = /[A-Za-z0-9]{6}/.exec(password)?.[0] as string;
        const out = redactSecrets(`extra-index-url = https://user:${password}@nexus.example.com/simple/`);
        return !out.includes(core) && out.includes('https://***@nexus.example.com/simple/');
      }),
    );
  });

  it('is idempotent', () => {
    const once = redactSecrets('https://a:b@h/?token=x');
    assert.equal(redactSecrets(once), once);
  });
});

// ------------------------------------------------------------------ locations

describe("pipConfigLocations (pip's configuration files, in pip's order)", () => {
  it('on Linux: XDG_CONFIG_DIRS (default /etc/xdg) and /etc under the root, legacy then XDG user file, site, PIP_CONFIG_FILE', () => {
    const { targets, disabled } = pipConfigLocations(
      { env: { HOME: '/home/u', VIRTUAL_ENV: '/venv', PIP_CONFIG_FILE: '/cfg/pip.conf' }, platform: 'linux', root: '/fake' },
      true,
    );
    assert.equal(disabled, false);
    assert.deepEqual(
      targets.map((t) => `${t.level} ${t.path}${t.note ? ' (noted)' : ''}`),
      [
        'global /fake/etc/xdg/pip/pip.conf',
        'global /fake/etc/pip.conf',
        'user /home/u/.pip/pip.conf (noted)',
        'user /home/u/.config/pip/pip.conf (noted)',
        'site /venv/pip.conf',
        'PIP_CONFIG_FILE /cfg/pip.conf',
      ],
    );
  });

  it('on macOS: /Library/Application Support, then the three user locations', () => {
    const { targets } = pipConfigLocations({ env: { HOME: '/Users/u' }, platform: 'darwin', root: '/' }, false);
    assert.deepEqual(targets.map((t) => t.path), [
      '/Library/Application Support/pip/pip.conf',
      '/Users/u/.pip/pip.conf',
      '/Users/u/Library/Application Support/pip/pip.conf',
      '/Users/u/.config/pip/pip.conf',
    ]);
  });

  it('on Windows: pip.ini under PROGRAMDATA, USERPROFILE\\pip, APPDATA\\pip and the virtualenv', () => {
    const env = { USERPROFILE: 'C:\\Users\\u', APPDATA: 'C:\\Users\\u\\AppData\\Roaming', VIRTUAL_ENV: 'C:\\venv' };
    const { targets } = pipConfigLocations({ env, platform: 'win32', root: '/' }, false);
    assert.deepEqual(targets.map((t) => t.path), [
      'C:\\ProgramData\\pip\\pip.ini',
      'C:\\Users\\u\\pip\\pip.ini',
      'C:\\Users\\u\\AppData\\Roaming\\pip\\pip.ini',
      'C:\\venv\\pip.ini',
    ]);
  });

  it('returns nothing when PIP_CONFIG_FILE is os.devnull', () => {
    assert.deepEqual(pipConfigLocations({ env: { PIP_CONFIG_FILE: '/dev/null', HOME: '/h' }, platform: 'linux', root: '/' }, true), {
      targets: [],
      disabled: true,
    });
    assert.equal(pipConfigLocations({ env: { PIP_CONFIG_FILE: 'NUL' }, platform: 'win32', root: '/' }, true).disabled, true);
  });
});

describe('uvConfigLocations', () => {
  it('lists the user file and the system files, or only UV_CONFIG_FILE, or nothing with UV_NO_CONFIG', () => {
    const base = { platform: 'linux' as const, root: '/r' };
    assert.deepEqual(uvConfigLocations({ ...base, env: { HOME: '/h' } }).map((t) => t.path), [
      '/h/.config/uv/uv.toml',
      '/r/etc/xdg/uv/uv.toml',
      '/r/etc/uv/uv.toml',
    ]);
    assert.deepEqual(uvConfigLocations({ ...base, env: { HOME: '/h', UV_CONFIG_FILE: '/x/uv.toml' } }).map((t) => t.path), ['/x/uv.toml']);
    assert.deepEqual(uvConfigLocations({ ...base, env: { HOME: '/h', UV_NO_CONFIG: '1' } }), []);
  });
});

describe('formatForScan', () => {
  const none = new Set<string>();
  it('recognises configuration files by name', () => {
    assert.equal(formatForScan('requirements-dev.txt', 'x', none), 'requirements');
    assert.equal(formatForScan('dev-requirements.in', 'x', none), 'requirements');
    assert.equal(formatForScan('constraints.txt', 'x', none), 'requirements');
    assert.equal(formatForScan('prod.txt', 'requirements', none), 'requirements');
    assert.equal(formatForScan('dev.in', 'x', new Set(['dev.in', 'dev.txt'])), 'requirements');
    assert.equal(formatForScan('pip.ini', 'x', none), 'pip-conf');
    assert.equal(formatForScan('uv.toml', 'x', none), 'uv-toml');
    assert.equal(formatForScan('Dockerfile.prod', 'x', none), 'script');
    assert.equal(formatForScan('ci.yml', 'workflows', none), 'script');
  });
  it('leaves other files alone', () => {
    assert.equal(formatForScan('MANIFEST.in', 'x', none), undefined);
    assert.equal(formatForScan('notes.txt', 'x', none), undefined);
    assert.equal(formatForScan('Makefile.in', 'x', none), undefined);
  });
});

describe('scanDirectory', () => {
  it('stops at the depth limit and says what it did not look at', async () => {
    const dir = tempDir('deep');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'requirements.txt'), '');
    writeFileSync(join(dir, 'a', 'requirements.txt'), '');
    writeFileSync(join(dir, 'a', 'b', 'requirements.txt'), '');
    const result = await scanDirectory(dir, { maxDepth: 1, maxEntries: 1000 });
    assert.deepEqual(result.targets.map((t) => t.path.slice(dir.length)), ['/requirements.txt', '/a/requirements.txt']);
    assert.match(result.truncated ?? '', /did not look deeper than 1 directory levels/);
  });

  it('stops after the entry limit', async () => {
    const dir = tempDir('wide');
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `r${i}-requirements.txt`), '');
    const result = await scanDirectory(dir, { maxDepth: 5, maxEntries: 3 });
    assert.match(result.truncated ?? '', /stopped after 3 entries/);
  });
});

// ------------------------------------------------------------------ rules

function findingsOf(text: string, format: 'pyproject' | 'uv-toml' | 'pip-conf' | 'requirements' | 'script'): string[] {
  const result = auditText(text, { format, path: 'f' }, { file: 'f', isPublic: isPublicIndex });
  assert.deepEqual(result.errors, []);
  return result.findings.map((f) => `${f.line} ${f.severity} ${f.setting}`);
}

describe('uv rules', () => {
  it('flags PyPI listed before a private index: under first-index the first index that has a name wins', () => {
    const text = '[[index]]\nurl = "https://pypi.org/simple"\n[[index]]\nname = "corp"\nurl = "https://corp.example/simple"\n';
    assert.deepEqual(findingsOf(text, 'uv-toml'), ['2 risky [[index]]', '5 info [[index]] corp']);
  });

  it('flags a public extra index consulted before a private default index', () => {
    const text = '[tool.uv]\nindex-url = "https://corp.example/simple"\nextra-index-url = ["https://pypi.org/simple"]\n';
    assert.deepEqual(findingsOf(text, 'pyproject'), ['3 risky tool.uv.extra-index-url', '2 info tool.uv.index-url']);
  });

  it('accepts a private index before PyPI under first-index, and a private default index', () => {
    assert.deepEqual(findingsOf('[[tool.uv.index]]\nurl = "https://corp.example/simple"\n', 'pyproject'), ['2 info [[tool.uv.index]]']);
    assert.deepEqual(findingsOf('[[tool.uv.index]]\nurl = "https://corp.example/simple"\ndefault = true\n', 'pyproject'), [
      '2 info [[tool.uv.index]]',
    ]);
  });

  it('flags unsafe strategies in the `uv pip` settings too', () => {
    const text = '[tool.uv.pip]\nindex-strategy = "unsafe-first-match"\nextra-index-url = ["https://corp.example/simple"]\n';
    assert.deepEqual(findingsOf(text, 'pyproject'), ['2 risky tool.uv.pip.index-strategy', '3 info tool.uv.pip.extra-index-url']);
  });
});

describe('Poetry rules', () => {
  const source = (name: string, extra: string): string => `[[tool.poetry.source]]\nname = "${name}"\n${extra}\n`;

  it('flags a private primary source searched together with an explicitly configured PyPI', () => {
    const text = source('corp', 'url = "https://corp.example/simple"') + source('PyPI', 'priority = "primary"');
    assert.deepEqual(findingsOf(text, 'pyproject'), ['3 risky [[tool.poetry.source]] corp (priority primary)', '4 info [[tool.poetry.source]] PyPI (priority primary)']);
  });

  it('flags the pre-1.5 `secondary = true` like supplemental', () => {
    const text = source('corp', 'url = "https://corp.example/simple"\nsecondary = true');
    assert.deepEqual(findingsOf(text, 'pyproject'), ['3 risky [[tool.poetry.source]] corp (priority secondary)']);
  });

  it('accepts an explicit source, and a supplemental one when PyPI is disabled by a private primary source', () => {
    const text =
      source('proxy', 'url = "https://proxy.example/simple"') +
      source('extra', 'url = "https://extra.example/simple"\npriority = "supplemental"') +
      source('pinned', 'url = "https://pinned.example/simple"\npriority = "explicit"');
    assert.deepEqual(
      findingsOf(text, 'pyproject').map((f) => f.split(' ')[1]),
      ['info', 'info', 'info'],
    );
  });
});

describe('PDM rules', () => {
  it('accepts sources bound with include_packages, named pypi, or ordered before an explicit PyPI', () => {
    const bound = '[[tool.pdm.source]]\nname = "corp"\nurl = "https://corp.example/simple"\ninclude_packages = ["corp-*"]\n';
    assert.deepEqual(findingsOf(bound, 'pyproject'), ['3 info [[tool.pdm.source]] corp']);
    const replaced = '[[tool.pdm.source]]\nname = "pypi"\nurl = "https://proxy.example/simple"\n';
    assert.deepEqual(findingsOf(replaced, 'pyproject'), ['3 info [[tool.pdm.source]] pypi']);
    const ordered =
      '[tool.pdm.resolution]\nrespect-source-order = true\n' +
      '[[tool.pdm.source]]\nname = "corp"\nurl = "https://corp.example/simple"\n' +
      '[[tool.pdm.source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\n';
    assert.deepEqual(findingsOf(ordered, 'pyproject'), ['5 info [[tool.pdm.source]] corp', '8 info [[tool.pdm.source]] pypi']);
  });
});

describe('script rules', () => {
  it('finds extra indexes and unsafe uv strategies on command lines, ignoring plain --index-url', () => {
    const text = [
      'pip install -i https://proxy/simple x',
      'export PIP_EXTRA_INDEX_URL="https://e/simple"',
      'uv pip install --index-strategy unsafe-best-match x',
      'env: { UV_INDEX_STRATEGY: first-index }',
    ].join('\n');
    assert.deepEqual(findingsOf(text, 'script'), [
      '2 risky PIP_EXTRA_INDEX_URL',
      '3 risky uv --index-strategy',
      '4 info UV_INDEX_STRATEGY',
    ]);
  });
});

describe('envFindings', () => {
  it('reports nothing for an environment without index variables', () => {
    assert.deepEqual(envFindings({ PATH: '/bin', HOME: '/h' }, { isPublic: isPublicIndex }), []);
  });
});

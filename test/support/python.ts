/**
 * Finds and runs the real Python tools that judge our sdists: twine, pkginfo,
 * pip in a fresh virtual environment, and plain python3 (tarfile, tomllib,
 * email.parser, importing the generated backend).
 *
 * A tool that is missing skips its tests locally, with the reason; when `CI` is
 * set it fails them instead, so a broken CI image cannot pass silently.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tool {
  /** What the tests call it in skip and failure messages. */
  label: string;
  /** The command that runs it, or undefined when it is missing. */
  command?: string;
  /** Why it is missing. */
  missing?: string;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Debian's python3 has pkginfo; the `python3` on PATH may be a pyenv one without it. */
const PYTHON_CANDIDATES = ['/usr/bin/python3', 'python3'];

/** Python's temporary files (pip's and its build backends' leave empty directories behind): one directory, removed when the tests end. */
let pythonTemp: string | undefined;
function pythonTempDir(): string {
  if (!pythonTemp) {
    const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-python-tmp-'));
    process.on('exit', () => {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // Left for the system's temporary-file cleaning: an exit handler must not throw.
      }
    });
    pythonTemp = dir;
  }
  return pythonTemp;
}

/** A minimal environment for Python processes: nothing from the machine's pip or Python config leaks in. */
export function pythonEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: pythonTempDir(),
    LANG: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONNOUSERSITE: '1',
    ...extra,
  };
}

/**
 * pip with no configuration file (os.devnull is pip's documented "load none"),
 * no prompts, no cache and no version check: a run can only use what it is given.
 */
export function pipEnv(): NodeJS.ProcessEnv {
  return pythonEnv({
    PIP_CONFIG_FILE: '/dev/null',
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_CACHE_DIR: '1',
  });
}

function probe(command: string, args: string[]): boolean {
  const r = spawnSync(command, args, { env: pythonEnv(), encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

/** The first Python that can import every module listed. */
function pythonWith(modules: string[], label: string): Tool {
  const code = modules.map((m) => `import ${m}`).join('; ');
  const found = PYTHON_CANDIDATES.find((py) => probe(py, ['-c', code]));
  return found
    ? { label, command: found }
    : { label, missing: `no python3 among ${PYTHON_CANDIDATES.join(', ')} can import ${modules.join(', ')}` };
}

function executable(paths: string[], args: string[], label: string): Tool {
  const found = paths.find((p) => (p.includes('/') ? existsSync(p) : true) && probe(p, args));
  return found ? { label, command: found } : { label, missing: `none of ${paths.join(', ')} runs` };
}

let cached: ReturnType<typeof findTools> | undefined;

function findTools() {
  return {
    twine: executable(['/usr/bin/twine', 'twine'], ['--version'], 'twine'),
    pkginfo: pythonWith(['pkginfo', 'json'], 'python3 with pkginfo'),
    /** python3 ≥ 3.11 (tomllib) for the round-trip checks. */
    python: pythonWith(['tomllib', 'email.parser', 'tarfile', 'ast', 'json'], 'python3 ≥ 3.11'),
    /** pymacaroons, as Warehouse uses it, to mint PyPI-format tokens at test time. */
    macaroons: pythonWith(['pymacaroons', 'json', 'uuid'], 'python3 with pymacaroons'),
    /** A Python that can make a virtual environment with pip in it. */
    venv: pythonWith(['venv', 'ensurepip'], 'python3 with venv and ensurepip'),
  };
}

/** The tools, looked up once per test process. */
export function pythonTools(): ReturnType<typeof findTools> {
  cached ??= findTools();
  return cached;
}

/**
 * For `it(name, { skip: unavailable(tool) }, ...)`: the skip reason locally, or
 * false under CI so that `need` fails the test instead.
 */
export function unavailable(...tools: Tool[]): string | false {
  if (process.env.CI) return false;
  const missing = tools.find((t) => !t.command);
  return missing ? `${missing.label} not found (${missing.missing})` : false;
}

/** The tool's command; throws (failing the test) when it is missing. */
export function need(tool: Tool): string {
  if (!tool.command) {
    throw new Error(`${tool.label} is required${process.env.CI ? ' in CI' : ''} but was not found: ${tool.missing}`);
  }
  return tool.command;
}

export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? pythonEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs a Python script that reads JSON on stdin and prints JSON on stdout.
 * Non-ASCII travels as JSON escapes, so no encoding setting can change it.
 */
export async function pythonJson<T>(python: string, script: string, input: unknown): Promise<T> {
  const r = await run(python, ['-c', script], { input: JSON.stringify(input) });
  if (r.code !== 0) throw new Error(`python script failed (exit ${r.code}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** pkginfo's reading of an sdist: every field it knows, as pkginfo names them. */
export async function readWithPkginfo(python: string, files: string[]): Promise<Record<string, unknown>[]> {
  const script = `
import json, sys, pkginfo
out = []
for path in json.load(sys.stdin):
    d = pkginfo.SDist(path)
    out.append({k: getattr(d, k) for k in d.iterkeys()})
json.dump(out, sys.stdout)
`;
  return pythonJson(python, script, files);
}

/**
 * Extracts an sdist with Python's tarfile, refusing any member that would land
 * outside the destination or is not a plain file or directory. Returns the
 * top-level directory's path.
 */
export async function extractWithPython(python: string, file: string, dest: string): Promise<string> {
  const script = `
import json, os, sys, tarfile
file, dest = json.load(sys.stdin)
with tarfile.open(file, 'r:gz') as tf:
    members = tf.getmembers()
    for m in members:
        if m.name.startswith(('/', '..')) or '/../' in m.name or not (m.isfile() or m.isdir()):
            raise SystemExit('unsafe member: %r' % m.name)
    tf.extractall(dest, members=members)
tops = sorted({m.name.split('/')[0] for m in members})
json.dump(os.path.join(dest, tops[0]), sys.stdout)
`;
  return pythonJson(python, script, [file, dest]);
}

/** A fresh virtual environment with pip, made once per test file (about 5 s). */
export async function createVenv(python: string): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'pypi-reserve-venv-')), 'venv');
  const r = await run(python, ['-m', 'venv', dir], { env: pythonEnv() });
  if (r.code !== 0) throw new Error(`python3 -m venv failed:\n${r.stderr}`);
  return dir;
}

export function pip(venv: string, args: readonly string[]): Promise<RunResult> {
  return run(join(venv, 'bin', 'pip'), args, { env: pipEnv() });
}

/** Names of the distributions installed in the venv, normalized (PEP 503). */
export async function installedDistributions(venv: string): Promise<string[]> {
  const r = await pip(venv, ['list', '--format=json']);
  if (r.code !== 0) throw new Error(`pip list failed:\n${r.stderr}`);
  const list = JSON.parse(r.stdout) as { name: string }[];
  return list.map((d) => d.name.replace(/[-_.]+/g, '-').toLowerCase()).sort();
}

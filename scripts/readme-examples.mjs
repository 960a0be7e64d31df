#!/usr/bin/env node
/**
 * Keeps README's example output true: every fenced block preceded by a marker
 *
 *   <!-- example: pypi-reserve build acme-x --owner "Example Corp" -->
 *
 * must be exactly what that command prints. Each command runs in a fresh
 * temporary directory holding the fixture files below, in a clean environment
 * (no SOURCE_DATE_EPOCH from the machine: archives get the documented fixed
 * default time, so a reader who runs the shown command gets the shown hashes),
 * through the compiled CLI (build first: `npm run build`). The directory's
 * path prints as /tmp/readme-ex. `NAME=value` words before `pypi-reserve` set
 * environment variables, as in a shell (`SOURCE_DATE_EPOCH=1700000000 pypi-reserve build …`).
 *
 * The block shows stdout; a marker ending in `2>&1` shows stdout then stderr.
 * A block whose first line starts with `$ ` keeps that line, as the command.
 *
 *   node scripts/readme-examples.mjs            check: list every drift, exit 1 if any
 *   node scripts/readme-examples.mjs --write    rewrite the drifted blocks in place
 *   --readme FILE                               another Markdown file (default README.md)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist', 'pypi-reserve.cjs');
const SHOWN_DIR = '/tmp/readme-ex';

/** Files every example finds in its working directory (README's names-file section shows names.txt). */
const FIXTURES = {
  'names.txt': '# private packages\nacme-billing\nAcme.Auth_Client   # spelled as in setup.cfg\nos-path\n',
  'private-names.txt': 'acme-foo\nacme-bar\n',
};

const MARKER = /^<!-- example: (.*) -->$/;

/** Shell-like words: bare, '…' or "…" (both literal: no escapes, no expansion), joined when adjacent. */
export function shellWords(line) {
  const words = [];
  let word = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unbalanced quotes in example command: ${line}`);
      const quoted = line.slice(i + 1, end);
      word = (word ?? '') + quoted;
      i = end;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** Each marked block: the marker's line, the fence's first and last line indexes. */
export function findExamples(lines) {
  const examples = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const open = lines.findIndex((l, j) => j > i && l.trim() !== '');
    if (open < 0 || !lines[open].startsWith('```')) throw new Error(`README line ${i + 1}: an example marker must be followed by a fenced block`);
    const close = lines.findIndex((l, j) => j > open && l.startsWith('```'));
    if (close < 0) throw new Error(`README line ${open + 1}: the fenced block never closes`);
    let command = marker[1].trim();
    const withStderr = command.endsWith(' 2>&1');
    if (withStderr) command = command.slice(0, -' 2>&1'.length).trim();
    const words = shellWords(command);
    const program = words.findIndex((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w));
    if (words[program] !== 'pypi-reserve') throw new Error(`README line ${i + 1}: an example command is pypi-reserve, after optional NAME=value words`);
    const env = Object.fromEntries(words.slice(0, program).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
    examples.push({ marker: i, text: marker[1].trim(), open, close, command, env, args: words.slice(program + 1), withStderr });
    i = close;
  }
  return examples;
}

/** What the command prints, as the block shows it. */
export function runExample(example) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'readme-ex-')));
  try {
    for (const [name, text] of Object.entries(FIXTURES)) writeFileSync(join(dir, name), text);
    const r = spawnSync(process.execPath, [CLI, ...example.args], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8', TZ: 'UTC', NO_COLOR: '1', ...example.env },
      timeout: 60_000,
    });
    if (r.error) throw r.error;
    const text = example.withStderr ? r.stdout + r.stderr : r.stdout;
    return text.split(dir).join(SHOWN_DIR).replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The README with every example block regenerated, and the examples whose block changed. */
export function regenerate(markdown) {
  const lines = markdown.split('\n');
  const drifted = [];
  // From the end, so earlier indexes stay valid while blocks change length.
  for (const example of findExamples(lines).reverse()) {
    const current = lines.slice(example.open + 1, example.close);
    const prompt = current[0]?.startsWith('$ ') ? [`$ ${example.command}`] : [];
    const fresh = [...prompt, ...runExample(example).split('\n')];
    if (fresh.join('\n') !== current.join('\n')) {
      drifted.unshift({ line: example.marker + 1, command: example.text, expected: fresh, found: current });
      lines.splice(example.open + 1, example.close - example.open - 1, ...fresh);
    }
  }
  return { markdown: lines.join('\n'), drifted };
}

function firstDifference(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `block line ${i + 1}:\n      README: ${JSON.stringify(b[i] ?? '(none)')}\n      command: ${JSON.stringify(a[i] ?? '(none)')}`;
  }
  return '';
}

function main(argv) {
  const write = argv.includes('--write');
  const at = argv.indexOf('--readme');
  const file = resolve(at >= 0 ? argv[at + 1] : join(REPO, 'README.md'));
  const { markdown, drifted } = regenerate(readFileSync(file, 'utf8'));
  if (drifted.length === 0) {
    process.stdout.write(`${file}: every example matches its command\n`);
    return 0;
  }
  if (write) {
    writeFileSync(`${file}.tmp`, markdown);
    renameSync(`${file}.tmp`, file);
    process.stdout.write(`${file}: rewrote ${drifted.length} example${drifted.length === 1 ? '' : 's'}\n`);
    return 0;
  }
  const count = drifted.length === 1 ? '1 example no longer matches its command' : `${drifted.length} examples no longer match their commands`;
  process.stderr.write(`${file}: ${count} (run with --write to update):\n`);
  for (const d of drifted) process.stderr.write(`  line ${d.line}: ${d.command}\n    ${firstDifference(d.expected, d.found)}\n`);
  return 1;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}

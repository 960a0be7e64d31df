/**
 * The command list: a run registers only the command it names (the others'
 * options and help cost start-up), and every way of asking for help or
 * mistyping a command still sees them all.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { COMMANDS } from '../src/cli/commands/index.js';
import { processContext } from '../src/cli/context.js';
import { runCli } from './support/cli.js';

describe('the command list', () => {
  it('names, for each entry, the one command its registration adds', () => {
    const ctx = processContext(new AbortController().signal);
    for (const { name, register } of COMMANDS) {
      const program = new Command('pypi-reserve');
      register(program, ctx, () => undefined);
      assert.deepEqual(program.commands.map((c) => c.name()), [name]);
    }
  });

  it('is all there for --help, for help <command>, and for a mistyped command', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const { name } of COMMANDS) assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
    const helpCheck = await runCli(['help', 'check']);
    assert.match(helpCheck.stdout, /^Usage: pypi-reserve check \[options\] \[names\.\.\.\]/m);
    const typo = await runCli(['chek']);
    assert.match(typo.stderr, /unknown command 'chek'\n\(Did you mean check\?\)/);
  });

  it('gives a command its own help and option errors when only that command is registered', async () => {
    const help = await runCli(['reserve', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: pypi-reserve reserve \[options\] \[names\.\.\.\]/m);
    const unknown = await runCli(['check', '--concurency', '4', 'acme-x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option '--concurency'\n\(Did you mean --concurrency\?\)/);
  });
});

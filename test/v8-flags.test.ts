/**
 * The V8 settings the executable makes before the program loads
 * (src/cli/v8-flags.ts): each only where V8 has the flag, and never over one
 * the user set.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INDEX_COMMAND_INTERRUPT_BUDGET, tieringFlags } from '../src/cli/v8-flags.js';
import { baseEnv, runCli } from './support/cli.js';

const BUDGET = `--interrupt-budget=${INDEX_COMMAND_INTERRUPT_BUDGET}`;

describe('V8 settings per command', () => {
  it('keep undici\'s parser on Liftoff for every command, unless the user set a wasm tiering or Liftoff flag', () => {
    assert.deepEqual(tieringFlags('11.3.244.8-node.38', '', 'build').flags, ['--liftoff-only', '--wasm-tiering-budget=2147483647']);
    assert.deepEqual(tieringFlags('12.4.254.21-node.33', '--wasm-tiering-budget=1000', 'build').flags, []);
    assert.deepEqual(tieringFlags('12.4.254.21-node.33', '--no-liftoff', 'build').flags, []);
  });

  it('delay TurboFan for check, reserve and watch on V8 11 (Node 20) only: V8 12 and later have no --interrupt-budget', () => {
    for (const command of ['check', 'reserve', 'watch']) {
      assert.ok(tieringFlags('11.3.244.8-node.38', '', command).flags.includes(BUDGET), command);
      for (const v8 of ['12.4.254.21-node.33', '13.6.233.17-node.29']) assert.ok(!tieringFlags(v8, '', command).flags.some((f) => f.startsWith('--interrupt-budget')), `${command} on ${v8}`);
    }
    for (const command of ['build', 'audit', 'export-rules', 'init', undefined]) assert.ok(!tieringFlags('11.3.244.8-node.38', '', command).flags.includes(BUDGET), String(command));
  });

  it('keep check, reserve and watch on baseline code on V8 12 (Node 22), where the ceiling takes at run time; not elsewhere, and not over a ceiling of the user\'s', () => {
    for (const command of ['check', 'reserve', 'watch']) {
      assert.ok(tieringFlags('12.4.254.21-node.33', '', command).flags.includes('--max-opt=1'), command);
      assert.ok(!tieringFlags('12.4.254.21-node.33', '--max-opt=3', command).flags.includes('--max-opt=1'), command);
      for (const v8 of ['11.3.244.8-node.38', '13.6.233.17-node.29']) assert.ok(!tieringFlags(v8, '', command).flags.some((f) => f.startsWith('--max-opt')), `${command} on ${v8}`);
    }
    for (const command of ['build', 'audit', 'export-rules', 'init', undefined]) assert.ok(!tieringFlags('12.4.254.21-node.33', '', command).flags.some((f) => f.startsWith('--max-opt')), String(command));
  });

  it('leave the budget to the user who set it, and only that flag counts', () => {
    assert.ok(!tieringFlags('11.3.244.8-node.38', '--interrupt-budget=1000', 'check').flags.includes(BUDGET));
    assert.ok(!tieringFlags('11.3.244.8-node.38', '--max-old-space-size=100 --interrupt_budget 1000', 'check').flags.includes(BUDGET));
    assert.ok(tieringFlags('11.3.244.8-node.38', '--interrupt-budget-for-feedback-allocation=10', 'check').flags.includes(BUDGET));
    assert.ok(tieringFlags('11.3.244.8-node.38', '--interrupt-budget-factor-for-feedback-allocation=10', 'check').flags.includes(BUDGET));
  });

  it('compile undici\'s parser ahead, every function of it, for check, reserve and watch only; a lazy-compilation flag of the user\'s wins', () => {
    for (const command of ['check', 'reserve', 'watch']) {
      for (const v8 of ['11.3.244.8-node.38', '12.4.254.21-node.33']) {
        const choice = tieringFlags(v8, '', command);
        assert.ok(choice.precompileParser && choice.flags.includes('--no-wasm-lazy-compilation'), `${command} on ${v8}`);
        assert.equal(choice.cacheVariant, 'index');
      }
      assert.ok(!tieringFlags('12.4.254.21-node.33', '--wasm-lazy-compilation', command).flags.includes('--no-wasm-lazy-compilation'));
      assert.ok(tieringFlags('12.4.254.21-node.33', '--wasm-lazy-compilation', command).precompileParser);
    }
    for (const command of ['build', 'audit', 'export-rules', 'init', undefined]) {
      const choice = tieringFlags('12.4.254.21-node.33', '', command);
      assert.ok(!choice.precompileParser && !choice.flags.includes('--no-wasm-lazy-compilation'), String(command));
      assert.equal(choice.cacheVariant, 'local');
    }
  });

  it('print nothing of their own: a command on this Node says no word about V8 flags', async () => {
    const help = await runCli(['check', '--help'], { env: baseEnv() });
    assert.equal(help.code, 0);
    assert.equal(help.stderr, '');
  });
});

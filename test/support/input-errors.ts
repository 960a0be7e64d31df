import assert from 'node:assert/strict';
import { InputError, type Problem } from '../../src/core/errors.js';

/** Awaits something that must fail with bad input, and returns every problem it reported. */
export async function problemsOf(run: Promise<unknown>): Promise<readonly Problem[]> {
  try {
    await run;
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected an InputError');
}

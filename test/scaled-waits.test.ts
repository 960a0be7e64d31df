/**
 * PYPI_RESERVE_BACKOFF_SCALE multiplies every retry wait; the messages announce
 * the wait as it really is, not the unscaled one (issue 11, rough edges).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GOOD_TOKEN, OWNER, standUp, statuses, type Stand } from './support/reserve-fixture.js';

describe('announced waits', () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp();
  });
  after(() => stand.close());

  it('with PYPI_RESERVE_BACKOFF_SCALE=0 an upload retry is announced as no wait at all', async () => {
    stand.warehouse.injectFaults('upload', { status: 503 });
    const result = await stand.run(['reserve', 'acme-flaky', '--owner', OWNER, '--json'], { PYPI_TOKEN: GOOD_TOKEN, PYPI_RESERVE_BACKOFF_SCALE: '0' });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(statuses(result)['acme-flaky'], 'uploaded');
    const announced = result.stderr.match(/(?:retrying in|waiting) \d+\.\d s/g) ?? [];
    assert.ok(announced.length > 0, result.stderr);
    for (const line of announced) assert.match(line, / 0\.0 s$/, result.stderr);
  });
});

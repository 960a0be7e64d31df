/**
 * On an interactive terminal: a live progress line on stderr, and a hidden
 * prompt for the token when no other source has one. Run under `script`
 * (util-linux), which gives the CLI a real pseudo-terminal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { baseEnv } from './support/cli.js';
import { onTerminal, terminalSkip } from './support/terminal.js';
import { GOOD_TOKEN, OWNER, standUp, type Stand } from './support/reserve-fixture.js';

const skip = terminalSkip();

describe('on an interactive terminal', { skip }, () => {
  let stand: Stand;
  before(async () => {
    stand = await standUp();
  });
  after(() => stand.close());

  const target = () => ['--repository-url', stand.warehouse.uploadUrl, '--index-url', stand.warehouse.indexUrl];

  it('asks for the token without echoing it, then uploads', async () => {
    const env = baseEnv({ HOME: stand.dir, PYPI_RESERVE_BACKOFF_SCALE: '0' });
    const result = await onTerminal(['reserve', 'tty-one', '--owner', OWNER, ...target()], env, { prompt: /Upload token \(input hidden\): /, text: GOOD_TOKEN });
    assert.equal(result.code, 0, result.screen);
    assert.match(result.screen, /tty-one\s+uploaded/);
    assert.ok(!result.screen.includes(GOOD_TOKEN), 'the typed token is not echoed');
  });

  it('Ctrl-C at the token prompt stops with exit 130 and uploads nothing', async () => {
    const env = baseEnv({ HOME: stand.dir, PYPI_RESERVE_BACKOFF_SCALE: '0' });
    const before = stand.warehouse.uploads().length;
    const result = await onTerminal(['reserve', 'tty-interrupted', '--owner', OWNER, ...target()], env, { prompt: /Upload token \(input hidden\): /, text: '\u0003' });
    assert.equal(result.code, 130, result.screen);
    assert.match(result.screen, /interrupted at the token prompt/);
    assert.equal(stand.warehouse.uploads().length, before);
  });

  it('draws a live progress line and clears it before the results', async () => {
    const env = baseEnv({ HOME: stand.dir, PYPI_RESERVE_BACKOFF_SCALE: '0' });
    const result = await onTerminal(['check', 'tty-one', 'tty-two', '--owner', OWNER, ...target()], env);
    assert.equal(result.code, 0, result.screen);
    assert.match(result.screen, /\r\u001b\[2Kchecking \d\/2/);
    assert.match(result.screen, /tty-two\s+free/);
  });

  it('the upload progress counts what --max-new allows, not every free name', async () => {
    const env = baseEnv({ HOME: stand.dir, PYPI_TOKEN: GOOD_TOKEN, PYPI_RESERVE_BACKOFF_SCALE: '0' });
    const result = await onTerminal(['reserve', 'cap-one', 'cap-two', 'cap-three', '--owner', OWNER, '--max-new', '1', ...target()], env);
    assert.equal(result.code, 3, result.screen);
    assert.match(result.screen, /uploading 1\/1 {2}cap-one/);
    assert.doesNotMatch(result.screen, /uploading \d\/3/);
  });

  it('in CI, even on a terminal, progress is plain lines', async () => {
    const env = baseEnv({ HOME: stand.dir, CI: 'true', PYPI_TOKEN: GOOD_TOKEN, PYPI_RESERVE_BACKOFF_SCALE: '0' });
    const result = await onTerminal(['reserve', 'tty-ci', '--owner', OWNER, ...target()], env);
    assert.equal(result.code, 0, result.screen);
    assert.doesNotMatch(result.screen, /\u001b\[2K/);
    assert.match(result.screen, /uploading tty-ci\r?\n/);
  });
});

/**
 * The progress lines outside a terminal (cli/render.ts progressReporter): what
 * is written when, so a CI log reads in order and an upload's line is not
 * written between one upload's answer and the next request.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { progressReporter } from '../src/cli/render.js';
import type { CliContext } from '../src/cli/context.js';

/** A context whose stderr (not a terminal) records each write. */
function recording(): { ctx: CliContext; writes: string[] } {
  const writes: string[] = [];
  const stderr = new Writable({
    write(chunk, _encoding, done) {
      writes.push(String(chunk));
      done();
    },
  });
  return { ctx: { stderr, env: {} } as unknown as CliContext, writes };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('progress outside a terminal', () => {
  it("writes an upload's line on the next turn of the event loop, with the previous upload's result, in one write", async () => {
    const { ctx, writes } = recording();
    const report = progressReporter(ctx, true)!;
    report({ type: 'phase', phase: 'upload', total: 2 });
    report({ type: 'uploading', name: 'acme-a' });
    assert.deepEqual(writes, [], 'nothing yet: the request goes out first');
    await nextTurn();
    assert.deepEqual(writes, ['uploading up to 2 placeholders\nuploading acme-a\n']);
    report({ type: 'uploaded', name: 'acme-a', status: 'uploaded' });
    report({ type: 'uploading', name: 'acme-b' });
    await nextTurn();
    assert.deepEqual(writes.slice(1), ['acme-a: uploaded\nuploading acme-b\n']);
    report({ type: 'uploaded', name: 'acme-b', status: 'uploaded' });
    report.flush();
    assert.deepEqual(writes.slice(2), ['acme-b: uploaded\n']);
    await nextTurn();
    assert.equal(writes.length, 3, 'the turn after a flush writes nothing again');
  });

  it('writes what it holds before anything written through flush (a diagnostic, the Ctrl-C notice, the end)', () => {
    const { ctx, writes } = recording();
    const report = progressReporter(ctx, true)!;
    report({ type: 'phase', phase: 'upload', total: 1 });
    report({ type: 'uploading', name: 'acme-a' });
    report.flush();
    ctx.stderr.write('\nSIGINT: finishing the upload under way, then stopping (again to quit at once)\n');
    assert.deepEqual(writes, ['uploading up to 1 placeholder\nuploading acme-a\n', '\nSIGINT: finishing the upload under way, then stopping (again to quit at once)\n']);
  });

  it("is flushed through the context by the CLI's world, which the executable's Ctrl-C handler calls", async () => {
    const { ctx, writes } = recording();
    const { cliWorld } = await import('../src/cli/world.js');
    const report = progressReporter(ctx, true)!;
    const world = await cliWorld(ctx, 1, report);
    try {
      report({ type: 'phase', phase: 'upload', total: 1 });
      report({ type: 'uploading', name: 'acme-a' });
      ctx.flushProgress!();
      assert.deepEqual(writes, ['uploading up to 1 placeholder\nuploading acme-a\n']);
    } finally {
      await world.close();
    }
  });
});

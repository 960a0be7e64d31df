/**
 * Placeholders uploaded before pypi-reserve had its own deflate (issue 12) are
 * other bytes than the ones it builds now, but the file rule must still call a
 * project holding them ours: real files of that time (test/fixtures/
 * legacy-placeholders/, built at commit 3499a24) served by the Warehouse
 * stand-in, judged by the real CLI.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OWNER, json, standUp, statuses, type Stand } from './support/reserve-fixture.js';
import { buildSdist } from '../src/core/sdist.js';
import { buildLegacySdistBytes } from '../src/core/legacy-sdist.js';
import { placeholderMetadata, PLACEHOLDER_KEYWORD } from '../src/core/metadata.js';
import { normalizeName } from '../src/core/names.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/legacy-placeholders/', import.meta.url));
const CONTACT = 'security@acme.example';
const META = ['--owner', OWNER, '--contact', CONTACT];
const EPOCH = { SOURCE_DATE_EPOCH: '1700000000' };

function legacyFile(filename: string) {
  const content = readFileSync(`${FIXTURES}${filename}`);
  return { filename, content, metadata: { author: OWNER, keywords: PLACEHOLDER_KEYWORD } };
}

function meta(name: string, version = '0.0.0') {
  return placeholderMetadata({ name, normalized: normalizeName(name), source: 'test' }, { owner: OWNER, contact: CONTACT, version });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('placeholders in the archive format of earlier versions', () => {
  let stand: Stand;
  before(async () => {
    const tampered = Buffer.from(readFileSync(`${FIXTURES}acme_legacy-0.0.0.tar.gz`));
    tampered[tampered.length - 9]! ^= 1; // one bit of the deflate stream: no longer that file
    stand = await standUp({
      projects: [
        { name: 'acme-legacy', owner: 'acme', files: [legacyFile('acme_legacy-0.0.0.tar.gz'), legacyFile('acme_legacy-1.0.0.tar.gz')] },
        { name: 'Acme.Legacy_Epoch', owner: 'acme', files: [legacyFile('acme_legacy_epoch-0.0.0.tar.gz')] },
        { name: 'acme-mixed', owner: 'acme', files: [{ filename: 'acme_mixed-0.0.0.tar.gz', content: Buffer.from(buildSdist(meta('acme-mixed')).bytes) }] },
        // An older placeholder, then a newer version built in the current format, on one project.
        {
          name: 'acme-legacy-then-new',
          owner: 'acme',
          files: [
            { ...legacyFile('acme_legacy-0.0.0.tar.gz'), filename: 'acme_legacy_then_new-0.0.0.tar.gz', content: Buffer.from(await buildLegacySdistBytes(meta('acme-legacy-then-new'))) },
            { filename: 'acme_legacy_then_new-1.0.0.tar.gz', content: Buffer.from(buildSdist(meta('acme-legacy-then-new', '1.0.0')).bytes) },
          ],
        },
        { name: 'acme-tampered', owner: 'mallory', files: [{ ...legacyFile('acme_legacy-0.0.0.tar.gz'), filename: 'acme_tampered-0.0.0.tar.gz', content: tampered }] },
      ],
    });
  });
  after(() => stand.close());

  it('are other bytes than this version builds, and the legacy builder still makes them byte for byte', async () => {
    for (const [filename, m, mtime] of [
      ['acme_legacy-0.0.0.tar.gz', meta('acme-legacy'), undefined],
      ['acme_legacy-1.0.0.tar.gz', meta('acme-legacy', '1.0.0'), undefined],
      ['acme_legacy_epoch-0.0.0.tar.gz', meta('Acme.Legacy_Epoch'), 1700000000],
    ] as const) {
      const old = readFileSync(`${FIXTURES}${filename}`);
      const options = mtime === undefined ? {} : { mtime };
      assert.notEqual(buildSdist(m, options).sha256, sha256(old), `${filename}: the current format differs`);
      assert.equal(sha256(await buildLegacySdistBytes(m, options)), sha256(old), `${filename}: rebuilt in the old format`);
    }
  });

  it('count as ours under the file rule: check says reserved, for every version on the project', async () => {
    const result = await stand.run(['check', 'acme-legacy', ...META, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(statuses(result), { 'acme-legacy': 'reserved' });
    assert.match(json(result).results[0]!.detail, /holds only our placeholders acme_legacy-0\.0\.0\.tar\.gz, acme_legacy-1\.0\.0\.tar\.gz/);
  });

  it('are recognised with SOURCE_DATE_EPOCH too, as they were built', async () => {
    const result = await stand.run(['check', 'Acme.Legacy_Epoch', ...META, '--json'], EPOCH);
    assert.deepEqual(statuses(result), { 'Acme.Legacy_Epoch': 'reserved' });
    const otherTime = await stand.run(['check', 'Acme.Legacy_Epoch', ...META, '--json']);
    assert.deepEqual(statuses(otherTime), { 'Acme.Legacy_Epoch': 'taken' }, 'built at another time: not this configuration\'s file');
  });

  it('sit beside placeholders of the current format, on other projects and on the same one', async () => {
    const result = await stand.run(['check', 'acme-legacy', 'acme-mixed', 'acme-legacy-then-new', ...META, '--json']);
    assert.deepEqual(statuses(result), { 'acme-legacy': 'reserved', 'acme-mixed': 'reserved', 'acme-legacy-then-new': 'reserved' });
  });

  it('only in their exact bytes: one changed bit makes the project taken', async () => {
    const result = await stand.run(['check', 'acme-tampered', ...META, '--json']);
    assert.equal(result.code, 1);
    assert.deepEqual(statuses(result), { 'acme-tampered': 'taken' });
  });
});

/**
 * The pure parts of `watch`: reading the newest-projects feed, deciding what
 * is new since the last poll, and durations.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseNewProjectsFeed, type FeedItem } from '../src/core/feed.js';
import { FEED_LENGTH, namesDigest, planPoll, type WatchState } from '../src/core/watch-poll.js';
import { parseDuration } from '../src/core/duration.js';
import { normalizeName, type ProjectName } from '../src/core/names.js';

const item = (name: string) =>
  `<item><title>${name} added to PyPI</title><link>https://pypi.org/project/${normalizeName(name)}/</link>` +
  `<guid>https://pypi.org/project/${normalizeName(name)}/</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>`;
const feed = (...items: string[]) => `<?xml version="1.0"?><rss version="2.0"><channel><title>PyPI newest packages</title>${items.join('')}</channel></rss>`;
const names = (...list: string[]): ProjectName[] => list.map((n) => ({ name: n, normalized: normalizeName(n), source: 'test' }) as ProjectName);
const items = (...list: string[]): FeedItem[] => {
  const parsed = parseNewProjectsFeed(feed(...list.map(item)));
  assert.ok(parsed.ok);
  return parsed.items;
};
const stateOf = (seen: FeedItem[], watched: ProjectName[]): WatchState => ({
  version: 1,
  feedUrl: 'https://pypi.org/rss/packages.xml',
  seen: seen.map((i) => i.id),
  namesDigest: namesDigest(watched),
  polledAt: '2026-12-01T00:00:00.000Z',
});

describe('reading the newest-projects feed', () => {
  it('takes each item\'s name from its title, normalized from its link, newest first', () => {
    const parsed = parseNewProjectsFeed(feed(item('Acme_Billing'), item('numpy')));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.items.map((i) => [i.name, i.normalized, i.id]), [
      ['Acme_Billing', 'acme-billing', 'https://pypi.org/project/acme-billing/ Tue, 01 Dec 2026 10:00:00 GMT'],
      ['numpy', 'numpy', 'https://pypi.org/project/numpy/ Tue, 01 Dec 2026 10:00:00 GMT'],
    ]);
    assert.equal(parsed.items[0]!.publishedAt, Date.parse('Tue, 01 Dec 2026 10:00:00 GMT'));
  });

  it('decodes entities and CDATA, and falls back to the link when the title says something else', () => {
    const parsed = parseNewProjectsFeed(
      feed('<item><title><![CDATA[a&b]]></title><link>https://pypi.org/project/from-link/</link><guid>g1</guid></item>',
        '<item><title>x&amp;y added to PyPI</title><guid>https://pypi.org/project/x-y/</guid></item>'),
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.items.map((i) => i.name), ['from-link', 'x-y']);
  });

  it('counts items without any project name instead of inventing one', () => {
    const parsed = parseNewProjectsFeed(feed('<item><title>Welcome</title><guid>https://example/</guid></item>', item('ok')));
    assert.ok(parsed.ok);
    assert.equal(parsed.unreadable, 1);
    assert.deepEqual(parsed.items.map((i) => i.name), ['ok']);
  });

  it('refuses what is not an RSS feed, and a truncated one', () => {
    for (const body of ['<!DOCTYPE html><html><body>Sign in</body></html>', '{"projects": []}', '<rssfeed><channel/></rssfeed>']) {
      const parsed = parseNewProjectsFeed(body);
      assert.equal(parsed.ok, false, body);
    }
    const truncated = parseNewProjectsFeed(feed(item('a')).replace('</item></channel></rss>', ''));
    assert.deepEqual(truncated, { ok: false, reason: 'the feed ends inside an <item> (truncated?)' });
  });

  it('stays linear on hostile repetitions (a megabyte of unclosed tags parses quickly, by construction)', () => {
    const hostile = `<rss><channel>${'<item><title><link><guid>'.repeat(40_000)}`;
    assert.equal(parseNewProjectsFeed(hostile).ok, false);
    const many = `<rss><channel>${'<items>'.repeat(100_000)}</channel></rss>`;
    assert.deepEqual(parseNewProjectsFeed(many), { ok: true, items: [], unreadable: 0 });
  });
});

describe('what one poll means', () => {
  const watched = names('acme-billing', 'acme-auth');

  it('with no state yet, every name is checked', () => {
    assert.equal(planPoll(items('numpy'), undefined, watched).gap, 'no-state');
  });

  it('new items are those before the first one the last poll saw', () => {
    const before = items('b', 'a');
    const plan = planPoll(items('Acme.Billing', 'c', 'b', 'a'), stateOf(before, watched), watched);
    assert.equal(plan.gap, undefined);
    assert.deepEqual(plan.newItems.map((i) => i.name), ['Acme.Billing', 'c']);
    assert.deepEqual(plan.hits.map((h) => [h.item.name, h.name.name]), [['Acme.Billing', 'acme-billing']]);
  });

  it('an item seen before still bounds the new ones when the newest seen one was deleted', () => {
    const plan = planPoll(items('new', 'a'), stateOf(items('gone', 'a'), watched), watched);
    assert.equal(plan.gap, undefined);
    assert.deepEqual(plan.newItems.map((i) => i.name), ['new']);
  });

  it('every item not seen last time is new, wherever it stands: a project that left the feed and came back below seen ones is found', () => {
    // acme-billing lost its only release (so left the feed) before the last poll, then got one again.
    const last = items('c', 'b', 'a');
    const plan = planPoll(items('c', 'b', 'acme-billing', 'a'), stateOf(last, watched), watched);
    assert.equal(plan.gap, undefined);
    assert.deepEqual(plan.hits.map((h) => h.item.name), ['acme-billing']);
  });

  it('a project deleted and created again is a new item (its creation time is part of its id), not one seen before', () => {
    const [junk] = items('junk');
    const recreated = { ...junk!, id: junk!.id.replace('10:00:00', '11:00:00') };
    const plan = planPoll([recreated, ...items('acme-billing'), junk!], stateOf([junk!], watched), watched);
    assert.deepEqual(plan.newItems.map((i) => i.name), ['junk', 'acme-billing']);
    assert.deepEqual(plan.hits.map((h) => h.name.name), ['acme-billing']);
  });

  it('matches an item under its title\'s name and its link\'s name when they disagree', () => {
    const parsed = parseNewProjectsFeed(feed('<item><title>innocent added to PyPI</title><link>https://pypi.org/project/acme-billing/</link><guid>https://pypi.org/project/acme-billing/</guid></item>'));
    assert.ok(parsed.ok);
    const plan = planPoll(parsed.items, stateOf([], watched), watched);
    assert.deepEqual(plan.hits.map((h) => h.name.name), ['acme-billing']);
  });

  it('when nothing seen before is left, items may have been missed: a gap', () => {
    assert.equal(planPoll(items('x', 'y'), stateOf(items('a'), watched), watched).gap, 'dropped-off');
  });

  it('an empty feed last time is no gap until the feed is full', () => {
    const empty = stateOf([], watched);
    assert.equal(planPoll(items('x'), empty, watched).gap, undefined);
    const full = items(...Array.from({ length: FEED_LENGTH }, (_, i) => `p${i}`));
    assert.equal(planPoll(full, empty, watched).gap, 'dropped-off');
  });

  it('a name added to the list since has no history in the feed: every name is checked', () => {
    const plan = planPoll(items('b', 'a'), stateOf(items('a'), names('acme-billing')), watched);
    assert.equal(plan.gap, 'names-changed');
    assert.deepEqual(plan.newItems.map((i) => i.name), ['b']);
  });

  it('flags names PyPI would treat as ours (ultranormalized), not exact matches', () => {
    const plan = planPoll(items('acme-b1lling', 'ACME_AUTH', 'acmeauthx'), stateOf([], watched), watched);
    assert.deepEqual(plan.lookalikes.map((h) => [h.item.name, h.name.name]), [['acme-b1lling', 'acme-billing']]);
    assert.deepEqual(plan.hits.map((h) => h.name.name), ['acme-auth']);
  });
});

describe('durations', () => {
  it('reads 90s, 15m, 1h, 1h30m and bare minutes; refuses the rest', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('10'), 600_000);
    for (const bad of ['', 'm', '10 minutes', '-5m', '1d', '99999h', '100000']) assert.equal(parseDuration(bad), undefined, bad);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ultranormalizeName, UltranormalIndex } from '../src/core/ultranormalize.js';

describe('ultranormalizeName (PyPI "too similar" rule)', () => {
  const collide: [string, string][] = [
    ['foo-bar', 'foobar'],
    ['Foo.Bar', 'foo_bar'],
    ['foo-_.bar', 'FOOBAR'],
    ['c00l', 'cool'],
    ['C0OL', 'cool'],
    ['l', 'I'],
    ['l', '1'],
    ['i', 'L'],
    ['I', '1'],
    ['o', '0'],
    ['O', '0'],
    ['oil', '011'],
    ['pi11ow', 'pillow'],
    ['r-e-q-u-e-s-t-s', 'requests'],
  ];
  for (const [a, b] of collide) {
    it(`treats '${a}' and '${b}' as the same name`, () => {
      assert.equal(ultranormalizeName(a), ultranormalizeName(b));
    });
  }

  const distinct: [string, string][] = [
    ['foobar', 'foobaz'],
    ['cool', 'coo'],
    ['l', '7'],
    ['o', 'q'],
    ['i', 'j'],
    ['foo2', 'foo3'],
    ['ab', 'ba'],
  ];
  for (const [a, b] of distinct) {
    it(`keeps '${a}' and '${b}' apart`, () => {
      assert.notEqual(ultranormalizeName(a), ultranormalizeName(b));
    });
  }

  it('removes separators, maps l/L/i/I to 1 and o/O to 0, and lowercases', () => {
    assert.equal(ultranormalizeName('Django-Oil_Lib.Io'), 'djang001111b10');
  });
});

describe('UltranormalIndex', () => {
  it('finds the values registered under a colliding spelling, and nothing for others', () => {
    const index = new UltranormalIndex<string>();
    index.add('foobar', 'foobar');
    index.add('cool', 'cool');
    assert.deepEqual(index.lookup('foo-bar'), ['foobar']);
    assert.deepEqual(index.lookup('C00L'), ['cool']);
    assert.equal(index.lookup('foobaz'), undefined);
  });

  it('keeps every value registered under one form', () => {
    const index = new UltranormalIndex<number>();
    index.add('oil', 1);
    index.add('011', 2);
    assert.deepEqual(index.lookup('O-I-L'), [1, 2]);
    assert.equal(index.size, 1);
  });

  it('agrees with ultranormalizeName on any text, non-ASCII included', () => {
    // A small alphabet makes collisions frequent; the odd characters exercise the slow path.
    const alphabet = fc.constantFrom(...'aAlLiI1oO0-_.zé\u0130\u00df'.split(''));
    const name = fc.array(alphabet, { maxLength: 8 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(name, name, (a, b) => {
        const index = new UltranormalIndex<string>();
        index.add(a, a);
        const found = index.lookup(b) !== undefined;
        return found === (ultranormalizeName(a) === ultranormalizeName(b));
      }),
      { numRuns: 5000 },
    );
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as fallback from '@ku0/diff-rs/fallback';

import { buildCorpus } from '../../corpora/diff/generate.mjs';
import { Random } from '../../corpora/diff/random.mjs';

const corpus = buildCorpus();
const byName = new Map(corpus.map((c) => [c.name, c]));
const lineCount = (text) => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

test('the corpus is the same on every build', () => {
  assert.deepEqual(buildCorpus(), corpus);
});

test('the PRNG is seeded and uniform enough', () => {
  const a = new Random('seed');
  const b = new Random('seed');
  const draws = Array.from({ length: 1000 }, () => a.int(0, 9));
  assert.deepEqual(draws, Array.from({ length: 1000 }, () => b.int(0, 9)));
  assert.notDeepEqual(draws, Array.from({ length: 1000 }, () => new Random('other').int(0, 9)));
  for (let digit = 0; digit < 10; digit++) {
    const count = draws.filter((d) => d === digit).length;
    assert.ok(count > 60 && count < 140, `digit ${digit} drawn ${count} times`);
  }
  assert.throws(() => a.int(3, 2), RangeError);
});

test('the bench cases have the promised sizes and change rates', () => {
  for (const [name, lines, fraction] of [
    ['code-2k-1pct', 2000, 0.01],
    ['code-2k-30pct', 2000, 0.3],
    ['code-10k-1pct', 10000, 0.01],
    ['code-10k-30pct', 10000, 0.3],
  ]) {
    const c = byName.get(name);
    assert.ok(c, `${name} is generated`);
    assert.equal(lineCount(c.old), lines, `${name} old lines`);
    assert.equal(lineCount(c.new), lines, `${name} new lines`);
    if (lines === 2000) {
      // Every modified line shows as one removal and one addition.
      const changed = fallback
        .diffLines(c.old, c.new)
        .flatMap((hunk) => hunk.lines)
        .filter((line) => line.type !== 'context').length;
      const budget = lines * fraction;
      assert.ok(changed >= budget && changed <= 2 * budget, `${name}: ${changed} changed lines for a budget of ${budget}`);
    }
  }
});

test('every case stays within 10,000 lines and the edge cases are what they say', () => {
  for (const c of corpus) {
    assert.ok(lineCount(c.old) <= 10000 && lineCount(c.new) <= 10000, c.name);
  }
  assert.equal(byName.get('identical').old, byName.get('identical').new);
  assert.equal(byName.get('empty-both').old + byName.get('empty-both').new, '');
  assert.ok(!byName.get('no-eol-old').old.endsWith('\n') && byName.get('no-eol-old').new.endsWith('\n'));
  assert.ok(byName.get('no-eol-new').old.endsWith('\n') && !byName.get('no-eol-new').new.endsWith('\n'));
  assert.ok(/[^\r]\n/.test(byName.get('crlf-lf-mixed').old) && byName.get('crlf-lf-mixed').old.includes('\r\n'));
  assert.ok(!/[^\r]\n/.test(byName.get('crlf-both').new));
  const withoutBlanks = (text) => text.split('\n').map((line) => line.replace(/\s+/g, ''));
  const { old, new: changed } = byName.get('whitespace-only');
  assert.notEqual(old, changed);
  assert.deepEqual(withoutBlanks(old), withoutBlanks(changed));
  const inserts = fallback.diffLines(byName.get('pure-inserts').old, byName.get('pure-inserts').new);
  assert.ok(inserts.every((h) => h.lines.every((l) => l.type !== 'remove')));
});

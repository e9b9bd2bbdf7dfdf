// Native counts equal js-tiktoken's (`getEncoding(name).encode(text, [], []).length`) for every
// encoding: on the generated parity corpora, on hand-picked edge cases, on lone surrogates, and on
// seeded random strings from every Unicode plane; batches equal single counts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getEncoding } from 'js-tiktoken';
import {
  ENCODINGS,
  LONE_SURROGATE_CASES,
  assertNativeLoaded,
  corpusCases,
  fallback,
  randomText,
  rng,
} from './support.mjs';

const native = assertNativeLoaded();

// js-tiktoken's merge is quadratic in the length of one piece: a 2,000-character run costs it
// about 0.5 s per encoding. The repeated-character cases are checked here on their first 800
// code units; at full length they are checked against js-tiktoken's recorded counts by the
// oracle (oracle/tests/tokenizer_replay.rs), and at 1 MB against tiktoken-rs by the engine.
const REPEAT_PREFIX = 800;

function fallbackSized(c) {
  return c.name.startsWith('repeat-') ? c.text.slice(0, REPEAT_PREFIX) : c.text;
}

function assertSameCounts(texts, label) {
  for (const encoding of ENCODINGS) {
    const expected = fallback.countTokensBatch(texts, encoding);
    const batch = native.countTokensBatch(texts, encoding);
    assert.deepEqual(batch, expected, `${label}: countTokensBatch in ${encoding}`);
    texts.forEach((text, i) => {
      const single = native.countTokens(text, encoding);
      if (single !== expected[i]) {
        assert.fail(`${label} #${i} in ${encoding}: native ${single}, js-tiktoken ${expected[i]}; text ${JSON.stringify(text.slice(0, 200))}`);
      }
    });
  }
}

describe('counts equal js-tiktoken', () => {
  test('the fallback is js-tiktoken itself, special-token strings counted as text', () => {
    const text = 'a <|endoftext|> b <|fim_prefix|><|endofprompt|>';
    // (Each getEncoding builds its tables anew, 0.3-1 s: one encoding is enough here.)
    assert.equal(fallback.countTokens(text, 'p50k_base'), getEncoding('p50k_base').encode(text, [], []).length);
    // Counted as text, a special-token string is several tokens, not one.
    assert.ok(fallback.countTokens('<|endoftext|>', 'cl100k_base') > 1);
  });

  test('on every parity case of the generated corpora', () => {
    for (const c of corpusCases('parity')) assertSameCounts([fallbackSized(c)], c.name);
  });

  test('on edge cases: empty, special tokens, whitespace, CJK, emoji, combining marks', () => {
    assertSameCounts(
      [
        '',
        ' ',
        '\n',
        '<|endoftext|>',
        '<|endoftext|><|endoftext|>',
        '<|fim_prefix|>x<|fim_middle|>y<|fim_suffix|>',
        '<|endofprompt|>',
        '<|endoftext',
        "it's I'LL we'Ve 'ſ",
        '   \n\n\t  x  \r\n\r\n  ',
        '12345678901234567890',
        '日本語のテキスト、中文文本。한국어',
        '👩‍👩‍👧‍👦 🇫🇷 👍🏽 ❤️',
        'e\u0301 a\u0308\u0323 Z\u0351\u0362\u0328',
        '\u0085\u00a0\ufeff\u2028\u3000',
        'x'.repeat(1000),
        ' '.repeat(1000) + 'x',
        '\n'.repeat(500) + ' '.repeat(500),
      ],
      'edge case',
    );
  });

  test('on lone surrogates (native reads them as U+FFFD, which counts the same)', () => {
    assertSameCounts(
      LONE_SURROGATE_CASES.map((c) => c.text),
      'lone surrogate',
    );
  });

  test('on 1,000 random strings from every plane (seeded)', () => {
    const seed = 0x70c0;
    const random = rng(seed);
    const texts = Array.from({ length: 1000 }, () => randomText(random, 160));
    for (const encoding of ENCODINGS) {
      const expected = fallback.countTokensBatch(texts, encoding);
      const actual = native.countTokensBatch(texts, encoding);
      texts.forEach((text, i) => {
        if (actual[i] !== expected[i]) {
          assert.fail(
            `random string #${i} (seed ${seed}) in ${encoding}: native ${actual[i]}, js-tiktoken ${expected[i]}; ` +
              `code units ${JSON.stringify([...text].map((ch) => ch.codePointAt(0).toString(16)))}`,
          );
        }
      });
    }
  });

  test('a large batch (split over threads by the engine) equals one count per text', () => {
    const random = rng(7);
    const texts = Array.from({ length: 5000 }, () => randomText(random, 40));
    for (const encoding of ENCODINGS) {
      const batch = native.countTokensBatch(texts, encoding);
      assert.equal(batch.length, texts.length);
      assert.ok(Array.isArray(batch), 'countTokensBatch returns a plain array');
      texts.forEach((text, i) => assert.equal(batch[i], native.countTokens(text, encoding), `text ${i} in ${encoding}`));
    }
    assert.deepEqual(native.countTokensBatch([], 'cl100k_base'), []);
  });

  test('long strings cross whole (the pooled buffer grows and is reused)', () => {
    const long = 'word '.repeat(200_000) + '日本';
    const short = 'a b c';
    for (const text of [short, long, short, long + '!']) {
      assert.equal(native.countTokens(text, 'o200k_base'), fallback.countTokens(text, 'o200k_base'));
    }
  });

  test('model names reach the same encoding on both paths', () => {
    const text = 'Hello, 世界! 12345 <|endoftext|>';
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o1', 'o3-mini', 'gpt-4', 'gpt-4-32k', 'gpt-3.5-turbo',
      'text-embedding-3-small', 'text-davinci-003', 'davinci', 'gpt2', 'no-such-model', undefined]) {
      assert.equal(native.countTokens(text, model), fallback.countTokens(text, model), `model ${model}`);
    }
  });
});

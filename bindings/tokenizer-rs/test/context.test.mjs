// compressContext and estimateJsonTokens: the rules context.js pins, checked with a counter whose
// counts are easy to work out by hand (one token per code unit), then native against fallback on
// generated conversations and on the 500-message corpus conversation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createContextOps } from '../context.js';
import { assertNativeLoaded, corpusCase, fallback, randomText, rng } from './support.mjs';

const native = assertNativeLoaded();

/** One token per UTF-16 code unit; records how often each method is called. */
function lengthCounter() {
  const calls = { count: 0, countMany: 0 };
  return {
    calls,
    count(text) {
      calls.count++;
      return text.length;
    },
    countMany(texts) {
      calls.countMany++;
      return texts.map((text) => text.length);
    },
  };
}

const user = (content) => ({ role: 'user', content });

describe('compressContext rules (one token per code unit)', () => {
  test('message cost: content, 50 per assistant tool call, JSON of tool results and tool messages', () => {
    const counter = lengthCounter();
    const { compressContext } = createContextOps(counter);
    const messages = [
      { role: 'assistant', content: 'abcd', toolCalls: [{ id: '1', name: 'f', arguments: '{}' }, { id: '2', name: 'g', arguments: '' }] },
      { role: 'user', content: 'xy', toolCalls: [{ id: '3', name: 'f', arguments: '{}' }] }, // not assistant: no 50
      { role: 'tool', toolName: 'f', result: 'ok', toolResults: [{ callId: '1', result: { a: 1 } }, { callId: '2', result: undefined }] },
      { role: 'tool', toolName: 'g' }, // no content, no result: costs 0
      { role: 'system', content: null },
    ];
    const all = compressContext(messages, 1000, 0);
    // 4 + 100; 2; '"ok"' (4) + '{"a":1}' (7); 0; 0
    assert.equal(all.totalTokens, 104 + 2 + 11);
    assert.deepEqual(all.selectedIndices, [0, 1, 2, 3, 4]);
    assert.equal(all.compressionRatio, 0);
    assert.equal(counter.calls.countMany, 1, 'every text of every message in one countMany call');
    assert.equal(counter.calls.count, 0);
  });

  test('keeps the preserved tail, then whole older messages while they fit', () => {
    const { compressContext } = createContextOps(lengthCounter());
    const messages = [user('a'.repeat(10)), user('b'.repeat(20)), user('c'.repeat(30)), user('d'.repeat(40))];
    const result = compressContext(messages, 75, 1);
    // tail 40, remaining 35: 30 fits (5 left), 20 does not and 5 <= 50 tokens: the walk stops.
    assert.deepEqual(result.selectedIndices, [2, 3]);
    assert.equal(result.messages[0], messages[2], 'kept messages are the objects given');
    assert.equal(result.totalTokens, 70);
    assert.equal(result.removedCount, 2);
    assert.equal(result.compressionRatio, 1 - 70 / 100);
  });

  test('the walk stops at the first message that does not fit, even if an older one would', () => {
    const { compressContext } = createContextOps(lengthCounter());
    const messages = [user('a'), user('b'.repeat(100)), user('c'.repeat(10))];
    assert.deepEqual(compressContext(messages, 40, 1).selectedIndices, [2]);
  });

  test('truncates the first message that does not fit: 4 code units a token, back to a break, "..."', () => {
    const counter = lengthCounter();
    const { compressContext } = createContextOps(counter);
    const long = 'x'.repeat(200) + '.' + 'y'.repeat(799); // its "." at 200 lies beyond 70% of a 240 cut
    const messages = [user(long), user('t'.repeat(10))];
    const result = compressContext(messages, 70, 1); // 60 tokens remain: cut at 240
    const expected = long.slice(0, 201) + '...';
    assert.deepEqual(result.selectedIndices, [0, 1]);
    assert.equal(result.messages[0].content, expected);
    assert.notEqual(result.messages[0], messages[0], 'the truncated message is a copy');
    assert.equal(messages[0].content, long, 'the input is not changed');
    assert.equal(result.totalTokens, 10 + expected.length, 'the truncated text is recounted');
    assert.equal(counter.calls.count, 1);
    assert.equal(result.removedCount, 0);

    // A break before 70% of the cut is not used: cut at 240 exactly.
    const early = 'x'.repeat(100) + '\n' + 'y'.repeat(899);
    assert.equal(compressContext([user(early), user('t'.repeat(10))], 70, 1).messages[0].content, early.slice(0, 240) + '...');
  });

  test('truncation needs more than 50 tokens left and a non-empty content', () => {
    const { compressContext } = createContextOps(lengthCounter());
    const tail = user('t'.repeat(10));
    assert.deepEqual(compressContext([user('x'.repeat(500)), tail], 60, 1).selectedIndices, [1], '50 left: no truncation');
    assert.deepEqual(compressContext([user('x'.repeat(500)), tail], 61, 1).selectedIndices, [0, 1], '51 left: truncated');
    const noContent = { role: 'tool', result: 'r'.repeat(500) };
    assert.deepEqual(compressContext([noContent, tail], 100, 1).selectedIndices, [1]);
  });

  test('content within the cut is kept whole when tool parts are what did not fit', () => {
    const { compressContext } = createContextOps(lengthCounter());
    const message = { role: 'assistant', content: 'short', toolCalls: [{ id: '1', name: 'f', arguments: '' }] };
    const result = compressContext([message, user('t'.repeat(10))], 64, 1); // cost 55 > 54 left
    assert.equal(result.messages[0].content, 'short');
    assert.equal(result.totalTokens, 65, 'over budget by the tool call: reported as it is');
  });

  test('never cuts between the halves of a surrogate pair', () => {
    const { compressContext } = createContextOps(lengthCounter());
    const content = 'x'.repeat(239) + '😀'.repeat(100); // code unit 239 is a high surrogate
    const cut = compressContext([user(content), user('t'.repeat(10))], 70, 1).messages[0].content;
    assert.equal(cut, 'x'.repeat(239) + '...');
    assert.ok(cut.isWellFormed());
  });

  test('a preserved tail over budget is kept whole, and nothing older', () => {
    const { compressContext } = createContextOps(lengthCounter());
    const messages = [user(''), user('a'.repeat(30)), user('b'.repeat(30))];
    const result = compressContext(messages, 40, 2);
    assert.deepEqual(result.selectedIndices, [1, 2]);
    assert.equal(result.totalTokens, 60);
    assert.equal(result.removedCount, 1);
    assert.equal(result.compressionRatio, 0);
  });

  test('preserveLastN 0 and beyond the length; no messages; zero-cost messages', () => {
    const { compressContext } = createContextOps(lengthCounter());
    const messages = [user('aaaa'), user('bb')];
    assert.deepEqual(compressContext(messages, 0, 5).selectedIndices, [0, 1]);
    assert.deepEqual(compressContext(messages, 2, 0).selectedIndices, [1]);
    assert.deepEqual(compressContext(messages, 0, 0).selectedIndices, []);
    assert.deepEqual(compressContext([], 100, 3), {
      messages: [],
      totalTokens: 0,
      removedCount: 0,
      compressionRatio: 0,
      selectedIndices: [],
    });
    const empty = [user(''), { role: 'assistant' }];
    assert.deepEqual(compressContext(empty, 0, 0).selectedIndices, [0, 1], 'cost 0 fits a budget of 0');
    assert.equal(compressContext(empty, 0, 0).compressionRatio, 0);
  });

  test('the default model is cl100k_base', () => {
    const messages = [user('Hello there, 世界 <|endoftext|>')];
    assert.deepEqual(native.compressContext(messages, 100, 0), native.compressContext(messages, 100, 0, 'cl100k_base'));
    assert.equal(native.compressContext(messages, 100, 0).totalTokens, native.countTokens(messages[0].content, 'cl100k_base'));
  });
});

/** A random NativeMessage: any role, content of any kind or none, tool calls and results. */
function randomMessage(random) {
  const role = random.pick(['user', 'assistant', 'system', 'tool']);
  const message = { role };
  const roll = random();
  if (roll < 0.6) message.content = randomText(random, random() < 0.2 ? 1500 : 200);
  else if (roll < 0.7) message.content = '';
  else if (roll < 0.75) message.content = null;
  if (random() < 0.3) {
    message.toolCalls = Array.from({ length: random.int(4) }, (_, i) => ({ id: `c${i}`, name: 'tool', arguments: '{}' }));
  }
  if (random() < 0.25) {
    message.toolResults = Array.from({ length: random.int(3) }, (_, i) => ({
      callId: `c${i}`,
      result: random.pick([null, 42, 'text ' + randomText(random, 40), { rows: [1, 2, { x: randomText(random, 30) }] }, undefined, [true, false]]),
      ...(random() < 0.5 ? { size: random.int(1000) } : {}),
    }));
  }
  if (role === 'tool' && random() < 0.7) {
    message.toolName = 'tool';
    message.result = random.pick([{ ok: true, out: randomText(random, 300) }, 'done', 7, null, undefined]);
  }
  return message;
}

describe('native equals fallback', () => {
  test('compressContext on 150 generated conversations, all budgets and tails', () => {
    const seed = 0xc0de;
    const random = rng(seed);
    const seen = { truncated: 0, tailOverBudget: 0, removed: 0 };
    for (let round = 0; round < 150; round++) {
      const messages = Array.from({ length: random.int(25) }, () => randomMessage(random));
      const model = random.pick(['gpt-4o', 'cl100k_base', 'p50k_base', 'r50k_base', undefined]);
      const total = fallback.compressContext(messages, Number.MAX_SAFE_INTEGER, 0, model).totalTokens;
      const maxTokens = random.pick([0, 1, 51, random.int(total + 1), Math.floor(total / 3), total, total + 100]);
      const preserveLastN = random.pick([0, 1, random.int(messages.length + 1), messages.length + 3]);
      const expected = fallback.compressContext(messages, maxTokens, preserveLastN, model);
      const actual = native.compressContext(messages, maxTokens, preserveLastN, model);
      assert.deepEqual(actual, expected, `round ${round} (seed ${seed}): maxTokens ${maxTokens}, preserveLastN ${preserveLastN}`);
      if (expected.messages.some((m, i) => m !== messages[expected.selectedIndices[i]])) seen.truncated++;
      if (expected.totalTokens > maxTokens) seen.tailOverBudget++;
      if (expected.removedCount > 0) seen.removed++;
    }
    // The cases are only worth something if they reach every branch.
    for (const [branch, rounds] of Object.entries(seen)) assert.ok(rounds >= 5, `only ${rounds} rounds reached "${branch}"`);
  });

  test('compressContext on the 500-message corpus conversation', () => {
    const messages = JSON.parse(corpusCase('conversation', 'conversation-500').text);
    assert.equal(messages.length, 500);
    for (const [maxTokens, preserveLastN] of [[0, 0], [2000, 10], [20000, 20], [100000, 0], [0, 600], [50000, 499]]) {
      const expected = fallback.compressContext(messages, maxTokens, preserveLastN, 'gpt-4o');
      assert.deepEqual(native.compressContext(messages, maxTokens, preserveLastN, 'gpt-4o'), expected, `${maxTokens}/${preserveLastN}`);
    }
  });

  test('estimateJsonTokens: JSON.stringify, or String when that fails, never throwing', () => {
    const cyclic = { name: 'loop' };
    cyclic.self = cyclic;
    const values = [
      { a: 1, b: [true, null, 'x'], c: { d: '日本語 <|endoftext|>' } },
      'a plain string',
      42,
      null,
      undefined,
      () => 1,
      Symbol('s'),
      10n,
      cyclic,
      Object.create(null),
      [undefined, () => 0],
      { toJSON() { throw new Error('no'); } },
      '\ud800 lone',
    ];
    for (const value of values) {
      for (const model of ['o200k_base', 'gpt-4', undefined]) {
        assert.equal(native.estimateJsonTokens(value, model), fallback.estimateJsonTokens(value, model), String(typeof value));
      }
    }
    assert.equal(native.estimateJsonTokens({ a: 1 }), native.countTokens('{"a":1}', 'cl100k_base'));
    assert.equal(native.estimateJsonTokens(10n), native.countTokens('10'));
    assert.equal(native.estimateJsonTokens(undefined), native.countTokens('undefined'));
    assert.equal(native.estimateJsonTokens(Object.create(null)), native.countTokens('{}'));
    assert.equal(native.estimateJsonTokens(cyclic), native.countTokens('[object Object]'));
  });
});

// The edge cases the issue names: empty and identical inputs, CRLF, no final newline, lone
// surrogates, 50 MB inputs, unusual options, and bad arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNativeLoaded, diffRs, fallback, outcome } from './support.mjs';

const PAIRS = {
  'empty vs empty': ['', ''],
  'empty vs text': ['', 'a\nb\n'],
  'text vs empty': ['a\nb\n', ''],
  identical: ['a\nb\nc\n', 'a\nb\nc\n'],
  'no final newline on the old side': ['a\nb', 'a\nb\n'],
  'no final newline on the new side': ['a\nb\n', 'a\nb'],
  'no final newline on either side': ['a\nb', 'a\nc'],
  'CRLF edit': ['a\r\nb\r\nc\r\n', 'a\r\nB\r\nc\r\n'],
  'CRLF against LF': ['a\r\nb\r\n', 'a\nb\n'],
  'lone CR inside lines': ['a\rb\nc\n', 'a\rb\nd\n'],
  'lone surrogates': ['x\ud800\ny\n', 'x\udc00\ny\n'],
  'surrogate pairs and combining marks': ['e\u0301\n\u{1F600}\n', 'e\u0301\n\u{1F601}\n'],
  'only newlines': ['\n\n\n', '\n\n'],
  'whitespace-only change': ['  a\n\tb\n', 'a \n\tb\n'],
  'repeated lines': ['x\nx\nx\nx\n', 'x\ny\nx\nx\nx\nx\n'],
};

for (const [name, [oldText, newText]] of Object.entries(PAIRS)) {
  test(`${name}: every function agrees with jsdiff`, () => {
    assertNativeLoaded();
    for (const context of [0, 1, 4]) {
      assert.equal(diffRs.diffUnified(oldText, newText, context), fallback.diffUnified(oldText, newText, context));
    }
    assert.deepEqual(diffRs.diffLines(oldText, newText), fallback.diffLines(oldText, newText));
    const patch = fallback.diffUnified(oldText, newText);
    assert.deepEqual(outcome(() => diffRs.applyPatch(oldText, patch)), outcome(() => fallback.applyPatch(oldText, patch)));
    assert.equal(diffRs.reversePatch(patch), fallback.reversePatch(patch));
  });
}

test('file names that need quoting and headers print as jsdiff prints them', () => {
  assertNativeLoaded();
  for (const [oldName, newName, oldHeader, newHeader] of [
    ['same.txt', 'same.txt', undefined, undefined],
    ['a b\t.txt', 'ü/"q"\\.txt', '2024-01-01', 'rev 2'],
    ['x\ud800', 'y', undefined, undefined],
    ['a', 'b', '', undefined],
    ['a', 'b', null, null],
  ]) {
    assert.equal(
      diffRs.createTwoFilesPatch(oldName, newName, 'a\n', 'b\n', oldHeader, newHeader),
      fallback.createTwoFilesPatch(oldName, newName, 'a\n', 'b\n', oldHeader, newHeader),
    );
  }
});

test('options the engine does not implement are honoured through jsdiff', () => {
  assertNativeLoaded();
  const args = ['a', 'b', 'x \ny\n', 'x\nY\n', undefined, undefined];
  for (const options of [{ ignoreWhitespace: true }, { stripTrailingCr: true }, { context: -1 }, { context: 1.5 }, { ignoreCase: true }]) {
    assert.equal(diffRs.createTwoFilesPatch(...args, options), fallback.createTwoFilesPatch(...args, options));
  }
  assert.equal(diffRs.diffUnified('a\nb\n', 'a\nc\n', 2.5), fallback.diffUnified('a\nb\n', 'a\nc\n', 2.5));
});

test('50 MB inputs diff, apply and reverse like jsdiff', () => {
  assertNativeLoaded();
  const line = 'const value = computeSomethingReasonablyLong(argument, 12345);\n';
  const oldText = line.repeat(Math.ceil(50e6 / line.length));
  const lines = oldText.split('\n');
  lines[10] = 'changed near the start';
  lines[lines.length - 100] = 'changed near the end';
  const newText = lines.join('\n');
  const patch = diffRs.diffUnified(oldText, newText);
  assert.equal(patch, fallback.diffUnified(oldText, newText));
  assert.equal(diffRs.applyPatch(oldText, patch), newText);
  assert.equal(diffRs.applyPatch(newText, diffRs.reversePatch(patch)), oldText);
});

test('a non-string argument is a TypeError naming the argument', () => {
  const calls = {
    'diffUnified: oldText': () => diffRs.diffUnified(1, ''),
    'diffUnified: newText': () => diffRs.diffUnified('', null),
    'diffLines: newText': () => diffRs.diffLines('', undefined),
    'createTwoFilesPatch: oldFileName': () => diffRs.createTwoFilesPatch(undefined, 'b', '', ''),
    'createTwoFilesPatch: newStr': () => diffRs.createTwoFilesPatch('a', 'b', '', Buffer.from('x')),
    'createTwoFilesPatch: oldHeader': () => diffRs.createTwoFilesPatch('a', 'b', '', '', 3),
    'applyPatch: patch': () => diffRs.applyPatch('', {}),
    'reversePatch: patch': () => diffRs.reversePatch([]),
  };
  for (const [prefix, call] of Object.entries(calls)) {
    assert.throws(call, (error) => error instanceof TypeError && error.message.startsWith(prefix), prefix);
  }
});

test('a patch that does not apply, or is malformed, fails with jsdiff-identical errors naming the hunk', () => {
  assertNativeLoaded();
  const patch = fallback.diffUnified('a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n', 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nK\nl\n', 1);
  const malformed = [
    patch.replace('@@ -1,3 +1,3 @@', '@@ -1,4 +1,3 @@'),
    patch.replace(' c\n', '?c\n'),
    patch + '+extra\n',
    '--- a\n@@ -1 +1 @@\n-x\n+y\n',
  ];
  for (const [original, text] of [
    ['a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nX\nl\n', patch],
    ['totally different\n', patch],
    ...malformed.map((text) => ['a\nb\nc\n', text]),
  ]) {
    const native = outcome(() => diffRs.applyPatch(original, text));
    assert.ok(native.error, `expected an error for ${JSON.stringify(text)}`);
    assert.deepEqual(native, outcome(() => fallback.applyPatch(original, text)));
    assert.match(native.error.message, /hunk|Hunk|header/);
  }
});

test('the async forms give the sync results and reject bad arguments with the same TypeError', async () => {
  assertNativeLoaded();
  const oldText = 'a\nb\nc\n'.repeat(2000);
  const newText = oldText.replace('b\nc\na', 'b\nX\na');
  assert.equal(await diffRs.diffUnifiedAsync(oldText, newText, 2), fallback.diffUnified(oldText, newText, 2));
  assert.equal(
    await diffRs.createTwoFilesPatchAsync('o', 'n', oldText, newText, 'h1', 'h2', { context: 1 }),
    fallback.createTwoFilesPatch('o', 'n', oldText, newText, 'h1', 'h2', { context: 1 }),
  );
  assert.equal(
    await diffRs.createTwoFilesPatchAsync('o', 'n', 'x \n', 'x\n', undefined, undefined, { ignoreWhitespace: true }),
    fallback.createTwoFilesPatch('o', 'n', 'x \n', 'x\n', undefined, undefined, { ignoreWhitespace: true }),
  );
  await assert.rejects(diffRs.diffUnifiedAsync('', 7), (error) => error instanceof TypeError && /newText/.test(error.message));
  await assert.rejects(diffRs.createTwoFilesPatchAsync('o', 'n', null, ''), /createTwoFilesPatchAsync: oldStr/);
});

test('error messages quote bad input exactly, lone surrogates included', () => {
  assertNativeLoaded();
  for (const patch of ['@@ -1,2 +1,2 @@\n a\nx\ud800\n', '--- old\ud800name\n@@ -1 +1 @@\n-a\n+b\n']) {
    const native = outcome(() => diffRs.applyPatch('a\n', patch));
    assert.ok(native.error, JSON.stringify(patch));
    assert.deepEqual(native, outcome(() => fallback.applyPatch('a\n', patch)));
    assert.deepEqual(outcome(() => diffRs.reversePatch(patch)), outcome(() => fallback.reversePatch(patch)));
  }
});

test('repeated calls with large results do not grow memory', async () => {
  assertNativeLoaded();
  const oldText = 'const value = compute(argument, 12345);\n'.repeat(10_000);
  const newText = oldText.replace('12345);\nconst', '54321);\nconst');
  const patch = diffRs.diffUnified(oldText, newText);
  const run = (times) => {
    for (let i = 0; i < times; i++) assert.equal(diffRs.applyPatch(oldText, patch).length, newText.length);
  };
  run(50);
  await new Promise((resolve) => setImmediate(resolve));
  const before = process.memoryUsage().rss;
  run(400); // 400 results of 800 KB each: 320 MB if none were released
  await new Promise((resolve) => setImmediate(resolve));
  const grownMb = (process.memoryUsage().rss - before) / 1e6;
  assert.ok(grownMb < 120, `RSS grew by ${grownMb.toFixed(0)} MB over 400 calls`);
});

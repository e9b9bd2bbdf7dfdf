// Bad input: the same TypeError / RangeError, with the same message, on both paths (the checks
// are one piece of JavaScript, args.js); and the raw binding itself throws, never crashes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNativeLoaded, fallback, outcome, tokenizerRs } from './support.mjs';

const native = assertNativeLoaded();

const CALLS = {
  'countTokens(5)': (t) => t.countTokens(5, 'gpt-4o'),
  'countTokens(null)': (t) => t.countTokens(null),
  'countTokens(String object)': (t) => t.countTokens(new String('x')),
  'countTokens(text, 7)': (t) => t.countTokens('x', 7),
  'countTokensBatch("x")': (t) => t.countTokensBatch('x', 'gpt-4o'),
  'countTokensBatch(undefined)': (t) => t.countTokensBatch(undefined),
  'countTokensBatch([..., 3])': (t) => t.countTokensBatch(['a', 'b', 3], 'gpt-4o'),
  'countTokensBatch([..., hole])': (t) => t.countTokensBatch(['a', , 'c'], 'gpt-4o'), // eslint-disable-line no-sparse-arrays
  'compressContext(not an array)': (t) => t.compressContext({ length: 1 }, 10, 0),
  'compressContext([null])': (t) => t.compressContext([null], 10, 0),
  'compressContext(content 5)': (t) => t.compressContext([{ role: 'user', content: 5 }], 10, 0),
  'compressContext(toolCalls {})': (t) => t.compressContext([{ role: 'assistant', toolCalls: {} }], 10, 0),
  'compressContext(toolResults [1])': (t) => t.compressContext([{ role: 'tool', toolResults: [1] }], 10, 0),
  'compressContext(maxTokens -1)': (t) => t.compressContext([], -1, 0),
  'compressContext(maxTokens 1.5)': (t) => t.compressContext([], 1.5, 0),
  'compressContext(maxTokens NaN)': (t) => t.compressContext([], NaN, 0),
  'compressContext(maxTokens Infinity)': (t) => t.compressContext([], Infinity, 0),
  'compressContext(maxTokens "10")': (t) => t.compressContext([], '10', 0),
  'compressContext(preserveLastN -2)': (t) => t.compressContext([], 10, -2),
  'compressContext(preserveLastN 0.5)': (t) => t.compressContext([], 10, 0.5),
  'compressContext(preserveLastN undefined)': (t) => t.compressContext([], 10),
  'compressContext(model 1)': (t) => t.compressContext([], 10, 0, 1),
  'compressPayloadZstd(level 0)': (t) => t.compressPayloadZstd('x', 0, 0),
  'compressPayloadZstd(level 23)': (t) => t.compressPayloadZstd('x', 0, 23),
  'compressPayloadZstd(level 2.5)': (t) => t.compressPayloadZstd('x', 0, 2.5),
  'compressPayloadZstd(level -1)': (t) => t.compressPayloadZstd('x', 0, -1),
  'compressPayloadZstd(level "3")': (t) => t.compressPayloadZstd('x', 0, '3'),
  'compressPayloadZstd(minBytes -1)': (t) => t.compressPayloadZstd('x', -1),
  'compressPayloadZstd(minBytes NaN)': (t) => t.compressPayloadZstd('x', NaN),
  'compressPayloadZstd(minBytes undefined)': (t) => t.compressPayloadZstd('x'),
  'decompressPayloadZstd("x")': (t) => t.decompressPayloadZstd('x'),
  'estimateJsonTokens(model {})': (t) => t.estimateJsonTokens(1, {}),
};

test('every bad argument gets the same clear error on both paths', () => {
  for (const [name, call] of Object.entries(CALLS)) {
    const got = outcome(() => call(native));
    assert.ok(got.error, `${name} must throw, returned ${JSON.stringify(got.value)}`);
    assert.match(got.error.name, /^(TypeError|RangeError)$/, name);
    assert.match(got.error.message, /^[a-zA-Z]+: \S+/, `${name}: the message names the function and argument`);
    assert.deepEqual(outcome(() => call(fallback)), got, name);
  }
  assert.match(outcome(() => native.compressPayloadZstd('x', 0, 23)).error.message, /level must be an integer from 1 to 22, got 23/);
  assert.match(outcome(() => native.countTokensBatch(['a', 3])).error.message, /texts\[1\] must be a string, got number/);
  assert.match(outcome(() => native.compressContext([], -1, 0)).error.message, /maxTokens must be a non-negative integer, got -1/);
});

test('the raw binding throws on misuse instead of crashing', () => {
  const { path } = tokenizerRs.describeBinding();
  const module = { exports: {} };
  process.dlopen(module, path); // the same library the package loaded: this returns its exports again
  const raw = module.exports;
  const misuse = [
    () => raw.countTokens(5, 'cl100k_base'),
    () => raw.countTokens('x', 'no_such_encoding'),
    () => raw.countTokens('x'),
    () => raw.countTokensBatch('x', 'cl100k_base'),
    () => raw.countTokensBatch([1], 'cl100k_base'),
    () => raw.countTokensBatch(['a'], 'gpt-4o'),
    () => raw.zstdCompress('not bytes', 3),
    () => raw.zstdCompress(new Uint8Array(4), 1000),
    () => raw.zstdDecompress('not bytes', 10),
  ];
  for (const call of misuse) assert.throws(call, Error, String(call));
  assert.match(outcome(() => raw.countTokens('x', 'gpt-4o')).error.message, /unknown encoding `gpt-4o`/);
  assert.equal(raw.zstdDecompress(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]), NaN), null);
});

// The bad and odd inputs the issue names: dimension mismatch, zero and empty vectors, NaN and
// Infinity, Float64Array and other typed arrays, non-vectors, and the loader's switches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertNativeLoaded, fallback, outcome, vectors } from './support.mjs';

const FUNCTIONS = ['cosineSimilarity', 'euclideanDistance'];
const MISMATCH = { name: 'Error', message: 'Vectors must have same dimension' };

function sameOutcome(name, a, b) {
  const actual = outcome(() => vectors[name](a, b));
  const expected = outcome(() => fallback[name](a, b));
  if ('value' in expected && typeof expected.value === 'number') {
    assert.ok('value' in actual, `${name}: threw ${JSON.stringify(actual.error)}, fallback returned ${expected.value}`);
    assert.ok(
      Object.is(actual.value, expected.value) || Math.abs(actual.value - expected.value) < 1e-12,
      `${name}: ${actual.value} vs ${expected.value}`,
    );
  } else {
    assert.deepEqual(actual, expected, name);
  }
  return actual;
}

test('different dimensions throw Error("Vectors must have same dimension") in every form', () => {
  assertNativeLoaded();
  const pairs = [
    [new Float32Array(3), new Float32Array(4)],
    [new Float64Array(2), new Float64Array(0)],
    [[1, 2], [1, 2, 3]],
    [new Float32Array(5), [1, 2]],
    [new Int8Array(3), new Float32Array(2)],
  ];
  for (const name of FUNCTIONS) {
    for (const [a, b] of pairs) {
      assert.deepEqual(outcome(() => vectors[name](a, b)), { error: MISMATCH }, `${name}(${a.constructor.name}, ${b.constructor.name})`);
    }
  }
  assert.deepEqual(outcome(() => vectors.cosineSimilarityBatch([1, 2], [[1, 2], [1]])), { error: MISMATCH });
  assert.deepEqual(outcome(() => vectors.cosineSimilarityBatch(new Float32Array(2), [new Float32Array(3)])), { error: MISMATCH });
  const thrown = outcome(() => vectors.cosineSimilarity(new Float32Array(1), new Float32Array(2)));
  assert.equal(thrown.error.name, 'Error');
});

test('zero magnitude gives 0, empty vectors give 0', () => {
  assertNativeLoaded();
  for (const [a, b] of [
    [new Float32Array(8), new Float32Array(8).fill(1)],
    [new Float32Array(1536), new Float32Array(1536)],
    [new Float64Array(3), [1, 2, 3]],
    [new Float32Array(0), new Float32Array(0)],
    [[], []],
  ]) {
    assert.equal(vectors.cosineSimilarity(a, b), 0);
    assert.equal(vectors.cosineSimilarity(b, a), 0);
    sameOutcome('euclideanDistance', a, b);
  }
});

test('NaN and Infinity give what the fallback gives', () => {
  assertNativeLoaded();
  const cases = [
    [[NaN, 1], [1, 1]],
    [[Infinity, 1], [1, 1]],
    [[Infinity, 0], [Infinity, 0]],
    [[Infinity, -Infinity], [1, 1]],
    [[-Infinity, 2], [0, 2]],
    [[1e200, 1e200], [1e200, 1e200]],
    [[1e-170, 1e-170], [1e-170, 3e-170]],
    [[1.7976931348623157e308, 0], [-1.7976931348623157e308, 0]],
  ];
  for (const [a, b] of cases) {
    for (const make of [(v) => v, (v) => Float64Array.from(v), (v) => Float32Array.from(v)]) {
      for (const name of FUNCTIONS) sameOutcome(name, make(a), make(b));
    }
  }
  assert.ok(Number.isNaN(vectors.cosineSimilarity(new Float32Array([NaN, 1]), new Float32Array([1, 1]))));
  assert.equal(vectors.euclideanDistance(new Float32Array([Infinity]), new Float32Array([0])), Infinity);
});

test('Float64Array and the other numeric typed arrays are accepted, converted exactly', () => {
  assertNativeLoaded();
  const values = [3, -1, 4, 1, -5, 9, 2, 6];
  for (const Type of [Float64Array, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array]) {
    const a = Type.from(values);
    const b = Type.from(values.map((x) => x * 2 - 3));
    for (const name of FUNCTIONS) {
      sameOutcome(name, a, b);
      sameOutcome(name, a, Float32Array.from(b));
    }
  }
});

test('BigInt arrays, non-vectors and arrays holding non-numbers behave exactly as in the fallback', () => {
  assertNativeLoaded();
  const odd = [
    [new BigInt64Array(2), new BigInt64Array(2)],
    [null, [1]],
    [undefined, [1]],
    ['ab', 'cd'],
    [[1, '2'], [3, 4]],
    [[1, , 3], [1, 2, 3]], // eslint-disable-line no-sparse-arrays
    [[1, { valueOf: () => 2 }], [3, 4]],
    [{ length: 2, 0: 1, 1: 2 }, [1, 2]],
    [[1n, 2n], [1n, 2n]],
  ];
  for (const [a, b] of odd) {
    for (const name of FUNCTIONS) sameOutcome(name, a, b);
    assert.deepEqual(outcome(() => vectors.cosineSimilarityBatch(a, [b])), outcome(() => fallback.cosineSimilarityBatch(a, [b])));
  }
  assert.deepEqual(outcome(() => vectors.cosineSimilarityBatch([1], 'x')), outcome(() => fallback.cosineSimilarityBatch([1], 'x')));
  assert.deepEqual(vectors.cosineSimilarityBatch([1, 2], []), []);
});

test('views into larger and shared buffers are read at their own offset', () => {
  assertNativeLoaded();
  const backing = new Float32Array(64).map((_, i) => Math.sin(i));
  const a = backing.subarray(3, 35);
  const b = backing.subarray(30, 62);
  sameOutcome('cosineSimilarity', a, b);
  sameOutcome('euclideanDistance', a, b);
  const shared = new Float32Array(new SharedArrayBuffer(32 * 4)).map((_, i) => i - 7);
  sameOutcome('cosineSimilarity', shared, b);
  const unaligned = new Float32Array(new ArrayBuffer(4 * 33), 4, 32);
  unaligned.set(b);
  sameOutcome('cosineSimilarity', unaligned, a);
});

test('the raw exports refuse views they cannot read as their element type (odd size, misaligned, not a view)', () => {
  assertNativeLoaded();
  const { path } = vectors.describeBinding();
  const module = { exports: {} };
  process.dlopen(module, path);
  const raw = module.exports;
  const bytes = new Uint8Array(new ArrayBuffer(16), 1, 8);
  assert.throws(() => raw.cosineSimilarityF32(bytes, bytes), { name: 'TypeError', message: /must be a Float32Array/ });
  assert.throws(() => raw.cosineSimilarityF64(new Float32Array(3), new Float32Array(3)), { name: 'TypeError' });
  assert.throws(() => raw.cosineSimilarityF32({}, []), { name: 'TypeError' });
  assert.throws(() => raw.cosineSimilarityF32(new Float32Array(2)), { name: 'TypeError', message: /expected 2 arguments/ });
  assert.throws(() => raw.cosineSimilarity(new Int8Array(2), new Int8Array(2)), /Float32Array or Float64Array/);
  assert.throws(() => raw.cosineSimilarityBatch(new Float32Array(2), [new Float32Array(2)], new Float64Array(5)), /slots/);
  const q = new Float32Array(2);
  assert.throws(() => raw.cosineSimilarityBatchF32(q, [new Float32Array(2)], new Float64Array(5)), { name: 'TypeError', message: /slots/ });
  assert.throws(() => raw.cosineSimilarityBatchF32(q, 'x', new Float64Array(1)), { name: 'TypeError' });
  assert.throws(() => raw.cosineSimilarityBatchF32(q, [bytes], new Float64Array(1)), { name: 'TypeError' });
  assert.throws(() => raw.cosineSimilarityBatchF32(q, [new Float32Array(3)], new Float64Array(1)), { message: 'Vectors must have same dimension' });
  // A large batch is scored by helper threads while targets are still being read: a bad target
  // half-way through must still end in an exception, with the helpers joined, not a crash.
  const dimension = 512;
  const targets = Array.from({ length: 4096 }, () => new Float32Array(dimension).fill(0.5));
  targets[3000] = new Uint8Array(new ArrayBuffer(dimension * 4 + 1), 1, dimension * 4);
  assert.throws(() => raw.cosineSimilarityBatchF32(new Float32Array(dimension), targets, new Float64Array(4096)), { name: 'TypeError' });
  targets[3000] = new Float32Array(dimension + 1);
  assert.throws(() => raw.cosineSimilarityBatchF32(new Float32Array(dimension), targets, new Float64Array(4096)), {
    message: 'Vectors must have same dimension',
  });
  targets[3000] = new Float32Array(dimension).fill(2);
  const out = new Float64Array(4096);
  raw.cosineSimilarityBatchF32(new Float32Array(dimension).fill(1), targets, out);
  assert.ok(out.every((score) => Math.abs(score - 1) < 1e-12));
});

test('describeBinding says which implementation runs and which kernels', () => {
  assertNativeLoaded();
  const described = vectors.describeBinding();
  assert.equal(typeof described.path, 'string');
  assert.ok(Array.isArray(described.checked));
  assert.match(described.simd.isa, /^(avx512|avx2\+fma|neon|portable)$/);
  assert.ok(described.simd.threads >= 1);
});

const PACKAGE_INDEX = fileURLToPath(new URL('../index.js', import.meta.url));

function runWithEnv(env, script) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

test('KU0_VECTOR_SIMILARITY_DISABLE_NATIVE=1 forces the fallback, which gives the same answers', () => {
  const child = runWithEnv(
    { KU0_VECTOR_SIMILARITY_DISABLE_NATIVE: '1' },
    `import * as v from ${JSON.stringify(PACKAGE_INDEX)};
     const s = new v.VectorStore(2); s.add([1, 0]); s.add([0, 1]);
     console.log(JSON.stringify({ d: v.describeBinding(), c: v.cosineSimilarity([1, 2], [2, 1]), s: s.search([1, 0.1], 1) }));`,
  );
  assert.equal(child.status, 0, child.stderr);
  const { d, c, s } = JSON.parse(child.stdout);
  assert.equal(d.implementation, 'fallback');
  assert.equal(d.simd, null);
  assert.equal(c, 0.7999999999999998);
  assert.deepEqual(s, [{ index: 0, score: 1 / Math.sqrt(1.01) }]);
});

test('a KU0_VECTOR_SIMILARITY_NATIVE_PATH that does not load is an error naming the variable', () => {
  const child = runWithEnv({ KU0_VECTOR_SIMILARITY_NATIVE_PATH: '/nonexistent/vector.node' }, `await import(${JSON.stringify(PACKAGE_INDEX)});`);
  assert.notEqual(child.status, 0);
  assert.match(child.stderr, /KU0_VECTOR_SIMILARITY_NATIVE_PATH/);
  assert.match(child.stderr, /\/nonexistent\/vector\.node/);
});

// Native and fallback agree within the tolerance of oracle/CONTRACTS.md, and exactly on NaN,
// infinities and zero magnitudes: the same calls on random vectors, one process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  agrees,
  assertNativeLoaded,
  fallback,
  norm,
  randomDimension,
  randomVector,
  rng,
  tolerance,
  vectors,
} from './support.mjs';

const CASES = 400;

test('the native binding is the one under test', () => {
  assertNativeLoaded();
});

/** The same pair as Float32Array, number[], Float64Array and mixed, as the API accepts it. */
function forms(a, b) {
  return [
    ['Float32Array', a, b],
    ['number[]', Array.from(a), Array.from(b)],
    ['Float64Array', Float64Array.from(a), Float64Array.from(b)],
    ['Float32Array + number[]', a, Array.from(b)],
    ['Float64Array + Float32Array', Float64Array.from(a), b],
  ];
}

function checkPair(a, b, replay) {
  const n = a.length;
  for (const [form, x, y] of forms(a, b)) {
    const where = `${form}; ${replay}`;
    const cosine = [vectors.cosineSimilarity(x, y), fallback.cosineSimilarity(x, y)];
    assert.ok(agrees(...cosine, tolerance(n)), `cosine ${cosine.join(' vs ')}; ${where}`);
    const distance = [vectors.euclideanDistance(x, y), fallback.euclideanDistance(x, y)];
    assert.ok(agrees(...distance, tolerance(n) * distance[1]), `euclidean ${distance.join(' vs ')}; ${where}`);
  }
}

test(`cosineSimilarity and euclideanDistance agree on ${CASES} random pairs of every style and form`, () => {
  assertNativeLoaded();
  const random = rng(0x5eed);
  for (let i = 0; i < CASES; i++) {
    const n = randomDimension(random);
    const a = randomVector(random, n);
    const b = randomVector(random, n);
    checkPair(a, b, `case ${i}, dimension ${n}`);
  }
});

test('number[] and Float64Array inputs keep every double: values no float32 can hold', () => {
  assertNativeLoaded();
  const random = rng(0xd0b1e);
  for (let i = 0; i < 200; i++) {
    const n = randomDimension(random);
    const scale = 10 ** (random.int(640) - 330);
    const a = Array.from({ length: n }, () => (random() * 2 - 1) * scale);
    const b = Array.from({ length: n }, () => (random() * 2 - 1) * scale);
    const replay = `case ${i}, dimension ${n}, scale ${scale}`;
    for (const [x, y] of [[a, b], [Float64Array.from(a), Float64Array.from(b)]]) {
      const cosine = [vectors.cosineSimilarity(x, y), fallback.cosineSimilarity(x, y)];
      assert.ok(agrees(...cosine, tolerance(n)), `cosine ${cosine.join(' vs ')}; ${replay}`);
      const distance = [vectors.euclideanDistance(x, y), fallback.euclideanDistance(x, y)];
      assert.ok(agrees(...distance, tolerance(n) * distance[1]), `euclidean ${distance.join(' vs ')}; ${replay}`);
    }
  }
});

test('the error stays tiny: measured against the bound on ordinary 1,536-d embeddings', () => {
  assertNativeLoaded();
  const random = rng(0xe4404);
  let worst = 0;
  for (let i = 0; i < 300; i++) {
    const a = randomVector(random, 1536, 'ordinary');
    const b = randomVector(random, 1536, 'ordinary');
    worst = Math.max(worst, Math.abs(vectors.cosineSimilarity(a, b) - fallback.cosineSimilarity(a, b)));
  }
  // Summation order alone: a few units in the 16th digit, far inside the 7.7e-13 bound.
  assert.ok(worst < tolerance(1536), `worst cosine difference ${worst}`);
  assert.ok(worst < 1e-14, `worst cosine difference ${worst} is larger than f64 summation explains`);
});

test(`cosineSimilarityBatch agrees with the fallback's batch on ${CASES / 4} random batches`, () => {
  assertNativeLoaded();
  const random = rng(0xba7c4);
  for (let i = 0; i < CASES / 4; i++) {
    const n = randomDimension(random);
    const query = randomVector(random, n);
    const targets = Array.from({ length: random.int(40) }, () => {
      const v = randomVector(random, n);
      return random.pick([v, v, Array.from(v), Float64Array.from(v), new Int16Array(n).map(() => random.int(200) - 100)]);
    });
    const q = random() < 0.8 ? query : Array.from(query);
    const actual = vectors.cosineSimilarityBatch(q, targets);
    const expected = fallback.cosineSimilarityBatch(q, targets);
    assert.ok(Array.isArray(actual), 'a batch returns a plain array');
    assert.equal(actual.length, expected.length);
    actual.forEach((score, t) => {
      assert.ok(agrees(score, expected[t], tolerance(n)), `case ${i} target ${t}: ${score} vs ${expected[t]}`);
    });
  }
});

test('a batch large enough to use both cores agrees with the fallback', () => {
  assertNativeLoaded();
  const random = rng(0x2c0e5);
  const query = randomVector(random, 768, 'ordinary');
  const targets = Array.from({ length: 1500 }, () => randomVector(random, 768, 'ordinary'));
  targets[700] = randomVector(random, 768, 'special');
  const actual = vectors.cosineSimilarityBatch(query, targets);
  const expected = fallback.cosineSimilarityBatch(query, targets);
  actual.forEach((score, t) => assert.ok(agrees(score, expected[t], tolerance(768)), `target ${t}: ${score} vs ${expected[t]}`));
});

test('scores are true cosines: a vector against itself, its negation and a scaled copy', () => {
  assertNativeLoaded();
  const random = rng(7);
  for (let i = 0; i < 50; i++) {
    const v = randomVector(random, 1 + random.int(2000), 'ordinary');
    const scaled = v.map((x) => x * 4);
    const negated = v.map((x) => -x);
    assert.ok(Math.abs(vectors.cosineSimilarity(v, v) - 1) < 1e-12);
    assert.ok(Math.abs(vectors.cosineSimilarity(v, scaled) - 1) < 1e-12);
    assert.ok(Math.abs(vectors.cosineSimilarity(v, negated) + 1) < 1e-12);
    assert.equal(vectors.euclideanDistance(v, v), 0);
    assert.ok(Math.abs(vectors.euclideanDistance(v, negated) - 2 * norm(v)) < 1e-9 * norm(v));
  }
});

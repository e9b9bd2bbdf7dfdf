// Shared by the @ku0/vector-similarity-rs suites: the package under test, its fallback, seeded
// vectors of every kind the contract covers, and the tolerance comparisons of oracle/CONTRACTS.md.
import assert from 'node:assert/strict';
import * as vectors from '../index.js';
import * as fallback from '../fallback.js';
import { assertNativeLoaded as assertNativeBinding } from '@ku0/native-bindings/test-support';

export { vectors, fallback };
export { rng, randomVector, randomDimension, STYLES } from '../../../corpora/vectors/random.mjs';

/** The suites compare native with fallback: running without the native binding proves nothing. */
export function assertNativeLoaded() {
  assertNativeBinding(vectors, 'or set KU0_VECTOR_SIMILARITY_NATIVE_PATH');
}

/** The bound of oracle/CONTRACTS.md: 5e-16 · max(dimension, 16), 2.0e-12 at 4,096. */
export function tolerance(dimension) {
  return 5e-16 * Math.max(dimension, 16);
}

/** `actual` equals `expected` within `bound`, or both are the same special value. */
export function agrees(actual, expected, bound) {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return expected === actual;
  return Math.abs(actual - expected) <= bound;
}

/** `sqrt(Σ x²)` scaled by the largest magnitude, so that tiny and huge vectors keep their norm. */
export function norm(v) {
  let largest = 0;
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) return NaN;
    largest = Math.max(largest, Math.abs(v[i]));
  }
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] / largest) ** 2;
  return largest * Math.sqrt(s);
}

/** The absolute bound of a score of `metric` between `query` and `row` (see CONTRACTS.md). */
export function scoreBound(metric, query, row, expected) {
  const scale = metric === 'cosine' ? 1 : metric === 'dot' ? norm(query) * norm(row) : Math.abs(expected);
  return bounded(tolerance(query.length), scale);
}

/** `tolerance · scale`, or 0 where the scale overflows: the engine then runs the fallback's own loop. */
export function bounded(base, scale) {
  const bound = base * scale;
  return Number.isFinite(bound) ? bound : 0;
}

/**
 * Native top-k against the fallback's: same length; each position's score within the bound; an
 * index listed elsewhere only where its own score ties with the fallback's there (within the bound).
 */
export function assertSameRanking(actual, expected, { metric, query, rowOf, replay }) {
  assert.equal(actual.length, expected.length, `result count; ${replay}`);
  const scoreOf = (index) => fallbackScore(metric, query, rowOf(index));
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    const bound = scoreBound(metric, query, rowOf(e.index), e.score);
    assert.ok(agrees(a.score, e.score, bound), `position ${i}: ${JSON.stringify(a)} vs ${JSON.stringify(e)}; ${replay}`);
    if (a.index !== e.index) {
      assert.ok(
        agrees(scoreOf(a.index), e.score, bound),
        `position ${i}: index ${a.index} listed where ${e.index} should be, and their scores do not tie; ${replay}`,
      );
    }
  }
}

/** The fallback store's score of one row, for tie checks. */
function fallbackScore(metric, query, row) {
  const store = new fallback.VectorStore(row.length || 1);
  store.add(row);
  return store.search(query, 1, metric)[0].score;
}

/** Runs `fn` and returns its value or the error it threw, so that outcomes compare as data. */
export function outcome(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
}

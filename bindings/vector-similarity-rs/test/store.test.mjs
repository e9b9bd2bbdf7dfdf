// VectorStore: the native-backed store against the fallback store, operation by operation:
// the same rows, the same rankings (within the tolerance, ties excepted), the same errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNativeLoaded, assertSameRanking, fallback, outcome, randomVector, rng, STYLES, vectors } from './support.mjs';

const METRICS = ['cosine', 'dot', 'euclidean'];

function pairOfStores(dimension) {
  return [new vectors.VectorStore(dimension), new fallback.VectorStore(dimension)];
}

test('the exported VectorStore is the native-backed one', () => {
  assertNativeLoaded();
  assert.notEqual(vectors.VectorStore, fallback.VectorStore);
});

test('random stores rank like the fallback store for every metric, k and query form', () => {
  assertNativeLoaded();
  const random = rng(0x570e);
  for (let i = 0; i < 120; i++) {
    const dimension = 1 + (random() < 0.7 ? random.int(40) : random.int(1600));
    const [store, reference] = pairOfStores(dimension);
    const rowCount = random.int(70);
    const rows = [];
    while (rows.length < rowCount) {
      // Repeated rows make exact ties, which must list the lower index first.
      const row = rows.length > 0 && random() < 0.1 ? rows[random.int(rows.length)] : randomVector(random, dimension, random.pick(STYLES));
      rows.push(row);
    }
    if (random() < 0.5) {
      rows.forEach((row) => {
        const form = random.pick([row, Array.from(row), Float64Array.from(row)]);
        assert.equal(store.add(form), reference.add(form));
      });
    } else {
      const flat = new Float32Array(rowCount * dimension);
      rows.forEach((row, r) => flat.set(row, r * dimension));
      assert.equal(store.addFlat(flat), reference.addFlat(flat));
    }
    assert.equal(store.size, rowCount);
    const query = randomVector(random, dimension, random.pick(STYLES));
    const q = random.pick([query, Array.from(query), Float64Array.from(query)]);
    for (const metric of METRICS) {
      const k = random.pick([0, 1, 3, 10, rowCount, rowCount + 5, Infinity]);
      const replay = `case ${i}, dimension ${dimension}, ${rowCount} rows, k ${k}, ${metric}`;
      assertSameRanking(store.search(q, k, metric), reference.search(q, k, metric), {
        metric,
        query: Float64Array.from(q),
        rowOf: (index) => rows[index],
        replay,
      });
    }
  }
});

test('a store past the parallel threshold ranks like the fallback store', () => {
  assertNativeLoaded();
  const random = rng(0xb16);
  const dimension = 1100;
  const rowCount = 1000; // 1.1M values: scanned on every core
  const flat = new Float32Array(rowCount * dimension).map(() => random() * 2 - 1);
  const store = vectors.VectorStore.fromFlat(flat, dimension);
  const reference = fallback.VectorStore.fromFlat(flat, dimension);
  const query = flat.slice(17 * dimension, 18 * dimension);
  for (const metric of METRICS) {
    const hits = store.search(query, 25, metric);
    assertSameRanking(hits, reference.search(query, 25, metric), {
      metric,
      query,
      rowOf: (index) => flat.subarray(index * dimension, (index + 1) * dimension),
      replay: metric,
    });
    if (metric !== 'dot') assert.equal(hits[0].index, 17);
  }
});

test('defaults: k = 10, metric = cosine; results are plain { index, score } objects', () => {
  assertNativeLoaded();
  const store = new vectors.VectorStore(2);
  for (let i = 0; i < 15; i++) store.add([Math.cos(i / 10), Math.sin(i / 10)]);
  const hits = store.search([1, 0]);
  assert.equal(hits.length, 10);
  assert.deepEqual(Object.keys(hits[0]), ['index', 'score']);
  assert.deepEqual(hits.map((h) => h.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(hits[0].score, 1);
});

test('an empty store returns [] and k beyond the size returns every row', () => {
  assertNativeLoaded();
  const [store, reference] = pairOfStores(3);
  assert.deepEqual(store.search([1, 2, 3], 5), []);
  store.add([1, 0, 0]);
  reference.add([1, 0, 0]);
  assert.deepEqual(store.search([1, 2, 3], 1000), reference.search([1, 2, 3], 1000));
  assert.equal(store.search([1, 2, 3], Infinity).length, 1);
});

test('get returns a copy of the stored (float32) row; clear empties the store', () => {
  assertNativeLoaded();
  const [store, reference] = pairOfStores(3);
  for (const s of [store, reference]) s.addFlat([0.1, 0.2, 0.3, 4, 5, 6]);
  assert.deepEqual(store.get(0), reference.get(0));
  assert.deepEqual(store.get(0), Float32Array.from([0.1, 0.2, 0.3]));
  const copy = store.get(1);
  copy[0] = 99;
  assert.equal(store.get(1)[0], 4);
  store.clear();
  assert.equal(store.size, 0);
  assert.deepEqual(store.search([1, 1, 1], 3), []);
  assert.equal(store.add([1, 1, 1]), 0);
});

test('bad arguments throw the same errors in both stores, and add nothing', () => {
  assertNativeLoaded();
  const constructors = [0, -1, 1.5, NaN, '3', null, undefined, 2 ** 40];
  for (const dimension of constructors) {
    assert.deepEqual(outcome(() => new vectors.VectorStore(dimension)), outcome(() => new fallback.VectorStore(dimension)));
    assert.equal(outcome(() => new vectors.VectorStore(dimension)).error.name, 'RangeError', String(dimension));
  }
  const [store, reference] = pairOfStores(2);
  store.add([1, 2]);
  reference.add([1, 2]);
  const calls = [
    (s) => s.add([1]),
    (s) => s.add([1, '2']),
    (s) => s.add('ab'),
    (s) => s.add(null),
    (s) => s.add(new BigInt64Array(2)),
    (s) => s.addFlat([1, 2, 3]),
    (s) => s.addFlat({}),
    (s) => s.search([1]),
    (s) => s.search([1, 2], -1),
    (s) => s.search([1, 2], 1.5),
    (s) => s.search([1, 2], '3'),
    (s) => s.search([1, 2], 3, 'manhattan'),
    (s) => s.search([1, 2], 3, null),
    (s) => s.search(undefined),
    (s) => s.search([1], -1, 'nope'),
    (s) => s.get(1),
    (s) => s.get(-1),
    (s) => s.get(0.5),
  ];
  for (const call of calls) {
    const actual = outcome(() => call(store));
    assert.ok('error' in actual, `${call} must throw`);
    assert.deepEqual(actual, outcome(() => call(reference)), String(call));
  }
  assert.equal(store.size, 1, 'failed calls add no rows');
  assert.deepEqual(store.search([1, 2], 5), reference.search([1, 2], 5));
});

test('rows with NaN rank last; zero rows score 0 by cosine', () => {
  assertNativeLoaded();
  const [store, reference] = pairOfStores(2);
  for (const s of [store, reference]) {
    s.add([NaN, 1]);
    s.add([0, 0]);
    s.add([1, 1]);
    s.add([Infinity, 1]);
  }
  for (const metric of METRICS) {
    const actual = store.search([1, 1], 4, metric);
    const expected = reference.search([1, 1], 4, metric);
    assert.deepEqual(actual.map((h) => h.index), expected.map((h) => h.index), metric);
    actual.forEach((hit, i) => assert.ok(Object.is(hit.score, expected[i].score) || Math.abs(hit.score - expected[i].score) < 1e-12));
  }
});

test('many short-lived large stores are released without exhausting memory', () => {
  assertNativeLoaded();
  const flat = new Float32Array(256 * 1024).fill(0.5); // 1 MB
  for (let i = 0; i < 300; i++) {
    const store = vectors.VectorStore.fromFlat(flat, 256);
    assert.equal(store.size, 1024);
  }
});

test('searchMany ranks each query like the fallback store, by matrix product and one by one', () => {
  assertNativeLoaded();
  const random = rng(0x3a11);
  for (const [dimension, rowCount, queryCount] of [[33, 400, 20], [700, 1600, 17], [5, 40, 3]]) {
    const flat = new Float32Array(rowCount * dimension).map(() => random() * 2 - 1);
    const store = vectors.VectorStore.fromFlat(flat, dimension);
    const reference = fallback.VectorStore.fromFlat(flat, dimension);
    const queries = Array.from({ length: queryCount }, () => randomVector(random, dimension, random.pick(STYLES)));
    const asFlat = new Float32Array(queryCount * dimension);
    queries.forEach((q, i) => asFlat.set(q, i * dimension));
    for (const metric of METRICS) {
      const k = random.pick([1, 10, rowCount + 3]);
      const many = store.searchMany(random() < 0.5 ? queries : asFlat, k, metric);
      const expected = reference.searchMany(queries, k, metric);
      assert.equal(many.length, queryCount);
      many.forEach((hits, q) =>
        assertSameRanking(hits, expected[q], {
          metric,
          query: Float64Array.from(queries[q]),
          rowOf: (index) => flat.subarray(index * dimension, (index + 1) * dimension),
          replay: `${dimension}x${rowCount}, query ${q}, k ${k}, ${metric}`,
        }),
      );
    }
  }
});

test('searchMany: bad queries throw the same errors as the fallback; empty inputs give empty lists', () => {
  assertNativeLoaded();
  const [store, reference] = pairOfStores(2);
  store.add([1, 2]);
  reference.add([1, 2]);
  const calls = [
    (s) => s.searchMany([[1, 2], [1]]),
    (s) => s.searchMany([1, 2, 3]),
    (s) => s.searchMany([[1, 2], 'x']),
    (s) => s.searchMany(null),
    (s) => s.searchMany([[1, 2]], -1),
    (s) => s.searchMany([[1, 2]], 3, 'manhattan'),
  ];
  for (const call of calls) {
    const actual = outcome(() => call(store));
    assert.ok('error' in actual, `${call} must throw`);
    assert.deepEqual(actual, outcome(() => call(reference)), String(call));
  }
  assert.deepEqual(store.searchMany([]), []);
  assert.deepEqual(store.searchMany([[1, 2], [2, 1]], 0), [[], []]);
  assert.deepEqual(new vectors.VectorStore(2).searchMany([[1, 2]]), [[]]);
});

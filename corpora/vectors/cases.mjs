// The calls recorded for the vector-similarity track (oracle/js/vectors-record.mjs writes their
// fallback results to oracle/recordings/vectors/). Deterministic: fixed edge cases, then seeded
// random ones. Arguments are plain JS values (Float32Array, Float64Array, numbers, strings).
//
// Ops: `cosineSimilarity(a, b)`, `euclideanDistance(a, b)`, `cosineSimilarityBatch(query, targets)`,
// and `VectorStore.search(flat, dimension, searches)`: a store filled from a row-major Float32Array,
// then `search(query, k, metric)` for each `{ query, k, metric }`, returning every result list.

import { randomDimension, randomVector, rng, STYLES } from './random.mjs';

const f32 = (values) => Float32Array.from(values);
const f64 = (values) => Float64Array.from(values);
const ramp = (n, scale = 1, shift = 0) => Float32Array.from({ length: n }, (_, i) => (((i * 7919) % 113) - 56 + shift) * scale);

/** Hand-picked pairs: zeros, empties, special values, magnitudes at the edges, lane boundaries. */
function edgePairs() {
  const pairs = [
    ['zero-vs-ones', f32(new Array(8).fill(0)), f32(new Array(8).fill(1))],
    ['both-zero', f32([0, 0, 0]), f32([0, -0, 0])],
    ['empty', f32([]), f32([])],
    ['single', f32([2]), f32([-3])],
    ['orthogonal', f32([1, 0]), f32([0, 1])],
    ['identical', ramp(37, 0.1), ramp(37, 0.1)],
    ['opposite', ramp(37, 0.1), ramp(37, -0.1)],
    ['nan', f32([NaN, 1, 2]), f32([1, 1, 1])],
    ['infinity', f32([Infinity, 1]), f32([1, 1])],
    ['infinity-both', f32([Infinity, 0]), f32([Infinity, 0])],
    ['infinities-opposed', f32([Infinity, -Infinity]), f32([1, 1])],
    ['negative-infinity', f32([-Infinity, 2]), f32([0, 2])],
    ['huge', ramp(16, 3e36), ramp(16, -2e36, 9)],
    ['largest-finite', f32([3.4028234663852886e38, -3.4028234663852886e38]), f32([3.4028234663852886e38, 3.4028234663852886e38])],
    ['subnormal', ramp(17, 1e-42), ramp(17, 2e-42, 5)],
    ['smallest-subnormal', f32([1e-45, 0, 1e-45]), f32([1e-45, 1e-45, 0])],
    ['mixed-magnitudes', f32([1e-40, 1e30, -1e-20, 7, 3e38, 1e-45]), f32([5e-39, -1e25, 1e-10, 7, 1, 1e30])],
    ['f64-overflowing-products', f64([1e200, 1e200, 1]), f64([1e200, -1e200, 1])],
    ['f64-subnormal-products', f64([1e-170, 1e-170, 3e-171]), f64([1e-170, 3e-170, 1e-170])],
    ['f64-largest', f64([1.7976931348623157e308, 0]), f64([-1.7976931348623157e308, 0])],
    ['f64-not-float32', f64([0.1, 0.2, 1 / 3, Math.PI]), f64([Math.E, -0.7, 1e-300, 2 ** 60 + 1])],
    ['f32-and-f64', ramp(21, 0.25), f64(Array.from(ramp(21, 0.5, 3)))],
    ['dimension-mismatch', f32([1, 2, 3]), f32([1, 2, 3, 4])],
  ];
  for (const n of [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65]) {
    pairs.push([`lanes-${n}`, ramp(n, 0.01), ramp(n, 0.02, 11)]);
  }
  return pairs;
}

/** Seeded pairs of every style, dimensions up to 512 plus common embedding sizes up to 4,096. */
function randomPairs() {
  const random = rng(0x7ec7);
  const pairs = [];
  for (const n of [384, 1536, 4096]) {
    pairs.push([`embedding-${n}`, randomVector(random, n, 'ordinary'), randomVector(random, n, 'ordinary')]);
  }
  for (let i = 0; i < 40; i++) {
    const n = Math.min(randomDimension(random), 512);
    const a = randomVector(random, n);
    const b = randomVector(random, n);
    if (i % 4 === 3) {
      const scale = 10 ** (random.int(600) - 300);
      pairs.push([`random-${i}-f64`, f64(Array.from(a, (x) => x * scale)), f64(Array.from(b, (x) => x * scale))]);
    } else {
      pairs.push([`random-${i}`, a, b]);
    }
  }
  return pairs;
}

/** Both functions on every pair, except the largest, where cosine alone keeps the file small. */
function pairSubject(id, description, pairs) {
  const entries = [];
  for (const [name, a, b] of pairs) {
    entries.push({ id: `${name}/cosine`, op: 'cosineSimilarity', args: [a, b] });
    if (a.length <= 2048) entries.push({ id: `${name}/euclidean`, op: 'euclideanDistance', args: [a, b] });
  }
  return { id, description, entries };
}

function batchSubject() {
  const random = rng(0xba7c);
  const entries = [];
  const dims = [0, 1, 7, 16, 33, 128, 300];
  dims.forEach((n, i) => {
    const query = randomVector(random, n, i % 2 ? 'ordinary' : 'wide');
    const targets = Array.from({ length: 3 + random.int(25) }, (_, t) => {
      const v = randomVector(random, n, random.pick(STYLES));
      return t % 5 === 4 ? f64(Array.from(v, (x) => x * 3)) : v;
    });
    entries.push({ id: `batch-${n}`, op: 'cosineSimilarityBatch', args: [query, targets] });
  });
  entries.push({ id: 'batch-empty', op: 'cosineSimilarityBatch', args: [f32([1, 2]), []] });
  entries.push({ id: 'batch-f64-query', op: 'cosineSimilarityBatch', args: [f64([0.1, 0.2, 0.3]), [f32([1, 2, 3]), f32([0, 0, 0]), f64([3, 2, 1])]] });
  entries.push({ id: 'batch-mismatch', op: 'cosineSimilarityBatch', args: [f32([1, 2]), [f32([1, 2]), f32([1, 2, 3])]] });
  return { id: 'batches', description: 'one query against many targets, mixed element types', entries };
}

/** Rows with exact ties (duplicates), zeros, NaN and infinities, searched by every metric and k. */
function storeSubject() {
  const random = rng(0x570e);
  const entries = [];
  const shapes = [
    ['ties', 6, 30],
    ['wide', 12, 40],
    ['specials', 5, 25],
    ['embeddings', 96, 60],
    ['single-row', 3, 1],
    ['empty', 4, 0],
  ];
  for (const [name, dimension, rows] of shapes) {
    const flat = new Float32Array(dimension * rows);
    for (let r = 0; r < rows; r++) {
      const style = name === 'wide' ? 'wide' : name === 'specials' && r % 4 === 0 ? 'special' : 'ordinary';
      const row = name === 'ties' && r % 3 === 2 ? flat.slice((r - 1) * dimension, r * dimension) : randomVector(random, dimension, style);
      if (name === 'specials' && r === 7) row.fill(0);
      flat.set(row, r * dimension);
    }
    const searches = [];
    for (const metric of ['cosine', 'dot', 'euclidean']) {
      for (const k of [0, 1, 5, rows, rows + 3, Infinity]) {
        const query = k === 5 && rows > 0 ? flat.slice(0, dimension) : randomVector(random, dimension, name === 'wide' ? 'wide' : 'ordinary');
        searches.push({ query: k === 1 ? f64(Array.from(query, (x) => x / 3)) : query, k, metric });
      }
    }
    entries.push({ id: `store-${name}`, op: 'VectorStore.search', args: [flat, dimension, searches] });
  }
  entries.push({
    id: 'store-query-mismatch',
    op: 'VectorStore.search',
    args: [f32([1, 2, 3, 4]), 2, [{ query: f32([1, 2, 3]), k: 1, metric: 'cosine' }]],
  });
  return { id: 'stores', description: 'VectorStore.search over small stores, every metric and k', entries };
}

/** Recording files (name -> subjects), in a fixed order. */
export function recordedCases() {
  return [
    { file: 'pairs-edge.json', subjects: [pairSubject('edge-pairs', 'zeros, empties, NaN and infinities, edge magnitudes, lane boundaries', edgePairs())] },
    { file: 'pairs-random.json', subjects: [pairSubject('random-pairs', 'seeded pairs of every style, dimensions up to 4,096', randomPairs())] },
    { file: 'batches.json', subjects: [batchSubject()] },
    { file: 'stores.json', subjects: [storeSubject()] },
  ];
}

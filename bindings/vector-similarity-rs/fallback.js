// The JS fallback of @ku0/vector-similarity-rs, and the oracle: plain loops computing in doubles
// from whatever numbers the vectors hold. The native path must match these within the tolerance
// stated in oracle/CONTRACTS.md, and exactly on NaN, infinities and zero magnitudes.
import {
  DEFAULT_K,
  DEFAULT_METRIC,
  DIMENSION_MISMATCH,
  checkDimension,
  checkRowIndex,
  checkSearch,
  checkSearchMany,
  checkVector,
} from './store-args.js';

export { DIMENSION_MISMATCH };

/** Cosine of the angle between `a` and `b`; 0 when either has zero magnitude. */
export function cosineSimilarity(a, b) {
  if (a.length !== b.length) throw new Error(DIMENSION_MISMATCH);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  const magnitude = Math.sqrt(normA) * Math.sqrt(normB);
  if (magnitude === 0) return 0;
  return dot / magnitude;
}

/** `cosineSimilarity(query, target)` for each target, in order. */
export function cosineSimilarityBatch(query, targets) {
  const out = [];
  for (let i = 0; i < targets.length; i++) out.push(cosineSimilarity(query, targets[i]));
  return out;
}

export function euclideanDistance(a, b) {
  if (a.length !== b.length) throw new Error(DIMENSION_MISMATCH);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = a[i] - b[i];
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/**
 * How two hits are listed: best score first (highest for cosine and dot, lowest for euclidean),
 * NaN scores last, equal scores by lower index.
 */
export function compareHits(metric, x, y) {
  const xNaN = Number.isNaN(x.score);
  const yNaN = Number.isNaN(y.score);
  if (xNaN || yNaN) {
    if (xNaN !== yNaN) return xNaN ? 1 : -1;
  } else if (x.score !== y.score) {
    const ascending = x.score < y.score ? -1 : 1;
    return metric === 'euclidean' ? ascending : -ascending;
  }
  return x.index - y.index;
}

/** N vectors of one dimension in a Float32Array, norms computed at insert, exact top-k search. */
export class VectorStore {
  #dimension;
  #size = 0;
  #data;
  #norms;

  constructor(dimension) {
    this.#dimension = checkDimension(dimension);
    this.#data = new Float32Array(0);
    this.#norms = new Float64Array(0);
  }

  /** A store holding the rows of a row-major flat buffer. */
  static fromFlat(flat, dimension) {
    const store = new this(dimension);
    store.addFlat(flat);
    return store;
  }

  get dimension() {
    return this.#dimension;
  }

  get size() {
    return this.#size;
  }

  /** Appends one row (stored as float32); returns its index. */
  add(vector) {
    const row = checkVector('VectorStore.add', 'vector', vector);
    if (row.length !== this.#dimension) throw new Error(DIMENSION_MISMATCH);
    return this.#append(row);
  }

  /** Appends the rows of a row-major flat buffer; returns the index of the first. */
  addFlat(flat) {
    const values = checkVector('VectorStore.addFlat', 'flat', flat);
    if (values.length % this.#dimension !== 0) {
      throw new RangeError(
        `VectorStore.addFlat: ${values.length} values do not split into rows of dimension ${this.#dimension}`,
      );
    }
    return this.#append(values);
  }

  /** A copy of row `index`. */
  get(index) {
    checkRowIndex(index, this.#size);
    return this.#data.slice(index * this.#dimension, (index + 1) * this.#dimension);
  }

  /** Removes every row. */
  clear() {
    this.#size = 0;
    this.#data = new Float32Array(0);
    this.#norms = new Float64Array(0);
  }

  /** The `k` best rows for `query`, best first: `[{ index, score }]`. */
  search(query, k = DEFAULT_K, metric = DEFAULT_METRIC) {
    const { query: q, k: wanted } = checkSearch(query, k, metric, this.#dimension);
    const count = Math.min(wanted, this.#size);
    if (count === 0) return [];
    let qq = 0;
    for (let i = 0; i < q.length; i++) qq += q[i] * q[i];
    const queryNorm = Math.sqrt(qq);
    const hits = [];
    for (let index = 0; index < this.#size; index++) {
      hits.push({ index, score: this.#score(q, queryNorm, index, metric) });
    }
    return selectTop(hits, count, metric);
  }

  /**
   * `search` for each query: `queries` is an array of vectors or one row-major flat buffer.
   * Returns one hit list per query, in order.
   */
  searchMany(queries, k = DEFAULT_K, metric = DEFAULT_METRIC) {
    const checked = checkSearchMany(queries, k, metric, this.#dimension);
    const d = this.#dimension;
    const results = [];
    for (let q = 0; q < checked.queries; q++) {
      results.push(this.search(checked.flat.subarray(q * d, (q + 1) * d), checked.k, metric));
    }
    return results;
  }

  #score(q, queryNorm, index, metric) {
    const data = this.#data;
    const base = index * this.#dimension;
    if (metric === 'euclidean') {
      let sum = 0;
      for (let i = 0; i < q.length; i++) {
        const diff = q[i] - data[base + i];
        sum += diff * diff;
      }
      return Math.sqrt(sum);
    }
    let dot = 0;
    for (let i = 0; i < q.length; i++) dot += q[i] * data[base + i];
    if (metric === 'dot') return dot;
    const magnitude = queryNorm * this.#norms[index];
    if (magnitude === 0) return 0;
    return dot / magnitude;
  }

  #append(values) {
    const rows = values.length / this.#dimension;
    const first = this.#size;
    this.#reserve(first + rows);
    this.#data.set(values, first * this.#dimension);
    for (let r = first; r < first + rows; r++) {
      let sum = 0;
      for (let i = r * this.#dimension; i < (r + 1) * this.#dimension; i++) sum += this.#data[i] * this.#data[i];
      this.#norms[r] = Math.sqrt(sum);
    }
    this.#size += rows;
    return first;
  }

  #reserve(rows) {
    if (rows <= this.#norms.length) return;
    const capacity = Math.max(rows, Math.ceil(this.#norms.length * 1.5), 16);
    const data = new Float32Array(capacity * this.#dimension);
    data.set(this.#data.subarray(0, this.#size * this.#dimension));
    const norms = new Float64Array(capacity);
    norms.set(this.#norms.subarray(0, this.#size));
    this.#data = data;
    this.#norms = norms;
  }
}

/** The best `count` hits in listing order; a full sort only when most of them are wanted. */
function selectTop(hits, count, metric) {
  const compare = (x, y) => compareHits(metric, x, y);
  if (count * 8 >= hits.length) return hits.sort(compare).slice(0, count);
  const top = [];
  for (const hit of hits) {
    if (top.length === count && compare(hit, top[count - 1]) >= 0) continue;
    let at = top.length === count ? count - 1 : top.length;
    if (top.length === count) top.pop();
    while (at > 0 && compare(hit, top[at - 1]) < 0) at--;
    top.splice(at, 0, hit);
  }
  return top;
}

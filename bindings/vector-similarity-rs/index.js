// @ku0/vector-similarity-rs: cosine similarity, euclidean distance and top-k vector search on
// the native SIMD engine when it is available, on the JS loops otherwise. Results agree within
// the tolerance of oracle/CONTRACTS.md, and exactly on errors, NaN, infinities and zeros.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBinding } from '@ku0/native-bindings';
import * as fallback from './fallback.js';
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
import { nativeVector } from './vectors.js';

const { version } = createRequire(import.meta.url)('./package.json');

const binding = loadBinding({
  packageName: '@ku0/vector-similarity-rs',
  packageVersion: version,
  packageDir: dirname(fileURLToPath(import.meta.url)),
  binaryName: 'vector_similarity_rs',
  overrideEnv: 'KU0_VECTOR_SIMILARITY_NATIVE_PATH',
  disableEnv: 'KU0_VECTOR_SIMILARITY_DISABLE_NATIVE',
  requiredExports: [
    'cosineSimilarityF32',
    'cosineSimilarityF64',
    'euclideanDistanceF32',
    'euclideanDistanceF64',
    'cosineSimilarity',
    'euclideanDistance',
    'cosineSimilarityBatch',
    'cosineSimilarityBatchF32',
    'NativeVectorStore',
    'memoryReadProbe',
    'boundaryProbe',
    'simdInfo',
  ],
  hasFallback: true,
});
const native = binding.native;

/** Which implementation runs, from which path, and why; `simd` names the kernels in use. */
export function describeBinding() {
  return { ...binding.describe(), simd: native ? native.simdInfo() : null };
}

function dimensionMismatch() {
  return new Error(DIMENSION_MISMATCH);
}

const COSINE = native && {
  f32: native.cosineSimilarityF32,
  f64: native.cosineSimilarityF64,
  mixed: native.cosineSimilarity,
};
const EUCLIDEAN = native && {
  f32: native.euclideanDistanceF32,
  f64: native.euclideanDistanceF64,
  mixed: native.euclideanDistance,
};

export function cosineSimilarity(a, b) {
  if (native !== null) {
    // The common case first, with nothing in between: the call's overhead is most of its cost.
    if (a instanceof Float32Array && b instanceof Float32Array) {
      if (a.length !== b.length) throw dimensionMismatch();
      return native.cosineSimilarityF32(a, b);
    }
    const pair = nativePair(a, b);
    if (pair !== null) return callPair(COSINE, pair);
  }
  return fallback.cosineSimilarity(a, b);
}

export function euclideanDistance(a, b) {
  if (native !== null) {
    if (a instanceof Float32Array && b instanceof Float32Array) {
      if (a.length !== b.length) throw dimensionMismatch();
      return native.euclideanDistanceF32(a, b);
    }
    const pair = nativePair(a, b);
    if (pair !== null) return callPair(EUCLIDEAN, pair);
  }
  return fallback.euclideanDistance(a, b);
}

/** Both vectors in native form, or null when the fallback must answer. Throws on a dimension mismatch. */
function nativePair(a, b) {
  const x = nativeVector(a);
  const y = nativeVector(b);
  if (x === null || y === null) return null;
  if (x.length !== y.length) throw dimensionMismatch();
  return [x, y];
}

/** The `F32` / `F64` fast exports read their element type without checking it; others mix. */
function callPair(operation, [x, y]) {
  if (x instanceof Float32Array && y instanceof Float32Array) return operation.f32(x, y);
  if (x instanceof Float64Array && y instanceof Float64Array) return operation.f64(x, y);
  return operation.mixed(x, y);
}

export function cosineSimilarityBatch(query, targets) {
  if (native !== null && Array.isArray(targets)) {
    const q = nativeVector(query);
    const prepared = q === null ? null : nativeTargets(targets, q.length);
    if (prepared !== null) {
      const out = new Float64Array(prepared.vectors.length);
      if (prepared.allFloat32 && q instanceof Float32Array) {
        native.cosineSimilarityBatchF32(q, prepared.vectors, out);
      } else {
        native.cosineSimilarityBatch(q, prepared.vectors, out);
      }
      return toNumberArray(out);
    }
  }
  return fallback.cosineSimilarityBatch(query, targets);
}

/** A plain array of the values: a loop is ten times faster than `Array.from` on 10,000 doubles. */
function toNumberArray(values) {
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/**
 * The targets in native form (the array itself when every one already is) and whether all are
 * Float32Arrays, or null when any must go to the fallback. Throws, as the fallback would, on the
 * first one of another dimension.
 */
function nativeTargets(targets, dimension) {
  let converted = null;
  let allFloat32 = true;
  for (let i = 0; i < targets.length; i++) {
    let vector = targets[i];
    if (!(vector instanceof Float32Array)) {
      allFloat32 = false;
      if (!(vector instanceof Float64Array)) {
        vector = nativeVector(vector);
        if (vector === null) return null;
        converted ??= targets.slice();
        converted[i] = vector;
      }
    }
    if (vector.length !== dimension) {
      // The fallback would first compute every earlier target; none of them can throw.
      throw dimensionMismatch();
    }
  }
  return { vectors: converted ?? targets, allFloat32 };
}

/**
 * N vectors of one dimension in one contiguous buffer (native memory when the binding is loaded),
 * norms computed at insert, exact top-k search by `"cosine"`, `"dot"` or `"euclidean"`.
 */
class NativeBackedVectorStore {
  #store;

  constructor(dimension) {
    this.#store = new native.NativeVectorStore(checkDimension(dimension));
  }

  static fromFlat(flat, dimension) {
    const store = new this(dimension);
    store.addFlat(flat);
    return store;
  }

  get dimension() {
    return this.#store.dimension;
  }

  get size() {
    return this.#store.size;
  }

  add(vector) {
    const row = checkVector('VectorStore.add', 'vector', vector);
    if (row.length !== this.#store.dimension) throw dimensionMismatch();
    return this.#store.add(row);
  }

  addFlat(flat) {
    const values = checkVector('VectorStore.addFlat', 'flat', flat);
    const dimension = this.#store.dimension;
    if (values.length % dimension !== 0) {
      throw new RangeError(`VectorStore.addFlat: ${values.length} values do not split into rows of dimension ${dimension}`);
    }
    return this.#store.addFlat(values);
  }

  get(index) {
    checkRowIndex(index, this.#store.size);
    return this.#store.get(index);
  }

  clear() {
    this.#store.clear();
  }

  search(query, k = DEFAULT_K, metric = DEFAULT_METRIC) {
    const checked = checkSearch(query, k, metric, this.#store.dimension);
    const count = Math.min(checked.k, this.#store.size);
    if (count === 0) return [];
    const indices = new Uint32Array(count);
    const scores = new Float64Array(count);
    this.#store.searchInto(checked.query, metric, indices, scores);
    const hits = new Array(count);
    for (let i = 0; i < count; i++) hits[i] = { index: indices[i], score: scores[i] };
    return hits;
  }

  searchMany(queries, k = DEFAULT_K, metric = DEFAULT_METRIC) {
    const checked = checkSearchMany(queries, k, metric, this.#store.dimension);
    const perQuery = Math.min(checked.k, this.#store.size);
    const indices = new Uint32Array(perQuery * checked.queries);
    const scores = new Float64Array(perQuery * checked.queries);
    if (indices.length > 0) this.#store.searchManyInto(checked.flat, metric, perQuery, indices, scores);
    const results = new Array(checked.queries);
    for (let q = 0; q < checked.queries; q++) {
      const hits = new Array(perQuery);
      for (let i = 0; i < perQuery; i++) {
        const slot = q * perQuery + i;
        hits[i] = { index: indices[slot], score: scores[slot] };
      }
      results[q] = hits;
    }
    return results;
  }
}

export const VectorStore = native !== null ? NativeBackedVectorStore : fallback.VectorStore;

function requireNative(name) {
  if (native === null) {
    throw new Error(`${name} needs the native binding, which is not in use: ${binding.describe().reason}`);
  }
}

/**
 * Measurement hooks for the benches, native only: `memoryReadProbe(data)` reads every value of a
 * Float32Array with every core (the memory-bandwidth reference), `boundaryProbe(a, b)` makes the
 * single-pair call without the kernel (the cost of crossing into native code).
 */
export const diagnostics = Object.freeze({
  memoryReadProbe(data) {
    requireNative('diagnostics.memoryReadProbe');
    return native.memoryReadProbe(data);
  },
  boundaryProbe(a, b) {
    requireNative('diagnostics.boundaryProbe');
    return native.boundaryProbe(a, b);
  },
});

// Argument checks of the VectorStore class, shared by the native-backed store (index.js) and the
// fallback store (fallback.js) so that both reject the same inputs with the same errors.

export const DIMENSION_MISMATCH = 'Vectors must have same dimension';
export const METRICS = Object.freeze(['cosine', 'dot', 'euclidean']);
export const DEFAULT_K = 10;
export const DEFAULT_METRIC = 'cosine';

/** The largest row count (and `k`) a store supports: row indices are 32-bit. */
export const MAX_ROWS = 0xffff_ffff;

export function describeValue(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value === 'number' ? `the number ${value}` : typeof value;
}

export function checkDimension(dimension) {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_ROWS) {
    throw new RangeError(`VectorStore: dimension must be a positive integer, got ${describeValue(dimension)}`);
  }
  return dimension;
}

/** `k` as an integer: a non-negative integer, or Infinity for every row. */
export function checkK(k) {
  if (k === Infinity) return MAX_ROWS;
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`VectorStore.search: k must be a non-negative integer, got ${describeValue(k)}`);
  }
  return Math.min(k, MAX_ROWS);
}

export function checkMetric(metric) {
  if (!METRICS.includes(metric)) {
    throw new RangeError(
      `VectorStore.search: metric must be ${METRICS.map((m) => JSON.stringify(m)).join(', ')}, got ${describeValue(metric)}`,
    );
  }
  return metric;
}

const isBigIntArray = (value) => value instanceof BigInt64Array || value instanceof BigUint64Array;

/**
 * A store input (a row, a flat buffer, a query): a Float32Array or Float64Array as given, any
 * other numeric typed array or a number[] converted to a Float64Array (exactly). Anything else,
 * including an array holding a non-number, is a TypeError naming the argument.
 */
export function checkVector(where, name, value) {
  if (value instanceof Float32Array || value instanceof Float64Array) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !isBigIntArray(value)) {
    return Float64Array.from(value);
  }
  if (Array.isArray(value)) {
    const out = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const x = value[i];
      if (typeof x !== 'number') {
        throw new TypeError(`${where}: ${name}[${i}] must be a number, got ${describeValue(x)}`);
      }
      out[i] = x;
    }
    return out;
  }
  throw new TypeError(
    `${where}: ${name} must be a number[], Float32Array, Float64Array or another numeric typed array, got ${describeValue(value)}`,
  );
}

/**
 * The arguments of `search(query, k, metric)`, checked in one order for both stores: the query's
 * type, then `k`, then the metric, then the query's dimension.
 */
export function checkSearch(query, k, metric, dimension) {
  const vector = checkVector('VectorStore.search', 'query', query);
  const count = checkK(k);
  checkMetric(metric);
  if (vector.length !== dimension) throw new Error(DIMENSION_MISMATCH);
  return { query: vector, k: count };
}

export function checkRowIndex(index, size) {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`VectorStore.get: index must be an integer in 0..${size - 1}, got ${describeValue(index)}`);
  }
  return index;
}

/**
 * The arguments of `searchMany(queries, k, metric)`: the queries as one row-major flat buffer
 * (a flat typed array or number[] as given, or an array of vectors concatenated), `k` and the
 * metric checked as `search` checks them, and every query's dimension.
 */
export function checkSearchMany(queries, k, metric, dimension) {
  const where = 'VectorStore.searchMany';
  let flat;
  if (Array.isArray(queries) && queries.length > 0 && typeof queries[0] !== 'number') {
    const rows = queries.map((query, i) => checkVector(where, `queries[${i}]`, query));
    flat = rows.every((row) => row instanceof Float32Array)
      ? new Float32Array(rows.length * dimension)
      : new Float64Array(rows.length * dimension);
    rows.forEach((row, i) => {
      if (row.length !== dimension) throw new Error(DIMENSION_MISMATCH);
      flat.set(row, i * dimension);
    });
  } else {
    flat = checkVector(where, 'queries', queries);
    if (flat.length % dimension !== 0) throw new Error(DIMENSION_MISMATCH);
  }
  const count = checkK(k);
  checkMetric(metric);
  return { flat, queries: flat.length / dimension, k: count };
}

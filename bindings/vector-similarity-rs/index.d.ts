/**
 * A vector: a `number[]`, a `Float32Array` (read in place, no copy), a `Float64Array` (read in
 * place), or another numeric typed array (converted once, exactly). Values are used as doubles.
 */
export type Vector =
  | readonly number[]
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/** What `VectorStore.search` ranks by. */
export type Metric = 'cosine' | 'dot' | 'euclidean';

/** One search result: the row's index (insertion order, from 0) and its score. */
export interface SearchHit {
  index: number;
  /** Cosine similarity, dot product, or euclidean distance, by the search's metric. */
  score: number;
}

export interface BindingDescription {
  implementation: 'native' | 'fallback';
  path: string | null;
  checked: string[];
  reason: string;
  /** The native SIMD kernels (`avx512`, `avx2+fma`, `neon`, `portable`) and scan threads; null on the fallback. */
  simd: { isa: string; threads: number } | null;
}

/**
 * Cosine similarity of `a` and `b`; 0 when either has zero magnitude.
 * @throws Error("Vectors must have same dimension") when their lengths differ.
 */
export function cosineSimilarity(a: Vector, b: Vector): number;

/**
 * `cosineSimilarity(query, target)` for every target, in order. Large batches of typed arrays run
 * on every core. For repeated queries against the same targets, use a {@link VectorStore}.
 * @throws Error("Vectors must have same dimension") at the first target of another length.
 */
export function cosineSimilarityBatch(query: Vector, targets: Vector[]): number[];

/**
 * Euclidean distance between `a` and `b`.
 * @throws Error("Vectors must have same dimension") when their lengths differ.
 */
export function euclideanDistance(a: Vector, b: Vector): number;

/**
 * N vectors of one dimension in one contiguous float32 buffer (native memory when the binding is
 * loaded), their norms computed at insert, with exact top-k search. Rows are stored as float32;
 * queries are used at full precision.
 */
export class VectorStore {
  /** @throws RangeError unless `dimension` is a positive integer. */
  constructor(dimension: number);
  /** A store holding the rows of a row-major flat buffer (`length` a multiple of `dimension`). */
  static fromFlat(flat: Vector, dimension: number): VectorStore;
  readonly dimension: number;
  /** The number of rows. */
  readonly size: number;
  /**
   * Appends one row; returns its index.
   * @throws Error("Vectors must have same dimension"), TypeError for a non-vector.
   */
  add(vector: Vector): number;
  /**
   * Appends the rows of a row-major flat buffer; returns the index of the first.
   * @throws RangeError when its length is not a multiple of the dimension.
   */
  addFlat(flat: Vector): number;
  /** A copy of row `index`. @throws RangeError for an index out of range. */
  get(index: number): Float32Array;
  /** Removes every row (and frees the native buffer). */
  clear(): void;
  /**
   * The `k` best rows for `query` (every row when `k` exceeds them; `[]` for an empty store), best
   * first: highest cosine or dot, lowest euclidean distance; ties by lower index; NaN scores last.
   * Large stores are scanned on every core.
   * @param k a non-negative integer or `Infinity` (default 10)
   * @param metric default `"cosine"`
   * @throws Error("Vectors must have same dimension"), RangeError for a bad `k` or metric.
   */
  search(query: Vector, k?: number, metric?: Metric): SearchHit[];
  /**
   * `search` for many queries at once, one hit list per query, in order. `queries` is an array of
   * vectors or one row-major flat buffer of whole rows. From 16 queries on, cosine and dot are
   * ranked through a matrix product (faer), which serves every query from each row while it is
   * in cache: 32 queries over 100,000 x 1,536 take about half the time of 32 searches.
   * @throws Error("Vectors must have same dimension"), RangeError for a bad `k` or metric.
   */
  searchMany(queries: Vector[] | Vector, k?: number, metric?: Metric): SearchHit[][];
}

export function describeBinding(): BindingDescription;

/** Measurement hooks for the benches; they throw when the native binding is not in use. */
export const diagnostics: {
  /** Reads every value of `data` with every core and returns their sum: the memory-bandwidth reference. */
  memoryReadProbe(data: Float32Array): number;
  /** The single-pair call's crossing into native code, without the kernel: returns `a.length + b.length`. */
  boundaryProbe(a: Float32Array, b: Float32Array): number;
};

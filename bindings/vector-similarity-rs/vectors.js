// Which inputs of cosineSimilarity / cosineSimilarityBatch / euclideanDistance the native path
// takes, and in what form. The native functions read Float32Array and Float64Array memory in
// place; a number[] or another numeric typed array is converted once to a Float64Array (exactly:
// every such value is a double). Anything the fallback would treat differently from a plain
// vector of numbers (a hole, a string, a BigInt, an object) goes to the fallback as it is, so the
// answer, or the error, is the fallback's own.

const isBigIntArray = (value) => value instanceof BigInt64Array || value instanceof BigUint64Array;

/** `value` as a Float32Array or Float64Array for the native path, or null for the fallback. */
export function nativeVector(value) {
  if (value instanceof Float32Array || value instanceof Float64Array) return value;
  if (Array.isArray(value)) return numberArrayToFloat64(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !isBigIntArray(value)) {
    return Float64Array.from(value);
  }
  return null;
}

function numberArrayToFloat64(values) {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== 'number') return null;
    out[i] = x;
  }
  return out;
}

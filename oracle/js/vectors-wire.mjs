// How the vector-similarity track's values travel in recordings and live-oracle messages, where
// plain JSON would lose them (mirrored by oracle/src/contracts/vectors.rs):
//
//   {"$f32": "<base64>"}     a Float32Array: its little-endian bytes, so every bit pattern survives
//   {"$f64": "<base64>"}     a Float64Array (number[] travel this way too: the same doubles)
//   {"$number": "NaN"}       NaN, "Infinity" or "-Infinity", which JSON cannot write
//
// Finite numbers are plain JSON numbers (`JSON.stringify` writes the shortest exact form).

import { BadRequest } from './values.mjs';

export function encodeNumber(x) {
  return Number.isFinite(x) ? x : { $number: String(x) };
}

function bytesOf(array) {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/** Recursively encodes vectors and non-finite numbers inside `value`. */
export function encodeVectors(value) {
  if (value instanceof Float32Array) return { $f32: bytesOf(value) };
  if (value instanceof Float64Array) return { $f64: bytesOf(value) };
  if (typeof value === 'number') return encodeNumber(value);
  if (Array.isArray(value)) return value.map(encodeVectors);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeVectors(v)]));
  }
  return value;
}

function typedFromBase64(Type, payload, where) {
  if (typeof payload !== 'string') throw new BadRequest(`${where}: a vector marker holds a base64 string`);
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length % Type.BYTES_PER_ELEMENT !== 0) {
    throw new BadRequest(`${where}: ${bytes.length} bytes are not whole ${Type.name} elements`);
  }
  const out = new Type(bytes.length / Type.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

const NUMBERS = { NaN, Infinity, '-Infinity': -Infinity };

/** A `decodeValue` resolver for the markers above. */
export function decodeVectorMarker(key, payload, where) {
  if (key === '$f32') return typedFromBase64(Float32Array, payload, where);
  if (key === '$f64') return typedFromBase64(Float64Array, payload, where);
  if (key === '$number' && Object.hasOwn(NUMBERS, payload)) return NUMBERS[payload];
  throw new BadRequest(`${where}: unknown marker ${JSON.stringify(key)} (the vectors track knows $f32, $f64, $number)`);
}

// Seeded vectors for the vector-similarity track: the recordings (cases.mjs), the package's
// node tests and the node bench all draw from here, so every input can be replayed from a seed.

import { rng } from '../rng.mjs';

export { rng };


const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/** An f32 of any magnitude, subnormals through the largest finite, either sign. */
export function anyMagnitude(random) {
  bits[0] = ((random.int(2) << 31) | (random.int(255) << 23) | random.int(1 << 23)) >>> 0;
  return asFloat[0];
}

/** Values at the edges of float32: zeros, the smallest subnormal and normal, the largest finite. */
export const EDGE_VALUES = Object.freeze([0, -0, 1e-45, -1e-45, 1.17549435e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1e-30, 1e30]);

/**
 * Vector styles: ordinary values in [-1, 1); every magnitude; subnormals only; huge values only;
 * all zeros; ordinary with rare NaN and infinities.
 */
export const STYLES = Object.freeze(['ordinary', 'wide', 'subnormal', 'huge', 'zero', 'special']);

/** A Float32Array of `dimension` values in `style` (a random style when omitted). */
export function randomVector(random, dimension, style = random.pick(STYLES)) {
  const v = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) v[i] = randomValue(random, style);
  return v;
}

function randomValue(random, style) {
  switch (style) {
    case 'ordinary':
      return random() * 2 - 1;
    case 'wide':
      return random() < 0.8 ? anyMagnitude(random) : random.pick(EDGE_VALUES);
    case 'subnormal':
      return (random() * 2 - 1) * 1e-40;
    case 'huge':
      return (random() * 2 - 1) * 3e38;
    case 'zero':
      return 0;
    case 'special':
      return random() < 0.03 ? random.pick([NaN, Infinity, -Infinity]) : random() * 2 - 1;
    default:
      throw new Error(`unknown vector style ${style}`);
  }
}

/** Dimensions 0..4,096, mostly small so that SIMD lane and unroll edges are hit often. */
export function randomDimension(random) {
  return random() < 0.7 ? random.int(80) : random.int(4097);
}

/** `count` values in [-1, 1) into a new Float32Array: fast enough for the 614 MB bench store. */
export function fillOrdinary(random, count) {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = random() * 2 - 1;
  return out;
}

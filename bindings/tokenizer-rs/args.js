// Argument checks of @ku0/tokenizer-rs, made once in JavaScript for both paths, so that native
// and fallback throw the same TypeError / RangeError with the same message.
import { DEFAULT_ENCODING, encodingForModel } from './models.js';

export const MIN_ZSTD_LEVEL = 1;
export const MAX_ZSTD_LEVEL = 22;
export const DEFAULT_ZSTD_LEVEL = 3;

export function describeType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

export function requireText(fn, name, value) {
  if (typeof value !== 'string') {
    throw new TypeError(`${fn}: ${name} must be a string, got ${describeType(value)}`);
  }
}

export function requireTexts(fn, texts) {
  if (!Array.isArray(texts)) {
    throw new TypeError(`${fn}: texts must be an array of strings, got ${describeType(texts)}`);
  }
  for (let i = 0; i < texts.length; i++) {
    if (typeof texts[i] !== 'string') {
      throw new TypeError(`${fn}: texts[${i}] must be a string, got ${describeType(texts[i])}`);
    }
  }
}

/** The encoding of `model`; `undefined` means the default (cl100k_base). */
export function encodingOf(fn, model) {
  if (model === undefined) return DEFAULT_ENCODING;
  if (typeof model !== 'string') {
    throw new TypeError(`${fn}: model must be a model or encoding name (a string), got ${describeType(model)}`);
  }
  return encodingForModel(model);
}

/** A count argument (a budget, a number of messages): a non-negative integer. */
export function requireCount(fn, name, value) {
  if (typeof value !== 'number') {
    throw new TypeError(`${fn}: ${name} must be a number, got ${describeType(value)}`);
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${fn}: ${name} must be a non-negative integer, got ${value}`);
  }
}

/** `minBytes`: a non-negative number (Infinity allowed: never compress). */
export function requireMinBytes(fn, value) {
  if (typeof value !== 'number') {
    throw new TypeError(`${fn}: minBytes must be a number, got ${describeType(value)}`);
  }
  if (Number.isNaN(value) || value < 0) {
    throw new RangeError(`${fn}: minBytes must be a non-negative number, got ${value}`);
  }
}

/** The zstd level: `undefined` means 3; otherwise an integer in 1..22. */
export function zstdLevelOf(fn, level) {
  if (level === undefined) return DEFAULT_ZSTD_LEVEL;
  if (typeof level !== 'number') {
    throw new TypeError(`${fn}: level must be a number, got ${describeType(level)}`);
  }
  if (!Number.isInteger(level) || level < MIN_ZSTD_LEVEL || level > MAX_ZSTD_LEVEL) {
    throw new RangeError(
      `${fn}: level must be an integer from ${MIN_ZSTD_LEVEL} to ${MAX_ZSTD_LEVEL}, got ${level}`,
    );
  }
  return level;
}

export function requireBytes(fn, name, value) {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${fn}: ${name} must be a Uint8Array or Buffer, got ${describeType(value)}`);
  }
}

// Encodings shared by the recorder and the live oracle, mirrored by the Rust crate `oracle`:
//
// - In arguments, a few one-key objects stand for what plain JSON cannot say:
//     {"$undefined": true}      JavaScript `undefined` (a trailing one may simply be left out)
//     {"$utf16": [55296, ...]}  a string given as UTF-16 code units (lone surrogates included)
//     {"$input": "old"}         (recordings only) the subject's input of that name
//     {"$result": "<entry id>"} (recordings only) the recorded value of an earlier entry
// - Strings are otherwise plain JSON strings. `JSON.stringify` writes a lone surrogate as a
//   `\udXXX` escape, so readers must decode strings as UTF-16 (the Rust side does).
// - A canonical JSON form (keys sorted, no whitespace) is hashed when a structured output is too
//   big to record inline.

import { createHash } from 'node:crypto';

export class BadRequest extends Error {
  constructor(message) {
    super(message);
    this.name = 'BadRequest';
  }
}

const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The one key of a `{"$...": ...}` marker object, or null for any other value. */
export function markerKey(value) {
  if (!isPlainObject(value)) return null;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0].startsWith('$') ? keys[0] : null;
}

export function codeUnitsToString(units, where) {
  if (!Array.isArray(units) || !units.every((u) => Number.isInteger(u) && u >= 0 && u <= 0xffff)) {
    throw new BadRequest(`${where}: "$utf16" must be an array of integers in 0..=65535`);
  }
  let text = '';
  for (let i = 0; i < units.length; i += 8192) {
    text += String.fromCharCode(...units.slice(i, i + 8192));
  }
  return text;
}

export function stringToCodeUnits(text) {
  const units = new Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

/**
 * Decodes `$undefined` and `$utf16` markers anywhere in `value`; `resolve(key, payload, where)`
 * handles other markers (the recorder's `$input` / `$result`) or throws.
 */
export function decodeValue(value, where, resolve = null) {
  const key = markerKey(value);
  if (key === '$undefined') return undefined;
  if (key === '$utf16') return codeUnitsToString(value.$utf16, where);
  if (key !== null) {
    if (resolve) return resolve(key, value[key], where);
    throw new BadRequest(`${where}: unknown marker ${JSON.stringify(key)}`);
  }
  if (Array.isArray(value)) return value.map((item, i) => decodeValue(item, `${where}[${i}]`, resolve));
  if (isPlainObject(value)) {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeValue(v, `${where}.${k}`, resolve);
    return out;
  }
  return value;
}

/** Makes `value` JSON-safe: `undefined` becomes a marker; with `utf16`, every string does too. */
export function encodeValue(value, { utf16 = false } = {}) {
  if (value === undefined) return { $undefined: true };
  if (typeof value === 'string') return utf16 ? { $utf16: stringToCodeUnits(value) } : value;
  if (Array.isArray(value)) return value.map((item) => encodeValue(item, { utf16 }));
  if (isPlainObject(value)) {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = encodeValue(v, { utf16 });
    }
    return out;
  }
  return value;
}

/** JSON with object keys sorted (by UTF-16 code units) and no whitespace. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of the UTF-8 encoding of a well-formed string. */
export function sha256Text(text) {
  if (!text.isWellFormed()) throw new Error('sha256Text: the text holds lone surrogates');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function sha256Bytes(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `{ name, message }` of anything thrown. */
export function describeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'NonErrorThrown', message: String(error) };
}

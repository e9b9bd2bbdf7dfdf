// compressPayloadZstd / decompressPayloadZstd of API.md, written once and parameterized by a zstd
// implementation `{ compress(bytes, level): Uint8Array, decompress(bytes, maxBytes): Uint8Array | null }`
// (native zstd or zstd-wasm). The compressed bytes may differ between the two (different zstd
// builds); the contract is that each path decompresses the other's output to the same bytes.
//
// Pinned:
// - What is compressed: a Uint8Array (or Buffer) as it is; any other value as the UTF-8 of its
//   serialization (serialize.js: JSON.stringify, or String when that fails). Strings too are
//   JSON-serialized (quoted), so `JSON.parse` of the decompressed text gives back every JSON value.
// - null when the serialized value has fewer than `minBytes` bytes.
// - compressionRatio = 1 - compressedBytes / originalBytes (the share saved, as compressContext's
//   ratio is the share of tokens removed), unrounded; 0 for an empty input.
// - `data` is always a plain Uint8Array (a native Buffer is re-viewed, not copied).
// - decompressPayloadZstd returns null, never throws, for corrupt or truncated data, for anything
//   that is not a zstd frame, and for content over MAX_DECOMPRESSED_BYTES (a frame that declares
//   a bigger size is refused before anything is allocated). A non-Uint8Array argument is a TypeError.
//   Native frames carry a content checksum, so any corruption of them is caught on both paths;
//   zstd-wasm cannot write one, so a changed literal byte in a fallback-written frame can decode
//   to other bytes (zstd's own structure checks catch the rest).
import { requireBytes, requireMinBytes, zstdLevelOf } from './args.js';
import { serializeValue } from './serialize.js';

/** The most decompressPayloadZstd will produce: 128 MiB. */
export const MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024;

const utf8 = new TextEncoder();

export function payloadBytes(value) {
  return value instanceof Uint8Array ? value : utf8.encode(serializeValue(value));
}

export function createPayloadOps(zstd) {
  function compressPayloadZstd(value, minBytes, level) {
    const fn = 'compressPayloadZstd';
    requireMinBytes(fn, minBytes);
    const checkedLevel = zstdLevelOf(fn, level);
    const bytes = payloadBytes(value);
    if (bytes.length < minBytes) return null;
    const data = plainBytes(zstd.compress(bytes, checkedLevel));
    return {
      data,
      originalBytes: bytes.length,
      compressedBytes: data.length,
      compressionRatio: bytes.length === 0 ? 0 : 1 - data.length / bytes.length,
      encoding: 'zstd',
    };
  }

  function decompressPayloadZstd(data) {
    requireBytes('decompressPayloadZstd', 'data', data);
    const out = zstd.decompress(data, MAX_DECOMPRESSED_BYTES);
    return out === null ? null : plainBytes(out);
  }

  return { compressPayloadZstd, decompressPayloadZstd };
}

function plainBytes(bytes) {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

/**
 * The content size the first frame of `bytes` declares: a number, `null` when it declares none,
 * or `undefined` when `bytes` does not start with a zstd frame header (too short, wrong magic).
 * Skippable frames declare 0, as ZSTD_getFrameContentSize says. Sizes above 2^53 read as Infinity.
 */
export function declaredContentSize(bytes) {
  if (bytes.length < 5) return undefined;
  const magic = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  if (((magic & SKIPPABLE_MAGIC_MASK) >>> 0) === SKIPPABLE_MAGIC) return bytes.length >= 8 ? 0 : undefined;
  if (magic !== ZSTD_MAGIC) return undefined;
  const descriptor = bytes[4];
  if (descriptor & 0x08) return undefined; // the reserved bit: not a valid frame header
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 3];
  const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag];
  const at = 5 + (singleSegment ? 0 : 1) + dictionaryIdBytes;
  if (bytes.length < at + sizeBytes) return undefined;
  if (sizeBytes === 0) return null;
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + bytes[at + i];
  return sizeBytes === 2 ? size + 256 : size;
}

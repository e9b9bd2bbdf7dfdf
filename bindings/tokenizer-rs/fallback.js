// The JS fallback of @ku0/tokenizer-rs, and the reference the native path is tested against:
// js-tiktoken counts (`getEncoding(name).encode(text, [], []).length`: special-token strings are
// ordinary text, nothing throws), zstd through @bokuweb/zstd-wasm. Context compression and
// payloads are the shared context.js / payload.js over these two.
import { decompress as wasmDecompress, compress as wasmCompress, init as initZstd } from '@bokuweb/zstd-wasm';
import { getEncoding } from 'js-tiktoken';
import { declaredContentSize } from './payload.js';
import { createTokenizer } from './tokenizer.js';

// The WASM module loads once, here, so that the API stays synchronous.
await initZstd();

// Building an encoding's tables takes 100-300 ms: each is built on first use, then kept.
const encoders = new Map();

function encoder(encoding) {
  let instance = encoders.get(encoding);
  if (instance === undefined) {
    instance = getEncoding(encoding);
    encoders.set(encoding, instance);
  }
  return instance;
}

export const counter = {
  count(text, encoding) {
    return encoder(encoding).encode(text, [], []).length;
  },
  countMany(texts, encoding) {
    const tokenizer = encoder(encoding);
    const counts = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) counts[i] = tokenizer.encode(texts[i], [], []).length;
    return counts;
  },
};

const ZSTD_DST_SIZE_TOO_SMALL = -70;
const FIRST_HEAP_BYTES = 1 << 20;

/** zstd-wasm, held to the rules of the native `zstdDecompress` (see payload.rs). */
export const zstd = {
  compress(bytes, level) {
    return wasmCompress(bytes, level);
  },
  decompress(bytes, maxBytes) {
    const declared = declaredContentSize(bytes);
    if (declared === undefined || declared > maxBytes) return null;
    if (declared !== null) {
      const out = attempt(() => wasmDecompress(bytes));
      return out !== null && out.length === declared ? out : null;
    }
    // No declared size: zstd-wasm decompresses into a buffer of `defaultHeapSize`; grow it while
    // the only complaint is that it is too small, up to the cap.
    for (let heap = Math.min(FIRST_HEAP_BYTES, maxBytes); ; heap = Math.min(heap * 8, maxBytes)) {
      try {
        return wasmDecompress(bytes, { defaultHeapSize: heap });
      } catch (error) {
        if (errorCode(error) !== ZSTD_DST_SIZE_TOO_SMALL || heap >= maxBytes) return null;
      }
    }
  },
};

function attempt(fn) {
  try {
    return fn();
  } catch {
    return null;
  }
}

// zstd-wasm throws `Error("Failed to compress with code <n>")` (sic, also when decompressing).
function errorCode(error) {
  const match = /code (-?\d+)/.exec(error?.message ?? '');
  return match === null ? null : Number(match[1]);
}

/** The fallback NativeTokenizer. */
export const tokenizer = createTokenizer({ counter, zstd });

export const {
  countTokens,
  countTokensBatch,
  estimateJsonTokens,
  compressContext,
  compressPayloadZstd,
  decompressPayloadZstd,
} = tokenizer;

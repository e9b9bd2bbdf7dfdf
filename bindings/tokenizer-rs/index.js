// @ku0/tokenizer-rs: exact tiktoken token counts, context compression and zstd payloads on the
// native engine when it is available, on js-tiktoken and zstd-wasm otherwise. Counts are
// identical either way; everything above the counter (models, checks, context, payloads) is the
// same JavaScript on both paths (tokenizer.js).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBinding } from '@ku0/native-bindings';
import { createTokenizer } from './tokenizer.js';

export { ENCODINGS, DEFAULT_ENCODING, encodingForModel } from './models.js';
export { MAX_DECOMPRESSED_BYTES } from './payload.js';

const { version } = createRequire(import.meta.url)('./package.json');

const binding = loadBinding({
  packageName: '@ku0/tokenizer-rs',
  packageVersion: version,
  packageDir: dirname(fileURLToPath(import.meta.url)),
  binaryName: 'tokenizer_rs',
  overrideEnv: 'TOKENIZER_RS_NATIVE_PATH',
  disableEnv: 'TOKENIZER_RS_DISABLE_NATIVE',
  requiredExports: ['countTokens', 'countTokensBatch', 'zstdCompress', 'zstdDecompress', 'unicodeVersion', 'textProbe'],
  hasFallback: true,
});
const native = binding.native;

const nativeTokenizer =
  native === null
    ? null
    : createTokenizer({
        counter: {
          count: (text, encoding) => native.countTokens(text, encoding),
          // One crossing for the whole batch; the engine splits large ones over every core.
          countMany: (texts, encoding) => native.countTokensBatch(texts, encoding),
        },
        zstd: {
          compress: (bytes, level) => native.zstdCompress(bytes, level),
          decompress: (bytes, maxBytes) => native.zstdDecompress(bytes, maxBytes),
        },
      });

// The fallback (js-tiktoken, zstd-wasm) is loaded only when it is what runs.
const fallbackTokenizer = nativeTokenizer === null ? (await import('./fallback.js')).tokenizer : null;

/** The native tokenizer, or null when the binding is absent or disabled. */
export function getNativeTokenizer() {
  return nativeTokenizer;
}

/** Why the native tokenizer is not in use (with the paths checked), or null when it is. */
export function getNativeTokenizerError() {
  return binding.error;
}

/** The native tokenizer when available, else the js-tiktoken fallback: always works. */
export function getTokenizer() {
  return nativeTokenizer ?? fallbackTokenizer;
}

/**
 * Which implementation runs, from which path, and why; `unicodeVersion` is the Unicode version
 * of the engine's character classes (null for the fallback, which uses V8's own).
 */
export function describeBinding() {
  return {
    ...binding.describe(),
    unicodeVersion: native === null ? null : native.unicodeVersion(),
  };
}

/**
 * Measurement hook for the bench, native only: `textProbe(text)` reads a string across the
 * boundary as the counting calls do and returns its UTF-8 length, without counting.
 */
export const diagnostics = Object.freeze({
  textProbe(text) {
    if (native === null) {
      throw new Error(`diagnostics.textProbe needs the native binding, which is not in use: ${binding.describe().reason}`);
    }
    return native.textProbe(text);
  },
});

const active = getTokenizer();
export const {
  countTokens,
  countTokensBatch,
  estimateJsonTokens,
  compressContext,
  compressPayloadZstd,
  decompressPayloadZstd,
} = active;

/** The encodings the package counts with. */
export type EncodingName = 'o200k_base' | 'cl100k_base' | 'p50k_base' | 'r50k_base';

/**
 * A model name (`gpt-4o`, `gpt-4.1`, `o1`, `gpt-4`, `gpt-3.5-turbo`, `text-embedding-3-small`, ...)
 * or an encoding name, mapped as tiktoken maps them; unknown names (and `undefined`) use cl100k_base.
 */
export type ModelName = EncodingName | (string & {});

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ToolResult {
  callId: string;
  result: unknown;
  size?: number;
}

export interface NativeMessage {
  role: 'user' | 'assistant' | 'system' | 'tool';
  content?: string | null;
  toolCalls?: ToolCall[];
  toolResults?: ToolResult[];
  toolName?: string;
  result?: unknown;
}

export interface CompressedContext {
  /** The kept messages in their original order; a truncated one is a copy, the others the objects given. */
  messages: NativeMessage[];
  /** Tokens of the returned messages (the truncated one recounted); above maxTokens when the preserved tail alone is. */
  totalTokens: number;
  /** How many messages were dropped. */
  removedCount: number;
  /** 1 - totalTokens / tokens of all given messages (unrounded); 0 for no messages. */
  compressionRatio: number;
  /** Indices of the returned messages in the given array, ascending. */
  selectedIndices: number[];
}

export interface CompressedPayload {
  /** One zstd frame. */
  data: Uint8Array;
  /** Bytes compressed: a Uint8Array's own bytes, else the UTF-8 of JSON.stringify(value) (String(value) when that fails). */
  originalBytes: number;
  compressedBytes: number;
  /** 1 - compressedBytes / originalBytes (the share saved, unrounded); 0 for an empty input. */
  compressionRatio: number;
  encoding: 'zstd';
}

export interface NativeTokenizer {
  /** Tokens of `text`; special-token strings (`<|endoftext|>`) count as ordinary text and never throw. */
  countTokens(text: string, model?: ModelName): number;
  /** `countTokens` of each text; natively one call across the boundary, large batches on every core. */
  countTokensBatch(texts: readonly string[], model?: ModelName): number[];
  /** Tokens of `JSON.stringify(value)` (of `String(value)` when that is not serializable). */
  estimateJsonTokens(value: unknown, model?: ModelName): number;
  /**
   * Keeps the last `preserveLastN` messages, then older whole messages while they fit in
   * `maxTokens`; the first that does not fit is truncated when more than 50 tokens remain.
   * See context.js for every pinned detail.
   */
  compressContext(
    messages: readonly NativeMessage[],
    maxTokens: number,
    preserveLastN: number,
    model?: ModelName,
  ): CompressedContext;
  /** null when the serialized value has fewer than `minBytes` bytes. `level` is an integer 1..22 (default 3). */
  compressPayloadZstd(value: unknown, minBytes: number, level?: number): CompressedPayload | null;
  /** The decompressed bytes, or null for corrupt or foreign data and content over 128 MiB. */
  decompressPayloadZstd(data: Uint8Array): Uint8Array | null;
}

export interface BindingDescription {
  implementation: 'native' | 'fallback';
  path: string | null;
  checked: string[];
  reason: string;
  /** The Unicode version of the engine's character classes; null for the fallback. */
  unicodeVersion: string | null;
}

/** The native tokenizer, or null when the binding is absent or disabled (TOKENIZER_RS_DISABLE_NATIVE). */
export function getNativeTokenizer(): NativeTokenizer | null;
/** Why the native tokenizer is not in use, or null when it is. */
export function getNativeTokenizerError(): Error | null;
/** The native tokenizer when available, else the js-tiktoken fallback: always works. */
export function getTokenizer(): NativeTokenizer;
export function describeBinding(): BindingDescription;

/** The encoding that counts `model`'s tokens. */
export function encodingForModel(model: string): EncodingName;
export const ENCODINGS: readonly EncodingName[];
export const DEFAULT_ENCODING: 'cl100k_base';
/** The most decompressPayloadZstd produces: 128 MiB. */
export const MAX_DECOMPRESSED_BYTES: number;

/** Bench hooks, native only: `textProbe` reads a string across the boundary and returns its UTF-8 length. */
export const diagnostics: { textProbe(text: string): number };

// The active tokenizer's methods (getTokenizer()), as plain functions.
export const countTokens: NativeTokenizer['countTokens'];
export const countTokensBatch: NativeTokenizer['countTokensBatch'];
export const estimateJsonTokens: NativeTokenizer['estimateJsonTokens'];
export const compressContext: NativeTokenizer['compressContext'];
export const compressPayloadZstd: NativeTokenizer['compressPayloadZstd'];
export const decompressPayloadZstd: NativeTokenizer['decompressPayloadZstd'];

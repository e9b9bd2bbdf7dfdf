// Which encoding counts a model's tokens: the one table of @ku0/tokenizer-rs, used by the native
// path and the fallback alike (the binding itself only ever receives encoding names).
//
// The table is tiktoken's (openai/tiktoken model.py, as tiktoken-rs 0.12 copies it in
// src/tokenizer.rs): exact names first, then prefixes in order, `ft:<base>:...` read as <base>.
// Where js-tiktoken 1.0.21's getEncodingNameForModel disagrees, tiktoken wins: `davinci-002` and
// `babbage-002` are cl100k_base (js-tiktoken: p50k_base / r50k_base). Encodings outside our four
// map to the one with the same ranks and pattern, which counts identically because special-token
// strings are counted as ordinary text: `gpt2` -> r50k_base, `p50k_edit` -> p50k_base,
// `o200k_harmony` (gpt-oss) -> o200k_base. Anything unknown counts with cl100k_base.

export const ENCODINGS = Object.freeze(['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base']);
export const DEFAULT_ENCODING = 'cl100k_base';

const ENCODING_NAMES = new Set([...ENCODINGS, 'gpt2', 'p50k_edit', 'o200k_harmony']);
const SAME_COUNTS_AS = { gpt2: 'r50k_base', p50k_edit: 'p50k_base', o200k_harmony: 'o200k_base' };

const MODELS = new Map([
  // reasoning
  ['o1', 'o200k_base'],
  ['o3', 'o200k_base'],
  ['o4-mini', 'o200k_base'],
  // chat
  ['gpt-5', 'o200k_base'],
  ['gpt-4.1', 'o200k_base'],
  ['gpt-4o', 'o200k_base'],
  ['gpt-4', 'cl100k_base'],
  ['gpt-3.5-turbo', 'cl100k_base'],
  ['gpt-3.5', 'cl100k_base'],
  ['gpt-35-turbo', 'cl100k_base'],
  // base
  ['davinci-002', 'cl100k_base'],
  ['babbage-002', 'cl100k_base'],
  // embeddings
  ['text-embedding-ada-002', 'cl100k_base'],
  ['text-embedding-3-small', 'cl100k_base'],
  ['text-embedding-3-large', 'cl100k_base'],
  // text (deprecated)
  ['text-davinci-003', 'p50k_base'],
  ['text-davinci-002', 'p50k_base'],
  ['text-davinci-001', 'r50k_base'],
  ['text-curie-001', 'r50k_base'],
  ['text-babbage-001', 'r50k_base'],
  ['text-ada-001', 'r50k_base'],
  ['davinci', 'r50k_base'],
  ['curie', 'r50k_base'],
  ['babbage', 'r50k_base'],
  ['ada', 'r50k_base'],
  // code (deprecated)
  ['code-davinci-002', 'p50k_base'],
  ['code-davinci-001', 'p50k_base'],
  ['code-cushman-002', 'p50k_base'],
  ['code-cushman-001', 'p50k_base'],
  ['davinci-codex', 'p50k_base'],
  ['cushman-codex', 'p50k_base'],
  // edit (deprecated): p50k_edit
  ['text-davinci-edit-001', 'p50k_base'],
  ['code-davinci-edit-001', 'p50k_base'],
  // old embeddings (deprecated)
  ['text-similarity-davinci-001', 'r50k_base'],
  ['text-similarity-curie-001', 'r50k_base'],
  ['text-similarity-babbage-001', 'r50k_base'],
  ['text-similarity-ada-001', 'r50k_base'],
  ['text-search-davinci-doc-001', 'r50k_base'],
  ['text-search-curie-doc-001', 'r50k_base'],
  ['text-search-babbage-doc-001', 'r50k_base'],
  ['text-search-ada-doc-001', 'r50k_base'],
  ['code-search-babbage-code-001', 'r50k_base'],
  ['code-search-ada-code-001', 'r50k_base'],
  // open source: gpt2
  ['gpt2', 'r50k_base'],
  ['gpt-2', 'r50k_base'],
]);

// Tried in this order after the exact names: `gpt-4o-mini` is o200k_base, `gpt-4-32k` cl100k_base.
const PREFIXES = [
  ['o1-', 'o200k_base'],
  ['o3-', 'o200k_base'],
  ['o4-mini-', 'o200k_base'],
  ['gpt-5', 'o200k_base'],
  ['gpt-4.5-', 'o200k_base'],
  ['gpt-4.1-', 'o200k_base'],
  ['chatgpt-4o-', 'o200k_base'],
  ['gpt-4o-', 'o200k_base'],
  ['gpt-4-', 'cl100k_base'],
  ['gpt-3.5-turbo-', 'cl100k_base'],
  ['gpt-35-turbo-', 'cl100k_base'],
  ['gpt-oss-', 'o200k_base'],
  ['codex-mini', 'o200k_base'],
];

function lookUp(name) {
  if (ENCODING_NAMES.has(name)) return SAME_COUNTS_AS[name] ?? name;
  const exact = MODELS.get(name);
  if (exact !== undefined) return exact;
  for (const [prefix, encoding] of PREFIXES) {
    if (name.startsWith(prefix)) return encoding;
  }
  if (name.startsWith('ft:')) {
    const base = name.slice(3).split(':')[0];
    return lookUp(base);
  }
  return DEFAULT_ENCODING;
}

// Names already looked up; a runtime uses a handful, so the cache stays small, but it is capped in
// case a caller passes arbitrary strings.
const CACHE_LIMIT = 256;
const cache = new Map(ENCODINGS.map((name) => [name, name]));

/**
 * The encoding (one of ENCODINGS) that counts `model`'s tokens: a model name, an encoding name,
 * or anything else (cl100k_base). `model` must be a string; the callers check that.
 */
export function encodingForModel(model) {
  let encoding = cache.get(model);
  if (encoding === undefined) {
    encoding = lookUp(model);
    if (cache.size < CACHE_LIMIT) cache.set(model, encoding);
  }
  return encoding;
}

// The model table of models.js: tiktoken's names and prefixes, agreeing with js-tiktoken's
// getEncodingNameForModel on every model it knows except the two documented differences.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { getEncodingNameForModel } from 'js-tiktoken';
import { DEFAULT_ENCODING, ENCODINGS, encodingForModel } from '../models.js';
import { fallback, tokenizerRs } from './support.mjs';

/** Every model name js-tiktoken's switch lists, read from its distributed source. */
function jsTiktokenModels() {
  const dist = dirname(createRequire(import.meta.url).resolve('js-tiktoken'));
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(join(dist, file), 'utf8');
    const start = source.indexOf('function getEncodingNameForModel(');
    if (start < 0) continue;
    const body = source.slice(start, source.indexOf('default:', start));
    return [...body.matchAll(/case "([^"]+)":/g)].map((m) => m[1]);
  }
  assert.fail('getEncodingNameForModel not found in js-tiktoken/dist');
}

// Same ranks and pattern, different special tokens only: counts as text are identical.
const SAME_COUNTS = { gpt2: 'r50k_base', p50k_edit: 'p50k_base' };
// tiktoken (model.py, tiktoken-rs) says cl100k_base for these two; js-tiktoken 1.0.21 does not.
const TIKTOKEN_DIFFERS = { 'davinci-002': 'cl100k_base', 'babbage-002': 'cl100k_base' };

test('agrees with js-tiktoken on every model it knows, except where tiktoken differs', () => {
  const models = jsTiktokenModels();
  assert.ok(models.length > 80, `only ${models.length} models read from js-tiktoken`);
  for (const model of models) {
    const theirs = getEncodingNameForModel(model);
    const expected = TIKTOKEN_DIFFERS[model] ?? SAME_COUNTS[theirs] ?? theirs;
    assert.equal(encodingForModel(model), expected, model);
  }
});

test('prefixes, fine-tunes and names js-tiktoken does not know yet', () => {
  const cases = {
    'gpt-4o-mini-2099-01-01': 'o200k_base',
    'chatgpt-4o-latest-x': 'o200k_base',
    'gpt-4.1-mini-2099': 'o200k_base',
    'gpt-4.5-preview-x': 'o200k_base',
    'gpt-5.2-codex': 'o200k_base',
    'o1-anything': 'o200k_base',
    'o3-pro': 'o200k_base',
    'o4-mini-high': 'o200k_base',
    'gpt-oss-120b': 'o200k_base',
    'codex-mini-latest': 'o200k_base',
    'gpt-4-32k-0613-x': 'cl100k_base',
    'gpt-3.5-turbo-9999': 'cl100k_base',
    'gpt-35-turbo-16k': 'cl100k_base',
    'gpt-3.5': 'cl100k_base',
    'gpt-2': 'r50k_base',
    'ft:gpt-4o:my-org:custom:abc123': 'o200k_base',
    'ft:gpt-3.5-turbo-0613:org::id': 'cl100k_base',
    'ft:davinci-002:org': 'cl100k_base',
    o200k_harmony: 'o200k_base',
    // Unknown: cl100k_base, including near misses of the exact names.
    'claude-3-opus': DEFAULT_ENCODING,
    '': DEFAULT_ENCODING,
    'GPT-4O': DEFAULT_ENCODING,
    'o2': DEFAULT_ENCODING,
    'gpt-4o ': DEFAULT_ENCODING,
    'text-davinci-004': DEFAULT_ENCODING,
  };
  for (const [model, encoding] of Object.entries(cases)) assert.equal(encodingForModel(model), encoding, JSON.stringify(model));
  for (const encoding of ENCODINGS) assert.equal(encodingForModel(encoding), encoding);
});

test('the cache returns the same answers for many distinct names', () => {
  for (let i = 0; i < 1000; i++) {
    assert.equal(encodingForModel(`gpt-4o-${i}`), 'o200k_base');
    assert.equal(encodingForModel(`unknown-${i}`), DEFAULT_ENCODING);
  }
});

test('both paths count a model with its encoding; a non-string model is a TypeError', () => {
  const text = 'The model table is shared: 日本語 and <|endoftext|>.';
  for (const path of [tokenizerRs, fallback]) {
    assert.equal(path.countTokens(text, 'gpt-4o'), path.countTokens(text, 'o200k_base'));
    assert.equal(path.countTokens(text, 'text-davinci-003'), path.countTokens(text, 'p50k_base'));
    assert.equal(path.countTokens(text, 'no-such-model'), path.countTokens(text, 'cl100k_base'));
    assert.equal(path.countTokens(text), path.countTokens(text, 'cl100k_base'));
    assert.throws(() => path.countTokens(text, 4), { name: 'TypeError', message: /model must be/ });
    assert.throws(() => path.countTokens(text, null), TypeError);
  }
});

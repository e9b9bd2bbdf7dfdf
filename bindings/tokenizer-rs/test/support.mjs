// Shared by the @ku0/tokenizer-rs suites: the package under test, its fallback, the generated
// corpora, seeded random text, and outcome capture for comparing errors as data.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tokenizerRs from '../index.js';
import * as fallback from '../fallback.js';
import { assertNativeLoaded as assertNativeBinding } from '@ku0/native-bindings/test-support';

export { tokenizerRs, fallback };
export { rng } from '../../../corpora/rng.mjs';
export { LONE_SURROGATE_CASES } from '../../../corpora/tokenizer/cases.mjs';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const ENCODINGS = tokenizerRs.ENCODINGS;

/** The suites compare native with fallback: running without the native binding proves nothing. */
export function assertNativeLoaded() {
  assertNativeBinding(tokenizerRs, 'or set TOKENIZER_RS_NATIVE_PATH');
  return tokenizerRs.getNativeTokenizer();
}

const MANIFEST = join(REPO_ROOT, 'corpora/tokenizer/generated/manifest.json');

/** The generated corpus cases of `kind` (`parity`, `bench`, `conversation`), with their text. */
export function corpusCases(kind) {
  if (!existsSync(MANIFEST)) {
    assert.fail(`${MANIFEST} is missing: run \`cargo xtask setup\` (node corpora/tokenizer/generate.mjs) to generate the tokenizer corpora`);
  }
  const cases = JSON.parse(readFileSync(MANIFEST, 'utf8')).cases.filter((c) => c.kind === kind);
  assert.ok(cases.length > 0, `${MANIFEST} lists no ${kind} cases: re-run \`cargo xtask setup\``);
  return cases.map((c) => ({ ...c, text: readFileSync(join(REPO_ROOT, c.path), 'utf8') }));
}

/** The corpus case `name`, text included. */
export function corpusCase(kind, name) {
  const found = corpusCases(kind).find((c) => c.name === name);
  assert.ok(found, `the tokenizer corpora have no ${kind} case \`${name}\`: re-run \`cargo xtask setup\``);
  return found;
}

// Code point ranges a random string draws from, so that every plane and every class the
// pre-tokenizers tell apart shows up: letters of many scripts, digits, marks, whitespace,
// punctuation, CJK, emoji and their joiners, private use, unassigned, and lone surrogates.
const RANGES = [
  [0x20, 0x7e], [0x20, 0x7e], [0x20, 0x7e], // ASCII, weighted up
  [0x09, 0x0d], [0x80, 0x24f], [0x300, 0x36f], [0x370, 0x52f], [0x590, 0x6ff], [0x900, 0xdff],
  [0x1680, 0x1680], [0x2000, 0x206f], [0x2070, 0x2bff], [0x3000, 0x30ff], [0x4e00, 0x9fff],
  [0xac00, 0xd7a3], [0xd800, 0xdfff], [0xe000, 0xf8ff], [0xfe00, 0xfeff], [0xff00, 0xffff],
  [0x10000, 0x1ffff], [0x1f300, 0x1faff], [0x20000, 0x3134f], [0x31350, 0x3ffff],
  [0x40000, 0xdffff], [0xe0000, 0xe01ef], [0xf0000, 0x10ffff],
];
const PIECES = [' ', '  ', '\n', '\r\n', '\t', "'s", "'LL", '123456', '...', '<|endoftext|>', '\u200d', '👍🏽', 'é'];

/** A random string of up to `maxLength` code units (lone surrogates included) from `random`. */
export function randomText(random, maxLength = 120) {
  const length = random.int(maxLength + 1);
  let out = '';
  while (out.length < length) {
    if (random() < 0.15) {
      out += random.pick(PIECES);
      continue;
    }
    const [lo, hi] = random.pick(RANGES);
    const runs = random() < 0.2 ? 1 + random.int(12) : 1;
    const codePoint = lo + random.int(hi - lo + 1);
    out += String.fromCodePoint(codePoint).repeat(runs);
  }
  return out;
}

/** Runs `fn` and returns its value or the error it threw, so that outcomes compare as data. */
export function outcome(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
}

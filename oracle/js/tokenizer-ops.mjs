// The tokenizer track's one call, as the live oracle (serve.mjs) and the recorder
// (tokenizer-record.mjs) run it: js-tiktoken's token count with special-token strings counted as
// plain text, `getEncoding(encoding).encode(text, [], []).length`. Encodings load once each.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { getEncoding } from 'js-tiktoken';

import { BadRequest } from './values.mjs';

export const ENCODINGS = Object.freeze(['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base']);

function jsTiktokenVersion() {
  const require = createRequire(import.meta.url);
  // The package exports no package.json; its entry point is dist/index.cjs.
  const packageJson = join(dirname(require.resolve('js-tiktoken')), '..', 'package.json');
  return JSON.parse(readFileSync(packageJson, 'utf8')).version;
}

export const REFERENCE = `js-tiktoken@${jsTiktokenVersion()} getEncoding(encoding).encode(text, [], []).length`;

const loaded = new Map();

function encoder(encoding) {
  if (!ENCODINGS.includes(encoding)) {
    throw new BadRequest(`unknown encoding ${JSON.stringify(encoding)}; known: ${ENCODINGS.join(', ')}`);
  }
  if (!loaded.has(encoding)) loaded.set(encoding, getEncoding(encoding));
  return loaded.get(encoding);
}

export const OPS = Object.freeze({
  /** `count(encoding, text)`: the number of tokens. */
  count: (encoding, text) => {
    if (typeof text !== 'string') throw new BadRequest(`count: text must be a string, got ${typeof text}`);
    return encoder(encoding).encode(text, [], []).length;
  },
});

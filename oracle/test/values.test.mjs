import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BadRequest, canonicalJson, decodeValue, encodeValue, stringToCodeUnits } from '../js/values.mjs';

test('markers decode to undefined and UTF-16 strings, anywhere in a value', () => {
  const decoded = decodeValue(['a', { $undefined: true }, { nested: [{ $utf16: [0xd800, 0x61] }] }], 'args');
  assert.deepEqual(decoded, ['a', undefined, { nested: ['\ud800a'] }]);
});

test('malformed or unknown markers are BadRequest errors naming the argument', () => {
  assert.throws(() => decodeValue([{ $utf16: [70000] }], 'args'), (e) => e instanceof BadRequest && /args\[0\]/.test(e.message));
  assert.throws(() => decodeValue([{ $utf16: 'x' }], 'args'), BadRequest);
  assert.throws(() => decodeValue([{ $input: 'old' }], 'args'), /unknown marker/);
});

test('encodeValue turns strings into code units on request and keeps undefined visible', () => {
  assert.deepEqual(encodeValue(['\udc00', undefined, { a: 'b', skip: undefined }], { utf16: true }), [
    { $utf16: [0xdc00] },
    { $undefined: true },
    { a: { $utf16: [0x62] } },
  ]);
  assert.deepEqual(stringToCodeUnits('😀'), [0xd83d, 0xde00]);
});

test('canonicalJson sorts keys recursively and escapes lone surrogates', () => {
  assert.equal(canonicalJson({ b: [{ z: 1, a: '\ud800' }], a: null }), '{"a":null,"b":[{"a":"\\ud800","z":1}]}');
});

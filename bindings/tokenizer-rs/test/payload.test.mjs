// compressPayloadZstd / decompressPayloadZstd: shapes, round trips, each path reading the other's
// output, and corrupt, truncated, foreign and oversized data giving null on both paths.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_DECOMPRESSED_BYTES, declaredContentSize } from '../payload.js';
import { assertNativeLoaded, fallback, randomText, rng } from './support.mjs';

const native = assertNativeLoaded();
const PATHS = { native, fallback };
const utf8 = new TextDecoder('utf-8', { fatal: true });

const VALUES = [
  { messages: [{ role: 'user', content: 'hello '.repeat(200) }], n: 1 },
  'a string is compressed as its JSON: quoted',
  [1, 2, 3, null, { nested: '日本語 😀' }],
  12345,
  null,
  new Uint8Array(5000).map((_, i) => i % 7),
  Buffer.from('raw bytes of a Buffer '.repeat(50)),
];

describe('compressPayloadZstd', () => {
  test('the payload shape, on both paths', () => {
    const value = { text: 'the same words '.repeat(100) };
    for (const [name, path] of Object.entries(PATHS)) {
      const payload = path.compressPayloadZstd(value, 0);
      const json = JSON.stringify(value);
      assert.equal(Object.getPrototypeOf(payload.data), Uint8Array.prototype, `${name}: data is a plain Uint8Array`);
      assert.deepEqual(Object.keys(payload), ['data', 'originalBytes', 'compressedBytes', 'compressionRatio', 'encoding']);
      assert.equal(payload.encoding, 'zstd');
      assert.equal(payload.originalBytes, Buffer.byteLength(json));
      assert.equal(payload.compressedBytes, payload.data.length);
      assert.equal(payload.compressionRatio, 1 - payload.compressedBytes / payload.originalBytes);
      assert.ok(payload.compressedBytes < payload.originalBytes / 10);
    }
  });

  test('null below minBytes, a payload at it (bytes of UTF-8, not characters)', () => {
    const value = 'é'.repeat(10); // JSON "éééééééééé": 22 bytes, 12 characters
    for (const path of Object.values(PATHS)) {
      assert.equal(path.compressPayloadZstd(value, 23), null);
      assert.equal(path.compressPayloadZstd(value, 22).originalBytes, 22);
      assert.equal(path.compressPayloadZstd(value, Infinity), null);
      assert.equal(path.compressPayloadZstd(new Uint8Array(0), 0).compressionRatio, 0);
    }
  });

  test('round trips through either path, and each path reads the other', () => {
    const random = rng(0x2577);
    const values = [...VALUES, ...Array.from({ length: 20 }, () => ({ text: randomText(random, 2000) }))];
    for (const value of values) {
      const expected = value instanceof Uint8Array ? new Uint8Array(value) : new TextEncoder().encode(JSON.stringify(value));
      for (const level of [1, 3, 19, 22]) {
        for (const [from, writer] of Object.entries(PATHS)) {
          const { data } = writer.compressPayloadZstd(value, 0, level);
          for (const [to, reader] of Object.entries(PATHS)) {
            assert.deepEqual(reader.decompressPayloadZstd(data), expected, `${from} -> ${to} at level ${level}`);
          }
        }
      }
      if (!(value instanceof Uint8Array)) {
        const { data } = native.compressPayloadZstd(value, 0);
        assert.deepEqual(JSON.parse(utf8.decode(native.decompressPayloadZstd(data))), JSON.parse(JSON.stringify(value)));
      }
    }
  });

  test('values JSON cannot hold are compressed as String(value)', () => {
    const cyclic = {};
    cyclic.self = cyclic;
    for (const [value, text] of [[10n, '10'], [undefined, 'undefined'], [cyclic, '[object Object]']]) {
      for (const path of Object.values(PATHS)) {
        assert.equal(utf8.decode(path.decompressPayloadZstd(path.compressPayloadZstd(value, 0).data)), text);
      }
    }
  });
});

/**
 * A zstd frame with no declared content size (zstd-wasm and the zstd crate always declare it),
 * built by hand: magic, descriptor 0 (no content size, not single segment), window log 20, then
 * `payload` in raw blocks of at most 128 KiB, the last one marked.
 */
function frameWithoutContentSize(payload) {
  const BLOCK = 128 * 1024;
  const bytes = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50];
  for (let at = 0; at < payload.length || at === 0; at += BLOCK) {
    const block = payload.subarray(at, at + BLOCK);
    const last = at + BLOCK >= payload.length ? 1 : 0;
    const header = block.length * 8 + last; // block type 0 (raw) in bits 1-2
    bytes.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
    for (const byte of block) bytes.push(byte);
    if (last) break;
  }
  return new Uint8Array(bytes);
}

describe('decompressPayloadZstd', () => {
  const good = native.compressPayloadZstd({ text: 'some text to compress '.repeat(100) }, 0).data;

  test('corrupt, truncated and foreign data give null on both paths', () => {
    const flipped = good.slice();
    flipped[Math.floor(flipped.length / 2)] ^= 0xff;
    const reserved = good.slice();
    reserved[4] |= 0x08;
    const cases = {
      empty: new Uint8Array(0),
      'magic only': good.slice(0, 4),
      truncated: good.slice(0, good.length - 5),
      'a flipped byte': flipped,
      'reserved header bit': reserved,
      'not zstd': new TextEncoder().encode('definitely not a zstd frame'),
      'two frames where one is declared': new Uint8Array([...good, ...good]),
      'trailing garbage': new Uint8Array([...good, 1, 2, 3]),
    };
    for (const [name, data] of Object.entries(cases)) {
      for (const [pathName, path] of Object.entries(PATHS)) {
        assert.equal(path.decompressPayloadZstd(data), null, `${name} on ${pathName}`);
      }
    }
  });

  test('random bytes never crash either path, and both agree', () => {
    const random = rng(0xbad);
    for (let i = 0; i < 300; i++) {
      const data = good.slice();
      for (let k = 1 + random.int(4); k > 0; k--) data[4 + random.int(data.length - 4)] = random.int(256);
      const a = native.decompressPayloadZstd(data);
      const b = fallback.decompressPayloadZstd(data);
      assert.deepEqual(a, b, `mutation ${i}`);
    }
  });

  test('a declared size over the cap is refused before anything is allocated', () => {
    const frame = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0x10, 1, 0, 0]); // 2^60 bytes
    assert.equal(declaredContentSize(frame), 2 ** 60);
    for (const path of Object.values(PATHS)) assert.equal(path.decompressPayloadZstd(frame), null);
    const justOver = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0xa0, ...new Uint8Array(new Uint32Array([MAX_DECOMPRESSED_BYTES + 1]).buffer), 1, 0, 0]);
    assert.equal(declaredContentSize(justOver), MAX_DECOMPRESSED_BYTES + 1);
    for (const path of Object.values(PATHS)) assert.equal(path.decompressPayloadZstd(justOver), null);
  });

  test('a frame without a declared size decompresses on both paths, past zstd-wasm\'s first 1 MiB', () => {
    for (const payload of [new TextEncoder().encode('raw block content'), new Uint8Array(1_500_000).map((_, i) => i * 31)]) {
      const frame = frameWithoutContentSize(payload);
      assert.equal(declaredContentSize(frame), null);
      for (const [name, path] of Object.entries(PATHS)) {
        assert.deepEqual(path.decompressPayloadZstd(frame), payload, `${payload.length} bytes on ${name}`);
      }
    }
  });

  test('Buffers and Uint8Arrays are both read; anything else is a TypeError', () => {
    for (const path of Object.values(PATHS)) {
      assert.ok(path.decompressPayloadZstd(Buffer.from(good)) instanceof Uint8Array);
      for (const bad of ['text', [1, 2], good.buffer, null, undefined, new Uint16Array(4)]) {
        assert.throws(() => path.decompressPayloadZstd(bad), TypeError);
      }
    }
  });
});

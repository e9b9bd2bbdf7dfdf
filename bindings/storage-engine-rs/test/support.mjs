// Shared by the @ku0/storage-engine-rs suites: the package and its reference engine, fresh root
// directories, seeded randomness, and outcomes captured as data so that native and reference
// results (errors included) compare with one deepEqual.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as storage from '../index.js';
import * as reference from '../reference.js';
import { assertNativeLoaded as assertNativeBinding } from '@ku0/native-bindings/test-support';

export { storage, reference };
export { rng } from '../../../corpora/rng.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The suites need the native engine: without it they would prove nothing. */
export function assertNativeLoaded() {
  assertNativeBinding(storage, '(or `cargo build -p storage-engine-rs`) or set KU0_STORAGE_ENGINE_RS_NATIVE_PATH');
}

/**
 * A fresh directory on the repository's disk (under target/, where fsync behaves as it will for
 * users, unlike a tmpfs), removed when the test ends.
 */
export function tempRoot(t, label = 'store') {
  const dir = mkdtempSync(join(REPO_ROOT, 'target', `ku0-storage-test-${label}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `fn` and returns `{ value }` or `{ error: { name, message } }`, values made comparable. */
export function outcome(fn) {
  try {
    return { value: comparable(fn()) };
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
}

/** `outcome` of an async call. */
export async function outcomeAsync(fn) {
  try {
    return { value: comparable(await fn()) };
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
}

const hex = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** Bytes as `bytes:<hex>` (of any Uint8Array class), arrays element by element; rest as is. */
export function comparable(value) {
  if (value instanceof Uint8Array) {
    assert.equal(Object.getPrototypeOf(value), Uint8Array.prototype, 'results must be plain Uint8Arrays');
    return `bytes:${hex(value)}`;
  }
  if (Array.isArray(value)) return value.map(comparable);
  return value;
}

/** Random bytes: mostly short, sometimes empty, sometimes a few KB. */
export function randomBytes(random, max = 300) {
  const roll = random();
  const length = roll < 0.1 ? 0 : roll < 0.95 ? random.int(max) : max + random.int(4 * max);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random.int(256);
  return bytes;
}

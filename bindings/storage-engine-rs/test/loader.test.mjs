// Loader rules (ARCHITECTURE.md "Binding resolution") for a track whose binding is required: the
// import always succeeds, `isNativeStorageEngineAvailable()` tells, and `new StorageEngine()` throws
// an error listing every path checked. Each case runs in a fresh node process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packageCopy, runPackageScript } from '@ku0/native-bindings/test-support';
import { assertNativeLoaded, storage } from './support.mjs';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const OVERRIDE = 'KU0_STORAGE_ENGINE_RS_NATIVE_PATH';

/** Runs `script` (an ES module body with `s` = the package at `packageDir`) in a child; its JSON. */
function inChild(packageDir, env, script) {
  return runPackageScript(packageDir, { ...process.env, [OVERRIDE]: '', ...env }, script);
}

const PROBE = `
  let error = null;
  try { new s.StorageEngine('/proc/ku0-no-such-dir/store').close(); } catch (e) { error = { message: e.message, checked: e.checked }; }
  console.log(JSON.stringify({ available: s.isNativeStorageEngineAvailable(), described: s.describeBinding(), error }));`;

test('in the workspace: the native binding loads and describeBinding() says from where', () => {
  assertNativeLoaded();
  const described = storage.describeBinding();
  assert.equal(storage.isNativeStorageEngineAvailable(), true);
  assert.match(described.path, /storage_engine_rs/);
});

test('no binding anywhere: the import works, the constructor throws listing every path checked', (t) => {
  const dir = packageCopy(t, PACKAGE_DIR);
  const result = inChild(dir, {}, PROBE);
  assert.equal(result.available, false);
  assert.equal(result.described.implementation, 'unavailable');
  assert.ok(result.error, 'the constructor did not throw');
  assert.match(result.error.message, /no usable native binding, and this package has no JS fallback/);
  assert.ok(result.error.checked.length >= 2);
  for (const path of result.error.checked) {
    assert.ok(result.error.message.includes(path), `the message does not list ${path}`);
    assert.ok(path.startsWith(dir), `${path} is not in the package copy`);
  }
  assert.match(result.error.message, new RegExp(OVERRIDE));
});

test('a broken prebuild is rejected and named, not used', (t) => {
  const dir = packageCopy(t, PACKAGE_DIR, 'storage_engine_rs.node');
  const result = inChild(dir, {}, PROBE);
  assert.equal(result.available, false);
  assert.match(result.error.message, /dist\/storage_engine_rs\.node: rejected, failed to load/);
});

test(`${OVERRIDE} at a missing file: the constructor throws naming the variable and the path`, () => {
  const result = inChild(PACKAGE_DIR, { [OVERRIDE]: '/nonexistent/libstorage_engine_rs.so' }, PROBE);
  assert.equal(result.available, false);
  assert.match(result.error.message, new RegExp(`${OVERRIDE} is set to /nonexistent/libstorage_engine_rs\\.so`));
  assert.deepEqual(result.error.checked, ['/nonexistent/libstorage_engine_rs.so']);
});

test(`${OVERRIDE} at the built binding: it is the one loaded`, () => {
  assertNativeLoaded();
  const path = storage.describeBinding().path;
  const result = inChild(PACKAGE_DIR, { [OVERRIDE]: path }, PROBE);
  assert.equal(result.available, true);
  assert.equal(result.described.path, path);
  assert.match(result.described.reason, new RegExp(OVERRIDE));
});

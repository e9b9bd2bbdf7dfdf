import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { loadBinding } from '../index.js';
import {
  expectedPrebuildOrder,
  fixtureOptions,
  placeBrokenFile,
  placeFixture,
  tempDir,
} from '../test-support/fixture.mjs';

test('rejected: a binding built for another version is not used, and the reason says so', (t) => {
  const dir = tempDir(t, 'reject-version');
  const stale = placeFixture(path.join(dir, 'index.node'));

  const binding = loadBinding(fixtureOptions(dir, { packageVersion: '0.2.0' }));

  assert.equal(binding.native, null);
  const { implementation, reason } = binding.describe();
  assert.equal(implementation, 'fallback');
  assert.equal(reason, `no usable native binding: rejected ${stale} (built for version 0.1.0, package is 0.2.0)`);
  assert.ok(binding.error.message.includes(reason));
});

test('rejected: a binding missing required exports is not used, and the reason names them', (t) => {
  const dir = tempDir(t, 'reject-exports');
  const partial = placeFixture(path.join(dir, 'dist', 'index.node'));

  const binding = loadBinding(fixtureOptions(dir, { requiredExports: ['ping', 'diffUnified', 'applyPatch'] }));

  assert.equal(binding.native, null);
  assert.equal(
    binding.describe().reason,
    `no usable native binding: rejected ${partial} (missing exports: diffUnified, applyPatch)`,
  );
});

test('rejected: a broken file is skipped with its reason and the search goes on', (t) => {
  const dir = tempDir(t, 'reject-broken');
  const broken = placeBrokenFile(path.join(dir, 'dist', 'index.node'));
  const good = placeFixture(path.join(dir, 'index.node'));

  const description = loadBinding(fixtureOptions(dir)).describe();

  assert.equal(description.path, good);
  assert.ok(description.reason.startsWith(`loaded packaged prebuild; skipped ${broken} (failed to load: `), description.reason);
});

test('required track: nothing found throws listing every path checked', (t) => {
  const dir = tempDir(t, 'required-none');

  assert.throws(
    () => loadBinding(fixtureOptions(dir, { hasFallback: false })),
    (error) => {
      const expected = expectedPrebuildOrder(dir);
      assert.deepEqual(error.checked, expected);
      for (const checkedPath of expected) {
        assert.ok(error.message.includes(`${checkedPath}: not found`), `${checkedPath} missing from:\n${error.message}`);
      }
      assert.match(error.message, /no JS fallback/);
      assert.match(error.message, /KU0_LOADER_FIXTURE_NATIVE_PATH/);
      return true;
    },
  );
});

test('required track: every candidate rejected throws with each rejection reason', (t) => {
  const dir = tempDir(t, 'required-rejected');
  const broken = placeBrokenFile(path.join(dir, 'dist', 'index.node'));
  const stale = placeFixture(path.join(dir, 'index.node'));

  assert.throws(
    () => loadBinding(fixtureOptions(dir, { hasFallback: false, packageVersion: '3.0.0' })),
    (error) => {
      assert.match(error.message, new RegExp(`${escape(broken)}: rejected, failed to load: `));
      assert.match(error.message, new RegExp(`${escape(stale)}: rejected, built for version 0\\.1\\.0, package is 3\\.0\\.0`));
      assert.equal(error.checked.length, expectedPrebuildOrder(dir).length);
      assert.deepEqual(error.rejections.map((r) => r.path), [broken, stale]);
      return true;
    },
  );
});

test('required track: a usable binding loads normally', (t) => {
  const dir = tempDir(t, 'required-ok');
  placeFixture(path.join(dir, 'index.node'));

  assert.equal(loadBinding(fixtureOptions(dir, { hasFallback: false })).native.ping(), 'pong');
});

test('describe(): the documented shape for native and fallback, returned as a fresh copy', (t) => {
  const nativeDir = tempDir(t, 'describe-native');
  placeFixture(path.join(nativeDir, 'index.node'));
  const fallbackDir = tempDir(t, 'describe-fallback');

  for (const binding of [loadBinding(fixtureOptions(nativeDir)), loadBinding(fixtureOptions(fallbackDir))]) {
    const description = binding.describe();
    assert.deepEqual(Object.keys(description).sort(), ['checked', 'implementation', 'path', 'reason']);
    assert.ok(['native', 'fallback'].includes(description.implementation));
    assert.equal(description.path === null, description.implementation === 'fallback');
    assert.equal(binding.native === null, description.implementation === 'fallback');
    assert.equal(binding.error === null, description.implementation === 'native');
    assert.ok(description.checked.every((p) => typeof p === 'string' && path.isAbsolute(p)));
    assert.equal(typeof description.reason, 'string');
    assert.ok(description.reason.length > 0);

    description.checked.length = 0;
    assert.notEqual(binding.describe().checked.length, 0, 'describe() must not share its arrays');
  }
});

test('options: a wrong option is a TypeError naming it', () => {
  const base = fixtureOptions('/tmp');
  assert.throws(() => loadBinding({ ...base, packageDir: 'relative/dir' }), { name: 'TypeError', message: /packageDir/ });
  assert.throws(() => loadBinding({ ...base, hasFallback: undefined }), { name: 'TypeError', message: /hasFallback/ });
  assert.throws(() => loadBinding({ ...base, requiredExports: 'ping' }), { name: 'TypeError', message: /requiredExports/ });
  assert.throws(() => loadBinding({ ...base, binaryName: '../evil' }), { name: 'TypeError', message: /binaryName/ });
  assert.throws(() => loadBinding(undefined), TypeError);
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

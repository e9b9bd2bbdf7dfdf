// loadRequiredBinding: a required track's import never throws; the loader's error is kept for the
// package to raise, and describe() says `unavailable` with it.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { loadBinding, loadRequiredBinding } from '../index.js';
import { expectedPrebuildOrder, fixtureOptions, placeFixture, tempDir } from '../test-support/fixture.mjs';

test('loadRequiredBinding: nothing found returns the error that loadBinding would throw, unavailable', (t) => {
  const dir = tempDir(t, 'required-soft-none');
  const options = fixtureOptions(dir, { hasFallback: true });

  const loaded = loadRequiredBinding(options);

  assert.equal(loaded.native, null);
  assert.deepEqual(loaded.error.checked, expectedPrebuildOrder(dir));
  assert.throws(() => loadBinding({ ...options, hasFallback: false }), { message: loaded.error.message });
  assert.deepEqual(loaded.describe(), {
    implementation: 'unavailable',
    path: null,
    checked: expectedPrebuildOrder(dir),
    reason: loaded.error.message,
  });
  loaded.describe().checked.push('changed');
  assert.deepEqual(loaded.describe().checked, expectedPrebuildOrder(dir), 'describe() returns a fresh copy');
});

test('loadRequiredBinding: invalid options are kept as the error too, never thrown', (t) => {
  const loaded = loadRequiredBinding(fixtureOptions(tempDir(t, 'required-soft-bad'), { binaryName: '' }));
  assert.equal(loaded.native, null);
  assert.ok(loaded.error instanceof TypeError, String(loaded.error));
  assert.equal(loaded.describe().implementation, 'unavailable');
});

test('loadRequiredBinding: a usable binding loads as with loadBinding, with no error', (t) => {
  const dir = tempDir(t, 'required-soft-ok');
  const placed = placeFixture(path.join(dir, 'index.node'));

  const loaded = loadRequiredBinding(fixtureOptions(dir));

  assert.equal(loaded.native.ping(), 'pong');
  assert.equal(loaded.error, null);
  assert.equal(loaded.describe().implementation, 'native');
  assert.equal(loaded.describe().path, placed);
});

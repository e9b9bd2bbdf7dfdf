import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { loadBinding } from '../index.js';
import {
  FIXTURE_BINARY,
  cargoFileName,
  expectedPrebuildOrder,
  fakeWorkspace,
  fixtureOptions,
  placeFixture,
  tempDir,
} from '../test-support/fixture.mjs';

const LIB = cargoFileName(FIXTURE_BINARY);

test('workspace: target/release is preferred over target/debug', (t) => {
  const { root, packageDir } = fakeWorkspace(t);
  const release = placeFixture(path.join(root, 'target', 'release', LIB));
  placeFixture(path.join(root, 'target', 'debug', LIB));

  const description = loadBinding(fixtureOptions(packageDir)).describe();

  assert.equal(description.path, release);
  assert.equal(description.reason, 'loaded workspace build');
  assert.deepEqual(description.checked, [...expectedPrebuildOrder(packageDir), release]);
});

test('workspace: target/debug is used when there is no release build', (t) => {
  const { root, packageDir } = fakeWorkspace(t);
  const debug = placeFixture(path.join(root, 'target', 'debug', LIB));

  const binding = loadBinding(fixtureOptions(packageDir));

  assert.equal(binding.native.ping(), 'pong');
  assert.deepEqual(binding.describe().checked, [
    ...expectedPrebuildOrder(packageDir),
    path.join(root, 'target', 'release', LIB),
    debug,
  ]);
});

test('workspace: the root is the nearest Cargo.toml with [workspace], not a member manifest', (t) => {
  const { root, packageDir } = fakeWorkspace(t);
  writeFileSync(path.join(packageDir, 'Cargo.toml'), '[package]\nname = "pkg"\n# [workspace] in a comment does not count\n');
  const debug = placeFixture(path.join(root, 'target', 'debug', LIB));
  placeFixture(path.join(packageDir, 'target', 'release', LIB)); // a member's own target/ is not the workspace's

  assert.equal(loadBinding(fixtureOptions(packageDir)).describe().path, debug);
});

test('workspace: CARGO_TARGET_DIR replaces <root>/target', (t) => {
  const { root, packageDir } = fakeWorkspace(t);
  placeFixture(path.join(root, 'target', 'release', LIB));
  const customTarget = tempDir(t, 'custom-target');
  const custom = placeFixture(path.join(customTarget, 'debug', LIB));

  const description = loadBinding(fixtureOptions(packageDir, { env: { CARGO_TARGET_DIR: customTarget } })).describe();

  assert.equal(description.path, custom);
  assert.ok(!description.checked.some((p) => p.startsWith(path.join(root, 'target'))), description.checked.join('\n'));
});

test('workspace: a package outside any cargo workspace probes only its prebuilds', (t) => {
  const dir = tempDir(t, 'no-workspace');

  const description = loadBinding(fixtureOptions(dir)).describe();

  assert.equal(description.implementation, 'fallback');
  assert.deepEqual(description.checked, expectedPrebuildOrder(dir));
});

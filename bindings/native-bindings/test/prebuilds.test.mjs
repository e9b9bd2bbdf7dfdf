import assert from 'node:assert/strict';
import path from 'node:path';
import process from 'node:process';
import test from 'node:test';
import { loadBinding, platformArch } from '../index.js';
import {
  FIXTURE_BINARY,
  expectedPrebuildOrder,
  fixtureOptions,
  placeFixture,
  tempDir,
} from '../test-support/fixture.mjs';

test('prebuild: dist/<binary>.<platform>-<arch>.node is preferred over the package root', (t) => {
  const dir = tempDir(t, 'prebuild-dist');
  const distPlatform = placeFixture(path.join(dir, 'dist', `${FIXTURE_BINARY}.${platformArch()}.node`));
  placeFixture(path.join(dir, `${FIXTURE_BINARY}.${platformArch()}.node`));
  placeFixture(path.join(dir, 'index.node'));

  const description = loadBinding(fixtureOptions(dir)).describe();

  assert.equal(description.implementation, 'native');
  assert.equal(description.path, distPlatform);
  assert.equal(description.reason, 'loaded packaged prebuild');
  const order = expectedPrebuildOrder(dir);
  assert.deepEqual(description.checked, order.slice(0, order.indexOf(distPlatform) + 1));
});

test('prebuild: index.node in the package root is used when nothing comes before it', (t) => {
  const dir = tempDir(t, 'prebuild-root-index');
  const rootIndex = placeFixture(path.join(dir, 'index.node'));

  const binding = loadBinding(fixtureOptions(dir));

  assert.equal(binding.native.ping(), 'pong');
  assert.deepEqual(binding.describe().checked, expectedPrebuildOrder(dir));
  assert.equal(binding.describe().path, rootIndex);
});

test('prebuild: on Linux the libc-suffixed name napi-rs emits comes before the plain one', { skip: process.platform !== 'linux' && 'Linux only' }, (t) => {
  const dir = tempDir(t, 'prebuild-gnu');
  const gnu = placeFixture(path.join(dir, 'dist', `${FIXTURE_BINARY}.${platformArch()}-gnu.node`));
  placeFixture(path.join(dir, 'dist', `${FIXTURE_BINARY}.${platformArch()}.node`));

  assert.equal(loadBinding(fixtureOptions(dir)).describe().path, gnu);
});

test('loading the same file twice reuses the module instead of opening it again', (t) => {
  const dir = tempDir(t, 'prebuild-cache');
  placeFixture(path.join(dir, 'index.node'));

  const first = loadBinding(fixtureOptions(dir, { packageName: '@ku0/first' }));
  const second = loadBinding(fixtureOptions(dir, { packageName: '@ku0/second' }));

  assert.equal(first.native, second.native);
});

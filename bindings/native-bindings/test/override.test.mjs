import assert from 'node:assert/strict';
import path from 'node:path';
import process from 'node:process';
import test from 'node:test';
import { loadBinding } from '../index.js';
import {
  builtFixture,
  fixtureOptions,
  placeBrokenFile,
  placeFixture,
  tempDir,
} from '../test-support/fixture.mjs';

const OVERRIDE = 'KU0_LOADER_FIXTURE_NATIVE_PATH';

test('the fixture binding is built', () => {
  assert.ok(builtFixture());
});

test('override: loads exactly the given path, ahead of any prebuild', (t) => {
  const dir = tempDir(t, 'override-ok');
  const explicit = placeFixture(path.join(dir, 'elsewhere', 'chosen.node'));
  placeFixture(path.join(dir, 'pkg', 'dist', 'index.node'));

  const binding = loadBinding(fixtureOptions(path.join(dir, 'pkg'), { env: { [OVERRIDE]: explicit } }));

  assert.equal(binding.native.ping(), 'pong');
  assert.equal(binding.error, null);
  assert.deepEqual(binding.describe(), {
    implementation: 'native',
    path: explicit,
    checked: [explicit],
    reason: `loaded from ${OVERRIDE}`,
  });
});

test('override: read from process.env when no env option is given', (t) => {
  const dir = tempDir(t, 'override-process-env');
  const explicit = placeFixture(path.join(dir, 'binding.so'));
  const options = fixtureOptions(dir, { overrideEnv: 'KU0_LOADER_TEST_PROCESS_ENV_PATH' });
  delete options.env;
  process.env.KU0_LOADER_TEST_PROCESS_ENV_PATH = explicit;
  t.after(() => delete process.env.KU0_LOADER_TEST_PROCESS_ENV_PATH);

  assert.equal(loadBinding(options).describe().path, explicit);
});

test('override: an empty value counts as unset', (t) => {
  const dir = tempDir(t, 'override-empty');
  const prebuild = placeFixture(path.join(dir, 'index.node'));

  const binding = loadBinding(fixtureOptions(dir, { env: { [OVERRIDE]: '' } }));

  assert.equal(binding.describe().path, prebuild);
});

test('override: a missing file throws naming the variable and the path', (t) => {
  const dir = tempDir(t, 'override-missing');
  placeFixture(path.join(dir, 'index.node')); // must not be used as a silent substitute
  const missing = path.join(dir, 'no-such-binding.node');

  assert.throws(
    () => loadBinding(fixtureOptions(dir, { env: { [OVERRIDE]: missing } })),
    (error) => {
      assert.match(error.message, new RegExp(OVERRIDE));
      assert.ok(error.message.includes(missing), error.message);
      assert.match(error.message, /file does not exist/);
      return true;
    },
  );
});

test('override: a file that is not a native module throws naming the variable, path and cause', (t) => {
  const dir = tempDir(t, 'override-broken');
  const broken = placeBrokenFile(path.join(dir, 'x.node'));

  assert.throws(
    () => loadBinding(fixtureOptions(dir, { env: { [OVERRIDE]: broken } })),
    (error) => {
      assert.match(error.message, new RegExp(OVERRIDE));
      assert.ok(error.message.includes(broken), error.message);
      assert.match(error.message, /failed to load: /);
      return true;
    },
  );
});

test('override: a binding for another version or without the needed exports throws', (t) => {
  const dir = tempDir(t, 'override-contract');
  const explicit = placeFixture(path.join(dir, 'binding.node'));
  const env = { [OVERRIDE]: explicit };

  assert.throws(
    () => loadBinding(fixtureOptions(dir, { env, packageVersion: '2.0.0' })),
    new RegExp(`${OVERRIDE}.*built for version 0\\.1\\.0, package is 2\\.0\\.0`),
  );
  assert.throws(
    () => loadBinding(fixtureOptions(dir, { env, requiredExports: ['ping', 'diffUnified'] })),
    new RegExp(`${OVERRIDE}.*missing exports: diffUnified`),
  );
});

import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { isTruthyEnv, loadBinding } from '../index.js';
import {
  fixtureOptions,
  placeFixture,
  propertySeed,
  seededRandom,
  tempDir,
} from '../test-support/fixture.mjs';

const DISABLE = 'KU0_LOADER_FIXTURE_DISABLE_NATIVE';
const OVERRIDE = 'KU0_LOADER_FIXTURE_NATIVE_PATH';

test('disable: 1, true, yes and TRUE force the fallback, even over a valid override', (t) => {
  const dir = tempDir(t, 'disable-on');
  const prebuild = placeFixture(path.join(dir, 'index.node'));

  for (const value of ['1', 'true', 'yes', 'TRUE', 'Yes']) {
    const binding = loadBinding(fixtureOptions(dir, { env: { [DISABLE]: value, [OVERRIDE]: prebuild } }));
    assert.equal(binding.native, null, value);
    assert.deepEqual(binding.describe(), {
      implementation: 'fallback',
      path: null,
      checked: [],
      reason: `native binding disabled by ${DISABLE}=${value}`,
    });
    assert.match(binding.error.message, new RegExp(DISABLE));
  }
});

test('disable: 0, empty, false and no leave native on', (t) => {
  const dir = tempDir(t, 'disable-off');
  const prebuild = placeFixture(path.join(dir, 'index.node'));

  for (const value of ['0', '', 'false', 'no', 'off']) {
    const binding = loadBinding(fixtureOptions(dir, { env: { [DISABLE]: value } }));
    assert.equal(binding.describe().implementation, 'native', `value ${JSON.stringify(value)}`);
    assert.equal(binding.describe().path, prebuild);
  }
});

test('disable: a track without fallback throws instead of pretending to run', (t) => {
  const dir = tempDir(t, 'disable-required');
  placeFixture(path.join(dir, 'index.node'));

  assert.throws(
    () => loadBinding(fixtureOptions(dir, { hasFallback: false, env: { [DISABLE]: 'yes' } })),
    new RegExp(`${DISABLE}=yes.*no JS fallback`),
  );
});

test('isTruthyEnv: exactly 1/true/yes in any case, surrounding whitespace ignored (property)', () => {
  const seed = propertySeed();
  const random = seededRandom(seed);
  const alphabet = ['1', '0', 't', 'r', 'u', 'e', 'T', 'R', 'U', 'E', 'y', 'Y', 's', 'S', 'n', 'o', ' ', '\t'];
  const pick = (items) => items[Math.floor(random() * items.length)];
  const randomCase = (word) => [...word].map((c) => (random() < 0.5 ? c.toUpperCase() : c)).join('');
  const pad = () => pick(['', ' ', '\t', '  ']);

  for (let i = 0; i < 2000; i += 1) {
    const value =
      random() < 0.4
        ? pad() + randomCase(pick(['1', 'true', 'yes'])) + pad()
        : Array.from({ length: Math.floor(random() * 6) }, () => pick(alphabet)).join('');
    const expected = ['1', 'true', 'yes'].includes(value.trim().toLowerCase());
    assert.equal(isTruthyEnv(value), expected, `value ${JSON.stringify(value)} (seed ${seed})`);
  }
  for (const notAString of [undefined, null, 1, true]) assert.equal(isTruthyEnv(notAString), false);
});

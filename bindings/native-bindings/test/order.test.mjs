import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { loadBinding } from '../index.js';
import {
  FIXTURE_BINARY,
  cargoFileName,
  expectedPrebuildOrder,
  fakeWorkspace,
  fixtureOptions,
  placeBrokenFile,
  placeFixture,
  placeLink,
  propertySeed,
  seededRandom,
  tempDir,
} from '../test-support/fixture.mjs';

const CASES = 25;

// Property: for any set of candidate files, each either a working binding or a broken file,
// the loader probes candidates in the documented order, rejects every broken one it meets,
// and loads the first working one (or falls back, listing every rejection).
test('resolution order: the first working candidate wins over random layouts (property)', (t) => {
  const seed = propertySeed();
  const random = seededRandom(seed);
  // Working candidates are hard links to one copy (9 MB in debug), which the dynamic linker
  // loads like distinct files; a wrong pick shows up as a wrong path, not a wrong module.
  const original = placeFixture(path.join(tempDir(t, 'order-original'), 'fixture.node'));

  for (let caseIndex = 0; caseIndex < CASES; caseIndex += 1) {
    const { root, packageDir } = fakeWorkspace(t);
    const order = [
      ...expectedPrebuildOrder(packageDir),
      path.join(root, 'target', 'release', cargoFileName(FIXTURE_BINARY)),
      path.join(root, 'target', 'debug', cargoFileName(FIXTURE_BINARY)),
    ];
    const layout = order.map((candidate) => {
      const roll = random();
      if (roll < 0.6) return 'absent';
      if (roll < 0.8) return placeBrokenFile(candidate) && 'broken';
      return placeLink(original, candidate) && 'working';
    });

    const context = `case ${caseIndex}, seed ${seed}, layout ${JSON.stringify(layout)}`;
    const winner = layout.indexOf('working');
    const probedCount = winner === -1 ? order.length : winner + 1;
    const expectedRejected = order.slice(0, probedCount).filter((_, i) => layout[i] === 'broken');

    const description = loadBinding(fixtureOptions(packageDir)).describe();

    assert.deepEqual(description.checked, order.slice(0, probedCount), context);
    assert.equal(description.path, winner === -1 ? null : order[winner], context);
    for (const rejected of expectedRejected) {
      assert.ok(description.reason.includes(`${rejected} (failed to load: `), `${context}\n${description.reason}`);
    }
    const mentioned = order.filter((p) => description.reason.includes(`${p} (`));
    assert.deepEqual(mentioned, expectedRejected, context);
  }
});

// Native and fallback must agree exactly (oracle/CONTRACTS.md): the same calls, one process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertNativeLoaded, diffRs, fallback, rng, randomEditPair, outcome } from './support.mjs';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const CASES = 400;

test('the native binding is the one under test', () => {
  assertNativeLoaded();
});

test(`diffUnified, createTwoFilesPatch and diffLines equal jsdiff on ${CASES} random edit pairs`, () => {
  assertNativeLoaded();
  const random = rng(0x5eed);
  for (let i = 0; i < CASES; i++) {
    const [oldText, newText] = randomEditPair(random);
    const context = random.int(7);
    const replay = `case ${i}: ${JSON.stringify({ oldText, newText, context })}`;
    assert.equal(diffRs.diffUnified(oldText, newText, context), fallback.diffUnified(oldText, newText, context), replay);
    assert.equal(
      diffRs.createTwoFilesPatch('a.txt', 'b.txt', oldText, newText, 'old', '', { context }),
      fallback.createTwoFilesPatch('a.txt', 'b.txt', oldText, newText, 'old', '', { context }),
      replay,
    );
    // Serialised, so that key order (which callers' snapshots see) is compared too.
    assert.equal(JSON.stringify(diffRs.diffLines(oldText, newText)), JSON.stringify(fallback.diffLines(oldText, newText)), replay);
  }
});

test(`applyPatch and reversePatch equal jsdiff and round-trip on ${CASES} random edit pairs`, () => {
  assertNativeLoaded();
  const random = rng(0xa991);
  for (let i = 0; i < CASES; i++) {
    const [oldText, newText] = randomEditPair(random);
    const patch = fallback.diffUnified(oldText, newText, random.int(5));
    const replay = `case ${i}: ${JSON.stringify({ oldText, newText, patch })}`;
    assert.deepEqual(outcome(() => diffRs.applyPatch(oldText, patch)), outcome(() => fallback.applyPatch(oldText, patch)), replay);
    const reversed = diffRs.reversePatch(patch);
    assert.equal(reversed, fallback.reversePatch(patch), replay);
    // Applying onto the wrong text must fail (or succeed) exactly as jsdiff does.
    assert.deepEqual(outcome(() => diffRs.applyPatch(newText, patch)), outcome(() => fallback.applyPatch(newText, patch)), replay);
    assert.deepEqual(outcome(() => diffRs.applyPatch(newText, reversed)), outcome(() => fallback.applyPatch(newText, reversed)), replay);
  }
});

test('the generated corpora diff identically', () => {
  assertNativeLoaded();
  const manifestPath = `${repoRoot}corpora/diff/generated/manifest.json`;
  assert.ok(existsSync(manifestPath), `${manifestPath} is missing: run \`cargo xtask setup\``);
  const { cases } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  assert.ok(cases.length >= 4, 'the manifest lists the bench cases at least');
  for (const { name, old, new: newPath } of cases) {
    // jsdiff needs seconds on the 30%-changed 10k-line case; the Rust replay covers it.
    if (name === 'code-10k-30pct') continue;
    const oldText = readFileSync(`${repoRoot}${old}`, 'utf8');
    const newText = readFileSync(`${repoRoot}${newPath}`, 'utf8');
    const patch = diffRs.diffUnified(oldText, newText);
    assert.equal(patch, fallback.diffUnified(oldText, newText), name);
    assert.equal(diffRs.applyPatch(oldText, patch), newText, name);
    assert.equal(diffRs.applyPatch(newText, diffRs.reversePatch(patch)), oldText, name);
  }
});

#!/usr/bin/env node
// End-to-end diff bench: @ku0/diff-rs (native binding) vs its jsdiff fallback, in one process,
// on the generated corpora. Verifies both give the same output before timing anything.
//
//   node benches/node/diff.bench.mjs [--out results.json] [--quick]
//
// `cargo xtask bench` runs it with KU0_DIFF_RS_NATIVE_PATH pointing at the release build and
// collects --out into target/ku0-bench/results.json. Output JSON:
//   { track: "diff", node, quick, results: [{ workload, impl, median_ms, p99_ms, mean_ms, samples }] }
// p99 is nearest-rank: with fewer than 100 samples it is the slowest sample.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as native from '@ku0/diff-rs';
import * as fallback from '@ku0/diff-rs/fallback';

import { benchCli, measure, statsLine, writeOutput } from './harness.mjs';

const { fail, parseArgs } = benchCli('diff.bench');

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CASES = ['code-2k-1pct', 'code-2k-30pct', 'code-10k-1pct', 'code-10k-30pct'];
const APPLY_CASE = 'code-10k-1pct';

function loadCases() {
  const manifestPath = join(REPO_ROOT, 'corpora/diff/generated/manifest.json');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    fail(`cannot read ${manifestPath} (${error.message}): run \`cargo xtask setup\` to generate the corpora`);
  }
  return CASES.map((name) => {
    const entry = manifest.cases.find((c) => c.name === name);
    if (!entry) fail(`${manifestPath} has no case \`${name}\`: run \`cargo xtask setup\``);
    return {
      name,
      old: readFileSync(join(REPO_ROOT, entry.old), 'utf8'),
      new: readFileSync(join(REPO_ROOT, entry.new), 'utf8'),
    };
  });
}

function assertNative() {
  const binding = native.describeBinding();
  if (binding?.implementation !== 'native') {
    fail(
      `@ku0/diff-rs is not using its native binding: ${JSON.stringify(binding)}. ` +
        'Build it (`cargo build --release -p diff-rs`) and set KU0_DIFF_RS_NATIVE_PATH, or run `cargo xtask bench`.',
    );
  }
  return binding;
}

function assertSame(what, actual, expected) {
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let line = 0;
  while (line < a.length && line < e.length && a[line] === e[line]) line++;
  fail(
    `${what}: native output differs from the fallback at line ${line + 1} ` +
      `(native ${JSON.stringify(a[line])}, fallback ${JSON.stringify(e[line])}; ` +
      `lengths ${actual.length} vs ${expected.length})`,
  );
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const binding = assertNative();
  const cases = loadCases();
  // Fast (native) calls get enough samples for a p99; slow jsdiff calls are capped by time.
  const settings = options.quick
    ? { warmupMs: 100, budgetMs: 600, minSamples: 3, maxSamples: 300 }
    : { warmupMs: 300, budgetMs: 2500, minSamples: 3, maxSamples: 1000 };

  const runs = [];
  for (const c of cases) {
    const workload = `createTwoFilesPatch/${c.name}`;
    const nativePatch = native.createTwoFilesPatch('a', 'b', c.old, c.new);
    const fallbackPatch = fallback.createTwoFilesPatch('a', 'b', c.old, c.new);
    assertSame(workload, nativePatch, fallbackPatch);
    runs.push({ workload, impl: 'native', fn: () => native.createTwoFilesPatch('a', 'b', c.old, c.new) });
    runs.push({ workload, impl: 'fallback', fn: () => fallback.createTwoFilesPatch('a', 'b', c.old, c.new) });
  }
  const applyCase = cases.find((c) => c.name === APPLY_CASE);
  const patch = fallback.createTwoFilesPatch('a', 'b', applyCase.old, applyCase.new);
  const applyWorkload = `applyPatch/${APPLY_CASE}`;
  assertSame(applyWorkload, native.applyPatch(applyCase.old, patch), fallback.applyPatch(applyCase.old, patch));
  assertSame(`${applyWorkload} result`, native.applyPatch(applyCase.old, patch), applyCase.new);
  runs.push({ workload: applyWorkload, impl: 'native', fn: () => native.applyPatch(applyCase.old, patch) });
  runs.push({ workload: applyWorkload, impl: 'fallback', fn: () => fallback.applyPatch(applyCase.old, patch) });

  // The rest of the public API on the same pair: diffLines builds objects, reversePatch parses.
  const linesWorkload = `diffLines/${APPLY_CASE}`;
  assertSame(
    linesWorkload,
    JSON.stringify(native.diffLines(applyCase.old, applyCase.new)),
    JSON.stringify(fallback.diffLines(applyCase.old, applyCase.new)),
  );
  runs.push({ workload: linesWorkload, impl: 'native', fn: () => native.diffLines(applyCase.old, applyCase.new) });
  runs.push({ workload: linesWorkload, impl: 'fallback', fn: () => fallback.diffLines(applyCase.old, applyCase.new) });
  const reverseWorkload = `reversePatch/${APPLY_CASE}`;
  assertSame(reverseWorkload, native.reversePatch(patch), fallback.reversePatch(patch));
  runs.push({ workload: reverseWorkload, impl: 'native', fn: () => native.reversePatch(patch) });
  runs.push({ workload: reverseWorkload, impl: 'fallback', fn: () => fallback.reversePatch(patch) });

  const results = [];
  for (const run of runs) {
    const stats = measure(run.fn, settings);
    results.push({ workload: run.workload, impl: run.impl, ...stats });
    console.error(statsLine(run.workload, run.impl, stats, { workloadWidth: 36, implWidth: 8, digits: 3, width: 10 }));
  }

  printTable(results);
  writeOutput('diff', options, { binding, results });
}

function printTable(results) {
  const rows = [];
  for (const r of results.filter((x) => x.impl === 'native')) {
    const f = results.find((x) => x.workload === r.workload && x.impl === 'fallback');
    rows.push({
      workload: r.workload,
      'native median ms': +r.median_ms.toFixed(3),
      'native p99 ms': +r.p99_ms.toFixed(3),
      'fallback median ms': +f.median_ms.toFixed(3),
      'fallback p99 ms': +f.p99_ms.toFixed(3),
      speedup: `${(f.median_ms / r.median_ms).toFixed(1)}x`,
    });
  }
  console.table(rows);
}

main();

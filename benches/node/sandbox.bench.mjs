#!/usr/bin/env node
// End-to-end sandbox bench: @ku0/sandbox-rs (native binding, required) beside what a process
// spawn costs without isolation and with bubblewrap, measured in the same run, sample by sample.
// Checks that the sandbox really isolates (a write outside its root fails) before timing it.
//
//   node benches/node/sandbox.bench.mjs [--out results.json] [--quick]
//
// Workloads (impl "native" | "reference" | "spawnSync" | "bwrap"); times in ms per call:
//   createSandbox+evaluateFileAction/first  a new sandbox (roots canonicalized) and its first
//                                           decision; "reference" = the JS reference doing the same
//   evaluateFileAction/warm                 one more decision on an existing sandbox (per call)
//   execute/bin-true                        `/bin/true`: "native" = await execute() with full
//                                           isolation (fsIsolation full, no network: Landlock,
//                                           seccomp, namespaces); "spawnSync" =
//                                           child_process.spawnSync('/bin/true'); "bwrap" =
//                                           spawnSync of `bwrap --unshare-all ... /bin/true` when
//                                           bubblewrap is installed (the output says when it is not)
//   execute/bin-true-400MB-parent           the same three, from this process once it holds 400 MB
//                                           more (an agent runtime's heap): a fork copies the
//                                           parent's page tables, a vfork-style spawn does not
// The native execute row carries `overhead_ms` (its median minus spawnSync's) and `vs_bwrap`
// (bwrap's median over ours).
//
// Output JSON: { track: "sandbox", node, quick, binding, competitors, results: [{ workload, impl,
//   median_ms, p99_ms, mean_ms, samples, ...extra }] }

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import * as sandbox from '@ku0/sandbox-rs';
import * as reference from '@ku0/sandbox-rs/reference';

import { benchCli, measure, measureInterleavedAsync, statsLine, writeOutput } from './harness.mjs';

const { fail, parseArgs } = benchCli('sandbox.bench');

const BWRAP_ARGS = ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '/bin/true'];

function assertNative() {
  const binding = sandbox.describeBinding();
  if (binding.implementation !== 'native' || binding.executor !== 'native') {
    fail(
      `@ku0/sandbox-rs is not running natively: ${JSON.stringify(binding)}. Build it ` +
        '(`cargo build --release -p sandbox-rs`) and set SANDBOX_RS_BINDING_PATH, or run `cargo xtask bench`.',
    );
  }
  return binding;
}

/** bubblewrap's version, or why it cannot be used here. */
function probeBwrap() {
  const version = spawnSync('bwrap', ['--version'], { encoding: 'utf8' });
  if (version.error) return { available: false, status: `not available: ${version.error.code === 'ENOENT' ? 'bwrap is not installed' : version.error.message}` };
  const run = spawnSync('bwrap', BWRAP_ARGS, { encoding: 'utf8' });
  if (run.status !== 0) return { available: false, status: `not usable here: ${(run.stderr || `exit ${run.status}`).trim()}` };
  return { available: true, status: `loaded (${version.stdout.trim()})` };
}

function creationRuns(root) {
  const config = { networkAccess: 'none', fsIsolation: 'workspace', allowedRoots: [root], workingDirectory: root };
  const path = join(root, 'src', 'main.rs');
  const want = reference.createSandboxReference(config).evaluateFileAction(path, 'write');
  const got = sandbox.createSandbox(config).evaluateFileAction(path, 'write');
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`native decided ${JSON.stringify(got)}, the reference ${JSON.stringify(want)}`);
  const warm = sandbox.createSandbox(config);
  return [
    { workload: 'createSandbox+evaluateFileAction/first', impl: 'native', fn: () => sandbox.createSandbox(config).evaluateFileAction(path, 'write') },
    { workload: 'createSandbox+evaluateFileAction/first', impl: 'reference', fn: () => reference.createSandboxReference(config).evaluateFileAction(path, 'write') },
    { workload: 'evaluateFileAction/warm', impl: 'native', fn: () => warm.evaluateFileAction(path, 'write'), callsPerSample: 100 },
  ];
}

/** The isolated sandbox for /bin/true, after checking that it isolates: a write outside fails. */
async function isolatedSandbox(root, outside) {
  const box = sandbox.createSandbox({ networkAccess: 'none', fsIsolation: 'full', allowedRoots: [root], workingDirectory: root });
  const escaped = join(outside, 'escaped');
  const attempt = await box.execute('/bin/sh', ['-c', `echo x > ${escaped}`]);
  const inside = await box.execute('/bin/sh', ['-c', `echo x > ${join(root, 'inside')}`]);
  if (attempt.exitCode === 0 || inside.exitCode !== 0) {
    fail(`the sandbox does not isolate as it should (outside write: exit ${attempt.exitCode}; inside write: exit ${inside.exitCode} ${inside.stderr})`);
  }
  const ok = await box.execute('/bin/true');
  if (ok.exitCode !== 0) fail(`execute('/bin/true') exited ${ok.exitCode}: ${ok.stderr}`);
  return box;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const binding = assertNative();
  const settings = options.quick
    ? { fast: { warmupMs: 50, budgetMs: 300, minSamples: 50, maxSamples: 2000 }, spawn: { warmupMs: 30, minSamples: 40, maxSamples: 60, budgetMs: 1500 }, heavy: { warmupMs: 50, minSamples: 20, maxSamples: 30, budgetMs: 1500 } }
    : { fast: { warmupMs: 300, budgetMs: 2000, minSamples: 200, maxSamples: 20000 }, spawn: { warmupMs: 150, minSamples: 200, maxSamples: 400, budgetMs: 15000 }, heavy: { warmupMs: 150, minSamples: 60, maxSamples: 200, budgetMs: 6000 } };
  const work = realpathSync(mkdtempSync(join(os.tmpdir(), 'ku0-sandbox-bench-')));
  const root = join(work, 'root');
  const outside = join(work, 'outside');
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'src', 'main.rs'), 'fn main() {}\n');
  const bwrap = probeBwrap();
  if (!bwrap.available) console.error(`sandbox.bench: bwrap ${bwrap.status}; its row is skipped`);
  const results = [];
  const record = (run, stats) => {
    results.push({ workload: run.workload, impl: run.impl, ...stats });
    console.error(statsLine(run.workload, run.impl, stats, { workloadWidth: 40, implWidth: 10, digits: 4, width: 9 }));
  };
  try {
    for (const run of creationRuns(root)) record(run, measure(run.fn, { ...settings.fast, callsPerSample: run.callsPerSample ?? 1 }));
    const box = await isolatedSandbox(root, outside);
    const spawnRuns = [
      { workload: 'execute/bin-true', impl: 'native', fn: () => box.execute('/bin/true') },
      { workload: 'execute/bin-true', impl: 'spawnSync', fn: () => spawnSync('/bin/true') },
    ];
    if (bwrap.available) spawnRuns.push({ workload: 'execute/bin-true', impl: 'bwrap', fn: () => spawnSync('bwrap', BWRAP_ARGS) });
    (await measureInterleavedAsync(spawnRuns, settings.spawn)).forEach((stats, i) => record(spawnRuns[i], stats));
    const heavyRuns = spawnRuns.map((run) => ({ ...run, workload: 'execute/bin-true-400MB-parent' }));
    const ballast = Array.from({ length: 40 }, () => Buffer.alloc(10 << 20, 1));
    (await measureInterleavedAsync(heavyRuns, settings.heavy)).forEach((stats, i) => record(heavyRuns[i], stats));
    ballast.length = 0;
    sandbox.clearAuditLog();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const row = (workload, impl) => results.find((r) => r.workload === workload && r.impl === impl);
  const isolated = row('execute/bin-true', 'native');
  isolated.overhead_ms = isolated.median_ms - row('execute/bin-true', 'spawnSync').median_ms;
  const bwrapRow = row('execute/bin-true', 'bwrap');
  if (bwrapRow) isolated.vs_bwrap = bwrapRow.median_ms / isolated.median_ms;
  console.table(
    results.map((r) => ({
      workload: r.workload,
      impl: r.impl,
      'median ms': +r.median_ms.toPrecision(4),
      'p99 ms': +r.p99_ms.toPrecision(4),
      ...(r.overhead_ms !== undefined ? { 'overhead ms': +r.overhead_ms.toPrecision(3) } : {}),
      ...(r.vs_bwrap !== undefined ? { 'vs bwrap': `${r.vs_bwrap.toFixed(2)}x` } : {}),
    })),
  );
  writeOutput('sandbox', options, { binding, competitors: { bwrap: bwrap.status }, results });
}

main().catch((error) => fail(error.stack ?? String(error)));

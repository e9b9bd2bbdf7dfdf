// What every node bench shares: its command line, failing loudly, the statistics, the timing
// loops, the result lines and the --out record. Each bench script keeps only its workloads.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A bench named `name`: `fail` exits with a message; `parseArgs` reads `[--out file] [--quick]`. */
export function benchCli(name) {
  const fail = (message) => {
    console.error(`${name}: ${message}`);
    process.exit(1);
  };
  const parseArgs = (argv) => {
    const options = { out: null, quick: false };
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--out' && i + 1 < argv.length) options.out = argv[++i];
      else if (argv[i] === '--quick') options.quick = true;
      else fail(`unknown argument \`${argv[i]}\` (usage: ${name}.mjs [--out file.json] [--quick])`);
    }
    return options;
  };
  return { fail, parseArgs };
}

const sorted = (xs) => [...xs].sort((x, y) => x - y);

export function percentile(xs, p) {
  const s = sorted(xs);
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1];
}

export function median(xs) {
  const s = sorted(xs);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The record the gate reads for one run: times in milliseconds per call. */
export function summarize(samples) {
  return {
    median_ms: median(samples),
    p99_ms: percentile(samples, 99),
    mean_ms: samples.reduce((a, b) => a + b, 0) / samples.length,
    samples: samples.length,
  };
}

/** Something to add up from a result, so that no call can be optimised away. */
export function observe(result) {
  if (typeof result === 'number') return result;
  if (typeof result === 'string' || Array.isArray(result) || ArrayBuffer.isView(result)) return result.length;
  return 1;
}

/**
 * Times `fn`: warm-up until `warmupMs` has passed (at least one call), then samples until
 * `maxSamples`, or until `budgetMs` has passed with at least `minSamples`. Each sample runs
 * `callsPerSample` calls and records the time per call.
 */
export function measure(fn, { warmupMs, budgetMs, minSamples, maxSamples, callsPerSample = 1 }) {
  let sink = 0;
  const warmStart = performance.now();
  do {
    sink += observe(fn());
  } while (performance.now() - warmStart < warmupMs);
  const samples = [];
  const start = performance.now();
  while (samples.length < maxSamples) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < callsPerSample; i++) sink += observe(fn());
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6 / callsPerSample);
    if (samples.length >= minSamples && performance.now() - start >= budgetMs) break;
  }
  if (sink === -1) console.log(sink); // keeps every result observable
  return summarize(samples);
}

/**
 * Times several runs together, one sample of each in turn, so that they share the same moments of
 * the machine (memory bandwidth, disk), which drift by tens of percent over seconds. Same stopping
 * rule as `measure`; one summary per run, in order.
 */
export function measureInterleaved(runs, { warmupMs, budgetMs, minSamples, maxSamples }) {
  let sink = 0;
  const warmStart = performance.now();
  do {
    for (const run of runs) sink += observe(run.fn());
  } while (performance.now() - warmStart < warmupMs);
  const samples = runs.map(() => []);
  const start = performance.now();
  for (let round = 0; round < maxSamples; round++) {
    for (let i = 0; i < runs.length; i++) {
      const at = (i + round) % runs.length;
      const t0 = process.hrtime.bigint();
      sink += observe(runs[at].fn());
      samples[at].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    if (round + 1 >= minSamples && performance.now() - start >= budgetMs) break;
  }
  if (sink === -1) console.log(sink);
  return samples.map(summarize);
}

/** One result as a progress line: median and p99 with `digits` decimals, right-aligned in `width`. */
/**
 * `measureInterleaved` for async runs (each `fn` awaited): spawns, durable writes. A sample is
 * milliseconds per call divided by `unitsPerCall` (records in a round, say).
 */
export async function measureInterleavedAsync(runs, { warmupMs, budgetMs, minSamples, maxSamples, unitsPerCall = 1 }) {
  const warmStart = performance.now();
  do {
    for (const run of runs) await run.fn();
  } while (performance.now() - warmStart < warmupMs);
  const samples = runs.map(() => []);
  const start = performance.now();
  for (let round = 0; round < maxSamples; round++) {
    for (let i = 0; i < runs.length; i++) {
      const at = (i + round) % runs.length;
      const t0 = process.hrtime.bigint();
      await runs[at].fn();
      samples[at].push(Number(process.hrtime.bigint() - t0) / 1e6 / unitsPerCall);
    }
    if (round + 1 >= minSamples && performance.now() - start >= budgetMs) break;
  }
  return samples.map(summarize);
}

export function statsLine(workload, impl, stats, { workloadWidth, implWidth, digits, width }) {
  return (
    `${workload.padEnd(workloadWidth)} ${impl.padEnd(implWidth)} median ${stats.median_ms.toFixed(digits).padStart(width)} ms` +
    `  p99 ${stats.p99_ms.toFixed(digits).padStart(width)} ms  (${stats.samples} samples)`
  );
}

/** Writes the record the gate reads to `options.out` (when given): track, node, quick, then `fields`. */
export function writeOutput(track, options, fields) {
  if (!options.out) return;
  mkdirSync(dirname(options.out), { recursive: true });
  const output = { track, node: process.version, quick: options.quick, ...fields };
  writeFileSync(options.out, `${JSON.stringify(output, null, 2)}\n`);
  console.error(`${track}.bench: wrote ${options.out}`);
}

/** Each competitor's load status (`{ name: status }`) from `{ name: { status, ... } }`. */
export function competitorStatuses(competitors) {
  return Object.fromEntries(Object.entries(competitors).map(([name, c]) => [name, c.status]));
}

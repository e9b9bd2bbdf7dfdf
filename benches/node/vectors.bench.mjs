#!/usr/bin/env node
// End-to-end vector-similarity bench: @ku0/vector-similarity-rs (native binding) vs its JS-loop
// fallback in one process, plus usearch's exact search and simsimd on the same data, and the
// machine's memory bandwidth measured in the same run. Verifies that native and fallback agree
// before timing anything.
//
//   node benches/node/vectors.bench.mjs [--out results.json] [--quick]
//
// Workloads (impl "native" | "fallback" | "usearch" | "simsimd"):
//   cosineSimilarity/1536                one call on two 1,536-d Float32Arrays
//   boundary/1536                        the same call into native code without the kernel
//   memoryRead/614MB                     a native read of 614 MB with both cores: the bandwidth
//   memoryRead/61MB                      the same read of 61 MB, a different tenth of those 614 MB
//                                        each time, so that it comes from memory, not the caches
//   cosineSimilarityBatch/10000x1536     one query against 10,000 Float32Array targets (61 MB)
//   VectorStore.search/100000x1536-top10 cosine top-10 over a 100,000 x 1,536 store (614 MB)
//   VectorStore.searchMany/100000x1536-32q-top10  32 queries at once over that store; impl
//                                        "native-each" is 32 native searches, "usearch" its
//                                        exact search of the 32 queries
// A batch's or a search's bandwidth fraction is memoryRead's time over its own for the same bytes
// (printed, and written as `bandwidth_fraction`; budgets.toml checks it as a min_speedup).
//
// `cargo xtask bench` runs it with KU0_VECTOR_SIMILARITY_NATIVE_PATH pointing at the release build
// and collects --out into target/ku0-bench/results.json. Output JSON:
//   { track: "vectors", node, quick, binding, competitors, results: [{ workload, impl, median_ms,
//     p99_ms, mean_ms, samples, bandwidth_fraction?, gb_per_s? }] }
// Sub-microsecond calls are timed in runs of `callsPerSample` calls; their stats are per call.

import * as native from '@ku0/vector-similarity-rs';
import * as fallback from '@ku0/vector-similarity-rs/fallback';

import { fillOrdinary, rng } from '../../corpora/vectors/random.mjs';
import { benchCli, competitorStatuses, measure, measureInterleaved, statsLine, writeOutput } from './harness.mjs';

const { fail, parseArgs } = benchCli('vectors.bench');

const DIMENSION = 1536;
const BATCH_TARGETS = 10_000;
const STORE_ROWS = 100_000;
const TOP_K = 10;
const MANY_QUERIES = 32;
/** The parity bound of oracle/CONTRACTS.md for 1,536-d vectors. */
const TOLERANCE = 5e-16 * DIMENSION;

function assertNative() {
  const binding = native.describeBinding();
  if (binding?.implementation !== 'native') {
    fail(
      `@ku0/vector-similarity-rs is not using its native binding: ${JSON.stringify(binding)}. Build it ` +
        '(`cargo build --release -p vector-similarity-rs`) and set KU0_VECTOR_SIMILARITY_NATIVE_PATH, or run `cargo xtask bench`.',
    );
  }
  return binding;
}

/** usearch and simsimd, when their packages load here; otherwise why not. */
async function loadCompetitors() {
  const competitors = {};
  for (const name of ['usearch', 'simsimd']) {
    try {
      const module = await import(name);
      competitors[name] = { module: module.default ?? module, status: 'loaded' };
    } catch (error) {
      competitors[name] = { module: null, status: `not available: ${error.message.split('\n')[0]}` };
      console.error(`vectors.bench: ${name} ${competitors[name].status}; its workloads are skipped`);
    }
  }
  return competitors;
}

function assertClose(what, actual, expected, bound) {
  if (!(Math.abs(actual - expected) <= bound)) fail(`${what}: native ${actual} vs fallback ${expected}`);
}

function assertSameHits(what, actual, expected) {
  const a = actual.map((h) => h.index).join(',');
  const e = expected.map((h) => h.index).join(',');
  if (a !== e) fail(`${what}: native lists rows ${a}, the fallback ${e}`);
  actual.forEach((hit, i) => assertClose(`${what} score ${i}`, hit.score, expected[i].score, TOLERANCE));
}

/** Top-k of `scores` (higher first), for the simsimd loop. */
function topK(scores, k) {
  const hits = [];
  for (let i = 0; i < scores.length; i++) {
    if (hits.length === k && scores[i] <= hits[k - 1].score) continue;
    if (hits.length === k) hits.pop();
    let at = hits.length;
    while (at > 0 && hits[at - 1].score < scores[i]) at--;
    hits.splice(at, 0, { index: i, score: scores[i] });
  }
  return hits;
}

function singleCallRuns(settings) {
  const random = rng(1536);
  const pairs = Array.from({ length: 16 }, () => [fillOrdinary(random, DIMENSION), fillOrdinary(random, DIMENSION)]);
  pairs.forEach(([a, b], i) => assertClose(`cosineSimilarity pair ${i}`, native.cosineSimilarity(a, b), fallback.cosineSimilarity(a, b), TOLERANCE));
  let next = 0;
  const rotate = (f) => () => {
    const [a, b] = pairs[(next = (next + 1) & 15)];
    return f(a, b);
  };
  const fast = { ...settings.fast, callsPerSample: 1000 };
  const slow = { ...settings.fast, callsPerSample: 100 };
  return [
    { workload: `cosineSimilarity/${DIMENSION}`, impl: 'native', fn: rotate(native.cosineSimilarity), settings: fast },
    { workload: `cosineSimilarity/${DIMENSION}`, impl: 'fallback', fn: rotate(fallback.cosineSimilarity), settings: slow },
    { workload: `boundary/${DIMENSION}`, impl: 'native', fn: rotate(native.diagnostics.boundaryProbe), settings: fast },
  ];
}

/**
 * One query against 10,000 separate Float32Array targets (61 MB), beside a 61 MB read: a
 * different tenth of the 614 MB store buffer each time, so that it comes from memory, not cache.
 */
function batchGroup(settings, competitors, flat) {
  const random = rng(10_000);
  const query = fillOrdinary(random, DIMENSION);
  const targets = Array.from({ length: BATCH_TARGETS }, () => fillOrdinary(random, DIMENSION));
  const nativeScores = native.cosineSimilarityBatch(query, targets);
  const fallbackScores = fallback.cosineSimilarityBatch(query, targets);
  nativeScores.forEach((s, i) => assertClose(`cosineSimilarityBatch target ${i}`, s, fallbackScores[i], TOLERANCE));
  const tenths = Array.from({ length: 10 }, (_, i) => flat.subarray((i * flat.length) / 10, ((i + 1) * flat.length) / 10));
  let next = 0;
  const workload = `cosineSimilarityBatch/${BATCH_TARGETS}x${DIMENSION}`;
  const bytes = BATCH_TARGETS * DIMENSION * 4;
  const interleaved = [
    { workload: 'memoryRead/61MB', impl: 'native', fn: () => native.diagnostics.memoryReadProbe(tenths[(next = (next + 1) % 10)]), bytes },
    { workload, impl: 'native', fn: () => native.cosineSimilarityBatch(query, targets), bytes },
  ];
  const simsimd = competitors.simsimd.module;
  if (simsimd) interleaved.push({ workload, impl: 'simsimd', fn: () => targets.map((t) => 1 - simsimd.cosine(query, t)) });
  return {
    interleaved,
    alone: [{ workload, impl: 'fallback', fn: () => fallback.cosineSimilarityBatch(query, targets) }],
    bandwidthPairs: [[workload, 'memoryRead/61MB']],
  };
}

/** Cosine top-10 over the 100,000 x 1,536 store, beside a read of the same 614 MB. */
function storeGroup(settings, competitors, flat) {
  const store = native.VectorStore.fromFlat(flat, DIMENSION);
  const reference = fallback.VectorStore.fromFlat(flat, DIMENSION);
  const query = fillOrdinary(rng(100_001), DIMENSION);
  assertSameHits('VectorStore.search', store.search(query, TOP_K), reference.search(query, TOP_K));
  const workload = `VectorStore.search/${STORE_ROWS}x${DIMENSION}-top${TOP_K}`;
  const interleaved = [
    { workload: 'memoryRead/614MB', impl: 'native', fn: () => native.diagnostics.memoryReadProbe(flat), bytes: flat.byteLength },
    { workload, impl: 'native', fn: () => store.search(query, TOP_K), bytes: flat.byteLength },
  ];
  const usearch = competitors.usearch.module;
  if (usearch) {
    const threads = native.describeBinding().simd.threads;
    const search = () => usearch.exactSearch(flat, query, DIMENSION, TOP_K, usearch.MetricKind.Cos, threads);
    const found = Array.from(search().keys, Number);
    const expected = reference.search(query, TOP_K).map((h) => h.index);
    if (found.join(',') !== expected.join(',')) {
      console.error(`vectors.bench: note: usearch (f32 arithmetic) ranks ${found} where the fallback ranks ${expected}`);
    }
    interleaved.push({ workload, impl: 'usearch', fn: search });
  }
  const simsimd = competitors.simsimd.module;
  if (simsimd) {
    const rows = Array.from({ length: STORE_ROWS }, (_, r) => flat.subarray(r * DIMENSION, (r + 1) * DIMENSION));
    const scores = new Float64Array(STORE_ROWS);
    const search = () => {
      for (let r = 0; r < STORE_ROWS; r++) scores[r] = 1 - simsimd.cosine(query, rows[r]);
      return topK(scores, TOP_K);
    };
    interleaved.push({ workload, impl: 'simsimd', fn: search });
  }
  return {
    interleaved,
    alone: [{ workload, impl: 'fallback', fn: () => reference.search(query, TOP_K) }, ...manyQueryRuns(competitors, flat, store)],
    bandwidthPairs: [[workload, 'memoryRead/614MB']],
  };
}

/** 32 queries over the same store at once (faer's matrix product), one search each, and usearch. */
function manyQueryRuns(competitors, flat, store) {
  const queries = fillOrdinary(rng(100_002), MANY_QUERIES * DIMENSION);
  const each = () => {
    const results = [];
    for (let q = 0; q < MANY_QUERIES; q++) results.push(store.search(queries.subarray(q * DIMENSION, (q + 1) * DIMENSION), TOP_K));
    return results;
  };
  const many = store.searchMany(queries, TOP_K);
  each().forEach((hits, q) => assertSameHits(`VectorStore.searchMany query ${q}`, many[q], hits));
  const workload = `VectorStore.searchMany/${STORE_ROWS}x${DIMENSION}-${MANY_QUERIES}q-top${TOP_K}`;
  const runs = [
    { workload, impl: 'native', fn: () => store.searchMany(queries, TOP_K) },
    { workload, impl: 'native-each', fn: each },
  ];
  const usearch = competitors.usearch.module;
  if (usearch) {
    const threads = native.describeBinding().simd.threads;
    runs.push({ workload, impl: 'usearch', fn: () => usearch.exactSearch(flat, queries, DIMENSION, TOP_K, usearch.MetricKind.Cos, threads) });
  }
  return runs;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const binding = assertNative();
  const settings = options.quick
    ? {
        fast: { warmupMs: 100, budgetMs: 400, minSamples: 20, maxSamples: 200 },
        memory: { warmupMs: 200, budgetMs: 2000, minSamples: 5, maxSamples: 60 },
        slow: { warmupMs: 0, budgetMs: 500, minSamples: 3, maxSamples: 10 },
      }
    : {
        fast: { warmupMs: 300, budgetMs: 2000, minSamples: 50, maxSamples: 1000 },
        memory: { warmupMs: 500, budgetMs: 8000, minSamples: 20, maxSamples: 300 },
        slow: { warmupMs: 200, budgetMs: 3000, minSamples: 5, maxSamples: 30 },
      };
  return loadCompetitors().then((competitors) => {
    const results = [];
    const record = (run, stats) => {
      const result = { workload: run.workload, impl: run.impl, ...stats };
      if (run.bytes) result.gb_per_s = run.bytes / 1e9 / (stats.median_ms / 1e3);
      results.push(result);
      console.error(statsLine(run.workload, run.impl, stats, { workloadWidth: 40, implWidth: 8, digits: 5, width: 11 }));
    };
    for (const run of singleCallRuns(settings)) record(run, measure(run.fn, run.settings));
    console.error(`vectors.bench: generating the ${STORE_ROWS} x ${DIMENSION} store (${((STORE_ROWS * DIMENSION * 4) / 1e6).toFixed(0)} MB)`);
    const flat = fillOrdinary(rng(100_000), STORE_ROWS * DIMENSION);
    const bandwidthPairs = [];
    for (const makeGroup of [batchGroup, storeGroup]) {
      const group = makeGroup(settings, competitors, flat);
      measureInterleaved(group.interleaved, settings.memory).forEach((stats, i) => record(group.interleaved[i], stats));
      for (const run of group.alone) record(run, measure(run.fn, settings.slow));
      bandwidthPairs.push(...group.bandwidthPairs);
    }
    for (const [workload, readWorkload] of bandwidthPairs) {
      const scan = results.find((r) => r.workload === workload && r.impl === 'native');
      const read = results.find((r) => r.workload === readWorkload && r.impl === 'native');
      scan.bandwidth_fraction = read.median_ms / scan.median_ms;
    }
    printTable(results);
    writeOutput('vectors', options, { binding, competitors: competitorStatuses(competitors), results });
  });
}

function printTable(results) {
  const rows = [];
  const workloads = [...new Set(results.map((r) => r.workload))];
  for (const workload of workloads) {
    const of = (impl) => results.find((r) => r.workload === workload && r.impl === impl);
    const n = of('native');
    const row = { workload, 'native median ms': +n.median_ms.toPrecision(4) };
    for (const impl of ['fallback', 'usearch', 'simsimd']) {
      const other = of(impl);
      if (other) row[`vs ${impl}`] = `${(other.median_ms / n.median_ms).toFixed(2)}x`;
    }
    if (n.gb_per_s) row['GB/s'] = +n.gb_per_s.toFixed(1);
    if (n.bandwidth_fraction) row['of bandwidth'] = `${(100 * n.bandwidth_fraction).toFixed(0)}%`;
    rows.push(row);
  }
  console.table(rows);
}

main().catch((error) => fail(error.stack ?? String(error)));

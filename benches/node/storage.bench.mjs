#!/usr/bin/env node
// End-to-end storage bench: @ku0/storage-engine-rs (native binding, required) beside what the disk
// itself allows, measured in the same run on the same disk (a directory under target/), and
// SQLite (better-sqlite3, WAL, synchronous=FULL, one insert per transaction) as the competitor.
// Every result is checked (replays and loads give back what was written) before anything is timed.
//
//   node benches/node/storage.bench.mjs [--out results.json] [--quick]
//
// Workloads (impl "native" | "bare" | "better-sqlite3"); times in ms per call, or per record
// where the workload says so:
//   appendEvent/256B                  one durable append; "bare" = fs.writeSync + fs.fdatasyncSync
//                                     of 256 bytes on an O_APPEND file, interleaved sample by sample
//   append/256B-8writers              per record: 8 writers, each awaiting its own appends one after
//                                     another: "native" appendEventAsync, "native-batch16"
//                                     appendEventsAsync of 16 events (per record), "better-sqlite3"
//                                     the 8 writers' inserts interleaved, one transaction each;
//                                     `records_per_s` on each
//   saveCheckpoint/{64KB,1MB}         one durable save of compressible JSON-like data; "bare" = a
//                                     write + fsync + rename + directory fsync of the same bytes the
//                                     engine wrote (its compressed file), interleaved; "bare-raw" =
//                                     the same sequence with the uncompressed data. The native rows
//                                     carry `compress_ms` (native minus bare median: what
//                                     compression adds) and `compress_mb_per_s` (data size over it)
//   loadCheckpoint/1MB                one load (read, checksum, decompress)
//   replayEvents/100000x256B          all 100,000 events of a log, as Uint8Arrays in JS; beside it
//                                     "js-views-only" (the 100,000 views alone, no replay: the floor
//                                     JavaScript sets) and "js-separate-copies" (a buffer per event)
// The native rows carry `vs_bare` / `vs_sqlite` (the other's time over ours: above 1 is faster).
//
// Output JSON: { track: "storage", node, quick, binding, competitors, results: [{ workload, impl,
//   median_ms, p99_ms, mean_ms, samples, ...extra }] }

import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as storage from '@ku0/storage-engine-rs';

import { rng } from '../../corpora/rng.mjs';
import { benchCli, measure, measureInterleaved, measureInterleavedAsync, statsLine, writeOutput } from './harness.mjs';

const { fail, parseArgs } = benchCli('storage.bench');

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EVENT_BYTES = 256;
const WRITERS = 8;
const BATCH = 16;
const REPLAY_EVENTS = 100_000;

function assertNative() {
  if (!storage.isNativeStorageEngineAvailable()) {
    fail(
      `@ku0/storage-engine-rs has no native binding: ${storage.describeBinding().reason}\nBuild it ` +
        '(`cargo build --release -p storage-engine-rs`) and set KU0_STORAGE_ENGINE_RS_NATIVE_PATH, or run `cargo xtask bench`.',
    );
  }
  return storage.describeBinding();
}

async function loadSqlite() {
  try {
    const module = await import('better-sqlite3');
    return { Database: module.default, status: 'loaded' };
  } catch (error) {
    const status = `not available: ${error.message.split('\n')[0]}`;
    console.error(`storage.bench: better-sqlite3 ${status}; its workloads are skipped`);
    return { Database: null, status };
  }
}

function randomBytes(random, length) {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random.int(256);
  return bytes;
}

/** `bytes` of JSON-like application state: compressible about as real checkpoints are. */
function checkpointData(random, bytes) {
  const words = ['session', 'message', 'tool', 'result', 'pending', 'done', 'user', 'assistant', 'token', 'cursor'];
  let text = '[';
  for (let i = 0; text.length < bytes; i++) {
    text += JSON.stringify({
      id: i,
      kind: random.pick(words),
      at: 1_700_000_000_000 + random.int(1e9),
      score: Math.round(random() * 1e6) / 1e6,
      note: Array.from({ length: 3 + random.int(6) }, () => random.pick(words)).join(' '),
    });
    text += ',';
  }
  return new TextEncoder().encode(text).subarray(0, bytes);
}

function sameBytes(a, b) {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

/** Durable single appends through the binding, beside a bare write + fdatasync. */
function appendGroup(dir, settings) {
  const engine = new storage.StorageEngine(join(dir, 'append'));
  const event = randomBytes(rng(256), EVENT_BYTES);
  const barePath = join(dir, 'bare-append.log');
  const fd = openSync(barePath, 'a');
  const runs = [
    { workload: `appendEvent/${EVENT_BYTES}B`, impl: 'native', fn: () => engine.appendEvent(event) },
    {
      workload: `appendEvent/${EVENT_BYTES}B`,
      impl: 'bare',
      fn: () => {
        writeSync(fd, event);
        fdatasyncSync(fd);
      },
    },
  ];
  const stats = measureInterleaved(runs, settings.append);
  const appended = engine.nextSequence;
  const last = engine.replayEvents(appended - 1n)[0];
  if (!sameBytes(last, event)) fail('appendEvent: the last event replays differently');
  engine.close();
  closeSync(fd);
  return runs.map((run, i) => ({ run, stats: stats[i] }));
}

/**
 * `WRITERS` async writers, each awaiting its own appends in turn, `perWriter` records each, beside
 * the same 8 writers' inserts into SQLite, interleaved one insert per writer, one transaction each.
 */
async function concurrentGroup(dir, settings, sqlite) {
  const event = randomBytes(rng(8), EVENT_BYTES);
  const perWriter = settings.perWriter;
  const records = WRITERS * perWriter;
  const workload = `append/${EVENT_BYTES}B-${WRITERS}writers`;

  const engine = new storage.StorageEngine(join(dir, 'writers'));
  const writers = (append) => () => Promise.all(Array.from({ length: WRITERS }, append));
  const batch = Array.from({ length: BATCH }, () => event);
  const runs = [
    {
      run: { workload, impl: 'native' },
      round: writers(async () => {
        for (let i = 0; i < perWriter; i++) await engine.appendEventAsync(event);
      }),
    },
    {
      run: { workload, impl: `native-batch${BATCH}` },
      round: writers(async () => {
        for (let i = 0; i < perWriter / BATCH; i++) await engine.appendEventsAsync(batch);
      }),
    },
  ];
  let db = null;
  if (sqlite.Database !== null) {
    db = new sqlite.Database(join(dir, 'writers.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, writer INTEGER NOT NULL, data BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO events (writer, data) VALUES (?, ?)');
    // Each statement outside a transaction is its own transaction: one WAL commit and sync each.
    runs.push({
      run: { workload, impl: 'better-sqlite3' },
      round: async () => {
        for (let i = 0; i < perWriter; i++) for (let w = 0; w < WRITERS; w++) insert.run(w, event);
      },
    });
  }
  const before = engine.nextSequence;
  await runs[0].round();
  if (engine.nextSequence - before !== BigInt(records)) fail(`${workload}: ${records} appends moved the log by ${engine.nextSequence - before}`);
  // Per record, so a round of `records` records is one sample of milliseconds per record.
  const stats = (await measureInterleavedAsync(runs.map((r) => ({ fn: r.round })), { ...settings.writers, unitsPerCall: records })).map((perRecord) => ({
    ...perRecord,
    records_per_s: 1000 / perRecord.median_ms,
  }));
  engine.close();
  db?.close();
  return runs.map(({ run }, i) => ({ run, stats: stats[i] }));
}

/** The one file under `dir` (recursively) whose name contains `id`: the engine's checkpoint. */
function checkpointFile(dir, id) {
  const found = readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => path.includes(id) && statSync(path).isFile());
  if (found.length !== 1) fail(`cannot tell which file holds checkpoint ${id} in ${dir}: ${JSON.stringify(found)}`);
  return found[0];
}

/** A bare atomic replace of `path` with `bytes`: write a temp file, fsync, rename, fsync the dir. */
function bareAtomicWrite(dir, bytes) {
  const temp = join(dir, 'bare.tmp');
  const fd = openSync(temp, 'w');
  writeSync(fd, bytes);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, join(dir, 'bare.ckpt'));
  const dirFd = openSync(dir, 'r');
  fsyncSync(dirFd);
  closeSync(dirFd);
}

function checkpointGroup(dir, settings) {
  const rootDir = join(dir, 'checkpoints');
  const engine = new storage.StorageEngine(rootDir);
  const bareDir = join(dir, 'bare-checkpoints');
  mkdirSync(bareDir);
  const out = [];
  for (const [label, size] of [['64KB', 64 * 1024], ['1MB', 1024 * 1024]]) {
    const id = `bench-${label}`;
    const data = checkpointData(rng(size), size);
    engine.saveCheckpoint(id, data);
    if (!sameBytes(engine.loadCheckpoint(id), data)) fail(`saveCheckpoint/${label}: the checkpoint loads differently`);
    const written = readFileSync(checkpointFile(rootDir, id));
    const workload = `saveCheckpoint/${label}`;
    const runs = [
      { workload, impl: 'native', fn: () => engine.saveCheckpoint(id, data) },
      { workload, impl: 'bare', fn: () => bareAtomicWrite(bareDir, written) },
      { workload, impl: 'bare-raw', fn: () => bareAtomicWrite(bareDir, data) },
    ];
    const stats = measureInterleaved(runs, settings.checkpoint);
    const stored = (run) => (run.impl === 'bare-raw' ? size : written.length);
    runs.forEach((run, i) =>
      out.push({ run, stats: stats[i], extra: { data_bytes: size, stored_bytes: stored(run), ratio: +(size / stored(run)).toFixed(2) } }),
    );
    if (size === 1024 * 1024) {
      const load = { workload: `loadCheckpoint/${label}`, impl: 'native', fn: () => engine.loadCheckpoint(id) };
      out.push({ run: load, stats: measure(load.fn, settings.load) });
    }
  }
  engine.close();
  return out;
}

function replayGroup(dir, settings) {
  const engine = new storage.StorageEngine(join(dir, 'replay'));
  const random = rng(100_000);
  const events = Array.from({ length: 1000 }, () => randomBytes(random, EVENT_BYTES));
  for (let appended = 0; appended < REPLAY_EVENTS; appended += events.length) engine.appendEvents(events);
  const replayed = engine.replayEvents(0n);
  if (replayed.length !== REPLAY_EVENTS) fail(`replayEvents: ${replayed.length} events, expected ${REPLAY_EVENTS}`);
  for (const i of [0, 1, 999, 54_321, REPLAY_EVENTS - 1]) {
    if (!sameBytes(replayed[i], events[i % events.length])) fail(`replayEvents: event ${i} differs`);
  }
  const workload = `replayEvents/${REPLAY_EVENTS}x${EVENT_BYTES}B`;
  const run = { workload, impl: 'native', fn: () => engine.replayEvents(0n) };
  const stats = measure(run.fn, settings.replay);
  engine.close();
  // The floor JavaScript sets: making the 100,000 Uint8Arrays alone (no replay), as views of one
  // buffer (what the package returns) and as separate buffers (what a copy per event costs).
  const packed = packedLike(replayed);
  const views = { workload, impl: 'js-views-only', fn: () => viewsOf(packed) };
  const copies = { workload, impl: 'js-separate-copies', fn: () => copiesOf(packed) };
  return [
    { run, stats },
    { run: views, stats: measure(views.fn, settings.replay) },
    { run: copies, stats: measure(copies.fn, settings.replay) },
  ];
}

/** `events` packed as the binding packs a replay: one byte buffer and where each event ends. */
function packedLike(events) {
  const ends = new Float64Array(events.length);
  let total = 0;
  events.forEach((event, i) => (ends[i] = total += event.length));
  const bytes = new Uint8Array(total);
  events.forEach((event, i) => bytes.set(event, ends[i] - event.length));
  return { bytes, ends };
}

function viewsOf({ bytes, ends }) {
  const events = new Array(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    events[i] = new Uint8Array(bytes.buffer, bytes.byteOffset + start, ends[i] - start);
    start = ends[i];
  }
  return events;
}

function copiesOf({ bytes, ends }) {
  const events = new Array(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    events[i] = bytes.slice(start, ends[i]);
    start = ends[i];
  }
  return events;
}

function ratios(results) {
  const of = (workload, impl) => results.find((r) => r.workload === workload && r.impl === impl);
  for (const r of results) {
    if (!r.impl.startsWith('native')) continue;
    const bare = of(r.workload, 'bare');
    if (bare) {
      r.vs_bare = +(bare.median_ms / r.median_ms).toFixed(3);
      r.vs_bare_p99 = +(bare.p99_ms / r.p99_ms).toFixed(3);
    }
    if (bare && r.data_bytes) {
      r.compress_ms = +(r.median_ms - bare.median_ms).toFixed(4);
      r.compress_mb_per_s = r.compress_ms > 0 ? Math.round(r.data_bytes / 1e6 / (r.compress_ms / 1e3)) : null;
    }
    const sqlite = of(r.workload, 'better-sqlite3');
    if (sqlite) r.vs_sqlite = +(sqlite.median_ms / r.median_ms).toFixed(2);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const binding = assertNative();
  const settings = options.quick
    ? {
        append: { warmupMs: 100, budgetMs: 1000, minSamples: 200, maxSamples: 1000 },
        writers: { warmupMs: 100, budgetMs: 1500, minSamples: 5, maxSamples: 40 },
        perWriter: 32,
        checkpoint: { warmupMs: 100, budgetMs: 1000, minSamples: 20, maxSamples: 200 },
        load: { warmupMs: 100, budgetMs: 500, minSamples: 20, maxSamples: 200 },
        replay: { warmupMs: 100, budgetMs: 1000, minSamples: 5, maxSamples: 30 },
      }
    : {
        append: { warmupMs: 500, budgetMs: 8000, minSamples: 1000, maxSamples: 5000 },
        writers: { warmupMs: 500, budgetMs: 10000, minSamples: 20, maxSamples: 200 },
        perWriter: 64,
        checkpoint: { warmupMs: 300, budgetMs: 8000, minSamples: 100, maxSamples: 600 },
        load: { warmupMs: 300, budgetMs: 3000, minSamples: 100, maxSamples: 2000 },
        replay: { warmupMs: 300, budgetMs: 5000, minSamples: 20, maxSamples: 200 },
      };
  const sqlite = await loadSqlite();
  const dir = mkdtempSync(join(REPO_ROOT, 'target', 'ku0-storage-bench-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  const results = [];
  const record = ({ run, stats, extra }) => {
    results.push({ workload: run.workload, impl: run.impl, ...stats, ...extra });
    console.error(
      statsLine(run.workload, run.impl, stats, { workloadWidth: 28, implWidth: 16, digits: 4, width: 10 }) +
        (stats.records_per_s ? `  ${Math.round(stats.records_per_s)} records/s` : ''),
    );
  };
  try {
    appendGroup(dir, settings).forEach(record);
    (await concurrentGroup(dir, settings, sqlite)).forEach(record);
    checkpointGroup(dir, settings).forEach(record);
    replayGroup(dir, settings).forEach(record);
  } finally {
    cleanUp();
  }
  ratios(results);
  console.table(
    results.map((r) => ({
      workload: r.workload,
      impl: r.impl,
      'median ms': +r.median_ms.toPrecision(4),
      'p99 ms': +r.p99_ms.toPrecision(4),
      'records/s': r.records_per_s ? Math.round(r.records_per_s) : '',
      'vs bare (median, p99)': r.vs_bare ? `${r.vs_bare}x, ${r.vs_bare_p99}x` : '',
      'vs sqlite': r.vs_sqlite ? `${r.vs_sqlite}x` : '',
      'compression (ms, MB/s)': r.compress_ms !== undefined ? `${r.compress_ms}, ${r.compress_mb_per_s ?? '-'}` : '',
    })),
  );
  writeOutput('storage', options, { binding, competitors: { 'better-sqlite3': sqlite.status }, results });
}

main().catch((error) => fail(error.stack ?? String(error)));

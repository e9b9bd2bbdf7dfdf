// Native engine vs the reference engine: seeded random operation sequences (appends single and
// batched, sync and async, replays of random ranges, prunes including the future, checkpoints with
// valid and invalid ids, bad arguments, close and reopen) must give identical observable results,
// errors included, after every operation.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  assertNativeLoaded,
  outcome,
  outcomeAsync,
  randomBytes,
  reference,
  rng,
  storage,
  tempRoot,
} from './support.mjs';

const SEQUENCES = 300;
const OPS_PER_SEQUENCE = 24;
/** Small segments, so that appends roll over and prunes drop whole segments. */
const SEGMENT_BYTES = 1024;

const CHECKPOINT_IDS = [
  'a', 'state', 'snap-1', 'a.b', 'ünïcødé', 'x'.repeat(200), 'é'.repeat(100), 'CONSOLE', 'con2', 'LPT0', 'NULx',
  'lone \ud800 surrogate', 'lone \udc00 surrogate', 'COM¹',
  '', '.hidden', '..', 'a/b', 'a\\b', 'c:', 'a\u0000b', 'tab\t', 'del\u007f', 'trail.', 'trail ', 'CON', 'nul.txt',
  'Com1', 'lpt9.x.y', 'aux', 'x'.repeat(201), 'é'.repeat(101), '../escape', '/abs',
];

/** Mostly a few valid ids, so that loads and deletes find what was saved; else any. */
const FREQUENT_IDS = ['a', 'state', 'ünïcødé', 'lone \ud800 surrogate', 'lone \udc00 surrogate'];
const randomId = (random) => random.pick(random() < 0.6 ? FREQUENT_IDS : CHECKPOINT_IDS);

/** Calls that `args.js` must reject identically on both engines. */
const BAD_CALLS = [
  (e) => e.appendEvent('text'),
  (e) => e.appendEvent([1, 2]),
  (e) => e.appendEvent(new Uint16Array(2)),
  (e) => e.appendEvents([new Uint8Array(1), null]),
  (e) => e.appendEvents(new Uint8Array(1)),
  (e) => e.replayEvents(-1),
  (e) => e.replayEvents(1.5),
  (e) => e.replayEvents(2 ** 53),
  (e) => e.replayEvents('0'),
  (e) => e.replayEvents(0n, -1n),
  (e) => e.replayEvents(0n, 1n << 64n),
  (e) => e.replayEvents(),
  (e) => e.pruneEvents(-1n),
  (e) => e.pruneEvents(undefined),
  (e) => e.saveCheckpoint(5, new Uint8Array(1)),
  (e) => e.saveCheckpoint('ok', 'data'),
  (e) => e.loadCheckpoint(null),
  (e) => e.deleteCheckpoint({}),
];

const sequenceArg = (random, value) => (random() < 0.5 ? BigInt(value) : value);

/** One random operation, applied to `engine` by `run(engine)`; async ones are awaited. */
function randomOperation(random, nextSequence) {
  const roll = random.int(100);
  const upTo = (extra) => sequenceArg(random, random.int(nextSequence + extra + 1));
  if (roll < 25) {
    const data = randomBytes(random);
    return { name: 'appendEvent', run: (e) => e.appendEvent(data) };
  }
  if (roll < 33) {
    const events = Array.from({ length: random.int(6) }, () => randomBytes(random));
    return { name: 'appendEvents', run: (e) => e.appendEvents(events) };
  }
  if (roll < 38) {
    const data = randomBytes(random);
    return { name: 'appendEventAsync', async: true, run: (e) => e.appendEventAsync(data) };
  }
  if (roll < 41) {
    const events = Array.from({ length: random.int(4) }, () => randomBytes(random));
    return { name: 'appendEventsAsync', async: true, run: (e) => e.appendEventsAsync(events) };
  }
  if (roll < 53) {
    const from = upTo(3);
    const limit = random.pick([undefined, null, 0, 0n, 1, 2n, 5, 1000n, (1n << 64n) - 1n]);
    return { name: `replayEvents(${from}, ${limit})`, run: (e) => e.replayEvents(from, limit) };
  }
  if (roll < 56) {
    const from = upTo(2);
    const limit = random.pick([undefined, 3]);
    return { name: `replayEventsAsync(${from}, ${limit})`, async: true, run: (e) => e.replayEventsAsync(from, limit) };
  }
  if (roll < 63) {
    const before = random() < 0.15 ? (1n << 64n) - 1n : upTo(2);
    return { name: `pruneEvents(${before})`, run: (e) => e.pruneEvents(before) };
  }
  if (roll < 72) {
    const id = randomId(random);
    const data = randomBytes(random, 2000);
    const useAsync = random() < 0.3;
    return {
      name: `saveCheckpoint${useAsync ? 'Async' : ''}(${JSON.stringify(id)})`,
      async: useAsync,
      run: (e) => (useAsync ? e.saveCheckpointAsync(id, data) : e.saveCheckpoint(id, data)),
    };
  }
  if (roll < 80) {
    const id = randomId(random);
    const useAsync = random() < 0.3;
    return {
      name: `loadCheckpoint${useAsync ? 'Async' : ''}(${JSON.stringify(id)})`,
      async: useAsync,
      run: (e) => (useAsync ? e.loadCheckpointAsync(id) : e.loadCheckpoint(id)),
    };
  }
  if (roll < 85) {
    const id = randomId(random);
    return { name: `deleteCheckpoint(${JSON.stringify(id)})`, run: (e) => e.deleteCheckpoint(id) };
  }
  if (roll < 88) {
    // Calls made in one turn without waiting: async appends are batched, and must still be
    // numbered in call order around the sync calls between them. A replay among them may lack the
    // async appends still in flight (not durable yet): `burstReplays` marks where they are.
    const replay = (e) => e.replayEvents(0n);
    const calls = Array.from({ length: 2 + random.int(4) }, () => {
      const data = randomBytes(random);
      return random.pick([
        (e) => e.appendEventAsync(data),
        (e) => e.appendEventsAsync([data, data]),
        (e) => e.appendEvent(data),
        replay,
        (e) => e.nextSequence,
      ]);
    });
    const burstReplays = calls.flatMap((call, index) => (call === replay ? [index] : []));
    return { name: 'burst', async: true, burstReplays, run: (e) => Promise.all(calls.map((call) => call(e))) };
  }
  if (roll < 92) {
    const call = random.int(BAD_CALLS.length);
    return { name: `bad call(${call})`, run: BAD_CALLS[call] };
  }
  return { name: 'reopen', reopen: true };
}

/** The native and the reference engine on one root directory, reopened together. */
class Pair {
  constructor(rootDir) {
    this.rootDir = rootDir;
    this.open();
  }

  open() {
    this.native = new storage.StorageEngine(this.rootDir, { segmentBytes: SEGMENT_BYTES });
    this.reference = new reference.StorageEngine(this.rootDir);
  }

  close() {
    this.native.close();
    this.reference.close();
  }
}

/** How often each kind of result came up over all sequences: the corpus must reach them all. */
const seen = new Map();
function tally(kind) {
  seen.set(kind, (seen.get(kind) ?? 0) + 1);
}

function kindOf(name, result) {
  const op = name.split('(')[0];
  if (result.error) return `${op}: ${result.error.name}${/^invalid checkpoint id/.test(result.error.message) ? ' (invalid id)' : ''}`;
  if (Array.isArray(result.value)) return `${op}: ${result.value.length === 0 ? 'empty' : 'events'}`;
  if (op.startsWith('pruneEvents')) return `${op}: ${result.value === 0n ? 'none' : 'some'}`;
  if (op.startsWith('loadCheckpoint')) return `${op}: ${result.value === null ? 'null' : 'data'}`;
  return `${op}: ok`;
}

async function runSequence(seed, rootDir) {
  const random = rng(seed);
  const pair = new Pair(rootDir);
  const trace = [];
  try {
    for (let step = 0; step < OPS_PER_SEQUENCE; step++) {
      const operation = randomOperation(random, Number(pair.reference.nextSequence));
      trace.push(operation.name);
      if (operation.reopen) {
        tally('reopen');
        pair.close();
        pair.open();
        assert.deepEqual(pair.native.recovery, reference.NOTHING_REPAIRED, `seed ${seed}: a clean close left something to repair`);
        continue;
      }
      // Everything appended before this operation is durable: every replay must serve it.
      const durableBefore = Number(pair.reference.nextSequence - pair.reference.lowWaterMark);
      const [native, expected] = operation.async
        ? [await outcomeAsync(() => operation.run(pair.native)), await outcomeAsync(() => operation.run(pair.reference))]
        : [outcome(() => operation.run(pair.native)), outcome(() => operation.run(pair.reference))];
      const where = `seed ${seed}, step ${step}: ${trace.join(' -> ')}`;
      if (operation.burstReplays) acceptInFlightLag(native, expected, operation.burstReplays, durableBefore, where);
      assert.deepEqual(native, expected, where);
      tally(kindOf(operation.name, expected));
      assert.equal(pair.native.nextSequence, pair.reference.nextSequence, `${where}: nextSequence`);
      assert.equal(pair.native.lowWaterMark, pair.reference.lowWaterMark, `${where}: lowWaterMark`);
    }
    assert.deepEqual(outcome(() => pair.native.replayEvents(0n)), outcome(() => pair.reference.replayEvents(0n)), `seed ${seed}: final replay`);
    tally(`segments: ${readdirSync(join(rootDir, 'events')).filter((name) => name.endsWith('.seg')).length > 2 ? 'many' : 'few'}`);
  } finally {
    pair.close();
  }
}

/**
 * A replay made while async appends are in flight serves only the durable ones: the native result
 * must be a prefix of the reference's (whose appends are durable at once) holding at least the
 * `durable` events appended before the burst. Such a result is then counted as agreeing.
 */
function acceptInFlightLag(native, expected, replayIndexes, durable, where) {
  if (native.value === undefined || expected.value === undefined) return;
  for (const index of replayIndexes) {
    const [served, all] = [native.value[index], expected.value[index]];
    assert.ok(served.length >= durable && served.length <= all.length, `${where}: replay ${index} served ${served.length} events, not ${durable}..=${all.length}`);
    assert.deepEqual(served, all.slice(0, served.length), `${where}: replay ${index} is not a prefix of the log`);
    native.value[index] = all;
  }
}

const MUST_SEE = [
  'appendEvent: ok', 'appendEvents: ok', 'appendEventAsync: ok', 'appendEventsAsync: ok',
  'replayEvents: events', 'replayEvents: empty', 'replayEventsAsync: events',
  'pruneEvents: some', 'pruneEvents: none', 'pruneEvents: Error',
  'saveCheckpoint: ok', 'saveCheckpoint: Error (invalid id)', 'saveCheckpointAsync: ok',
  'loadCheckpoint: data', 'loadCheckpoint: null', 'loadCheckpoint: Error (invalid id)', 'loadCheckpointAsync: data',
  'deleteCheckpoint: ok', 'deleteCheckpoint: Error (invalid id)',
  'bad call: TypeError', 'bad call: RangeError', 'burst: events', 'reopen', 'segments: many',
];

test(`${SEQUENCES} random operation sequences: native and reference agree on every result`, async (t) => {
  assertNativeLoaded();
  const root = tempRoot(t, 'parity');
  for (let seed = 1; seed <= SEQUENCES; seed++) {
    await runSequence(seed, join(root, `seq-${seed}`));
  }
  const missing = MUST_SEE.filter((kind) => !seen.has(kind));
  assert.deepEqual(missing, [], `the random sequences never reached these cases: ${JSON.stringify(Object.fromEntries(seen))}`);
});

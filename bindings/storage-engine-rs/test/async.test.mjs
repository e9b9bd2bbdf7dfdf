// Concurrent async appends: every promise resolves to a distinct sequence number, each writer's
// numbers rise in its call order, every event is found at its number after a reopen, and pending
// appends share syncs (many in flight take far less time than as many one after another).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNativeLoaded, rng, randomBytes, storage, tempRoot } from './support.mjs';

const WRITERS = 8;
const PER_WRITER = 150;

/** Writer `w`'s `i`-th event: its identity in the first bytes, then random filler. */
function eventOf(random, writer, index) {
  const bytes = randomBytes(random, 256);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint16(0, writer);
  new DataView(out.buffer).setUint16(2, index);
  out.set(bytes, 4);
  return out;
}

test(`${WRITERS} concurrent writers: distinct, ordered, durable; appends share syncs`, async (t) => {
  assertNativeLoaded();
  const rootDir = tempRoot(t, 'async');
  const random = rng(8);
  const engine = new storage.StorageEngine(rootDir);

  // The time of sequential durable appends, the yardstick for sharing syncs.
  const sequentialStart = performance.now();
  for (let i = 0; i < 40; i++) await engine.appendEventAsync(new Uint8Array(256));
  const perSequentialAppend = (performance.now() - sequentialStart) / 40;

  const written = new Map();
  const writers = Array.from({ length: WRITERS }, (_, writer) => {
    const pending = [];
    for (let i = 0; i < PER_WRITER; i++) {
      const data = eventOf(random, writer, i);
      if (i % 10 === 9) {
        const batch = [data, eventOf(random, writer, 1000 + i)];
        pending.push(engine.appendEventsAsync(batch).then((first) => batch.map((event, k) => [first + BigInt(k), event])));
      } else {
        pending.push(engine.appendEventAsync(data).then((sequence) => [[sequence, data]]));
      }
    }
    return Promise.all(pending);
  });
  const concurrentStart = performance.now();
  const results = await Promise.all(writers);
  const concurrentElapsed = performance.now() - concurrentStart;

  for (const perWriter of results) {
    const sequences = perWriter.flat().map(([sequence]) => sequence);
    assert.deepEqual(sequences, [...sequences].sort((a, b) => (a < b ? -1 : 1)), 'a writer\'s numbers rise in call order');
    for (const [sequence, data] of perWriter.flat()) {
      assert.ok(!written.has(sequence), `sequence ${sequence} was given twice`);
      written.set(sequence, data);
    }
  }
  const appended = WRITERS * (PER_WRITER + PER_WRITER / 10);
  assert.equal(written.size, appended);
  assert.equal(engine.nextSequence, 40n + BigInt(appended));
  engine.close();

  const reopened = new storage.StorageEngine(rootDir);
  t.after(() => reopened.close());
  const replayed = await reopened.replayEventsAsync(40n);
  assert.equal(replayed.length, appended);
  replayed.forEach((event, i) => assert.deepEqual(event, written.get(40n + BigInt(i)), `event ${40 + i}`));

  const sequentialEstimate = perSequentialAppend * WRITERS * PER_WRITER;
  assert.ok(
    concurrentElapsed < sequentialEstimate / 2,
    `${appended} concurrent appends took ${concurrentElapsed.toFixed(1)} ms; one at a time they would take ` +
      `about ${sequentialEstimate.toFixed(1)} ms: the appends do not share syncs`,
  );
});

test('close() with appends in flight: each promise settles, and every resolved one is durable', async (t) => {
  assertNativeLoaded();
  const rootDir = tempRoot(t, 'close-pending');
  const engine = new storage.StorageEngine(rootDir);
  const pending = Array.from({ length: 100 }, (_, i) => engine.appendEventAsync(new Uint8Array([i])));
  engine.close();
  const settled = await Promise.allSettled(pending);
  const resolved = settled.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  for (const s of settled) {
    if (s.status === 'rejected') assert.match(s.reason.message, /clos/, 'a pending append may only fail because of the close');
  }
  const reopened = new storage.StorageEngine(rootDir);
  t.after(() => reopened.close());
  const events = reopened.replayEvents(0n);
  for (const sequence of resolved) assert.deepEqual([...events[Number(sequence)]], [Number(sequence)]);
});

test('async checkpoints and replays run beside appends and see them', async (t) => {
  assertNativeLoaded();
  const engine = new storage.StorageEngine(tempRoot(t, 'async-mixed'));
  t.after(() => engine.close());
  const big = randomBytes(rng(3), 100_000);
  const [, saved, first] = await Promise.all([
    engine.saveCheckpointAsync('big', big),
    engine.saveCheckpointAsync('small', new Uint8Array([1, 2, 3])),
    engine.appendEventAsync(new Uint8Array([5])),
  ]);
  assert.equal(saved, undefined);
  assert.equal(first, 0n);
  assert.deepEqual(await engine.loadCheckpointAsync('big'), big);
  assert.equal(await engine.loadCheckpointAsync('none'), null);
  assert.deepEqual((await engine.replayEventsAsync(0, 1)).map((e) => [...e]), [[5]]);
  await assert.rejects(engine.saveCheckpointAsync('a/b', big), { message: /^invalid checkpoint id "a\/b": / });
});

test('async and sync calls made in one turn keep their call order; later changes to data do not matter', async (t) => {
  assertNativeLoaded();
  const engine = new storage.StorageEngine(tempRoot(t, 'async-order'));
  t.after(() => engine.close());
  const bytes = (...values) => new Uint8Array(values);
  const mutated = bytes(1);
  const first = engine.appendEventAsync(mutated);
  mutated[0] = 99;
  const second = engine.appendEvent(bytes(2));
  const batch = engine.appendEventsAsync([bytes(3), bytes(4)]);
  const empty = engine.appendEventsAsync([]);
  const next = engine.nextSequence;
  const last = engine.appendEventAsync(bytes(5));
  assert.equal(second, 1n);
  assert.equal(next, 4n);
  assert.deepEqual(await Promise.all([first, batch, empty, last]), [0n, 2n, 4n, 4n]);
  assert.deepEqual(engine.replayEvents(0n).map((e) => e[0]), [1, 2, 3, 4, 5]);
  await assert.rejects(engine.appendEventAsync('x'), { name: 'TypeError' });
  assert.equal(await engine.appendEventAsync(bytes(6)), 5n, 'a rejected call takes no number');
});

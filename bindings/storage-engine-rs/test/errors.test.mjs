// Bad input and bad places: each gives a clear error (or the documented result) and leaves the store
// consistent and usable. Edge values: empty payloads and checkpoints, `from` beyond the end,
// pruning the future, a 4 GiB payload, a second opener, a missing, a read-only and a non-directory
// rootDir, calls after close.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { assertNativeLoaded, reference, storage, tempRoot } from './support.mjs';

const ENGINES = [
  ['native', storage.StorageEngine],
  ['reference', reference.StorageEngine],
];

for (const [kind, StorageEngine] of ENGINES) {
  test(`${kind}: argument errors are TypeErrors and RangeErrors naming the call and the argument`, (t) => {
    if (kind === 'native') assertNativeLoaded();
    const engine = new StorageEngine(tempRoot(t, 'args'));
    t.after(() => engine.close());
    assert.throws(() => engine.appendEvent('text'), { name: 'TypeError', message: /^appendEvent: the event must be a Uint8Array, got 'text'$/ });
    assert.throws(() => engine.appendEvents([new Uint8Array(1), 7]), { name: 'TypeError', message: /^appendEvents: events\[1\]: the event must be a Uint8Array, got 7$/ });
    assert.throws(() => engine.replayEvents(-1), { name: 'RangeError', message: /replayEvents: from must be a non-negative integer .*got -1$/ });
    assert.throws(() => engine.replayEvents(2 ** 53), { name: 'RangeError', message: /up to 2\^53 - 1\), got 9007199254740992$/ });
    assert.throws(() => engine.replayEvents(0n, -2n), { name: 'RangeError', message: /^replayEvents: limit must be from 0 to 2\^64 - 1, got -2n$/ });
    assert.throws(() => engine.pruneEvents('1'), { name: 'TypeError', message: /^pruneEvents: before must be a bigint or a non-negative safe integer, got '1'$/ });
    assert.throws(() => engine.saveCheckpoint(1, new Uint8Array()), { name: 'TypeError', message: /checkpoint id must be a string, got 1$/ });
    assert.throws(() => new StorageEngine(''), { name: 'TypeError', message: /rootDir must be a non-empty string/ });
    // Nothing of the above changed the store.
    assert.equal(engine.nextSequence, 0n);
    assert.equal(engine.appendEvent(new Uint8Array([1])), 0n);
  });

  test(`${kind}: a 4 GiB payload is a RangeError naming its size, and the store stays usable`, (t) => {
    if (kind === 'native') assertNativeLoaded();
    const engine = new StorageEngine(tempRoot(t, 'huge'));
    t.after(() => engine.close());
    const huge = new Uint8Array(2 ** 32); // virtual memory only: no page of it is touched
    assert.throws(() => engine.appendEvent(huge), { name: 'RangeError', message: /the event is 4294967296 bytes, over the limit of 4294967295 bytes/ });
    assert.throws(() => engine.appendEvents([new Uint8Array(3), huge]), { name: 'RangeError', message: /events\[1\]: the event is 4294967296 bytes/ });
    assert.equal(engine.nextSequence, 0n, 'a rejected batch appends nothing');
    assert.equal(engine.appendEvent(new Uint8Array([9])), 0n);
  });

  test(`${kind}: empty payloads, empty batches, empty checkpoints`, (t) => {
    if (kind === 'native') assertNativeLoaded();
    const engine = new StorageEngine(tempRoot(t, 'empty'));
    t.after(() => engine.close());
    assert.equal(engine.appendEvent(new Uint8Array()), 0n);
    assert.equal(engine.appendEvents([]), 1n, 'an empty batch returns the next sequence number');
    assert.equal(engine.appendEvents([new Uint8Array(), Buffer.from('x')]), 1n);
    assert.deepEqual(engine.replayEvents(0n).map((e) => [...e]), [[], [], [120]]);
    engine.saveCheckpoint('empty', new Uint8Array());
    assert.deepEqual(engine.loadCheckpoint('empty'), new Uint8Array());
  });

  test(`${kind}: from beyond the end replays nothing; pruning the future is an error that changes nothing`, (t) => {
    if (kind === 'native') assertNativeLoaded();
    const engine = new StorageEngine(tempRoot(t, 'ends'));
    t.after(() => engine.close());
    engine.appendEvents([new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])]);
    assert.deepEqual(engine.replayEvents(3n), []);
    assert.deepEqual(engine.replayEvents((1n << 64n) - 1n), []);
    assert.throws(() => engine.pruneEvents(4n), { name: 'Error', message: 'cannot prune before 4: the log ends at 3' });
    assert.equal(engine.lowWaterMark, 0n);
    assert.equal(engine.pruneEvents(3n), 3n, 'pruning up to the end is allowed');
    assert.equal(engine.pruneEvents(1n), 0n);
    assert.deepEqual(engine.replayEvents(0n), []);
    assert.equal(engine.appendEvent(new Uint8Array([4])), 3n, 'numbers continue after a full prune');
  });

  test(`${kind}: every call after close() throws (async ones reject); close twice is fine`, async (t) => {
    if (kind === 'native') assertNativeLoaded();
    const rootDir = tempRoot(t, 'closed');
    const engine = new StorageEngine(rootDir);
    engine.close();
    engine.close();
    const closed = { name: 'Error', message: /^appendEvent: the storage engine at .* is closed$/ };
    assert.throws(() => engine.appendEvent(new Uint8Array()), closed);
    assert.throws(() => engine.loadCheckpoint('a'), { message: /^loadCheckpoint: .* is closed$/ });
    await assert.rejects(engine.appendEventAsync(new Uint8Array()), { message: /^appendEventAsync: .* is closed$/ });
    await assert.rejects(engine.replayEventsAsync(0n), { message: /^replayEventsAsync: .* is closed$/ });
    const again = new StorageEngine(rootDir);
    again.close();
  });

  test(`${kind}: a second opener of the same rootDir gets an error naming the holder's pid`, (t) => {
    if (kind === 'native') assertNativeLoaded();
    const rootDir = tempRoot(t, 'lock');
    const first = new StorageEngine(rootDir);
    assert.throws(() => new StorageEngine(rootDir), { message: new RegExp(`\\b${process.pid}\\b`) });
    first.close();
    new StorageEngine(rootDir).close();
  });
}

test('native: a missing rootDir is created, parents too', (t) => {
  assertNativeLoaded();
  const rootDir = join(tempRoot(t, 'missing'), 'a', 'b', 'c');
  const engine = new storage.StorageEngine(rootDir);
  engine.appendEvent(new Uint8Array([1]));
  engine.close();
  assert.ok(existsSync(rootDir));
});

test('native: a rootDir that is a file, or inside one, is a clear error naming the path', (t) => {
  assertNativeLoaded();
  const file = join(tempRoot(t, 'file'), 'not-a-dir');
  writeFileSync(file, 'x');
  assert.throws(() => new storage.StorageEngine(file), {
    message: `cannot create the directory ${file}: it exists and is not a directory`,
  });
  assert.throws(() => new storage.StorageEngine(join(file, 'store')), {
    message: `cannot create the directory ${join(file, 'store')}: ${file} exists and is not a directory`,
  });
});

/**
 * Runs `fn` while `dir` is unwritable, even for root (chattr +i; mode bits for other users), and
 * makes it writable again after, so that it can be removed.
 */
function whileReadOnly(dir, fn) {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chattr', ['+i', dir]);
  else chmodSync(dir, 0o555);
  try {
    fn();
  } finally {
    if (asRoot) execFileSync('chattr', ['-i', dir]);
    else chmodSync(dir, 0o755);
  }
}

test('native: a read-only new rootDir is a clear error naming the path; an existing store whose rootDir became read-only still works', (t) => {
  assertNativeLoaded();
  const empty = join(tempRoot(t, 'readonly'), 'store');
  mkdirSync(empty);
  whileReadOnly(empty, () => {
    assert.throws(() => new storage.StorageEngine(empty), { message: new RegExp(`${empty}.*(permission denied|not permitted)`, 'i') });
  });

  const filled = join(tempRoot(t, 'readonly-filled'), 'store');
  const engine = new storage.StorageEngine(filled);
  engine.appendEvent(new Uint8Array([7]));
  engine.close();
  // Everything the engine writes lives in files and subdirectories made when the store was
  // created, so a store whose rootDir became read-only still opens and works.
  whileReadOnly(filled, () => {
    const reopened = new storage.StorageEngine(filled);
    assert.deepEqual([...reopened.replayEvents(0n)[0]], [7]);
    assert.equal(reopened.appendEvent(new Uint8Array([8])), 1n);
    reopened.close();
  });
});

test('native: a second opener in another process gets an error naming this pid; once closed, it opens', async (t) => {
  assertNativeLoaded();
  const rootDir = tempRoot(t, 'lock-process');
  const engine = new storage.StorageEngine(rootDir);
  const packageUrl = new URL('../index.js', import.meta.url).href;
  const body = `
    const { StorageEngine } = await import(${JSON.stringify(packageUrl)});
    try { new StorageEngine(${JSON.stringify(rootDir)}).close(); console.log('opened'); }
    catch (error) { console.log(error.message); }`;
  const openInChild = () =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', body], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('error', reject);
      child.on('close', () => resolve(out.trim()));
    });
  assert.match(await openInChild(), new RegExp(`\\b${process.pid}\\b`));
  engine.close();
  assert.equal(await openInChild(), 'opened');
});

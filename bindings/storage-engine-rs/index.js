// @ku0/storage-engine-rs: a crash-safe event log and checkpoint store on the native engine
// (accel-storage). The binding is required: there is no fallback at run time. Without one, the
// import still succeeds (isNativeStorageEngineAvailable() says false) and `new StorageEngine()`
// throws an error listing every path the loader checked. reference.js is the in-memory oracle with
// the same API and observable results.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRequiredBinding } from '@ku0/native-bindings';
import { AppendQueue } from './append-queue.js';
import {
  checkCheckpointData,
  checkCheckpointId,
  checkEvent,
  checkEvents,
  checkLimit,
  checkOpenOptions,
  checkRootDir,
  checkU64,
  closedError,
  promiseOf,
} from './args.js';

const { version } = createRequire(import.meta.url)('./package.json');
const PACKAGE_NAME = '@ku0/storage-engine-rs';

// Without a binding (or with a broken override), loaded.error is raised again by the constructor,
// where a caller can handle it.
const loaded = loadRequiredBinding({
  packageName: PACKAGE_NAME,
  packageVersion: version,
  packageDir: dirname(fileURLToPath(import.meta.url)),
  binaryName: 'storage_engine_rs',
  overrideEnv: 'KU0_STORAGE_ENGINE_RS_NATIVE_PATH',
  requiredExports: ['NativeStorageEngine'],
});
const native = loaded.native;

/** Whether the native binding loaded, so that `new StorageEngine()` can work. */
export function isNativeStorageEngineAvailable() {
  return native !== null;
}

/**
 * Which implementation runs, from which path, and why. `implementation` is `native`, or
 * `unavailable` with `reason` = the loader's error (every path checked).
 */
export function describeBinding() {
  return loaded.describe();
}

function unavailableError() {
  return Object.assign(new Error(loaded.error.message), {
    checked: [...(loaded.error.checked ?? [])],
    cause: loaded.error,
  });
}

/** One native replay result (`bytes` = every payload in order, `ends[i]` = where event i ends) as views. */
function unpackEvents({ bytes, ends }) {
  const events = new Array(ends.length);
  const { buffer, byteOffset } = bytes;
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i];
    events[i] = new Uint8Array(buffer, byteOffset + start, end - start);
    start = end;
  }
  return events;
}

/**
 * What opening repaired: `truncatedTail` (null, or the torn tail the engine cut off), and how many
 * segments and temp files left by an interrupted prune or write it removed.
 */
function recoveryOf(report) {
  return Object.freeze({
    removedSegments: report.removedSegments,
    removedTempFiles: report.removedTempFiles,
    truncatedTail:
      report.truncatedTail == null
        ? null
        : Object.freeze({
            segment: report.truncatedTail.segment,
            offset: report.truncatedTail.offset,
            bytes: report.truncatedTail.bytes,
          }),
  });
}

/**
 * An event log and checkpoint store in `rootDir` (created, parents too, when missing);
 * `options.segmentBytes` sets the size at which the log starts a new segment file. One
 * StorageEngine per rootDir at a time, across processes: a second opener gets an error naming the
 * holder's pid. Every append is durable when it returns (or its promise resolves).
 */
export class StorageEngine {
  #engine;
  #rootDir;
  #recovery;
  #appendQueue;

  constructor(rootDir, options) {
    checkRootDir(rootDir);
    const { segmentBytes } = checkOpenOptions(options);
    if (native === null) throw unavailableError();
    this.#engine = new native.NativeStorageEngine(rootDir, segmentBytes);
    this.#rootDir = resolve(rootDir);
    this.#recovery = recoveryOf(this.#engine.recovery());
    const engine = this.#engine;
    this.#appendQueue = new AppendQueue((events) => engine.appendEventsAsync(events));
  }

  get rootDir() {
    return this.#rootDir;
  }

  /** What opening found and repaired. */
  get recovery() {
    return this.#recovery;
  }

  /** The sequence number the next append gets. */
  get nextSequence() {
    return this.#open('nextSequence').nextSequence();
  }

  /** The first sequence number not pruned. */
  get lowWaterMark() {
    return this.#open('lowWaterMark').lowWaterMark();
  }

  /** The native engine, after every queued async append (so that calls keep their order). */
  #open(where) {
    const engine = this.#queueing(where);
    this.#appendQueue.flush();
    return engine;
  }

  /** The native engine, for a call that joins the async append queue. */
  #queueing(where) {
    if (this.#engine === null) throw closedError(where, this.#rootDir);
    return this.#engine;
  }

  appendEvent(data) {
    const engine = this.#open('appendEvent');
    return engine.appendEvent(checkEvent('appendEvent', data));
  }

  appendEvents(events) {
    const engine = this.#open('appendEvents');
    return engine.appendEvents(checkEvents('appendEvents', events));
  }

  replayEvents(from, limit) {
    const engine = this.#open('replayEvents');
    const start = checkU64('replayEvents', 'from', from);
    return unpackEvents(engine.replayEvents(start, checkLimit('replayEvents', limit)));
  }

  pruneEvents(before) {
    const engine = this.#open('pruneEvents');
    return engine.pruneEvents(checkU64('pruneEvents', 'before', before));
  }

  saveCheckpoint(id, data) {
    const engine = this.#open('saveCheckpoint');
    checkCheckpointId('saveCheckpoint', id);
    engine.saveCheckpoint(id, checkCheckpointData('saveCheckpoint', data));
  }

  loadCheckpoint(id) {
    const engine = this.#open('loadCheckpoint');
    return engine.loadCheckpoint(checkCheckpointId('loadCheckpoint', id));
  }

  deleteCheckpoint(id) {
    const engine = this.#open('deleteCheckpoint');
    return engine.deleteCheckpoint(checkCheckpointId('deleteCheckpoint', id));
  }

  // The async variants take their arguments at the call (later changes to `data` do not matter)
  // and reject on bad ones. Appends are numbered in call order: those of one turn go to the
  // engine as one batch (append-queue.js), which shares its syncs with every other pending append;
  // the rest run on the libuv thread pool.

  appendEventAsync(data) {
    return promiseOf(() => {
      this.#queueing('appendEventAsync');
      return this.#appendQueue.add([checkEvent('appendEventAsync', data)]);
    });
  }

  appendEventsAsync(events) {
    return promiseOf(() => {
      this.#queueing('appendEventsAsync');
      return this.#appendQueue.add(checkEvents('appendEventsAsync', events));
    });
  }

  replayEventsAsync(from, limit) {
    return promiseOf(() => {
      const engine = this.#open('replayEventsAsync');
      const start = checkU64('replayEventsAsync', 'from', from);
      return engine.replayEventsAsync(start, checkLimit('replayEventsAsync', limit)).then(unpackEvents);
    });
  }

  saveCheckpointAsync(id, data) {
    return promiseOf(() => {
      const engine = this.#open('saveCheckpointAsync');
      checkCheckpointId('saveCheckpointAsync', id);
      return engine.saveCheckpointAsync(id, checkCheckpointData('saveCheckpointAsync', data));
    });
  }

  loadCheckpointAsync(id) {
    return promiseOf(() => {
      const engine = this.#open('loadCheckpointAsync');
      return engine.loadCheckpointAsync(checkCheckpointId('loadCheckpointAsync', id));
    });
  }

  /**
   * Waits for the operations in flight, syncs, and releases the rootDir and its lock; later calls
   * throw. Closing twice is a no-op.
   */
  close() {
    if (this.#engine === null) return;
    this.#appendQueue.flush();
    const engine = this.#engine;
    this.#engine = null;
    engine.close();
  }
}

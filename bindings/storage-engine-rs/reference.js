// The reference engine of @ku0/storage-engine-rs: the same API and the same observable results as
// the native engine, kept in memory, written for obviousness rather than speed. It is the oracle
// the tests (and oracle/js/storage-ops.mjs) compare the native engine with; it is not a fallback.
// Its appends are durable at once; the native engine's replay serves durable events only, so
// while async appends are in flight it may serve a prefix of what this one does (oracle/CONTRACTS.md).
//
// State lives per resolved rootDir for the life of the process, so closing and reopening a rootDir
// finds its events and checkpoints again, as the native engine finds them on disk. Nothing touches
// the file system: a reference opened on a missing or read-only directory works.
import process from 'node:process';
import { resolve } from 'node:path';
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
} from './args.js';

/** What the reference repaired when it opened: never anything, it cannot be torn. */
export const NOTHING_REPAIRED = Object.freeze({ removedSegments: 0, removedTempFiles: 0, truncatedTail: null });

const MAX_ID_BYTES = 200;
const DEVICE_NAMES = new Set([
  'CON', 'PRN', 'AUX', 'NUL',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`]),
]);

/** Why `id` cannot name a checkpoint file inside rootDir, or null when it can. */
export function checkpointIdProblem(id) {
  if (id === '') return 'it is empty';
  const bytes = Buffer.byteLength(id, 'utf8');
  if (bytes > MAX_ID_BYTES) return `it is ${bytes} bytes long, over the limit of ${MAX_ID_BYTES}`;
  if (id.startsWith('.')) return "it starts with '.'";
  for (const char of id) {
    if (char === '/' || char === '\\' || char === ':') return `it contains '${char}'`;
    const code = char.codePointAt(0);
    if (code < 0x20 || code === 0x7f) {
      return `it contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  if (id.endsWith('.') || id.endsWith(' ')) return `it ends with '${id.at(-1)}'`;
  const stem = id.split('.')[0].toUpperCase();
  if (DEVICE_NAMES.has(stem)) return `${stem} is a reserved device name on Windows`;
  return null;
}

/** The engine's error for an id `checkpointIdProblem` rejects. */
export function invalidIdError(id, problem) {
  return new Error(`invalid checkpoint id "${id}": ${problem}`);
}

/** The events, checkpoints and marks of one rootDir, and which engine holds it open. */
class Store {
  /** Events still available, from sequence number `lowWaterMark` on. */
  events = [];
  lowWaterMark = 0;
  nextSequence = 0;
  checkpoints = new Map();
  holder = null;
}

const stores = new Map();

export class StorageEngine {
  #rootDir;
  #store;

  /** `options` are checked as the native engine's are; segments do not show in the results. */
  constructor(rootDir, options) {
    this.#rootDir = resolve(checkRootDir(rootDir));
    checkOpenOptions(options);
    let store = stores.get(this.#rootDir);
    if (store === undefined) {
      store = new Store();
      stores.set(this.#rootDir, store);
    }
    if (store.holder !== null) {
      throw new Error(`${this.#rootDir} is already open: its lock is held by process ${process.pid}`);
    }
    store.holder = this;
    this.#store = store;
  }

  get rootDir() {
    return this.#rootDir;
  }

  get recovery() {
    return NOTHING_REPAIRED;
  }

  get nextSequence() {
    return BigInt(this.#open('nextSequence').nextSequence);
  }

  get lowWaterMark() {
    return BigInt(this.#open('lowWaterMark').lowWaterMark);
  }

  #open(where) {
    if (this.#store === null) throw closedError(where, this.#rootDir);
    return this.#store;
  }

  appendEvent(data) {
    return this.#appendEvent('appendEvent', data);
  }

  appendEvents(events) {
    return this.#appendEvents('appendEvents', events);
  }

  replayEvents(from, limit) {
    return this.#replayEvents('replayEvents', from, limit);
  }

  pruneEvents(before) {
    const store = this.#open('pruneEvents');
    const mark = checkU64('pruneEvents', 'before', before);
    if (mark > BigInt(store.nextSequence)) {
      throw new Error(`cannot prune before ${mark}: the log ends at ${store.nextSequence}`);
    }
    const pruned = Math.max(0, Number(mark) - store.lowWaterMark);
    store.events = store.events.slice(pruned);
    store.lowWaterMark += pruned;
    return BigInt(pruned);
  }

  saveCheckpoint(id, data) {
    this.#saveCheckpoint('saveCheckpoint', id, data);
  }

  loadCheckpoint(id) {
    return this.#loadCheckpoint('loadCheckpoint', id);
  }

  deleteCheckpoint(id) {
    const store = this.#open('deleteCheckpoint');
    return store.checkpoints.delete(checkedId('deleteCheckpoint', id));
  }

  // The async variants settle in call order, as the native engine's queue does, and reject
  // (never throw) on bad arguments.
  async appendEventAsync(data) {
    return this.#appendEvent('appendEventAsync', data);
  }

  async appendEventsAsync(events) {
    return this.#appendEvents('appendEventsAsync', events);
  }

  async replayEventsAsync(from, limit) {
    return this.#replayEvents('replayEventsAsync', from, limit);
  }

  async saveCheckpointAsync(id, data) {
    this.#saveCheckpoint('saveCheckpointAsync', id, data);
  }

  async loadCheckpointAsync(id) {
    return this.#loadCheckpoint('loadCheckpointAsync', id);
  }

  #appendEvent(where, data) {
    const store = this.#open(where);
    checkEvent(where, data);
    return BigInt(append(store, data));
  }

  #appendEvents(where, events) {
    const store = this.#open(where);
    checkEvents(where, events);
    const first = store.nextSequence;
    for (const data of events) append(store, data);
    return BigInt(first);
  }

  #replayEvents(where, from, limit) {
    const store = this.#open(where);
    const start = checkU64(where, 'from', from);
    const count = checkLimit(where, limit);
    const end = BigInt(store.nextSequence);
    const first = start > BigInt(store.lowWaterMark) ? start : BigInt(store.lowWaterMark);
    if (first >= end) return [];
    const available = end - first;
    const taken = count === null || count > available ? available : count;
    const offset = Number(first) - store.lowWaterMark;
    return store.events.slice(offset, offset + Number(taken)).map((event) => event.slice());
  }

  #saveCheckpoint(where, id, data) {
    const store = this.#open(where);
    checkCheckpointId(where, id);
    checkCheckpointData(where, data);
    store.checkpoints.set(checkedId(where, id), data.slice());
  }

  #loadCheckpoint(where, id) {
    const store = this.#open(where);
    const data = store.checkpoints.get(checkedId(where, id));
    return data === undefined ? null : data.slice();
  }

  /** Releases the rootDir; later calls throw. Closing twice is a no-op. */
  close() {
    if (this.#store === null) return;
    this.#store.holder = null;
    this.#store = null;
  }
}

function append(store, data) {
  store.events.push(data.slice());
  return store.nextSequence++;
}

/**
 * The id as the engine receives it (a JS string crosses into native code as UTF-8, each lone
 * surrogate becoming U+FFFD), or the engine's error when it cannot name a checkpoint.
 */
function checkedId(where, id) {
  const name = checkCheckpointId(where, id).toWellFormed();
  const problem = checkpointIdProblem(name);
  if (problem !== null) throw invalidIdError(name, problem);
  return name;
}

// Argument checks shared by the native-backed engine (index.js) and the reference engine
// (reference.js), so that both reject bad calls with the same TypeError or RangeError. What the
// engine itself decides (checkpoint id rules, pruning the future, the rootDir lock) is not checked
// here: the native engine and the reference each implement it, and the tests compare them.
import { inspect } from 'node:util';

/** The largest event payload: its length is stored in 32 bits. */
export const MAX_EVENT_BYTES = 0xffff_ffff;
/** Sequence numbers, `from`, `before` and `limit` are unsigned 64-bit numbers. */
export const MAX_U64 = (1n << 64n) - 1n;

function show(value) {
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return inspect(value, { depth: 0, breakLength: Infinity, maxArrayLength: 4, maxStringLength: 40 });
}

export function checkRootDir(rootDir) {
  if (typeof rootDir !== 'string' || rootDir === '') {
    throw new TypeError(`StorageEngine: rootDir must be a non-empty string (a directory path), got ${show(rootDir)}`);
  }
  return rootDir;
}

/**
 * The options of `new StorageEngine(rootDir, options)`: `segmentBytes` (the size at which the log
 * starts a new segment file; the engine's default when absent). Returns `{ segmentBytes }` with
 * null for "default".
 */
export function checkOpenOptions(options) {
  if (options === undefined || options === null) return { segmentBytes: null };
  if (typeof options !== 'object') {
    throw new TypeError(`StorageEngine: options must be an object, got ${show(options)}`);
  }
  const { segmentBytes } = options;
  if (segmentBytes === undefined || segmentBytes === null) return { segmentBytes: null };
  if (typeof segmentBytes !== 'number' || !Number.isSafeInteger(segmentBytes) || segmentBytes < 1) {
    throw new RangeError(`StorageEngine: options.segmentBytes must be a positive safe integer, got ${show(segmentBytes)}`);
  }
  return { segmentBytes };
}

/** `data` as an event payload: a Uint8Array (Buffer included) of at most 4 GiB - 1 bytes. */
export function checkEvent(where, data) {
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`${where}: the event must be a Uint8Array, got ${show(data)}`);
  }
  if (data.byteLength > MAX_EVENT_BYTES) {
    throw new RangeError(
      `${where}: the event is ${data.byteLength} bytes, over the limit of ${MAX_EVENT_BYTES} bytes (4 GiB - 1)`,
    );
  }
  return data;
}

/** `events` as an array (empty allowed) of event payloads. */
export function checkEvents(where, events) {
  if (!Array.isArray(events)) {
    throw new TypeError(`${where}: events must be an array of Uint8Array, got ${show(events)}`);
  }
  for (let i = 0; i < events.length; i++) checkEvent(`${where}: events[${i}]`, events[i]);
  return events;
}

/**
 * A sequence number or count argument as a bigint: a bigint from 0 to 2^64 - 1, or a
 * non-negative safe-integer number (numbers above 2^53 - 1 lose precision, so pass a bigint).
 */
export function checkU64(where, name, value) {
  if (typeof value === 'bigint') {
    if (value < 0n || value > MAX_U64) {
      throw new RangeError(`${where}: ${name} must be from 0 to 2^64 - 1, got ${value}n`);
    }
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(
        `${where}: ${name} must be a non-negative integer (a bigint, or a number up to 2^53 - 1), got ${value}`,
      );
    }
    return BigInt(value);
  }
  throw new TypeError(`${where}: ${name} must be a bigint or a non-negative safe integer, got ${show(value)}`);
}

/** `limit` of a replay: null for "all" (undefined or null), else as `checkU64`. */
export function checkLimit(where, limit) {
  return limit === undefined || limit === null ? null : checkU64(where, 'limit', limit);
}

export function checkCheckpointId(where, id) {
  if (typeof id !== 'string') {
    throw new TypeError(`${where}: the checkpoint id must be a string, got ${show(id)}`);
  }
  return id;
}

/** `data` of a checkpoint: any Uint8Array, empty included. */
export function checkCheckpointData(where, data) {
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`${where}: the checkpoint data must be a Uint8Array, got ${show(data)}`);
  }
  return data;
}

export function closedError(where, rootDir) {
  return new Error(`${where}: the storage engine at ${rootDir} is closed`);
}

/** Runs `start` and returns its promise, or a rejected one when it throws (bad arguments). */
export function promiseOf(start) {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error);
  }
}

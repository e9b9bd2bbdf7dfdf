// The storage track's calls, as the live oracle (serve.mjs) runs them on the JS reference engine
// of @ku0/storage-engine-rs. The reference is stateful, so the oracle holds its instances by handle:
//
//   open(rootDir)                      -> handle (a number)
//   appendEvent(handle, hex)           -> sequence number
//   appendEvents(handle, [hex, ...])   -> the first sequence number of the batch
//   replayEvents(handle, from, limit?) -> [hex, ...]   (limit absent = all)
//   pruneEvents(handle, before)        -> how many events became unavailable
//   saveCheckpoint(handle, id, hex)    -> true
//   loadCheckpoint(handle, id)         -> hex, or false when there is none
//   deleteCheckpoint(handle, id)       -> boolean
//   state(handle)                      -> { nextSequence, lowWaterMark }
//   openAgain(handle)                  -> throws: a second engine on an open rootDir ("process <pid>"
//                                         for this process's pid in the message); true if it opened
//   reopen(handle)                     -> true (close, then open the same rootDir under the same handle)
//   close(handle)                      -> true (the handle is forgotten)
//
// (No op answers null: the Rust client reads a null value as a missing one.)
//
// Bytes travel as lowercase hex. Sequence-number arguments (`from`, `limit`, `before`) travel as
// decimal strings, so that u64 values past 2^53 survive; results come back as JSON numbers (safe
// integers, which every test sequence stays far below). An exception thrown by the reference keeps its name and
// message; a request the oracle cannot serve (unknown handle, malformed hex) is a BadRequest.

import { StorageEngine } from '@ku0/storage-engine-rs/reference';

import { BadRequest } from './values.mjs';

export const REFERENCE = 'the in-memory reference engine of @ku0/storage-engine-rs/reference';

const open = new Map();
let nextHandle = 1;

function engineOf(handle) {
  const entry = open.get(handle);
  if (!entry) throw new BadRequest(`no open storage engine with handle ${JSON.stringify(handle)}`);
  return entry;
}

function bytesOf(hex, where) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
    throw new BadRequest(`${where}: bytes must be an even-length lowercase hex string`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

const hexOf = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** A u64 argument, sent as a decimal string so that values past 2^53 survive JSON. */
function sequenceArg(text, where) {
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]*)$/.test(text)) {
    throw new BadRequest(`${where}: expected a u64 as a decimal string, got ${JSON.stringify(text)}`);
  }
  return BigInt(text);
}

function numberOf(big) {
  const n = Number(big);
  if (!Number.isSafeInteger(n)) throw new BadRequest(`the reference returned ${big}, beyond the safe integers`);
  return n;
}

export const OPS = Object.freeze({
  open: (rootDir) => {
    if (typeof rootDir !== 'string') throw new BadRequest('open: rootDir must be a string');
    const engine = new StorageEngine(rootDir);
    const handle = nextHandle++;
    open.set(handle, { engine, rootDir });
    return handle;
  },
  appendEvent: (handle, hex) => numberOf(engineOf(handle).engine.appendEvent(bytesOf(hex, 'appendEvent'))),
  appendEvents: (handle, hexes) => {
    if (!Array.isArray(hexes)) throw new BadRequest('appendEvents: events must be an array');
    const events = hexes.map((hex, i) => bytesOf(hex, `appendEvents[${i}]`));
    return numberOf(engineOf(handle).engine.appendEvents(events));
  },
  replayEvents: (handle, from, limit) => {
    const { engine } = engineOf(handle);
    const events =
      limit === undefined || limit === null
        ? engine.replayEvents(sequenceArg(from, 'replayEvents from'))
        : engine.replayEvents(sequenceArg(from, 'replayEvents from'), sequenceArg(limit, 'replayEvents limit'));
    return events.map(hexOf);
  },
  pruneEvents: (handle, before) =>
    numberOf(engineOf(handle).engine.pruneEvents(sequenceArg(before, 'pruneEvents before'))),
  saveCheckpoint: (handle, id, hex) => {
    engineOf(handle).engine.saveCheckpoint(id, bytesOf(hex, 'saveCheckpoint'));
    return true;
  },
  loadCheckpoint: (handle, id) => {
    const data = engineOf(handle).engine.loadCheckpoint(id);
    return data === null ? false : hexOf(data);
  },
  deleteCheckpoint: (handle, id) => engineOf(handle).engine.deleteCheckpoint(id),
  state: (handle) => {
    const { engine } = engineOf(handle);
    return { nextSequence: numberOf(engine.nextSequence), lowWaterMark: numberOf(engine.lowWaterMark) };
  },
  openAgain: (handle) => {
    const { rootDir } = engineOf(handle);
    let second;
    try {
      second = new StorageEngine(rootDir);
    } catch (error) {
      error.message = error.message.replaceAll(`process ${process.pid}`, 'process <pid>');
      throw error;
    }
    second.close();
    return true;
  },
  reopen: (handle) => {
    const entry = engineOf(handle);
    entry.engine.close();
    entry.engine = new StorageEngine(entry.rootDir);
    return true;
  },
  close: (handle) => {
    const entry = engineOf(handle);
    open.delete(handle);
    entry.engine.close();
    return true;
  },
});

#!/usr/bin/env node
// The live oracle: JSON lines over stdio, one response line per request line, in order.
//
//   request:  {"id": 1, "track": "diff", "op": "diffUnified", "args": ["a\n", "b\n", 4], "utf16": false}
//   response: {"id": 1, "ok": true, "value": "..."}
//             {"id": 1, "ok": false, "error": {"name": "Error", "message": "..."}}
//
// `args` may hold {"$utf16": [...]} and {"$undefined": true} markers (see values.mjs). With
// "utf16": true every string in the value comes back as {"$utf16": [...]}; otherwise strings are
// plain JSON, where lone surrogates appear as \udXXX escapes. A request that cannot be served
// (bad JSON, unknown track or op, malformed markers) gets an error named "BadRequest"; an
// exception thrown by the fallback itself keeps its own name and message. The process never exits
// on a bad request; it exits when stdin closes.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

import * as diffFallback from '@ku0/diff-rs/fallback';

import { BadRequest, decodeValue, describeError, encodeValue } from './values.mjs';
import * as sandboxOps from './sandbox-ops.mjs';
import * as storageOps from './storage-ops.mjs';
import * as tokenizerOps from './tokenizer-ops.mjs';
import * as vectorsOps from './vectors-ops.mjs';

const functionsOf = (module) =>
  Object.fromEntries(Object.entries(module).filter(([, value]) => typeof value === 'function'));

const TRACKS = {
  diff: functionsOf(diffFallback),
  vectors: vectorsOps.OPS,
  tokenizer: tokenizerOps.OPS,
  storage: storageOps.OPS,
  sandbox: sandboxOps.OPS,
};

// Argument markers a track adds to $undefined and $utf16 (vectors: $f32, $f64, $number).
const MARKER_DECODERS = {
  vectors: vectorsOps.decodeVectorMarker,
};

function describeOracle() {
  const require = createRequire(import.meta.url);
  const jsdiffPackage = JSON.parse(readFileSync(require.resolve('diff/package.json'), 'utf8'));
  return {
    node: process.version,
    tracks: Object.fromEntries(Object.entries(TRACKS).map(([track, ops]) => [track, Object.keys(ops).sort()])),
    references: {
      diff: `diff@${jsdiffPackage.version}`,
      tokenizer: tokenizerOps.REFERENCE,
      storage: storageOps.REFERENCE,
      sandbox: sandboxOps.REFERENCE,
    },
  };
}

function serve(request) {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw new BadRequest('a request must be a JSON object');
  }
  const { track, op, args = [], utf16 = false } = request;
  if (typeof utf16 !== 'boolean') throw new BadRequest('"utf16" must be a boolean');
  if (track === 'oracle' && op === 'describe') return encodeValue(describeOracle(), { utf16 });
  const ops = Object.hasOwn(TRACKS, track) ? TRACKS[track] : null;
  if (!ops) {
    throw new BadRequest(`unknown track ${JSON.stringify(track)}; known: ${Object.keys(TRACKS).join(', ')}, oracle`);
  }
  if (typeof op !== 'string' || !Object.hasOwn(ops, op)) {
    throw new BadRequest(`unknown op ${JSON.stringify(op)} for track ${track}; known: ${Object.keys(ops).join(', ')}`);
  }
  if (!Array.isArray(args)) throw new BadRequest('"args" must be an array');
  const decoded = decodeValue(args, 'args', MARKER_DECODERS[track] ?? null);
  return encodeValue(ops[op](...decoded), { utf16 });
}

function respond(line) {
  let id = null;
  let response;
  try {
    let request;
    try {
      request = JSON.parse(line);
    } catch (error) {
      throw new BadRequest(`request is not JSON: ${error.message}`);
    }
    if (request && typeof request === 'object' && (typeof request.id === 'number' || typeof request.id === 'string')) {
      id = request.id;
    }
    response = { id, ok: true, value: serve(request) };
  } catch (error) {
    response = { id, ok: false, error: describeError(error) };
  }
  let text;
  try {
    text = JSON.stringify(response);
  } catch (error) {
    text = JSON.stringify({ id, ok: false, error: describeError(error) });
  }
  process.stdout.write(text + '\n');
}

process.stdout.on('error', (error) => {
  // The client went away: nothing left to answer.
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line.trim() !== '') respond(line);
});

// The vector-similarity recordings: every call of corpora/vectors/cases.mjs run on the fallback.
// Arguments are stored with the markers of vectors-wire.mjs and decoded again before the call, so
// the fallback computes on exactly the bits the Rust replay reads.

import { recordedCases } from '../../corpora/vectors/cases.mjs';
import { decodeValue, describeError } from './values.mjs';
import { decodeVectorMarker, OPS, REFERENCE } from './vectors-ops.mjs';
import { encodeVectors } from './vectors-wire.mjs';

function record(entry) {
  const args = encodeVectors(entry.args);
  const decoded = decodeValue(args, `${entry.id}.args`, decodeVectorMarker);
  let expect;
  try {
    expect = { value: OPS[entry.op](...decoded) };
  } catch (error) {
    expect = { error: describeError(error) };
  }
  return { id: entry.id, op: entry.op, args, expect };
}

/** `[{ fileName, recording }]` for oracle/recordings/vectors/, given the format and recorder. */
export function vectorRecordings({ format, recordedBy }) {
  return recordedCases().map(({ file, subjects }) => ({
    fileName: file,
    recording: {
      format,
      track: 'vectors',
      reference: REFERENCE,
      recordedBy,
      subjects: subjects.map(({ id, description, entries }) => ({
        id,
        description,
        inputs: {},
        entries: entries.map(record),
      })),
    },
  }));
}

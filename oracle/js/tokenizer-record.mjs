// The tokenizer recordings: js-tiktoken's count of every parity case (and of the mixed-1k and
// mixed-10k bench texts) in each of the four encodings. Texts are named by their generated corpus
// file and its sha256; the lone-surrogate cases, which no UTF-8 file can hold, travel inline as
// {"$utf16": [...]} arguments.

import { createHash } from 'node:crypto';

import { LONE_SURROGATE_CASES } from '../../corpora/tokenizer/cases.mjs';
import { buildParityFiles, generatedPath, mixedCase } from '../../corpora/tokenizer/generate.mjs';
import { ENCODINGS, OPS, REFERENCE } from './tokenizer-ops.mjs';
import { stringToCodeUnits } from './values.mjs';

/** The bench texts small enough for js-tiktoken to count in well under a second. */
const RECORDED_BENCH_TEXTS = ['mixed-1k', 'mixed-10k'];

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** One entry per encoding: `count(encoding, textArg)` and what js-tiktoken says. */
function countEntries(text, textArg) {
  return ENCODINGS.map((encoding) => ({
    id: encoding,
    op: 'count',
    args: [encoding, textArg],
    expect: { value: OPS.count(encoding, text) },
  }));
}

function fileSubject({ name, description, file, text }) {
  return {
    id: name,
    description,
    inputs: { text: { path: generatedPath(file), sha256: sha256(text) } },
    entries: countEntries(text, { $input: 'text' }),
  };
}

function loneSurrogateSubject({ name, description, text }) {
  return {
    id: name,
    description,
    inputs: {},
    entries: countEntries(text, { $utf16: stringToCodeUnits(text) }),
  };
}

/** `[{ fileName, recording }]` for oracle/recordings/tokenizer/, given the format and recorder. */
export function tokenizerRecordings({ format, recordedBy }) {
  const recording = (subjects) => ({ format, track: 'tokenizer', reference: REFERENCE, recordedBy, subjects });
  const bench = RECORDED_BENCH_TEXTS.map((name) => {
    const { text, cl100kTokens } = mixedCase(name);
    return fileSubject({ name, description: `bench text, ${cl100kTokens} cl100k tokens`, file: `${name}.txt`, text });
  });
  return [
    { fileName: 'parity-cases.json', recording: recording(buildParityFiles().map(fileSubject)) },
    { fileName: 'bench-texts.json', recording: recording(bench) },
    { fileName: 'lone-surrogates.json', recording: recording(LONE_SURROGATE_CASES.map(loneSurrogateSubject)) },
  ];
}

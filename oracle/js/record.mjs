#!/usr/bin/env node
// Runs the JS fallbacks over every corpus case and fixture and writes what they return to
// oracle/recordings/<track>/, which the Rust crate `oracle` replays against the engines.
//
//   node oracle/js/record.mjs           re-record (writes, and removes recordings no longer made)
//   node oracle/js/record.mjs --check   re-record in memory; exit 1 naming every stale, missing
//                                       or extra recording file
//
// Recording format (JSON, "format": "ku0-oracle-recording/1"): a list of subjects, each with named
// inputs and entries `{ id, op, args, expect }`.
//   inputs:  {"path": "corpora/diff/generated/x.old.txt", "sha256": "..."}   a generated corpus file
//            {"fixture": "corpora/diff/fixtures/f.json", "case": "id", "field": "old"}
//                                     a fixture string (the fixture file's sha256 is in `fixtureFiles`)
//   args:    JSON values and the markers of values.mjs ($input, $result, $undefined)
//   expect:  {"value": v}                      the returned value
//            {"error": {"name", "message"}}    what was thrown
//            {"input": "new"}                  a string equal to the subject's input of that name
//            {"file": "x.patch"}               a big primary patch, stored beside the recording (UTF-8)
//            {"textSha256": h, "length": n}    a big string: sha256 of its UTF-8, n UTF-16 units
//            {"jsonSha256": h, "length": n}    a big structure: sha256 of its canonical JSON (values.mjs)
// Output is byte-stable: no timestamps, no machine-dependent fields, fixed key order.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as diffFallback from '@ku0/diff-rs/fallback';

import { buildCorpus, casePaths } from '../../corpora/diff/generate.mjs';
import { HEAVY_CASES, applyEntries, pairEntries } from './diff-plan.mjs';
import { canonicalJson, decodeValue, describeError, encodeValue, sha256Bytes, sha256Text } from './values.mjs';
import { sandboxRecordings } from './sandbox-record.mjs';
import { tokenizerRecordings } from './tokenizer-record.mjs';
import { vectorRecordings } from './vectors-record.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(HERE, '..', '..');
const RECORDINGS_ROOT = join(HERE, '..', 'recordings');
const FORMAT = 'ku0-oracle-recording/1';
/** Outputs longer than this (UTF-16 units) are stored in a file (primary patches) or as a hash. */
const INLINE_LIMIT = 8 * 1024;

const EDGE_CASES = 'corpora/diff/fixtures/edge-cases.json';
const APPLY_CASES = 'corpora/diff/fixtures/apply-cases.json';

function jsdiffVersion() {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('diff/package.json'), 'utf8')).version;
}

/**
 * Indented JSON, except that each input and each entry's `args` and `expect` stay on one line:
 * a recording then reads (and diffs) as one line per call.
 */
const ONE_LINE_KEYS = new Set(['args', 'expect', 'old', 'new', 'original', 'patch']);

function formatRecording(value, indent = '', key = null) {
  if (ONE_LINE_KEYS.has(key) || value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + formatRecording(item, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (keys.length === 0) return '{}';
  const members = keys.map((k) => `${inner}${JSON.stringify(k)}: ${formatRecording(value[k], inner, k)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}

/** Collects the files of one track's recordings, keyed by file name. */
class RecordingSet {
  constructor(track) {
    this.track = track;
    this.files = new Map();
  }

  add(fileName, content) {
    if (this.files.has(fileName)) throw new Error(`two recordings named ${fileName}`);
    this.files.set(fileName, content);
  }

  addJson(fileName, recording) {
    this.add(fileName, formatRecording(recording) + '\n');
  }
}

function expectationFor(outcome, { primary, fileName, set, texts }) {
  if (!outcome.ok) return { error: outcome.error };
  const { value } = outcome;
  if (typeof value === 'string') {
    const sameInput = Object.keys(texts).find((name) => texts[name] === value && value.length > 0);
    if (sameInput !== undefined) return { input: sameInput };
    if (value.length <= INLINE_LIMIT || !value.isWellFormed()) return { value };
    if (primary) {
      set.add(fileName, value);
      return { file: fileName };
    }
    return { textSha256: sha256Text(value), length: value.length };
  }
  const encoded = encodeValue(value);
  const canonical = canonicalJson(encoded);
  if (canonical.length <= INLINE_LIMIT || !canonical.isWellFormed()) return { value: encoded };
  return { jsonSha256: sha256Text(canonical), length: canonical.length };
}

/**
 * Runs `plan` against `texts` (input name -> string). An entry whose `$result` reference names an
 * entry that threw (or was itself skipped) is skipped: there is no value to feed it.
 */
function runEntries({ fallback, plan, texts, fileStem, set }) {
  const results = new Map();
  const entries = [];
  for (const planned of plan) {
    let runnable = true;
    const args = decodeValue(planned.args, `${planned.id}.args`, (key, payload, where) => {
      if (key === '$input') {
        if (!Object.hasOwn(texts, payload)) throw new Error(`${where}: no input named ${payload}`);
        return texts[payload];
      }
      if (key === '$result') {
        const earlier = results.get(payload);
        if (!earlier || !earlier.ok) runnable = false;
        return earlier?.value;
      }
      throw new Error(`${where}: unknown marker ${key}`);
    });
    if (!runnable) continue;
    let outcome;
    try {
      outcome = { ok: true, value: fallback[planned.op](...args) };
    } catch (error) {
      outcome = { ok: false, error: describeError(error) };
    }
    results.set(planned.id, outcome);
    const fileName = `${fileStem}.${planned.id.replace(/[^A-Za-z0-9=.-]+/g, '_')}.patch`;
    entries.push({
      id: planned.id,
      op: planned.op,
      args: planned.args,
      expect: expectationFor(outcome, { primary: planned.primary === true, fileName, set, texts }),
    });
  }
  return entries;
}

function readFixtureFile(path, requiredFields) {
  const bytes = readFileSync(join(REPO_ROOT, path));
  const parsed = JSON.parse(bytes.toString('utf8'));
  const seen = new Set();
  for (const fixture of parsed.cases ?? []) {
    if (typeof fixture.id !== 'string' || seen.has(fixture.id)) {
      throw new Error(`${path}: every case needs a unique string "id" (at ${JSON.stringify(fixture.id)})`);
    }
    seen.add(fixture.id);
    for (const field of requiredFields) {
      if (typeof fixture[field] !== 'string') throw new Error(`${path}: case ${fixture.id} needs a string "${field}"`);
    }
  }
  return { sha256: sha256Bytes(bytes), cases: parsed.cases ?? [] };
}

function header(track, extra = {}) {
  return {
    format: FORMAT,
    track,
    reference: `diff@${jsdiffVersion()} through @ku0/diff-rs/fallback`,
    recordedBy: 'node oracle/js/record.mjs',
    ...extra,
  };
}

function recordDiffCorpus(set) {
  for (const corpusCase of buildCorpus()) {
    const paths = casePaths(corpusCase.name);
    const fileStem = `corpus-${corpusCase.name}`;
    const texts = { old: corpusCase.old, new: corpusCase.new };
    const subject = {
      id: corpusCase.name,
      description: corpusCase.description,
      inputs: {
        old: { path: paths.old, sha256: sha256Text(corpusCase.old) },
        new: { path: paths.new, sha256: sha256Text(corpusCase.new) },
      },
      entries: runEntries({
        fallback: diffFallback,
        plan: pairEntries({ heavy: HEAVY_CASES.has(corpusCase.name) }),
        texts,
        fileStem,
        set,
      }),
    };
    set.addJson(`${fileStem}.json`, { ...header('diff'), subjects: [subject] });
  }
}

function recordDiffFixtures(set, { path, fields, plan, stem }) {
  const fixtures = readFixtureFile(path, fields);
  const subjects = fixtures.cases.map((fixture) => ({
    id: fixture.id,
    description: fixture.description ?? '',
    inputs: Object.fromEntries(fields.map((field) => [field, { fixture: path, case: fixture.id, field }])),
    entries: runEntries({
      fallback: diffFallback,
      plan,
      texts: Object.fromEntries(fields.map((field) => [field, fixture[field]])),
      fileStem: `${stem}-${fixture.id}`,
      set,
    }),
  }));
  set.addJson(`${stem}.json`, { ...header('diff', { fixtureFiles: { [path]: fixtures.sha256 } }), subjects });
}

function buildRecordings() {
  const diff = new RecordingSet('diff');
  recordDiffCorpus(diff);
  recordDiffFixtures(diff, {
    path: EDGE_CASES,
    fields: ['old', 'new'],
    plan: pairEntries({ extraContexts: [10, 0xffffffff], extraNameVariants: ['empty-names'] }),
    stem: 'fixtures-edge-cases',
  });
  recordDiffFixtures(diff, {
    path: APPLY_CASES,
    fields: ['original', 'patch'],
    plan: applyEntries(),
    stem: 'fixtures-apply-cases',
  });
  const vectors = new RecordingSet('vectors');
  for (const { fileName, recording } of vectorRecordings({ format: FORMAT, recordedBy: 'node oracle/js/record.mjs' })) {
    vectors.addJson(fileName, recording);
  }
  const tokenizer = new RecordingSet('tokenizer');
  for (const { fileName, recording } of tokenizerRecordings({ format: FORMAT, recordedBy: 'node oracle/js/record.mjs' })) {
    tokenizer.addJson(fileName, recording);
  }
  const sandbox = new RecordingSet('sandbox');
  for (const { fileName, recording } of sandboxRecordings({ format: FORMAT, recordedBy: 'node oracle/js/record.mjs' })) {
    sandbox.addJson(fileName, recording);
  }
  return [diff, vectors, tokenizer, sandbox];
}

function listFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')) : [];
}

function check(sets) {
  const problems = [];
  for (const set of sets) {
    const dir = join(RECORDINGS_ROOT, set.track);
    const onDisk = new Set(listFiles(dir));
    for (const [name, content] of set.files) {
      const rel = `oracle/recordings/${set.track}/${name}`;
      if (!onDisk.has(name)) problems.push(`missing: ${rel}`);
      else if (readFileSync(join(dir, name), 'utf8') !== content) problems.push(`stale:   ${rel}`);
    }
    for (const name of onDisk) {
      if (!set.files.has(name)) problems.push(`extra:   oracle/recordings/${set.track}/${name}`);
    }
  }
  if (problems.length > 0) {
    console.error(`oracle recordings are out of date (${problems.length}):`);
    for (const problem of problems) console.error(`  ${problem}`);
    console.error('re-record with `cargo xtask record` (node oracle/js/record.mjs) and commit the result');
    process.exit(1);
  }
  const count = sets.reduce((n, set) => n + set.files.size, 0);
  console.log(`oracle recordings are up to date (${count} files)`);
}

function write(sets) {
  for (const set of sets) {
    const dir = join(RECORDINGS_ROOT, set.track);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of set.files) writeFileSync(join(dir, name), content);
    for (const name of listFiles(dir)) {
      if (!set.files.has(name)) rmSync(join(dir, name));
    }
    console.log(`wrote ${set.files.size} recording files to oracle/recordings/${set.track}`);
  }
}

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--check');
if (unknown.length > 0) {
  console.error(`record.mjs: unknown argument(s) ${unknown.join(' ')}; usage: node oracle/js/record.mjs [--check]`);
  process.exit(2);
}
const sets = buildRecordings();
if (args.includes('--check')) check(sets);
else write(sets);

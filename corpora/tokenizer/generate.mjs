#!/usr/bin/env node
// Writes the generated tokenizer corpora to corpora/tokenizer/generated/ (gitignored):
//
//   parity cases (kind "parity"):  <name>.txt for every case of cases.mjs (prose-en, code-rust,
//                                  cjk-chinese, emoji, repeat-a-2000, unicode-whitespace, ...)
//   bench texts (kind "bench"):    mixed-1k.txt, mixed-10k.txt, mixed-100k.txt (mixed prose, code,
//                                  CJK and emoji of about 1k/10k/100k cl100k tokens),
//                                  prose-1mb.txt, repeat-char-1mb.txt, whitespace-1mb.txt (1 MiB each)
//   conversation-500.json (kind "conversation"): 500 NativeMessage objects for compressContext
//   manifest.json: { "cases": [{ name, path, kind, description, bytes, sha256, cl100kTokens? }] },
//                  paths relative to the repo root
//
//   node corpora/tokenizer/generate.mjs          (run by `cargo xtask setup`)
//
// Deterministic: every case has its own seeded PRNG (corpora/rng.mjs, seeded by the case name),
// and the TypeScript text comes from the pinned typescript@5.9.3. Lone-surrogate cases cannot be
// files: they are LONE_SURROGATE_CASES in cases.mjs, recorded by oracle/js/tokenizer-record.mjs.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { getEncoding } from 'js-tiktoken';

import { mixedText, prose1mb, repeatChar1mb, whitespace1mb } from './bench-texts.mjs';
import { parityCases } from './cases.mjs';
import { conversation } from './conversation.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(HERE, '..', '..');
export const GENERATED_DIR = join(HERE, 'generated');

/** The repo-relative path of a generated file. */
export const generatedPath = (file) => relative(REPO_ROOT, join(GENERATED_DIR, file)).split('\\').join('/');

let cl100k = null;
/** js-tiktoken's cl100k_base count, special-token strings as plain text. */
export function countCl100k(text) {
  cl100k ??= getEncoding('cl100k_base');
  return cl100k.encode(text, [], []).length;
}

export const MIXED_SIZES = [
  ['mixed-1k', 1_000],
  ['mixed-10k', 10_000],
  ['mixed-100k', 100_000],
];

/** The mixed bench text `name` of MIXED_SIZES: `{ text, cl100kTokens }`. */
export function mixedCase(name) {
  const size = MIXED_SIZES.find(([n]) => n === name);
  if (!size) throw new Error(`no mixed bench text named ${name}`);
  return mixedText(name, size[1], countCl100k);
}

function benchCases() {
  const mixed = MIXED_SIZES.map(([name, tokens]) => {
    const { text, cl100kTokens } = mixedCase(name);
    return {
      name,
      description: `mixed prose, TypeScript and other code, CJK, emoji and accents: ${cl100kTokens} cl100k tokens (target ${tokens})`,
      text,
      cl100kTokens,
    };
  });
  return [
    ...mixed,
    { name: 'prose-1mb', description: '1 MiB of English-like ASCII prose', text: prose1mb() },
    { name: 'repeat-char-1mb', description: '1 MiB of the letter "a"', text: repeatChar1mb() },
    { name: 'whitespace-1mb', description: '1 MiB of runs of spaces, tabs, LF and CRLF', text: whitespace1mb() },
  ];
}

function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The parity cases' files: `{ name, file, kind, description, text }`. */
export function buildParityFiles() {
  return parityCases().map((c) => ({ ...c, file: `${c.name}.txt`, kind: 'parity' }));
}

/** Every generated file: `{ name, file, kind, description, text, cl100kTokens? }`. */
export function buildCorpus() {
  const files = buildParityFiles();
  for (const c of benchCases()) files.push({ ...c, file: `${c.name}.txt`, kind: 'bench' });
  const messages = conversation(500);
  files.push({
    name: 'conversation-500',
    file: 'conversation-500.json',
    kind: 'conversation',
    description: '500 NativeMessage objects (system/user/assistant/tool) with tool calls and JSON tool results; some without content',
    text: JSON.stringify(messages, null, 1) + '\n',
  });
  return files;
}

function write() {
  mkdirSync(GENERATED_DIR, { recursive: true });
  const wanted = new Set(['manifest.json']);
  const manifest = { cases: [] };
  for (const entry of buildCorpus()) {
    writeFileSync(join(GENERATED_DIR, entry.file), entry.text);
    wanted.add(entry.file);
    manifest.cases.push({
      name: entry.name,
      path: generatedPath(entry.file),
      kind: entry.kind,
      description: entry.description,
      bytes: Buffer.byteLength(entry.text, 'utf8'),
      sha256: sha256(entry.text),
      ...(entry.cl100kTokens === undefined ? {} : { cl100kTokens: entry.cl100kTokens }),
    });
  }
  writeFileSync(join(GENERATED_DIR, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  for (const file of readdirSync(GENERATED_DIR)) {
    if (!wanted.has(file)) rmSync(join(GENERATED_DIR, file));
  }
  console.log(`wrote ${manifest.cases.length} tokenizer corpus files to ${relative(REPO_ROOT, GENERATED_DIR)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  write();
}

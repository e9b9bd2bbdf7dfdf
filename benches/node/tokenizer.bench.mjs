#!/usr/bin/env node
// End-to-end tokenizer bench: @ku0/tokenizer-rs (native binding) vs its js-tiktoken fallback in one
// process, with gpt-tokenizer and the tiktoken WASM package on the same texts. Every count is
// checked against the fallback's before anything is timed.
//
//   node benches/node/tokenizer.bench.mjs [--out results.json] [--quick]
//
// Workloads (impl "native" | "fallback" | "gpt-tokenizer" | "tiktoken-wasm" | "native-each"):
//   countTokens/<encoding>/mixed-{1k,10k,100k}   one call on the corpora's mixed texts; the native
//                                     row carries `vs_fastest_competitor` (its median over the
//                                     faster of gpt-tokenizer and tiktoken-wasm: below 1 is faster)
//   textProbe/mixed-{1k,10k,100k}     native only: reading the string across the boundary, no count
//   coldFirstCall/<encoding>          a fresh node process: the first count of mixed-1k, timed from
//                                     the call (the encoding loads inside it); one sample a process
//   countTokensBatch/1000-chat        1,000 chat-sized messages in one native call ("native"), as
//                                     1,000 native countTokens calls ("native-each"), and the
//                                     fallback's loop; cl100k_base
//   compressContext/conversation-500  the corpus conversation, 20,000 tokens, last 10 kept, gpt-4o
//   countTokens/<encoding>/{prose,repeat-char,whitespace}-1mb   native only; `ns_per_byte`, and
//                                     `vs_prose` (its time per byte over prose's: no cliffs)
// Peak RSS with all four encodings loaded (a child process, process.resourceUsage().maxRSS) is
// written as `memory`, beside a child that loaded the package and counted nothing.
//
// `cargo xtask bench` runs it with TOKENIZER_RS_NATIVE_PATH pointing at the release build and
// collects --out into target/ku0-bench/results.json. Output JSON:
//   { track: "tokenizer", node, quick, binding, competitors, memory, results: [{ workload, impl,
//     median_ms, p99_ms, mean_ms, samples, ...extra }] }
// p99 is nearest-rank: with fewer than 100 samples it is the slowest sample.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tokenizerRs from '@ku0/tokenizer-rs';
import * as fallback from '@ku0/tokenizer-rs/fallback';

import { benchCli, competitorStatuses, measure, statsLine, summarize, writeOutput } from './harness.mjs';

const { fail, parseArgs } = benchCli('tokenizer.bench');

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MANIFEST = join(REPO_ROOT, 'corpora/tokenizer/generated/manifest.json');
const ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];
const MIXED = ['mixed-1k', 'mixed-10k', 'mixed-100k'];
const LARGE = ['prose-1mb', 'repeat-char-1mb', 'whitespace-1mb'];
const LARGE_ENCODINGS = ['o200k_base', 'cl100k_base'];
const BATCH_SIZE = 1000;
const CHAT_MESSAGE_CHARS = 600;
const COLD_RUNS = 3;

function loadCorpus() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch (error) {
    fail(`cannot read ${MANIFEST} (${error.message}): run \`cargo xtask setup\` to generate the corpora`);
  }
  const text = (name) => {
    const entry = manifest.cases.find((c) => c.name === name);
    if (!entry) fail(`${MANIFEST} has no case \`${name}\`: run \`cargo xtask setup\``);
    return readFileSync(join(REPO_ROOT, entry.path), 'utf8');
  };
  return {
    mixed: Object.fromEntries(MIXED.map((name) => [name, text(name)])),
    large: Object.fromEntries(LARGE.map((name) => [name, text(name)])),
    conversation: JSON.parse(text('conversation-500')),
  };
}

function assertNative() {
  const binding = tokenizerRs.describeBinding();
  if (binding.implementation !== 'native') {
    fail(
      `@ku0/tokenizer-rs is not using its native binding: ${JSON.stringify(binding)}. ` +
        'Build it (`cargo build --release -p tokenizer-rs`) and set TOKENIZER_RS_NATIVE_PATH, or run `cargo xtask bench`.',
    );
  }
  return tokenizerRs.getNativeTokenizer();
}

/** gpt-tokenizer and tiktoken's WASM build, counting special-token strings as text like we do. */
async function loadCompetitors() {
  const competitors = {};
  try {
    const modules = {};
    for (const encoding of ENCODINGS) modules[encoding] = await import(`gpt-tokenizer/encoding/${encoding}`);
    const asText = { disallowedSpecial: new Set() };
    competitors['gpt-tokenizer'] = { status: 'loaded', count: (text, encoding) => modules[encoding].countTokens(text, asText) };
  } catch (error) {
    competitors['gpt-tokenizer'] = { status: `not available: ${error.message.split('\n')[0]}` };
  }
  try {
    const { get_encoding: getEncoding } = await import('tiktoken');
    const encoders = {};
    competitors['tiktoken-wasm'] = {
      status: 'loaded',
      count: (text, encoding) => (encoders[encoding] ??= getEncoding(encoding)).encode_ordinary(text).length,
    };
  } catch (error) {
    competitors['tiktoken-wasm'] = { status: `not available: ${error.message.split('\n')[0]}` };
  }
  for (const [name, c] of Object.entries(competitors)) {
    if (c.status !== 'loaded') console.error(`tokenizer.bench: ${name} ${c.status}; its workloads are skipped`);
  }
  return competitors;
}

function assertSame(what, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: native gives ${a.slice(0, 200)}, the fallback ${e.slice(0, 200)}`);
}

/** Settings for `measure`, by how slow the call is: fast native calls get enough samples for a p99. */
function settingsFor(options, { slow = false, verySlow = false } = {}) {
  if (verySlow) return { warmupMs: 0, budgetMs: 0, minSamples: options.quick ? 1 : 3, maxSamples: options.quick ? 1 : 3 };
  if (slow) return options.quick ? { warmupMs: 0, budgetMs: 200, minSamples: 2, maxSamples: 20 } : { warmupMs: 100, budgetMs: 700, minSamples: 3, maxSamples: 50 };
  return options.quick ? { warmupMs: 50, budgetMs: 300, minSamples: 5, maxSamples: 500 } : { warmupMs: 200, budgetMs: 1200, minSamples: 20, maxSamples: 2000 };
}

function record(results, workload, impl, stats, extra = {}) {
  const row = { workload, impl, ...stats, ...extra };
  results.push(row);
  console.error(statsLine(workload, impl, stats, { workloadWidth: 42, implWidth: 13, digits: 4, width: 11 }));
  return row;
}

function benchCounts(results, options, corpus, native, competitors) {
  for (const encoding of ENCODINGS) {
    for (const name of MIXED) {
      const text = corpus.mixed[name];
      const workload = `countTokens/${encoding}/${name}`;
      const expected = fallback.countTokens(text, encoding); // also loads the encoding's tables
      assertSame(workload, native.countTokens(text, encoding), expected);
      const tokens = expected;
      const nativeRow = record(results, workload, 'native', measure(() => native.countTokens(text, encoding), settingsFor(options)), { tokens });
      const big = name === 'mixed-100k';
      record(results, workload, 'fallback', measure(() => fallback.countTokens(text, encoding), settingsFor(options, { slow: !big, verySlow: big })), { tokens });
      const competitorMedians = [];
      for (const [impl, competitor] of Object.entries(competitors)) {
        if (competitor.status !== 'loaded') continue;
        const theirs = competitor.count(text, encoding);
        if (theirs !== expected) {
          console.error(`tokenizer.bench: ${impl} counts ${theirs} tokens on ${workload}, js-tiktoken ${expected}; timed anyway`);
        }
        const stats = measure(() => competitor.count(text, encoding), settingsFor(options, { slow: true }));
        record(results, workload, impl, stats, { tokens: theirs });
        competitorMedians.push(stats.median_ms);
      }
      if (competitorMedians.length > 0) nativeRow.vs_fastest_competitor = nativeRow.median_ms / Math.min(...competitorMedians);
    }
  }
  for (const name of MIXED) {
    const text = corpus.mixed[name];
    record(results, `textProbe/${name}`, 'native', measure(() => tokenizerRs.diagnostics.textProbe(text), settingsFor(options)));
  }
}

/** One fresh node process per sample: the time of its first count (tables load inside it). */
function benchColdStart(results, options, corpus) {
  const textPath = join(REPO_ROOT, 'corpora/tokenizer/generated/mixed-1k.txt');
  const runs = options.quick ? 1 : COLD_RUNS;
  for (const encoding of ENCODINGS) {
    for (const [impl, env] of [['native', {}], ['fallback', { TOKENIZER_RS_DISABLE_NATIVE: '1' }]]) {
      const samples = [];
      for (let run = 0; run < (impl === 'native' ? runs : 1); run++) {
        const out = inChild(
          env,
          `const { readFileSync } = await import('node:fs');
           const text = readFileSync(${JSON.stringify(textPath)}, 'utf8');
           const t0 = performance.now();
           const count = t.countTokens(text, ${JSON.stringify(encoding)});
           const ms = performance.now() - t0;
           console.log(JSON.stringify({ ms, count, impl: t.describeBinding().implementation }));`,
        );
        if (out.impl !== impl) fail(`coldFirstCall/${encoding}: the child ran ${out.impl}, expected ${impl}`);
        assertSame(`coldFirstCall/${encoding}`, out.count, fallback.countTokens(corpus.mixed['mixed-1k'], encoding));
        samples.push(out.ms);
      }
      record(results, `coldFirstCall/${encoding}`, impl, summarize(samples));
    }
  }
}

/** Runs `body` (an ES module with `t` = the package) in a fresh node process on the same binding. */
function inChild(env, body) {
  const script = `const t = await import('@ku0/tokenizer-rs');\n${body}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    // The absolute path of the binding this process loaded: an override may be relative to our cwd.
    env: { ...process.env, TOKENIZER_RS_NATIVE_PATH: tokenizerRs.describeBinding().path, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop());
}

/** 1,000 chat-sized texts: the contents and tool results of the corpus conversation, cut to 600 characters. */
function chatMessages(conversation) {
  const texts = [];
  for (const message of conversation) {
    if (message.content) texts.push(message.content);
    for (const toolResult of message.toolResults ?? []) texts.push(JSON.stringify(toolResult.result));
    if (message.result !== undefined) texts.push(JSON.stringify(message.result));
  }
  const out = [];
  for (let i = 0; out.length < BATCH_SIZE; i++) out.push(texts[i % texts.length].slice(0, CHAT_MESSAGE_CHARS));
  return out;
}

function benchBatch(results, options, corpus, native) {
  const texts = chatMessages(corpus.conversation);
  const encoding = 'cl100k_base';
  const workload = `countTokensBatch/${BATCH_SIZE}-chat`;
  assertSame(workload, native.countTokensBatch(texts, encoding), fallback.countTokensBatch(texts, encoding));
  const each = () => {
    let total = 0;
    for (let i = 0; i < texts.length; i++) total += native.countTokens(texts[i], encoding);
    return total;
  };
  const batch = record(results, workload, 'native', measure(() => native.countTokensBatch(texts, encoding), settingsFor(options)));
  const loop = record(results, workload, 'native-each', measure(each, settingsFor(options)));
  const slow = record(results, workload, 'fallback', measure(() => fallback.countTokensBatch(texts, encoding), settingsFor(options, { slow: true })));
  batch.vs_native_each = loop.median_ms / batch.median_ms;
  batch.vs_fallback = slow.median_ms / batch.median_ms;
}

function benchCompressContext(results, options, corpus, native) {
  const args = [corpus.conversation, 20_000, 10, 'gpt-4o'];
  const workload = 'compressContext/conversation-500';
  assertSame(workload, native.compressContext(...args), fallback.compressContext(...args));
  const fast = record(results, workload, 'native', measure(() => native.compressContext(...args), settingsFor(options)));
  const slow = record(results, workload, 'fallback', measure(() => fallback.compressContext(...args), settingsFor(options, { slow: true })));
  fast.vs_fallback = slow.median_ms / fast.median_ms;
}

function benchLarge(results, options, corpus, native) {
  for (const encoding of LARGE_ENCODINGS) {
    let prosePerByte = null;
    for (const name of LARGE) {
      const text = corpus.large[name];
      const bytes = Buffer.byteLength(text);
      const stats = measure(() => native.countTokens(text, encoding), settingsFor(options, { slow: true }));
      const nsPerByte = (stats.median_ms * 1e6) / bytes;
      prosePerByte ??= nsPerByte;
      record(results, `countTokens/${encoding}/${name}`, 'native', stats, {
        ns_per_byte: nsPerByte,
        vs_prose: nsPerByte / prosePerByte,
        tokens: native.countTokens(text, encoding),
      });
    }
  }
}

/**
 * Peak RSS (KB) of a child that loads the package and counts mixed-100k in every encoding (so
 * that every table is in use), and of one that loads it and counts nothing.
 */
function measureMemory() {
  const textPath = join(REPO_ROOT, 'corpora/tokenizer/generated/mixed-100k.txt');
  const probe = (countAll) =>
    inChild(
      {},
      `${countAll ? `const text = (await import('node:fs')).readFileSync(${JSON.stringify(textPath)}, 'utf8');
         for (const e of ${JSON.stringify(ENCODINGS)}) t.countTokens(text, e);` : ''}
       console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));`,
    ).maxRssKb;
  const loaded = probe(false);
  const allEncodings = probe(true);
  console.error(`peak RSS: ${(allEncodings / 1024).toFixed(1)} MB with all four encodings loaded, ${(loaded / 1024).toFixed(1)} MB without`);
  return { peak_rss_all_encodings_kb: allEncodings, peak_rss_package_only_kb: loaded, encodings_kb: allEncodings - loaded };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const native = assertNative();
  const binding = tokenizerRs.describeBinding();
  const corpus = loadCorpus();
  const competitors = await loadCompetitors();
  const started = performance.now();

  const results = [];
  benchColdStart(results, options, corpus);
  const memory = measureMemory();
  benchCounts(results, options, corpus, native, competitors);
  benchBatch(results, options, corpus, native);
  benchCompressContext(results, options, corpus, native);
  benchLarge(results, options, corpus, native);

  printTables(results);
  console.error(`tokenizer.bench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  writeOutput('tokenizer', options, { binding, competitors: competitorStatuses(competitors), memory, results });
}

function printTables(results) {
  const rows = [];
  for (const r of results.filter((x) => x.impl === 'native' && x.workload.startsWith('countTokens/') && x.workload.includes('mixed'))) {
    const of = (impl) => results.find((x) => x.workload === r.workload && x.impl === impl);
    rows.push({
      workload: r.workload,
      'native median ms': +r.median_ms.toFixed(4),
      'native p99 ms': +r.p99_ms.toFixed(4),
      'fallback median ms': +of('fallback').median_ms.toFixed(2),
      'gpt-tokenizer ms': of('gpt-tokenizer') ? +of('gpt-tokenizer').median_ms.toFixed(3) : null,
      'tiktoken-wasm ms': of('tiktoken-wasm') ? +of('tiktoken-wasm').median_ms.toFixed(3) : null,
      'vs fallback': `${(of('fallback').median_ms / r.median_ms).toFixed(0)}x`,
      'vs fastest other': r.vs_fastest_competitor === undefined ? null : +r.vs_fastest_competitor.toFixed(3),
    });
  }
  console.table(rows);
  const others = results.filter((r) => !(r.workload.startsWith('countTokens/') && r.workload.includes('mixed')));
  console.table(
    others.map((r) => ({
      workload: r.workload,
      impl: r.impl,
      'median ms': +r.median_ms.toFixed(4),
      'p99 ms': +r.p99_ms.toFixed(4),
      note: r.vs_native_each
        ? `${r.vs_native_each.toFixed(1)}x vs native-each, ${r.vs_fallback.toFixed(0)}x vs fallback`
        : r.vs_fallback
          ? `${r.vs_fallback.toFixed(1)}x vs fallback`
          : r.ns_per_byte
            ? `${r.ns_per_byte.toFixed(2)} ns/byte, ${r.vs_prose.toFixed(2)}x prose`
            : '',
    })),
  );
}

await main();

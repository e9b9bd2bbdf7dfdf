#!/usr/bin/env node
// Writes the generated diff corpora: corpora/diff/generated/<case>.old.txt / .new.txt and
// manifest.json. Deterministic: every case has its own seeded PRNG (seeded by its name), and the
// text comes from typescript@5.9.3's lib files, so the bytes are the same on every machine.
//
//   node corpora/diff/generate.mjs          (run by `cargo xtask setup`)
//
// `buildCorpus()` is also imported by oracle/js/record.mjs, which records in memory.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { editLines, moveBlocks, mutateLine, whitespaceEdits } from './edits.mjs';
import { Random } from './random.mjs';
import { libLines, sliceLines } from './sources.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HERE, '..', '..');
export const GENERATED_DIR = join(HERE, 'generated');

const ES5 = 'lib.es5.d.ts';
const DOM = 'lib.dom.d.ts';
const WEBWORKER = 'lib.webworker.d.ts';
const ES2015 = [
  'lib.es2015.core.d.ts',
  'lib.es2015.collection.d.ts',
  'lib.es2015.iterable.d.ts',
  'lib.es2015.promise.d.ts',
  'lib.es2015.proxy.d.ts',
  'lib.es2015.reflect.d.ts',
  'lib.es2015.symbol.wellknown.d.ts',
];
// Skips the licence banner at the top of every lib file.
const AFTER_BANNER = 15;

const lf = (lines) => lines.map((line) => line + '\n').join('');
const crlf = (lines) => lines.map((line) => line + '\r\n').join('');
const noFinalNewline = (lines) => lines.join('\n');

const withThousandsSeparators = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function codeCase(lineCount, fraction) {
  const pct = Math.round(fraction * 100);
  const k = lineCount / 1000;
  return {
    name: `code-${k}k-${pct}pct`,
    description:
      `${withThousandsSeparators(lineCount)} lines of TypeScript declarations (lib.es5.d.ts` +
      `${lineCount > 4000 ? ' then lib.dom.d.ts' : ''}); ${pct}% of the lines changed: half modified ` +
      '(renames, literals, types, comments), a quarter deleted, a quarter inserted (from lib.webworker.d.ts), in runs of 1-4',
    build(rng) {
      const old = sliceLines(lineCount > 4000 ? [ES5, DOM] : [ES5], AFTER_BANNER, lineCount);
      const edited = editLines(old, rng, { fraction, donor: libLines(WEBWORKER) });
      return { old: lf(old), new: lf(edited) };
    },
  };
}

/** Lines drawn from a tiny alphabet, so that many lines are equal and alignment ties matter. */
function repeatedLines(rng, count) {
  const alphabet = ['}', '', '    }', '    return;', '  break;', '{', '// ---'];
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(rng.chance(0.05) ? `    value${rng.int(0, 9)} = ${rng.int(0, 3)};` : rng.pick(alphabet));
  }
  return out;
}

const UNICODE_SNIPPETS = [
  'const greeting = "héllo wörld";',
  '// 日本語のコメント: 差分テスト',
  'const emoji = "😀🎉👩‍💻";',
  'const combining = "e\u0301 a\u0308 n\u0303";',
  'const rtl = "שלום עולם مرحبا";',
  'const math = "∑ ∫ √ ∞ ≠ ≤";',
  'const astral = "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈";',
  '\u2028line separator inside\u2029',
];

function unicodeLines(rng, count) {
  const code = sliceLines(ES2015, AFTER_BANNER, count);
  return code.map((line) => (rng.chance(0.3) ? rng.pick(UNICODE_SNIPPETS) : line));
}

/** Lines that each end in "\n" or "\r\n", chosen at random. */
function withMixedEndings(lines, rng, crlfShare) {
  return lines.map((line) => ({ line, eol: rng.chance(crlfShare) ? '\r\n' : '\n' }));
}

export const CASES = [
  codeCase(2000, 0.01),
  codeCase(2000, 0.3),
  codeCase(10000, 0.01),
  codeCase(10000, 0.3),
  {
    name: 'pure-inserts',
    description: '1,000 lines of lib.es2015.*.d.ts; 10% more lines inserted in runs of 1-8, nothing removed',
    build(rng) {
      const old = sliceLines(ES2015, AFTER_BANNER, 1000);
      const edited = editLines(old, rng, { fraction: 0.1, donor: libLines(DOM), kinds: 'insert', maxRun: 8 });
      return { old: lf(old), new: lf(edited) };
    },
  },
  {
    name: 'pure-deletes',
    description: '1,000 lines of lib.es2015.*.d.ts; 10% of the lines deleted in runs of 1-8, nothing added',
    build(rng) {
      const old = sliceLines(ES2015, 400, 1000);
      const edited = editLines(old, rng, { fraction: 0.1, donor: [], kinds: 'delete', maxRun: 8 });
      return { old: lf(old), new: lf(edited) };
    },
  },
  {
    name: 'moved-blocks',
    description: '1,500 lines of lib.dom.d.ts; 6 blocks of 5-40 lines moved elsewhere, nothing else changed',
    build(rng) {
      const old = sliceLines([DOM], 20000, 1500);
      return { old: lf(old), new: lf(moveBlocks(old, rng, { blocks: 6, minLength: 5, maxLength: 40 })) };
    },
  },
  {
    name: 'whitespace-only',
    description: '1,000 lines of lib.dom.d.ts; 10% of the lines re-indented or given trailing blanks/tabs',
    build(rng) {
      const old = sliceLines([DOM], 5000, 1000);
      return { old: lf(old), new: lf(whitespaceEdits(old, rng, 0.1)) };
    },
  },
  {
    name: 'crlf-both',
    description: '800 lines with CRLF endings on both sides; 5% of the lines changed (mixed edits)',
    build(rng) {
      const old = sliceLines([ES5], 2000, 800);
      const edited = editLines(old, rng, { fraction: 0.05, donor: libLines(DOM) });
      return { old: crlf(old), new: crlf(edited) };
    },
  },
  {
    name: 'crlf-vs-lf',
    description: '500 lines, LF in the old file and CRLF in the new one (so every line differs), plus 2% edits',
    build(rng) {
      const old = sliceLines([ES5], 3000, 500);
      const edited = editLines(old, rng, { fraction: 0.02, donor: libLines(DOM) });
      return { old: lf(old), new: crlf(edited) };
    },
  },
  {
    name: 'crlf-lf-mixed',
    description:
      '600 lines whose endings are a random mix of LF and CRLF (30% CRLF); the new file flips the ending of 5% of the lines and edits 3%',
    build(rng) {
      const base = sliceLines([DOM], 30000, 600);
      const old = withMixedEndings(base, rng, 0.3);
      const edited = old.map(({ line, eol }) => {
        if (rng.chance(0.05)) return { line, eol: eol === '\n' ? '\r\n' : '\n' };
        if (rng.chance(0.03)) return { line: mutateLine(line, rng), eol };
        return { line, eol };
      });
      const join = (lines) => lines.map(({ line, eol }) => line + eol).join('');
      return { old: join(old), new: join(edited) };
    },
  },
  {
    name: 'no-eol-old',
    description: '300 lines, 3% edited; the old file has no final newline, the new one has',
    build(rng) {
      const old = sliceLines(ES2015, 100, 300);
      const edited = editLines(old, rng, { fraction: 0.03, donor: libLines(DOM), kinds: 'modify' });
      return { old: noFinalNewline(old), new: lf(edited) };
    },
  },
  {
    name: 'no-eol-new',
    description: '300 lines, 3% edited; the new file has no final newline, the old one has',
    build(rng) {
      const old = sliceLines(ES2015, 500, 300);
      const edited = editLines(old, rng, { fraction: 0.03, donor: libLines(DOM), kinds: 'modify' });
      return { old: lf(old), new: noFinalNewline(edited) };
    },
  },
  {
    name: 'no-eol-both-last-line-changed',
    description: '300 lines, neither file ends in a newline; 3% edited including the last line',
    build(rng) {
      const old = sliceLines(ES2015, 900, 300);
      const edited = editLines(old, rng, { fraction: 0.03, donor: libLines(DOM), kinds: 'modify' });
      edited[edited.length - 1] = mutateLine(old[old.length - 1], rng);
      return { old: noFinalNewline(old), new: noFinalNewline(edited) };
    },
  },
  {
    name: 'no-eol-both-tail-context',
    description:
      '300 lines, neither file ends in a newline; the third-last line changed, so the unterminated last line is context',
    build(rng) {
      const old = sliceLines(ES2015, 1300, 300);
      const edited = [...old];
      edited[edited.length - 3] = mutateLine(old[old.length - 3], rng);
      return { old: noFinalNewline(old), new: noFinalNewline(edited) };
    },
  },
  {
    name: 'empty-both',
    description: 'two empty files',
    build: () => ({ old: '', new: '' }),
  },
  {
    name: 'empty-vs-text',
    description: 'an empty old file against 200 lines',
    build: () => ({ old: '', new: lf(sliceLines([ES5], 800, 200)) }),
  },
  {
    name: 'text-vs-empty',
    description: '200 lines against an empty new file',
    build: () => ({ old: lf(sliceLines([ES5], 1200, 200)), new: '' }),
  },
  {
    name: 'identical',
    description: 'the 2,000-line code file against itself',
    build: () => {
      const text = lf(sliceLines([ES5], AFTER_BANNER, 2000));
      return { old: text, new: text };
    },
  },
  {
    name: 'repeated-lines',
    description:
      '1,200 lines drawn from a 7-line alphabet ("}", "", "    return;", ...) with rare distinct lines; 5% mixed edits from the same alphabet, so alignment ties decide the output',
    build(rng) {
      const old = repeatedLines(rng, 1200);
      const edited = editLines(old, rng, { fraction: 0.05, donor: repeatedLines(rng, 200) });
      return { old: lf(old), new: lf(edited) };
    },
  },
  {
    name: 'repeated-single-line',
    description: '400 copies of one line against 390 copies with 3 different lines in between: a pure tie',
    build() {
      const line = '    }';
      const old = new Array(400).fill(line);
      const edited = new Array(390).fill(line);
      edited.splice(300, 0, '    return;');
      edited.splice(150, 0, '  break;');
      edited.splice(20, 0, '');
      return { old: lf(old), new: lf(edited) };
    },
  },
  {
    name: 'unicode-lines',
    description:
      '400 lines mixing code with non-ASCII (accents, CJK, emoji and ZWJ sequences, combining marks, RTL, astral, U+2028); the old file starts with a BOM, 5% edited',
    build(rng) {
      const old = unicodeLines(rng, 400);
      const edited = editLines(old, rng, { fraction: 0.05, donor: UNICODE_SNIPPETS });
      return { old: '\uFEFF' + lf(old), new: lf(edited) };
    },
  },
  {
    name: 'long-lines',
    description: '60 lines of 1-3 KB each (joined declarations, like minified code); 10% modified',
    build(rng) {
      const source = libLines(DOM);
      const old = [];
      for (let i = 0; i < 60; i++) {
        const start = rng.int(0, source.length - 80);
        old.push(source.slice(start, start + rng.int(20, 60)).map((l) => l.trim()).join(' '));
      }
      const edited = editLines(old, rng, { fraction: 0.1, donor: [], kinds: 'modify', maxRun: 1 });
      return { old: lf(old), new: lf(edited) };
    },
  },
];

/** Every case as `{ name, description, old, new }`, built in memory. */
export function buildCorpus() {
  return CASES.map(({ name, description, build }) => {
    const { old, new: newText } = build(new Random(`corpora/diff/${name}`));
    return { name, description, old, new: newText };
  });
}

export function casePaths(name) {
  return {
    old: relative(REPO_ROOT, join(GENERATED_DIR, `${name}.old.txt`)).split('\\').join('/'),
    new: relative(REPO_ROOT, join(GENERATED_DIR, `${name}.new.txt`)).split('\\').join('/'),
  };
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const lineCount = (text) => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

function writeCorpus() {
  const corpus = buildCorpus();
  mkdirSync(GENERATED_DIR, { recursive: true });
  const wanted = new Set(['manifest.json']);
  const manifest = { cases: [] };
  for (const { name, description, old, new: newText } of corpus) {
    const paths = casePaths(name);
    writeFileSync(join(REPO_ROOT, paths.old), old);
    writeFileSync(join(REPO_ROOT, paths.new), newText);
    wanted.add(`${name}.old.txt`).add(`${name}.new.txt`);
    manifest.cases.push({
      name,
      old: paths.old,
      new: paths.new,
      description,
      oldLines: lineCount(old),
      newLines: lineCount(newText),
      oldSha256: sha256(old),
      newSha256: sha256(newText),
    });
  }
  writeFileSync(join(GENERATED_DIR, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  for (const file of readdirSync(GENERATED_DIR)) {
    if (!wanted.has(file)) rmSync(join(GENERATED_DIR, file));
  }
  console.log(`wrote ${corpus.length} diff corpus cases to ${relative(REPO_ROOT, GENERATED_DIR)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  writeCorpus();
}

// Seeded building blocks for the tokenizer corpora: English-like prose, CJK sentences, emoji,
// combining marks, code. Every function takes a PRNG from corpora/rng.mjs, so the same seed gives
// the same text on every machine.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { libLines } from '../diff/sources.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURES_DIR = join(HERE, 'fixtures');

/** A 32-bit seed from a name (FNV-1a), so each case has its own stream. */
export function seedOf(name) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** An integer in [min, max]. */
export const between = (random, min, max) => min + random.int(max - min + 1);

const WORDS = (
  'the of and to in is was that for it with as on be at by this had not are but from or have an they which ' +
  'one you were her all she there would their we him been has when who will more no if out so said what up ' +
  'its about into than them can only other new some could time these two may then do first any my now such ' +
  'like our over man me even most made after also did many before must through back years where much your ' +
  'way well down should because each just those people how too little state good very make world still own ' +
  'see men work long get here between both life being under never day same another know while last might us ' +
  'great old year off come since against go came right used take three small large system program number ' +
  'token encoder pipeline context budget message window compression latency throughput parser regex cache ' +
  'merge rank vocabulary unicode boundary whitespace character sequence algorithm measurement benchmark ' +
  'river mountain harbour lantern orchard meadow quarrel whisper thunder marble velvet copper silence'
).split(' ');

const NAMES = ['Alice', 'Bob', 'Carol', 'Dmitri', 'Eleanor', 'François', 'Grace', 'Hiroshi', 'Ingrid', 'José'];
const CONTRACTED = ["don't", "it's", "we've", "they'll", "I'm", "you're", "she'd", "can't", "won't", "o'clock"];
const CLAUSE_ENDS = ['.', '.', '.', '?', '!', ';', ':'];

function word(random) {
  const roll = random();
  if (roll < 0.04) return random.pick(NAMES);
  if (roll < 0.08) return random.pick(CONTRACTED);
  if (roll < 0.1) return String(random.int(random() < 0.5 ? 100 : 100000));
  return random.pick(WORDS);
}

export function sentence(random) {
  const length = between(random, 4, 18);
  const words = [];
  for (let i = 0; i < length; i++) {
    let next = word(random);
    if (i > 0 && i < length - 1 && random() < 0.08) next += ',';
    words.push(next);
  }
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  const quoted = random() < 0.05;
  const text = words.join(' ') + random.pick(CLAUSE_ENDS);
  return quoted ? `"${text}"` : text;
}

export function paragraph(random, sentences = between(random, 2, 7)) {
  return Array.from({ length: sentences }, () => sentence(random)).join(' ');
}

/** Paragraphs separated by blank lines, until at least `chars` UTF-16 units. */
export function prose(random, chars) {
  const parts = [];
  let length = 0;
  while (length < chars) {
    const next = paragraph(random);
    parts.push(next);
    length += next.length + 2;
  }
  return parts.join('\n\n') + '\n';
}

const HANZI = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持音亲';
const HIRAGANA = 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん';
const KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンー';
const KANJI = '日本語文字東京大学会社時間電話新聞天気今週明日手紙映画音楽料理仕事家族友達先生';
const HANGUL_WORDS = ['안녕하세요', '감사합니다', '한국어', '토큰', '문장', '컴퓨터', '프로그램', '사람', '오늘', '날씨가', '좋습니다', '우리는', '학교에', '갑니다'];

function runOf(random, alphabet, min, max) {
  const chars = Array.from(alphabet);
  let out = '';
  for (let n = between(random, min, max); n > 0; n--) out += random.pick(chars);
  return out;
}

/** Chinese: clauses of 3-14 hanzi with full-width punctuation (short runs: one regex piece each). */
export function chineseSentence(random) {
  const clauses = Array.from({ length: between(random, 1, 4) }, () => runOf(random, HANZI, 3, 14));
  return clauses.join(random.pick(['，', '、', '；'])) + random.pick(['。', '！', '？', '。']);
}

export function japaneseSentence(random) {
  let out = '';
  for (let n = between(random, 2, 6); n > 0; n--) {
    const roll = random();
    out += runOf(random, roll < 0.4 ? HIRAGANA : roll < 0.7 ? KANJI : KATAKANA, 1, 6);
  }
  return out + random.pick(['。', '、', '！', '」', '。']);
}

export function koreanSentence(random) {
  const words = Array.from({ length: between(random, 2, 7) }, () => random.pick(HANGUL_WORDS));
  return words.join(' ') + random.pick(['.', '?', '!']);
}

export const EMOJI = [
  '😀', '🎉', '🚀', '❤️', '👍', '🔥', '✨', '🥲', '🫠', '🧑‍💻', '👩‍👩‍👧‍👦', '👨‍❤️‍💋‍👨', '🏳️‍🌈', '🏴‍☠️',
  '👋🏻', '👋🏼', '👋🏽', '👋🏾', '👋🏿', '🧑🏽‍🚀', '🇺🇸', '🇯🇵', '🇩🇪', '🇧🇷', '🇺🇦', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '1️⃣', '#️⃣', '©️', '☺︎',
];

export function emojiLine(random) {
  const parts = [];
  for (let n = between(random, 3, 10); n > 0; n--) {
    parts.push(random() < 0.5 ? random.pick(EMOJI) : word(random));
    if (random() < 0.3) parts.push(random.pick(EMOJI).repeat(between(random, 2, 5)));
  }
  return parts.join(random() < 0.7 ? ' ' : '');
}

export const COMBINING = [
  'e\u0301', 'a\u0308', 'n\u0303', 'o\u0302\u0323', 'u\u031b\u0309', 'c\u0327', 'A\u030a',
  'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a',
  'क\u094d\u0937', 'नम\u0938\u094d\u0924\u0947', 'ש\u05b8\u05c1', 'ب\u064e', 'ก\u0e34\u0e48', '\u0301', '\u20dd',
];

export function combiningLine(random) {
  const parts = [];
  for (let n = between(random, 3, 10); n > 0; n--) {
    parts.push(random() < 0.6 ? random.pick(COMBINING) + runOf(random, 'aeiou', 0, 3) : word(random));
  }
  return parts.join(' ');
}

/** `count` consecutive lines of TypeScript declarations (typescript@5.9.3's lib files). */
export function typescriptLines(random, count) {
  const lines = libLines(random.pick(['lib.es5.d.ts', 'lib.dom.d.ts', 'lib.es2015.promise.d.ts']));
  const start = random.int(lines.length - count);
  return lines.slice(start, start + count).join('\n') + '\n';
}

export const CODE_FIXTURES = {
  rust: 'sample.rs',
  python: 'sample.py',
  go: 'sample.go',
  c: 'sample.c',
  sql: 'sample.sql',
  shell: 'sample.sh',
};

const fixtureCache = new Map();

/** The committed code sample for `language` (corpora/tokenizer/fixtures/). */
export function codeFixture(language) {
  const file = CODE_FIXTURES[language];
  if (!fixtureCache.has(file)) fixtureCache.set(file, readFileSync(join(FIXTURES_DIR, file), 'utf8'));
  return fixtureCache.get(file);
}

/** A run of consecutive lines from one of the committed code samples. */
export function codeSnippet(random) {
  const lines = codeFixture(random.pick(Object.keys(CODE_FIXTURES))).split('\n');
  const count = between(random, 4, 20);
  const start = random.int(Math.max(1, lines.length - count));
  return lines.slice(start, start + count).join('\n') + '\n';
}

// The tokenizer parity cases: small texts (a few thousand characters at most, since js-tiktoken is
// quadratic in the length of one regex piece) that reach every branch of the four encodings'
// pre-tokenizer regexes. Each is written to corpora/tokenizer/generated/<name>.txt (kind
// "parity"), except the lone-surrogate cases, which UTF-8 cannot hold: those live only here and
// in the recordings (as {"$utf16": [...]} arguments).

import { rng } from '../rng.mjs';
import {
  between,
  chineseSentence,
  codeFixture,
  CODE_FIXTURES,
  combiningLine,
  EMOJI,
  emojiLine,
  japaneseSentence,
  koreanSentence,
  paragraph,
  prose,
  seedOf,
  typescriptLines,
} from './texts.mjs';

const lines = (random, count, make) => Array.from({ length: count }, () => make(random)).join('\n') + '\n';

/** Words separated by runs of mixed whitespace: spaces, tabs, LF, CRLF, lone CR, and blank lines. */
function whitespaceRuns(random) {
  const pieces = [' ', ' ', '\t', '\n', '\r\n', '\r', '\v', '\f'];
  let out = '';
  for (let i = 0; i < 160; i++) {
    let run = '';
    for (let n = between(random, 1, random() < 0.1 ? 120 : 8); n > 0; n--) run += random.pick(pieces);
    out += run + random.pick(['word', 'x', '1', '!', 'Ünï', '中文', '']);
  }
  return out + '   \n\t \n';
}

const CONTRACTIONS = [
  "I'm you're we've they'll she'd it's don't can't won't y'all o'clock rock'n'roll",
  "IT'S YOU'RE WE'VE THEY'LL SHE'D I'M DON'T 'S 'LL 'RE 'VE 'M 'D 'T",
  "mixed: 'lL 'Ll 'rE 'Re 'vE 'Ve 'sS 'Ss it'S he'Ll",
  "not contractions: 'x 'st 'less 's's 'll'll ''s ''' ' s ' ll",
  "long s and friends: 'ſ 'ſt Boſ'ſ 'ﬅ 'K 'ß 'İ 'ı 'ǅ 'Σ",
  "typographic: it’s they’ll I‘m ‘quoted’ “double” ʼs ＇s",
  "after digits and symbols: 1's 2'll ('s) ['re] {'ve} \"'m\" -'d _'t",
  "at edges:'s\n's\t'll 'll\n'\n'",
  "unicode letters: café's naïve'll Zürich's Ελλάδα's 東京's",
];

const DIGITS = [
  '0 1 12 123 1234 12345 123456 1234567 12345678 123456789 1234567890',
  '3.14159265358979 2.718281828 1e10 1E-7 0x1F 0b1010 0o777 1_000_000 1,234,567.89',
  '٠١٢٣٤٥٦٧٨٩ ۰۱۲۳ ०१२३४५ ০১২৩ １２３４５ 𝟎𝟏𝟐𝟑 ²³¹ ½¼¾ Ⅻ ⅷ ① ⑩ 〇 零一二',
  'phone +1 (555) 010-9999, ip 192.168.001.255, date 2024-02-29T23:59:59Z, v1.2.3-rc.4',
  `${'9'.repeat(40)} ${'0'.repeat(17)} ${'12'.repeat(13)}`,
  'abc123def 123abc abc123 a1b2c3 ١٢٣abc',
];

const SPECIAL_TOKENS = [
  '<|endoftext|>',
  '<|fim_prefix|>',
  '<|fim_middle|>',
  '<|fim_suffix|>',
  '<|endofprompt|>',
  '<|im_start|>',
  '<|im_end|>',
];

function specialTokens() {
  const out = [];
  for (const token of SPECIAL_TOKENS) {
    out.push(token, ` ${token} `, `before${token}after`, `${token}${token}`, `\n${token}\n`);
  }
  out.push('<|endoftext', 'endoftext|>', '<| endoftext |>', '<|ENDOFTEXT|>', '<<|endoftext|>>', '<|fim_prefix|><|fim_suffix|><|fim_middle|>');
  return out.join('\n') + '\n';
}

// U+0085 (NEL) is whitespace to Rust and Python but not to JavaScript's \s; U+FEFF is whitespace
// to JavaScript only. The others are whitespace everywhere; U+180E and U+200B are whitespace nowhere.
const UNICODE_SPACES = ['\u0085', '\ufeff', '\u00a0', '\u1680', '\u2000', '\u2007', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\u180e', '\u200b', '\u000b', '\u000c', '\u001c', '\u001f'];

function unicodeWhitespace() {
  const out = [];
  for (const space of UNICODE_SPACES) {
    out.push(`a${space}b`, `word${space}${space}${space}next`, `${space}lead`, `end${space}`, `1${space}2`, `!${space}?`, `${space}\n${space}`, ` ${space} x`);
  }
  out.push(UNICODE_SPACES.join(''), UNICODE_SPACES.join('x'), `\ufeffBOM at the start of a line`);
  return out.join('\n') + '\n';
}

/** CJK Unified Ideographs Extension J (U+323B0..U+3347F), new letters in Unicode 17. */
function unicode17Letters(random) {
  const extJ = () => String.fromCodePoint(0x323b0 + random.int(0x33470 - 0x323b0));
  const newScripts = [0x10940, 0x11db0, 0x16ea0, 0x1e6c0]; // Sidetic, Tolong Siki, Beria Erfe, Tai Yo
  const out = [];
  for (let i = 0; i < 40; i++) {
    let run = '';
    for (let n = between(random, 1, 8); n > 0; n--) run += extJ();
    out.push(run, ` ${run}`, `x${run}1`);
  }
  for (const base of newScripts) {
    let run = '';
    for (let n = 0; n < 12; n++) run += String.fromCodePoint(base + random.int(0x20));
    out.push(run, ` ${run}`);
  }
  out.push(String.fromCodePoint(0x11de0, 0x11de1, 0x11de2, 0x11de3)); // Tolong Siki digits (Nd)
  return out.join('\n') + '\n';
}

/** Code points from every plane: assigned or not, private use, noncharacters, tags. */
function allPlanes(random) {
  const out = [];
  for (let plane = 0; plane <= 16; plane++) {
    for (let i = 0; i < 24; i++) {
      let cp = plane * 0x10000 + random.int(0x10000);
      if (cp >= 0xd800 && cp <= 0xdfff) cp -= 0x800;
      out.push(String.fromCodePoint(cp));
      if (random() < 0.3) out.push(random.pick([' ', '\n', 'a', '1', '.', '']));
    }
    out.push('\n');
  }
  out.push('\ufffd\ufffe\uffff\u{10ffff}\u{e0001}\u{e0041}\u{f0000}\u{fffff}');
  return out.join('') + '\n';
}

// Texts on which tiktoken's Rust regexes (tiktoken-rs, Python tiktoken, the tiktoken WASM build)
// count differently from js-tiktoken, found by comparing the two: U+0085 after a space (whitespace
// to Rust only), U+FEFF (whitespace to JavaScript only), and Unicode 17 letters (unassigned in the
// Unicode 16 tables of the Rust regex crate) before a contraction-like apostrophe.
const NEL_AFTER_SPACE = [' \u0085a', ' \u0085A', ' \u00851', ' \u0085!', ' \u0085\u0085hello', 'x \u0085 world'];
const BOM_RUNS = [' \ufeffa', ' \ufeffA', ' \ufeff1', '\ufeff\ufeffa', '\ufeff\ufeff!', ' \ufeff\ufeff\ufeffhello'];
const UNICODE17_BEFORE_APOSTROPHE = ['\u{3279e}\'a', '\u{32917}\'A', '\n\u{3316b}\'T', '\u{10940}\'a\u{1e6cd}', '\u{11db7}\'\u00e9\u{11db0}', '\u{16eae}\'\u{11de2}\'T'];

function controlCharacters() {
  let out = '';
  for (let c = 0; c < 0x20; c++) out += `${String.fromCharCode(c)}x${String.fromCharCode(c)}${String.fromCharCode(c)} `;
  return out + '\u007f\u0080\u0081\u009f end\n';
}

function repeated(char, times) {
  return {
    name: `repeat-${{ a: 'a', é: 'e-acute', '!': 'bang', 1: 'digit-1', ' ': 'space', '\n': 'newline' }[char]}-${times}`,
    description: `${JSON.stringify(char)} repeated ${times.toLocaleString('en-US')} times (one long regex piece)`,
    build: () => char.repeat(times),
  };
}

export const PARITY_CASES = [
  { name: 'empty', description: 'the empty string', build: () => '' },
  { name: 'prose-en', description: 'about 3,000 characters of English-like prose', build: (random) => prose(random, 3000) },
  { name: 'prose-en-short', description: 'one short paragraph', build: (random) => paragraph(random, 2) },
  {
    name: 'code-typescript',
    description: '80 consecutive lines of a TypeScript lib file (typescript@5.9.3)',
    build: (random) => typescriptLines(random, 80),
  },
  ...Object.keys(CODE_FIXTURES).map((language) => ({
    name: `code-${language}`,
    description: `corpora/tokenizer/fixtures/${CODE_FIXTURES[language]}`,
    build: () => codeFixture(language),
  })),
  { name: 'cjk-chinese', description: 'Chinese sentences with full-width punctuation', build: (random) => lines(random, 25, chineseSentence) },
  { name: 'cjk-japanese', description: 'Japanese: hiragana, katakana and kanji', build: (random) => lines(random, 25, japaneseSentence) },
  { name: 'cjk-korean', description: 'Korean words separated by spaces', build: (random) => lines(random, 25, koreanSentence) },
  {
    name: 'cjk-mixed-latin',
    description: 'CJK sentences interleaved with English words and numbers, no separating spaces',
    build: (random) => lines(random, 30, (r) => `${chineseSentence(r)}GPT-4o${r.int(1000)}${japaneseSentence(r)}token数${koreanSentence(r)}`),
  },
  { name: 'emoji', description: 'emoji with ZWJ sequences, flags, skin tones, keycaps, variation selectors', build: (random) => lines(random, 40, emojiLine) },
  { name: 'emoji-dense', description: 'every emoji of the set back to back, then each alone on a line', build: () => EMOJI.join('') + '\n' + EMOJI.join('\n') + '\n' },
  { name: 'combining-marks', description: 'combining accents, stacked marks, Devanagari, Hebrew, Arabic, Thai', build: (random) => lines(random, 40, combiningLine) },
  { name: 'whitespace-runs', description: 'words between runs of spaces, tabs, LF, CRLF, CR, VT and FF (some 120 long)', build: whitespaceRuns },
  { name: 'unicode-whitespace', description: 'U+0085, U+FEFF, U+00A0, the Zs spaces, U+2028/9, U+180E, U+200B between words, digits and punctuation', build: unicodeWhitespace },
  { name: 'contractions', description: "contractions in every case ('S 'LL 'lL), look-alikes ('ſ, ’s, 'K) and near misses", build: () => CONTRACTIONS.join('\n') + '\n' },
  { name: 'digits', description: 'digit runs of 1-40, numbers with separators, non-ASCII digits and numerals', build: () => DIGITS.join('\n') + '\n' },
  { name: 'special-tokens', description: 'special-token strings (<|endoftext|>, FIM, <|endofprompt|>, ChatML) as plain text, whole and partial', build: specialTokens },
  { name: 'unicode17-letters', description: 'CJK Extension J and the other Unicode 17 scripts (letters, and Tolong Siki digits)', build: unicode17Letters },
  { name: 'all-planes', description: '24 random code points from each of the 17 planes (assigned or not), plus noncharacters and tags', build: allPlanes },
  { name: 'divergence-nel', description: 'U+0085 after a space: whitespace to Rust regexes, not to JavaScript', build: () => NEL_AFTER_SPACE.join('\n') + '\n' },
  { name: 'divergence-bom', description: 'U+FEFF runs: whitespace to JavaScript, not to Rust regexes', build: () => BOM_RUNS.join('\n') + '\n' },
  {
    name: 'divergence-unicode17',
    description: 'Unicode 17 letters (CJK Ext. J, Sidetic, Tolong Siki, Beria Erfe, Tai Yo) before an apostrophe',
    build: () => UNICODE17_BEFORE_APOSTROPHE.join('\n') + '\n',
  },
  { name: 'control-characters', description: 'every C0 control, DEL and some C1 controls', build: controlCharacters },
  repeated('a', 2000),
  repeated('é', 1500),
  repeated('!', 2000),
  repeated('1', 3000),
  repeated(' ', 2000),
  repeated('\n', 2000),
];

// Strings JavaScript can hold but UTF-8 cannot: lone surrogates in every position.
export const LONE_SURROGATE_CASES = [
  { name: 'lone-high', description: 'a lone high surrogate', text: '\ud800' },
  { name: 'lone-low', description: 'a lone low surrogate', text: '\udfff' },
  { name: 'lone-in-word', description: 'lone surrogates inside and between words', text: 'wor\ud83dld hel\udc00lo \ud800 \udbff\udbff x' },
  { name: 'reversed-pair', description: 'a surrogate pair in the wrong order', text: 'a\ude00\ud83db' },
  { name: 'split-emoji', description: 'an emoji with its low half cut, then its high half cut', text: '😀\ud83d 😀\ude00 \ud83d\n\ude00' },
  { name: 'lone-with-marks', description: 'lone surrogates before combining marks, digits, whitespace and contractions', text: "\ud800\u0301 \udc001234 \ud800's \ud800\n\n \udfff   \t" },
  { name: 'lone-run', description: '200 alternating lone surrogates and letters', text: Array.from({ length: 200 }, (_, i) => (i % 2 ? 'x' : '\udc00')).join('') },
  { name: 'lone-special', description: 'a lone surrogate inside a special-token string', text: '<|endof\ud800text|>' },
];

/** `[{ name, description, text }]` for every file-backed parity case, each from its own seed. */
export function parityCases() {
  return PARITY_CASES.map(({ name, description, build }) => ({ name, description, text: build(rng(seedOf(name))) }));
}

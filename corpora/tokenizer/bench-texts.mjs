// The tokenizer bench texts: mixed text sized by its cl100k token count, and 1 MiB inputs for the
// linearity check (prose, one repeated character, whitespace).

import { rng } from '../rng.mjs';
import {
  between,
  chineseSentence,
  codeSnippet,
  combiningLine,
  emojiLine,
  japaneseSentence,
  koreanSentence,
  paragraph,
  prose,
  seedOf,
  typescriptLines,
} from './texts.mjs';

export const MIB = 1 << 20;

/** One block of the mixed text: mostly prose and code, some CJK, emoji and accents. */
function mixedBlock(random) {
  const roll = random();
  if (roll < 0.4) return paragraph(random) + '\n\n';
  if (roll < 0.55) return typescriptLines(random, between(random, 5, 25)) + '\n';
  if (roll < 0.7) return '```\n' + codeSnippet(random) + '```\n\n';
  if (roll < 0.8) return chineseSentence(random) + chineseSentence(random) + '\n\n';
  if (roll < 0.85) return japaneseSentence(random) + koreanSentence(random) + '\n\n';
  if (roll < 0.93) return emojiLine(random) + '\n\n';
  return combiningLine(random) + '\n\n';
}

/**
 * Mixed text of about `targetTokens` cl100k tokens: blocks (each ending in a newline, so the
 * tokens of the whole are close to the sum of the blocks') are appended while the sum is short of
 * the target. Returns the text and its exact count.
 */
export function mixedText(name, targetTokens, countCl100k) {
  const random = rng(seedOf(name));
  const blocks = [];
  let sum = 0;
  while (sum < targetTokens) {
    const block = mixedBlock(random);
    blocks.push(block);
    sum += countCl100k(block);
  }
  const text = blocks.join('');
  return { text, cl100kTokens: countCl100k(text) };
}

/** The first `bytes` UTF-8 bytes of `text`, which must be ASCII. */
function asciiPrefix(text, bytes) {
  if (text.length < bytes) throw new Error(`asciiPrefix: only ${text.length} of ${bytes} bytes`);
  return text.slice(0, bytes);
}

/** 1 MiB of English-like prose (ASCII). */
export function prose1mb() {
  const random = rng(seedOf('prose-1mb'));
  const text = prose(random, MIB + 4096)
    .replace(/[^\x00-\x7f]/g, 'c'); // the names include "François": keep every byte one char
  return asciiPrefix(text, MIB);
}

/** 1 MiB of the letter "a". */
export function repeatChar1mb() {
  return 'a'.repeat(MIB);
}

/** 1 MiB of mixed whitespace: spaces (most), tabs, LF and CRLF, in runs. */
export function whitespace1mb() {
  const random = rng(seedOf('whitespace-1mb'));
  const parts = [];
  let length = 0;
  while (length < MIB) {
    const piece = random.pick([' ', ' ', ' ', ' ', '\t', '\n', '\r\n', '    ', '\n\n']).repeat(between(random, 1, 12));
    parts.push(piece);
    length += piece.length;
  }
  return asciiPrefix(parts.join(''), MIB);
}

// estimateJsonTokens, message costs and compressContext of API.md, written once and parameterized
// by a token counter, so that the native path and the fallback give identical results by
// construction: only `count(text, encoding)` and `countMany(texts, encoding)` differ.
//
// What API.md leaves open is pinned here (and in test/context.test.mjs):
// - A message costs: tokens of `content` (a missing or null content costs 0); plus 50 per entry
//   of `toolCalls` on assistant messages; plus estimateJsonTokens of each `toolResults[i].result`
//   on any message; plus estimateJsonTokens of `result` on tool messages. A `result` that is
//   undefined (absent) costs 0 rather than the token of the string "undefined".
// - All texts of all messages are counted in one `countMany` call (one native crossing).
// - The walk keeps a message while its cost is <= what remains (so a cost-0 message fits while
//   the budget is not overdrawn). The preserved tail is always kept, even when it alone exceeds
//   maxTokens; the walk then keeps nothing older.
// - Truncation (more than 50 tokens remaining and a non-empty content): the content is cut to
//   remaining x 4 UTF-16 code units, never between the halves of a surrogate pair; if the last
//   "." or "\n" of the cut lies beyond 70% of it, the cut ends just after that character; then
//   "..." is appended. Content already within remaining x 4 code units is kept whole (there is
//   nothing to cut; its tool parts are what did not fit). Tool calls and results of the
//   truncated message are kept as they are. The truncated message is a copy; every other
//   message is returned as the same object it was given.
// - The truncated message is recounted: totalTokens is exactly the cost of the returned messages
//   (preserved tail + kept + truncated), which can exceed maxTokens when the tail alone does, or
//   when the 4-characters-a-token estimate undershoots.
// - compressionRatio = 1 - totalTokens / (cost of all given messages), unrounded; 0 when there
//   are no messages or they cost nothing.
// - messages and selectedIndices are in the original order (ascending indices).
import { describeType, encodingOf, requireCount, requireText } from './args.js';
import { serializeValue } from './serialize.js';

export const TOOL_CALL_TOKENS = 50;
export const CHARS_PER_TOKEN = 4;
/** Truncation happens only when more than this many tokens remain. */
export const MIN_TRUNCATION_TOKENS = 50;
/** The cut goes back to a sentence or line break only if that keeps more than this share. */
export const KEEP_AT_BREAK = 0.7;
export const ELLIPSIS = '...';

/**
 * The context operations over a counter `{ count(text, encoding): number,
 * countMany(texts, encoding): ArrayLike<number> }`.
 */
export function createContextOps(counter) {
  function estimateJsonTokens(value, model) {
    const encoding = encodingOf('estimateJsonTokens', model);
    return counter.count(serializeValue(value), encoding);
  }

  function compressContext(messages, maxTokens, preserveLastN, model = 'cl100k_base') {
    const fn = 'compressContext';
    checkMessages(fn, messages);
    requireCount(fn, 'maxTokens', maxTokens);
    requireCount(fn, 'preserveLastN', preserveLastN);
    const encoding = encodingOf(fn, model);
    const { costs, contentTokens } = messageCosts(messages, encoding, counter);

    const n = messages.length;
    const firstPreserved = n - Math.min(preserveLastN, n);
    let totalTokens = 0;
    for (let i = firstPreserved; i < n; i++) totalTokens += costs[i];
    let remaining = maxTokens - totalTokens;

    let firstKept = firstPreserved;
    let truncated = null;
    for (let i = firstPreserved - 1; i >= 0; i--) {
      if (costs[i] <= remaining) {
        remaining -= costs[i];
        totalTokens += costs[i];
        firstKept = i;
        continue;
      }
      const content = messages[i].content;
      if (remaining > MIN_TRUNCATION_TOKENS && typeof content === 'string' && content.length > 0) {
        const cut = truncateContent(content, remaining);
        truncated = { index: i, message: { ...messages[i], content: cut } };
        totalTokens += costs[i] - contentTokens[i] + counter.count(cut, encoding);
      }
      break;
    }

    const selectedIndices = [];
    const kept = [];
    if (truncated !== null) {
      selectedIndices.push(truncated.index);
      kept.push(truncated.message);
    }
    for (let i = firstKept; i < n; i++) {
      selectedIndices.push(i);
      kept.push(messages[i]);
    }
    let originalTokens = 0;
    for (let i = 0; i < n; i++) originalTokens += costs[i];
    return {
      messages: kept,
      totalTokens,
      removedCount: n - kept.length,
      compressionRatio: originalTokens === 0 ? 0 : 1 - totalTokens / originalTokens,
      selectedIndices,
    };
  }

  return { estimateJsonTokens, compressContext };
}

/** The cost of each message, and the part of it that is its content. */
export function messageCosts(messages, encoding, counter) {
  const texts = [];
  // Per message: [content's slot in `texts` or -1, first tool-part slot, tool-part count].
  const slots = new Int32Array(messages.length * 3);
  const fixed = new Float64Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const content = message.content;
    slots[3 * i] = typeof content === 'string' && content.length > 0 ? texts.push(content) - 1 : -1;
    slots[3 * i + 1] = texts.length;
    if (Array.isArray(message.toolResults)) {
      for (const toolResult of message.toolResults) {
        if (toolResult.result !== undefined) texts.push(serializeValue(toolResult.result));
      }
    }
    if (message.role === 'tool' && message.result !== undefined) texts.push(serializeValue(message.result));
    slots[3 * i + 2] = texts.length - slots[3 * i + 1];
    if (message.role === 'assistant' && Array.isArray(message.toolCalls)) {
      fixed[i] = TOOL_CALL_TOKENS * message.toolCalls.length;
    }
  }
  const counts = texts.length === 0 ? [] : counter.countMany(texts, encoding);
  const costs = new Float64Array(messages.length);
  const contentTokens = new Float64Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const contentSlot = slots[3 * i];
    contentTokens[i] = contentSlot < 0 ? 0 : counts[contentSlot];
    let cost = contentTokens[i] + fixed[i];
    const first = slots[3 * i + 1];
    for (let k = first; k < first + slots[3 * i + 2]; k++) cost += counts[k];
    costs[i] = cost;
  }
  return { costs, contentTokens };
}

/** `content` cut to about `tokens` tokens at 4 characters a token, as pinned above. */
export function truncateContent(content, tokens) {
  const maxChars = tokens * CHARS_PER_TOKEN;
  if (content.length <= maxChars) return content;
  let end = maxChars;
  const last = content.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // keep a surrogate pair whole: drop its first half
  const cut = content.slice(0, end);
  const lastBreak = Math.max(cut.lastIndexOf('.'), cut.lastIndexOf('\n'));
  const atBreak = lastBreak + 1;
  return (atBreak > cut.length * KEEP_AT_BREAK ? cut.slice(0, atBreak) : cut) + ELLIPSIS;
}

function checkMessages(fn, messages) {
  if (!Array.isArray(messages)) {
    throw new TypeError(`${fn}: messages must be an array, got ${describeType(messages)}`);
  }
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const at = `messages[${i}]`;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      throw new TypeError(`${fn}: ${at} must be a message object, got ${describeType(message)}`);
    }
    if (message.content !== undefined && message.content !== null) {
      requireText(fn, `${at}.content`, message.content);
    }
    optionalArray(fn, `${at}.toolCalls`, message.toolCalls);
    optionalArray(fn, `${at}.toolResults`, message.toolResults);
    if (Array.isArray(message.toolResults)) {
      message.toolResults.forEach((toolResult, k) => {
        if (toolResult === null || typeof toolResult !== 'object') {
          throw new TypeError(`${fn}: ${at}.toolResults[${k}] must be an object, got ${describeType(toolResult)}`);
        }
      });
    }
  }
}

function optionalArray(fn, name, value) {
  if (value !== undefined && value !== null && !Array.isArray(value)) {
    throw new TypeError(`${fn}: ${name} must be an array when present, got ${describeType(value)}`);
  }
}

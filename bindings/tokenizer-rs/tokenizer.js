// A NativeTokenizer (API.md) over a counter and a zstd implementation: argument checks, the model
// table, context compression and payloads are the same code for the native path and the fallback.
import { encodingOf, requireText, requireTexts } from './args.js';
import { createContextOps } from './context.js';
import { createPayloadOps } from './payload.js';

/**
 * `counter`: `{ count(text, encoding): number, countMany(texts, encoding): ArrayLike<number> }`;
 * `zstd`: see payload.js. Both receive checked arguments and encoding names only.
 */
export function createTokenizer({ counter, zstd }) {
  function countTokens(text, model) {
    requireText('countTokens', 'text', text);
    return counter.count(text, encodingOf('countTokens', model));
  }

  function countTokensBatch(texts, model) {
    requireTexts('countTokensBatch', texts);
    const counts = counter.countMany(texts, encodingOf('countTokensBatch', model));
    if (Array.isArray(counts)) return counts;
    // A plain array, as API.md says; a loop is several times faster than Array.from here.
    const out = new Array(counts.length);
    for (let i = 0; i < counts.length; i++) out[i] = counts[i];
    return out;
  }

  return Object.freeze({
    countTokens,
    countTokensBatch,
    ...createContextOps(counter),
    ...createPayloadOps(zstd),
  });
}

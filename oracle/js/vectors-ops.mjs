// The vector-similarity track's calls, as the live oracle (serve.mjs) and the recorder
// (vectors-record.mjs) run them on the JS fallback: arguments decoded from the markers of
// vectors-wire.mjs, results encoded with them.

import * as fallback from '../../bindings/vector-similarity-rs/fallback.js';
import { encodeNumber } from './vectors-wire.mjs';

export { decodeVectorMarker } from './vectors-wire.mjs';

export const REFERENCE = 'the JS loops of @ku0/vector-similarity-rs/fallback';

const hit = ({ index, score }) => ({ index, score: encodeNumber(score) });

export const OPS = Object.freeze({
  cosineSimilarity: (a, b) => encodeNumber(fallback.cosineSimilarity(a, b)),
  euclideanDistance: (a, b) => encodeNumber(fallback.euclideanDistance(a, b)),
  cosineSimilarityBatch: (query, targets) => fallback.cosineSimilarityBatch(query, targets).map(encodeNumber),
  /** A store of the rows of `flat`, then each `{ query, k, metric }` search: a list of hit lists. */
  'VectorStore.search': (flat, dimension, searches) => {
    const store = fallback.VectorStore.fromFlat(flat, dimension);
    return searches.map(({ query, k, metric }) => store.search(query, k, metric).map(hit));
  },
});

// Shared by the @ku0/diff-rs suites: the package under test, its fallback, and seeded inputs.
import * as diffRs from '../index.js';
import * as fallback from '../fallback.js';
import { assertNativeLoaded as assertNativeBinding } from '@ku0/native-bindings/test-support';

export { diffRs, fallback };
export { rng } from '../../../corpora/rng.mjs';

/** The suites compare native with fallback: running without the native binding proves nothing. */
export function assertNativeLoaded() {
  assertNativeBinding(diffRs, 'or set KU0_DIFF_RS_NATIVE_PATH');
}


const SPECIALS = ['', ' ', '\t', '}', 'é', '日本', '\u{1F600}', '\ud800', '\udc00x', 'a\rb', '+', '-', '\\', '@@'];

/** A random line from a small alphabet, so that lines repeat and alignment ties occur. */
function randomLine(random, alphabet) {
  const roll = random();
  if (roll < 0.1) return random.pick(SPECIALS);
  if (roll < 0.15) return 'line ' + random.int(1000);
  return 'l' + random.int(alphabet);
}

function joinLines(random, lines) {
  const eol = random() < 0.15 ? '\r\n' : '\n';
  let text = lines.map((line) => (random() < 0.05 ? line + '\r\n' : line)).join(eol);
  if (lines.length > 0 && random() < 0.7) text += eol;
  return text;
}

/** A random pair of texts: unrelated, or the second an edit of the first. */
export function randomEditPair(random) {
  const alphabet = 1 + random.int(8);
  const oldLines = Array.from({ length: random.int(30) }, () => randomLine(random, alphabet));
  let newLines;
  if (random() < 0.3) {
    newLines = Array.from({ length: random.int(30) }, () => randomLine(random, alphabet));
  } else {
    newLines = [...oldLines];
    const edits = 1 + random.int(5);
    for (let i = 0; i < edits; i++) {
      const at = random.int(newLines.length + 1);
      const kind = random.int(4);
      if (kind === 0) newLines.splice(at, 1);
      else if (kind === 1) newLines.splice(at, 0, randomLine(random, alphabet));
      else if (kind === 2) newLines[at] = randomLine(random, alphabet);
      else newLines.splice(at, 0, ...newLines.splice(random.int(newLines.length + 1), 1 + random.int(3)));
    }
  }
  return [joinLines(random, oldLines), joinLines(random, newLines)];
}

/** Runs `fn` and returns its value or the error it threw, so that outcomes compare as data. */
export function outcome(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
}

// The JS fallback of @ku0/diff-rs, and the oracle: this is the behaviour the native path must
// reproduce character for character (see oracle/CONTRACTS.md).
import * as jsdiff from 'diff';
import { hunkHeader } from './hunk-header.js';

export const DEFAULT_CONTEXT = 4;

export function createTwoFilesPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  return jsdiff.createTwoFilesPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options);
}

export function diffUnified(oldText, newText, context = DEFAULT_CONTEXT) {
  return jsdiff.createTwoFilesPatch('original', 'modified', oldText, newText, undefined, undefined, { context });
}

export function diffLines(oldText, newText) {
  const patch = jsdiff.structuredPatch('original', 'modified', oldText, newText, undefined, undefined, {
    context: DEFAULT_CONTEXT,
  });
  return patch.hunks.map(toDiffHunk);
}


function toDiffHunk(hunk) {
  let oldLineNo = hunk.oldStart;
  let newLineNo = hunk.newStart;
  const lines = [];
  for (const line of hunk.lines) {
    const content = line.slice(1);
    switch (line[0]) {
      case ' ':
        lines.push({ type: 'context', content, oldLineNo: oldLineNo++, newLineNo: newLineNo++ });
        break;
      case '-':
        lines.push({ type: 'remove', content, oldLineNo: oldLineNo++ });
        break;
      case '+':
        lines.push({ type: 'add', content, newLineNo: newLineNo++ });
        break;
      default: // "\ No newline at end of file" is a marker, not a line
        break;
    }
  }
  return {
    oldStart: hunk.oldStart,
    oldLines: hunk.oldLines,
    newStart: hunk.newStart,
    newLines: hunk.newLines,
    header: hunkHeader(hunk),
    lines,
  };
}

/** Applies `patch`; throws an Error naming the first hunk that does not apply. */
export function applyPatch(original, patch) {
  const result = jsdiff.applyPatch(original, patch);
  if (result !== false) return result;
  throw new Error(`patch does not apply: ${describeFirstFailingHunk(original, patch)}`);
}

// jsdiff only answers `false`; find the first hunk whose prefix of the patch stops applying.
function describeFirstFailingHunk(original, patch) {
  const [index] = jsdiff.parsePatch(patch);
  for (let count = 1; count <= index.hunks.length; count++) {
    const prefix = { ...index, hunks: index.hunks.slice(0, count) };
    if (jsdiff.applyPatch(original, prefix) === false) {
      return `hunk ${count} (${hunkHeader(index.hunks[count - 1])}) does not match the original text`;
    }
  }
  return 'the end-of-file newline markers do not match the original text';
}

export function reversePatch(patch) {
  return jsdiff.formatPatch(jsdiff.reversePatch(jsdiff.parsePatch(patch)));
}

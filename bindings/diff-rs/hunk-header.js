// `@@ -a,b +c,d @@` for a jsdiff hunk, as formatPatch prints it: an empty side names the line
// before the hunk. Shared by the fallback and by index.js when it expands native diffLines.
export function hunkHeader(hunk) {
  const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
  const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
  return `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`;
}

export interface DiffLine {
  type: 'context' | 'add' | 'remove';
  /** The line without its `\n` (a `\r` stays). */
  content: string;
  /** 1-based line number in the old text (context and removed lines). */
  oldLineNo?: number;
  /** 1-based line number in the new text (context and added lines). */
  newLineNo?: number;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** `@@ -a,b +c,d @@`, as printed in a unified patch. */
  header?: string;
  lines: DiffLine[];
}

export interface PatchOptions {
  /** Lines of context around each change (default 4). */
  context?: number;
  /** Any other jsdiff option is honoured by routing the call to jsdiff. */
  [option: string]: unknown;
}

export interface BindingDescription {
  implementation: 'native' | 'fallback';
  path: string | null;
  checked: string[];
  reason: string;
}

/** Hunks with 4 lines of context, as jsdiff's `structuredPatch` groups them. */
export function diffLines(oldText: string, newText: string): DiffHunk[];
/** The text of jsdiff's `createTwoFilesPatch("original", "modified", oldText, newText, undefined, undefined, { context })`. */
export function diffUnified(oldText: string, newText: string, context?: number): string;
/** jsdiff's `createTwoFilesPatch`, character for character. */
export function createTwoFilesPatch(
  oldFileName: string,
  newFileName: string,
  oldStr: string,
  newStr: string,
  oldHeader?: string | null,
  newHeader?: string | null,
  options?: PatchOptions,
): string;
/** `createTwoFilesPatch` computed off the JS thread when native (large texts stay responsive). */
export function createTwoFilesPatchAsync(
  oldFileName: string,
  newFileName: string,
  oldStr: string,
  newStr: string,
  oldHeader?: string,
  newHeader?: string,
  options?: PatchOptions,
): Promise<string>;
/** `diffUnified` computed off the JS thread when native. */
export function diffUnifiedAsync(oldText: string, newText: string, context?: number): Promise<string>;
/** Applies a unified patch; throws an `Error` naming the first hunk that does not apply. */
export function applyPatch(original: string, patch: string): string;
/** A patch that undoes `patch`. */
export function reversePatch(patch: string): string;
export function describeBinding(): BindingDescription;

// @ku0/diff-rs: jsdiff's line diff, unified patches, apply and reverse, on the native engine when
// it is available and on jsdiff otherwise. Outputs are identical either way (oracle/CONTRACTS.md).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBinding } from '@ku0/native-bindings';
import * as fallback from './fallback.js';
import { hunkHeader } from './hunk-header.js';

const { version } = createRequire(import.meta.url)('./package.json');

const binding = loadBinding({
  packageName: '@ku0/diff-rs',
  packageVersion: version,
  packageDir: dirname(fileURLToPath(import.meta.url)),
  binaryName: 'diff_rs',
  overrideEnv: 'KU0_DIFF_RS_NATIVE_PATH',
  disableEnv: 'KU0_DIFF_RS_DISABLE_NATIVE',
  requiredExports: [
    'createTwoFilesPatch',
    'createTwoFilesPatchAsync',
    'diffUnified',
    'diffUnifiedAsync',
    'diffLinesCompact',
    'applyPatch',
    'reversePatch',
  ],
  hasFallback: true,
});
const native = binding.native;

/** Which implementation runs, from which path, and why. */
export function describeBinding() {
  return binding.describe();
}

const MAX_NATIVE_CONTEXT = 0xffff_ffff;
// Options the native engine implements; any other option goes to jsdiff.
const NATIVE_OPTIONS = new Set(['context']);

function requireString(functionName, argumentName, value) {
  if (typeof value !== 'string') {
    throw new TypeError(`${functionName}: ${argumentName} must be a string, got ${describeType(value)}`);
  }
}

// jsdiff prints a header only when it is truthy, so `null` (like `undefined`) means none.
function optionalHeader(functionName, argumentName, value) {
  if (value === undefined || value === null) return undefined;
  requireString(functionName, argumentName, value);
  return value;
}

function describeType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

// jsdiff gives odd but defined results for fractional or negative context; leave those to it.
function isNativeContext(context) {
  return Number.isInteger(context) && context >= 0 && context <= MAX_NATIVE_CONTEXT;
}

function nativeContextOf(options) {
  if (options === undefined || options === null) return fallback.DEFAULT_CONTEXT;
  if (typeof options !== 'object') return null;
  for (const key of Object.keys(options)) {
    if (!NATIVE_OPTIONS.has(key) && options[key] !== undefined) return null;
  }
  const context = options.context ?? fallback.DEFAULT_CONTEXT;
  return isNativeContext(context) ? context : null;
}

// Names and headers are printed as text; lone surrogates in them are left to jsdiff rather than
// taught to the engine's UTF-8 header path.
function wellFormed(...texts) {
  return texts.every((text) => text === undefined || text.isWellFormed());
}

// Checks the arguments once for the sync and async forms; `run(nativeCall)` is given the native
// function's arguments, or null when the call must go to jsdiff.
function routeTwoFilesPatch(functionName, args, run) {
  const [oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options] = args;
  requireString(functionName, 'oldFileName', oldFileName);
  requireString(functionName, 'newFileName', newFileName);
  requireString(functionName, 'oldStr', oldStr);
  requireString(functionName, 'newStr', newStr);
  const nativeOldHeader = optionalHeader(functionName, 'oldHeader', oldHeader);
  const nativeNewHeader = optionalHeader(functionName, 'newHeader', newHeader);
  const context = nativeContextOf(options);
  const nativeArgs =
    native && context !== null && wellFormed(oldFileName, newFileName, nativeOldHeader, nativeNewHeader)
      ? [oldFileName, newFileName, oldStr, newStr, nativeOldHeader, nativeNewHeader, context]
      : null;
  return run(nativeArgs);
}

export function createTwoFilesPatch(...args) {
  return routeTwoFilesPatch('createTwoFilesPatch', args, (nativeArgs) =>
    nativeArgs ? native.createTwoFilesPatch(...nativeArgs) : fallback.createTwoFilesPatch(...args),
  );
}

/** `createTwoFilesPatch` computed off the JS thread (on jsdiff, on it). */
export async function createTwoFilesPatchAsync(...args) {
  return routeTwoFilesPatch('createTwoFilesPatchAsync', args, (nativeArgs) =>
    nativeArgs ? native.createTwoFilesPatchAsync(...nativeArgs) : fallback.createTwoFilesPatch(...args),
  );
}

export function diffUnified(oldText, newText, context = fallback.DEFAULT_CONTEXT) {
  requireString('diffUnified', 'oldText', oldText);
  requireString('diffUnified', 'newText', newText);
  if (native && isNativeContext(context)) return native.diffUnified(oldText, newText, context);
  return fallback.diffUnified(oldText, newText, context);
}

/** `diffUnified` computed off the JS thread (on jsdiff, on it). */
export async function diffUnifiedAsync(oldText, newText, context = fallback.DEFAULT_CONTEXT) {
  requireString('diffUnifiedAsync', 'oldText', oldText);
  requireString('diffUnifiedAsync', 'newText', newText);
  if (native && isNativeContext(context)) return native.diffUnifiedAsync(oldText, newText, context);
  return fallback.diffUnified(oldText, newText, context);
}

export function diffLines(oldText, newText) {
  requireString('diffLines', 'oldText', oldText);
  requireString('diffLines', 'newText', newText);
  if (native) return expandDiffLines(native.diffLinesCompact(oldText, newText, fallback.DEFAULT_CONTEXT), oldText, newText);
  return fallback.diffLines(oldText, newText);
}

const LINE_KINDS = ['context', 'remove', 'add'];

// Builds diffLines' objects (same keys, same order as the fallback's) from the engine's numbers:
// per hunk its four fields and line count, per line its kind and where its content lies in the
// caller's own text, so no line crosses the boundary as a string.
function expandDiffLines(compact, oldText, newText) {
  const hunks = new Array(compact[0]);
  let at = 1;
  for (let h = 0; h < hunks.length; h++) {
    const hunk = { oldStart: compact[at], oldLines: compact[at + 1], newStart: compact[at + 2], newLines: compact[at + 3] };
    const lines = new Array(compact[at + 4]);
    at += 5;
    let oldLineNo = hunk.oldStart;
    let newLineNo = hunk.newStart;
    for (let l = 0; l < lines.length; l++, at += 3) {
      const type = LINE_KINDS[compact[at]];
      if (type === 'context') {
        lines[l] = { type, content: newText.slice(compact[at + 1], compact[at + 2]), oldLineNo: oldLineNo++, newLineNo: newLineNo++ };
      } else if (type === 'remove') {
        lines[l] = { type, content: oldText.slice(compact[at + 1], compact[at + 2]), oldLineNo: oldLineNo++ };
      } else {
        lines[l] = { type, content: newText.slice(compact[at + 1], compact[at + 2]), newLineNo: newLineNo++ };
      }
    }
    hunks[h] = { ...hunk, header: hunkHeader(hunk), lines };
  }
  return hunks;
}

// The native patch functions return a failure object instead of throwing, so that the message
// keeps any lone surrogate it quotes; thrown here, it is the Error jsdiff throws.
function textOrThrow(outcome) {
  if (typeof outcome === 'string') return outcome;
  throw new Error(outcome.message);
}

export function applyPatch(original, patch) {
  requireString('applyPatch', 'original', original);
  requireString('applyPatch', 'patch', patch);
  if (native) return textOrThrow(native.applyPatch(original, patch));
  return fallback.applyPatch(original, patch);
}

export function reversePatch(patch) {
  requireString('reversePatch', 'patch', patch);
  if (native) return textOrThrow(native.reversePatch(patch));
  return fallback.reversePatch(patch);
}

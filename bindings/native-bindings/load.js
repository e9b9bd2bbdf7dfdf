import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/** Exports of every native module opened in this process, by absolute path. */
const openedModules = new Map();

/**
 * dlopen `filePath` once per process and return its exports; later calls for the same
 * path (from any package) get the same exports. Throws when the file cannot be loaded.
 */
export function openNativeModule(filePath) {
  const absolutePath = path.resolve(filePath);
  let exports = openedModules.get(absolutePath);
  if (exports === undefined) {
    const module = { exports: {} };
    process.dlopen(module, absolutePath);
    exports = module.exports;
    openedModules.set(absolutePath, exports);
  }
  return exports;
}

/**
 * Look at one candidate path. Returns
 *   { status: 'absent' }                       no file there,
 *   { status: 'rejected', reason }             it exists but must not be used,
 *   { status: 'loaded', exports }              it loaded and meets the contract:
 * `bindingVersion()` returns `packageVersion` and every name in `requiredExports` is exported.
 * Never throws.
 */
export function inspectCandidate(filePath, { packageVersion, requiredExports }) {
  if (!existsSync(filePath)) return { status: 'absent' };
  let exports;
  try {
    exports = openNativeModule(filePath);
  } catch (error) {
    return { status: 'rejected', reason: `failed to load: ${describeError(error)}` };
  }
  const versionProblem = checkBuiltForVersion(exports, packageVersion);
  if (versionProblem !== null) return { status: 'rejected', reason: versionProblem };
  const missing = requiredExports.filter((name) => exports[name] === undefined);
  if (missing.length > 0) {
    return { status: 'rejected', reason: `missing exports: ${missing.join(', ')}` };
  }
  return { status: 'loaded', exports };
}

function checkBuiltForVersion(exports, packageVersion) {
  const builtFor = reportedVersion(exports);
  if (builtFor.version === packageVersion) return null;
  const shown = builtFor.version ?? `unknown (${builtFor.problem})`;
  return `built for version ${shown}, package is ${packageVersion}`;
}

function reportedVersion(exports) {
  if (typeof exports.bindingVersion !== 'function') {
    return { version: null, problem: 'no bindingVersion() export' };
  }
  try {
    const version = exports.bindingVersion();
    if (typeof version === 'string') return { version };
    return { version: null, problem: `bindingVersion() returned ${typeof version}` };
  } catch (error) {
    return { version: null, problem: `bindingVersion() threw: ${describeError(error)}` };
  }
}

function describeError(error) {
  return error instanceof Error ? error.message : String(error);
}

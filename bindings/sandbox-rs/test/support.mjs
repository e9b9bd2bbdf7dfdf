// Shared by the @ku0/sandbox-rs suites: the package, its JS reference, fresh directories, seeded
// randomness, a switch for COWORK_SANDBOX_MODE, and children that import the package under a
// given environment.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPackageScript } from '@ku0/native-bindings/test-support';
import * as sandbox from '../index.js';
import * as reference from '../reference/index.js';
import { assertNativeLoaded as assertNativeBinding } from '@ku0/native-bindings/test-support';

export { sandbox, reference };
export { rng } from '../../../corpora/rng.mjs';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The suites need the native engine: without it they would prove nothing. */
export function assertNativeLoaded() {
  assertNativeBinding(sandbox, '(or `cargo build -p sandbox-rs`) or set SANDBOX_RS_BINDING_PATH');
}

/** A fresh directory (its canonical path), removed when the test ends. */
export function tempDir(t, label = 'sandbox') {
  const dir = realpathSync(mkdtempSync(join(os.tmpdir(), `ku0-sandbox-${label}-`)));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `fn` with COWORK_SANDBOX_MODE set to `mode` (undefined: unset), then restores it. */
export function withMode(mode, fn) {
  const before = process.env.COWORK_SANDBOX_MODE;
  if (mode === undefined) delete process.env.COWORK_SANDBOX_MODE;
  else process.env.COWORK_SANDBOX_MODE = mode;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.COWORK_SANDBOX_MODE;
    else process.env.COWORK_SANDBOX_MODE = before;
  }
}

/**
 * Runs `script` (an ES module body with `s` = the package at `packageDir`) in a fresh node with
 * `env` over this one's (SANDBOX_RS_BINDING_PATH and COWORK_SANDBOX_MODE cleared first); returns
 * what it printed as JSON.
 */
export function inChild(packageDir, env, script) {
  const base = { ...process.env };
  delete base.SANDBOX_RS_BINDING_PATH;
  delete base.COWORK_SANDBOX_MODE;
  return runPackageScript(packageDir, { ...base, ...env }, script);
}

/** Runs `fn` and returns `{ value }` or `{ error: { name, message } }`. */
export function outcome(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
}

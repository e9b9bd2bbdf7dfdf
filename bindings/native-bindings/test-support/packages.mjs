// Test helpers of the native packages (`@ku0/native-bindings/test-support`): the check that a
// suite runs on the native binding, a copy of a package outside the cargo workspace, and a fresh
// node that imports a package and prints JSON.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NATIVE_BINDINGS_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * A copy of the package at `packageDir` (its package.json and `files`, without dist/) outside any
 * cargo workspace, so that the loader has no target/ to search, with @ku0/native-bindings linked
 * in; `prebuild` places a file that is not a native module at dist/<prebuild>. Removed when the
 * test ends.
 */
export function packageCopy(t, packageDir, prebuild = null) {
  const name = basename(packageDir);
  const root = mkdtempSync(join(os.tmpdir(), `ku0-${name}-loader-`));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, name);
  const { files } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  for (const entry of ['package.json', ...files.filter((f) => f !== 'dist/')]) {
    cpSync(join(packageDir, entry), join(dir, entry), { recursive: true });
  }
  mkdirSync(join(dir, 'node_modules', '@ku0'), { recursive: true });
  symlinkSync(NATIVE_BINDINGS_DIR, join(dir, 'node_modules', '@ku0', 'native-bindings'));
  if (prebuild !== null) {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', prebuild), 'not a native module\n');
  }
  return dir;
}

/**
 * Runs `script` (an ES module body with `s` = the package at `packageDir`) in a fresh node with
 * exactly the environment `env`; returns what it printed, parsed as JSON.
 */
export function runPackageScript(packageDir, env, script) {
  const url = new URL('index.js', `file://${packageDir.endsWith('/') ? packageDir : `${packageDir}/`}`).href;
  const body = `const s = await import(${JSON.stringify(url)});\n${script}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', body], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out);
}

/**
 * Fails unless `pkg` (a native package's exports) runs on its native binding: suites that compare
 * native with fallback would otherwise prove nothing. `buildHint` names how to get the binding.
 */
export function assertNativeLoaded(pkg, buildHint) {
  const described = pkg.describeBinding();
  assert.equal(described.implementation, 'native', `the native binding did not load (${described.reason}); run \`cargo xtask setup\` ${buildHint}`);
}

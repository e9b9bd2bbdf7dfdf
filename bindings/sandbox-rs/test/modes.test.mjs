// COWORK_SANDBOX_MODE and the loader rules (ARCHITECTURE.md "Binding resolution") for a track whose
// binding is required in rust mode. Cases without a binding use a copy of the package outside the
// cargo workspace (so the loader has no target/ to search), each in a fresh node process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageCopy } from '@ku0/native-bindings/test-support';
import { assertNativeLoaded, inChild, PACKAGE_DIR, sandbox, withMode } from './support.mjs';

const OVERRIDE = 'SANDBOX_RS_BINDING_PATH';

/** Creates a sandbox and a manager in the child; reports what happened as JSON. */
const PROBE = `
  const config = { networkAccess: 'none', fsIsolation: 'workspace', allowedRoots: ['/tmp'], workingDirectory: '/tmp' };
  const attempt = (fn) => { try { return { ok: fn() }; } catch (e) { return { error: e.message, checked: e.checked ?? null }; } };
  const created = attempt(() => s.createSandbox(config).executor);
  const manager = attempt(() => (new s.SandboxManager(s.WORKSPACE_POLICY, '/tmp'), true));
  let ran = null;
  let read = null;
  if (created.ok) {
    try { ran = (await s.createSandbox(config).execute('/bin/echo', ['hi'])).stdout; } catch (e) { ran = 'error: ' + e.message; }
    read = attempt(() => s.createSandbox(config).list('/tmp').length >= 0);
  }
  console.log(JSON.stringify({ described: s.describeBinding(), created, manager, ran, read }));`;

function assertListsChecked(result, dir) {
  assert.ok(result.checked.length >= 2, 'the error carries the paths checked');
  for (const path of result.checked) {
    assert.ok(result.error.includes(path), `the message does not list ${path}`);
    assert.ok(path.startsWith(dir), `${path} is not in the package copy`);
  }
}

test('in the workspace: the native binding loads, rust is the default mode and isolates', () => {
  assertNativeLoaded();
  const described = withMode(undefined, () => sandbox.describeBinding());
  assert.match(described.path, /sandbox_rs/);
  assert.deepEqual(
    [described.mode, described.modeSource, described.executor, described.decisions],
    ['rust', 'default', 'native', 'native'],
  );
  assert.match(described.isolation, /^os: Landlock/);
});

test('no binding, rust mode (default and explicit): createSandbox and SandboxManager throw listing every path checked', (t) => {
  const dir = packageCopy(t, PACKAGE_DIR);
  for (const env of [{}, { COWORK_SANDBOX_MODE: 'rust' }]) {
    const result = inChild(dir, env, PROBE);
    assert.equal(result.described.implementation, 'unavailable');
    assert.equal(result.described.executor, null);
    assert.match(result.created.error, /COWORK_SANDBOX_MODE=rust.* requires the native binding/);
    assert.match(result.created.error, /no usable native binding, and this package has no JS fallback/);
    assert.match(result.created.error, new RegExp(OVERRIDE));
    assertListsChecked(result.created, dir);
    assert.match(result.manager.error, /requires the native binding/);
  }
});

test('no binding, process mode: runs unisolated on the JS reference and says so', (t) => {
  const dir = packageCopy(t, PACKAGE_DIR);
  const result = inChild(dir, { COWORK_SANDBOX_MODE: 'process' }, PROBE);
  assert.equal(result.created.ok, 'process');
  assert.equal(result.manager.ok, true);
  assert.equal(result.ran, 'hi\n');
  assert.match(result.read.error, /^list: file access through a root directory handle needs the native engine/);
  assert.deepEqual([result.described.executor, result.described.decisions], ['process', 'reference']);
  assert.match(result.described.isolation, /^none: .*without OS isolation/);
});

test('process mode with the binding: native decisions, still no isolation, and describeBinding says so', () => {
  assertNativeLoaded();
  const described = withMode('process', () => sandbox.describeBinding());
  assert.deepEqual([described.executor, described.decisions, described.modeSource], ['process', 'native', 'COWORK_SANDBOX_MODE']);
  assert.match(described.isolation, /without OS isolation/);
});

test('docker mode without docker: fails clearly, never runs unisolated', (t) => {
  const dir = packageCopy(t, PACKAGE_DIR);
  const result = inChild(dir, { COWORK_SANDBOX_MODE: 'docker', PATH: '/nonexistent-ku0' }, PROBE);
  assert.match(result.created.error, /COWORK_SANDBOX_MODE=docker, but docker is not available: the `docker` command is not installed/);
  assert.equal(result.ran, null);
  assert.equal(result.described.executor, null);
  assert.match(result.described.error, /docker is not available/);
});

test('auto: rust when the binding loads', () => {
  assertNativeLoaded();
  const described = withMode('auto', () => sandbox.describeBinding());
  assert.deepEqual([described.mode, described.executor], ['auto', 'native']);
});

test('auto without binding nor docker: fails naming both reasons, and never picks process', (t) => {
  const dir = packageCopy(t, PACKAGE_DIR);
  const result = inChild(dir, { COWORK_SANDBOX_MODE: 'auto', PATH: '/nonexistent-ku0' }, PROBE);
  assert.match(result.created.error, /COWORK_SANDBOX_MODE=auto found no isolating executor/);
  assert.match(result.created.error, /no usable native binding/);
  assert.match(result.created.error, /docker is not available \(the `docker` command is not installed/);
  assertListsChecked(result.created, dir);
  assert.equal(result.ran, null);
});

test('an unknown mode is an error naming the value and the choices', () => {
  withMode('fast', () => {
    assert.throws(() => sandbox.createSandbox({ networkAccess: 'none', fsIsolation: 'none' }), /COWORK_SANDBOX_MODE="fast" is not a sandbox mode; use one of rust, process, docker, auto/);
    assert.match(sandbox.describeBinding().error, /is not a sandbox mode/);
  });
  assert.equal(withMode(' Process ', () => sandbox.describeBinding().executor), 'process', 'case and spaces do not matter');
});

test('a broken prebuild is rejected and named, not used', (t) => {
  const dir = packageCopy(t, PACKAGE_DIR, 'sandbox_rs.node');
  const result = inChild(dir, {}, PROBE);
  assert.match(result.created.error, /dist\/sandbox_rs\.node: rejected, failed to load/);
});

test(`${OVERRIDE} at a missing file: the error names the variable and the path, in every mode that needs it`, () => {
  const result = inChild(PACKAGE_DIR, { [OVERRIDE]: '/nonexistent/libsandbox_rs.so' }, PROBE);
  assert.match(result.created.error, new RegExp(`${OVERRIDE} is set to /nonexistent/libsandbox_rs\\.so`));
  assert.deepEqual(result.created.checked, ['/nonexistent/libsandbox_rs.so']);
});

test(`${OVERRIDE} at the built binding: it is the one loaded`, () => {
  assertNativeLoaded();
  const path = sandbox.describeBinding().path;
  const result = inChild(PACKAGE_DIR, { [OVERRIDE]: path }, PROBE);
  assert.equal(result.described.path, path);
  assert.match(result.described.reason, new RegExp(OVERRIDE));
  assert.equal(result.created.ok, 'native');
  assert.equal(result.ran, 'hi\n');
});

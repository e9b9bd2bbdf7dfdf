// Native decisions == the JS reference's (oracle/CONTRACTS.md, Sandbox), on seeded random paths,
// intents, commands and URLs over a real directory tree with symlinks: the same decision and
// reason from evaluateFileAction, the same booleans from the manager checks, the same violations.
// A failure prints the seed and the input, so it replays.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildTree, randomCommand, randomIntent, randomMethod, randomOperation, randomPath, randomUrl } from './generators.mjs';
import { assertNativeLoaded, reference, rng, sandbox, tempDir, withMode } from './support.mjs';

const CASES = 600;

function fixture(t) {
  const dir = tempDir(t, 'parity');
  const tree = buildTree(dir);
  mkdirSync(join(dir, 'tmp'));
  return { ...tree, dir, temp: join(dir, 'tmp') };
}

/** Configs over the fixture: every fsIsolation, with `~` and the temp directory pinned inside it. */
function sandboxConfigs({ root, dir, temp }) {
  const pinned = { homeDirectory: root, tempDirectory: temp, allowedRoots: [root] };
  return [
    { networkAccess: 'none', fsIsolation: 'workspace', ...pinned },
    { networkAccess: 'none', fsIsolation: 'full', ...pinned, workingDirectory: join(root, 'src') },
    { networkAccess: 'full', fsIsolation: 'temp', ...pinned },
    { networkAccess: 'allowlist', fsIsolation: 'none', ...pinned, blockedPaths: ['node_modules', join(dir, 'outside')] },
    { networkAccess: 'none', fsIsolation: 'full', homeDirectory: root, tempDirectory: temp, workingDirectory: root },
  ];
}

/** The presets and variations that switch each rule on or off. */
function managerPolicies() {
  const { STRICT_POLICY: strict, WORKSPACE_POLICY: workspace } = sandbox;
  return [
    strict,
    workspace,
    { ...workspace, name: 'permissive-links', filesystem: { ...workspace.filesystem, mode: 'permissive', allowSymlinks: true, allowHiddenFiles: true } },
    {
      ...strict,
      name: 'lists',
      network: { ...strict.network, enabled: true, allowedDomains: ['example.com', '*.github.com'], blockedDomains: ['evil.com'], allowLocalhost: true, allowHttp: true, allowHttps: true },
      commands: { mode: 'whitelist', allowedCommands: ['ls', 'cat', 'git', 'echo'], blockedCommands: ['rm'], allowSudo: false },
    },
    { ...workspace, name: 'sudo', commands: { mode: 'blacklist', allowedCommands: [], blockedCommands: ['curl', 'wget'], allowSudo: true } },
  ];
}

/** The exports of the binding the package loaded (the loader opens each file once per process). */
function openedBinding() {
  const module = { exports: {} };
  process.dlopen(module, sandbox.describeBinding().path);
  return module.exports;
}

function inputLabel(seed, i, input) {
  return `seed ${seed}, case ${i}: ${JSON.stringify(input)}`;
}

test('the presets are the reference objects themselves', () => {
  assert.equal(sandbox.STRICT_POLICY, reference.STRICT_POLICY);
  assert.equal(sandbox.WORKSPACE_POLICY, reference.WORKSPACE_POLICY);
});

test('the engine presets (accel-sandbox presets.rs) equal the JS presets, field by field', () => {
  assertNativeLoaded();
  const native = openedBinding();
  assert.deepEqual(native.strictPolicyPreset(), structuredClone(reference.STRICT_POLICY));
  assert.deepEqual(native.workspacePolicyPreset(), structuredClone(reference.WORKSPACE_POLICY));
});

test('evaluateFileAction: native == reference on random paths and intents', (t) => {
  assertNativeLoaded();
  const tree = fixture(t);
  const seed = 0x5a4d;
  const random = rng(seed);
  let denied = 0;
  for (const config of sandboxConfigs(tree)) {
    const native = withMode('rust', () => sandbox.createSandbox(config));
    const expected = reference.createSandboxReference(config);
    for (let i = 0; i < CASES; i++) {
      const path = randomPath(random, tree);
      const intent = randomIntent(random);
      const got = native.evaluateFileAction(path, intent);
      const want = expected.evaluateFileAction(path, intent);
      assert.deepEqual(got, want, inputLabel(seed, i, { config, path, intent }));
      if (got.decision !== 'allow') denied++;
    }
  }
  assert.ok(denied > CASES / 2, `only ${denied} refusals: the generator misses the interesting paths`);
});

test('construction errors: native == reference, message included', (t) => {
  assertNativeLoaded();
  const { root } = fixture(t);
  const bad = [
    { networkAccess: 'none', fsIsolation: 'workspace', workingDirectory: 'rel' },
    { networkAccess: 'none', fsIsolation: 'full' },
    { networkAccess: 'none', fsIsolation: 'none', allowedRoots: ['rel'] },
    { networkAccess: 'none', fsIsolation: 'full', allowedRoots: ['/proc/self/root'] },
    { networkAccess: 'none', fsIsolation: 'temp', allowedRoots: [join(root, 'loop-a')] },
  ];
  for (const config of bad) {
    const native = captureError(() => withMode('rust', () => sandbox.createSandbox(config)));
    const want = captureError(() => reference.createSandboxReference(config));
    assert.ok(want !== null, `the reference accepted ${JSON.stringify(config)}`);
    assert.equal(native, `createSandbox: ${want.replace(/^createSandbox: /, '')}`, JSON.stringify(config));
  }
});

function captureError(fn) {
  try {
    fn();
    return null;
  } catch (error) {
    return error.message;
  }
}

/** The violations without their timestamps. */
const violationsOf = (manager) => manager.getViolations().map(({ at, timestamp, ...rest }) => rest);

async function compareManagers(t, label, run) {
  assertNativeLoaded();
  const tree = fixture(t);
  const seed = label.length * 7919;
  const random = rng(seed);
  let refusals = 0;
  for (const policy of managerPolicies()) {
    const native = withMode('rust', () => new sandbox.SandboxManager(policy, tree.root));
    const expected = new reference.SandboxManagerReference(policy, tree.root);
    for (let i = 0; i < CASES / 2; i++) {
      const { input, got, want } = await run(random, tree, native, expected);
      assert.equal(got, want, inputLabel(seed, i, { policy: policy.name, ...input }));
      if (!got) refusals++;
    }
    assert.deepEqual(violationsOf(native), violationsOf(expected), `${label} violations under ${policy.name}`);
    native.clearViolations();
    assert.deepEqual(native.getViolations(), []);
  }
  assert.ok(refusals > 20, `only ${refusals} refusals`);
}

/** The reference's answer as a boolean, whether it returns one, a promise, or a `{ allowed }`. */
async function allowedOf(answer) {
  const value = await answer;
  return typeof value === 'boolean' ? value : value.allowed;
}

test('checkFileAccess: native == reference', (t) =>
  compareManagers(t, 'checkFileAccess', async (random, tree, native, expected) => {
    const input = { path: randomPath(random, tree), operation: randomOperation(random) };
    return { input, got: await native.checkFileAccess(input.path, input.operation), want: await allowedOf(expected.checkFileAccess(input.path, input.operation)) };
  }));

test('checkCommand: native == reference', (t) =>
  compareManagers(t, 'checkCommand', async (random, _tree, native, expected) => {
    const input = { command: randomCommand(random) };
    return { input, got: await native.checkCommand(input.command), want: await allowedOf(expected.checkCommand(input.command)) };
  }));

test('checkNetworkRequest: native == reference', (t) =>
  compareManagers(t, 'checkNetworkRequest', async (random, _tree, native, expected) => {
    const input = { url: randomUrl(random), method: randomMethod(random) };
    return { input, got: await native.checkNetworkRequest(input.url, input.method), want: await allowedOf(expected.checkNetworkRequest(input.url, input.method)) };
  }));

// Bad input: every wrong type or value is a TypeError / RangeError naming the call and the
// argument, thrown (or, for execute, rejected) before anything runs; a config the engine cannot
// use is an Error naming the field. Nothing crashes, nothing hangs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNativeLoaded, sandbox, tempDir } from './support.mjs';

const GOOD = { networkAccess: 'none', fsIsolation: 'workspace' };

test('createSandbox: config shape errors name the field', (t) => {
  assertNativeLoaded();
  const dir = tempDir(t, 'errors');
  const config = { ...GOOD, allowedRoots: [dir] };
  assert.throws(() => sandbox.createSandbox(), { name: 'TypeError', message: /^createSandbox: config must be an object, got undefined$/ });
  assert.throws(() => sandbox.createSandbox({ ...config, networkAccess: 'some' }), {
    name: 'TypeError',
    message: /createSandbox: config.networkAccess must be one of "none", "allowlist", "full", got 'some'/,
  });
  assert.throws(() => sandbox.createSandbox({ ...config, fsIsolation: undefined }), { name: 'TypeError', message: /config.fsIsolation must be one of/ });
  assert.throws(() => sandbox.createSandbox({ ...config, allowedRoots: dir }), { name: 'TypeError', message: /config.allowedRoots must be an array of strings/ });
  assert.throws(() => sandbox.createSandbox({ ...config, allowedRoots: [dir, 7] }), { name: 'TypeError', message: /config.allowedRoots\[1\] must be a string, got 7/ });
  assert.throws(() => sandbox.createSandbox({ ...config, allowedHosts: [null] }), { name: 'TypeError', message: /config.allowedHosts\[0\] must be a string/ });
  assert.throws(() => sandbox.createSandbox({ ...config, workingDirectory: '' }), { name: 'TypeError', message: /config.workingDirectory must be a non-empty string/ });
});

test('createSandbox: a config the engine cannot use is an Error naming the field', () => {
  assertNativeLoaded();
  assert.throws(() => sandbox.createSandbox({ ...GOOD, workingDirectory: 'relative/dir' }), /createSandbox: workingDirectory must be an absolute path/);
  assert.throws(() => sandbox.createSandbox({ ...GOOD, fsIsolation: 'full' }), /createSandbox: fsIsolation full needs allowedRoots or a workingDirectory/);
});

test('evaluateFileAction: bad arguments throw; odd paths are decisions, not crashes', (t) => {
  assertNativeLoaded();
  const box = sandbox.createSandbox({ ...GOOD, allowedRoots: [tempDir(t, 'errors')] });
  assert.throws(() => box.evaluateFileAction(7, 'read'), { name: 'TypeError', message: /^evaluateFileAction: path must be a string, got 7$/ });
  assert.throws(() => box.evaluateFileAction('a', 'execute'), { name: 'TypeError', message: /evaluateFileAction: intent must be one of "read", "write", "create", "delete", "rename", "move", got 'execute'/ });
  assert.throws(() => box.evaluateFileAction('a'), { name: 'TypeError', message: /intent must be one of/ });
  assert.deepEqual(box.evaluateFileAction('', 'read'), { decision: 'deny', reason: 'invalid path: empty' });
  assert.deepEqual(box.evaluateFileAction('a\0b', 'read'), { decision: 'deny', reason: 'invalid path: contains a NUL byte' });
  assert.equal(box.evaluateFileAction('x/'.repeat(20_000), 'write').decision, 'allow', 'a very long path inside the root');
});

test('execute: bad arguments reject with TypeError / RangeError, nothing runs', async (t) => {
  assertNativeLoaded();
  const dir = tempDir(t, 'errors');
  const box = sandbox.createSandbox({ ...GOOD, allowedRoots: [dir] });
  sandbox.clearAuditLog();
  const cases = [
    [[''], TypeError, /^execute: cmd must be a non-empty string$/],
    [[42], TypeError, /^execute: cmd must be a string, got 42$/],
    [['/bin/true', 'x'], TypeError, /^execute: args must be an array of strings, got 'x'$/],
    [['/bin/true', ['a', 1]], TypeError, /^execute: args\[1\] must be a string, got 1$/],
    [['/bin/true', ['a\0b']], TypeError, /^execute: args\[0\] must not contain a NUL character/],
    [['/bin/true', [], 5], TypeError, /^execute: options must be an object, got 5$/],
    [['/bin/true', [], { timeoutMs: 0 }], RangeError, /^execute: options.timeoutMs must be a positive safe integer, got 0$/],
    [['/bin/true', [], { timeoutMs: 1.5 }], RangeError, /options.timeoutMs must be a positive safe integer, got 1.5/],
    [['/bin/true', [], { timeoutMs: '5' }], TypeError, /options.timeoutMs must be a positive safe integer, got '5'/],
    [['/bin/true', [], { maxOutputBytes: -1 }], RangeError, /options.maxOutputBytes must be a non-negative safe integer, got -1/],
    [['/bin/true', [], { stdin: 12 }], TypeError, /options.stdin must be a string or a Uint8Array, got 12/],
    [['/bin/true', [], { env: { 'A=B': 'x' } }], TypeError, /options.env has an invalid variable name 'A=B'/],
    [['/bin/true', [], { env: { A: 1 } }], TypeError, /options.env.A must be a string, got 1/],
    [['/bin/true', [], { cwd: 3 }], TypeError, /options.cwd must be a string, got 3/],
  ];
  for (const [args, name, message] of cases) {
    await assert.rejects(box.execute(...args), (error) => {
      assert.ok(error instanceof name, `${JSON.stringify(args)}: ${error}`);
      assert.match(error.message, message);
      return true;
    });
  }
  assert.deepEqual(sandbox.getAuditLog(), [], 'a rejected call ran nothing');
});

test('read / write / list: bad arguments throw; paths the policy refuses are errors with the reason', (t) => {
  assertNativeLoaded();
  const dir = tempDir(t, 'errors');
  const box = sandbox.createSandbox({ networkAccess: 'none', fsIsolation: 'full', allowedRoots: [dir] });
  assert.throws(() => box.read(1), { name: 'TypeError', message: /^read: path must be a string, got 1$/ });
  assert.throws(() => box.write('a.txt', 5), { name: 'TypeError', message: /^write: data must be a string or a Uint8Array, got 5$/ });
  assert.throws(() => box.list(null), { name: 'TypeError', message: /^list: path must be a string, got null$/ });
  assert.throws(() => box.read('/etc/hostname'), /read: \/etc\/hostname: deny \(outside the allowed roots\)/);
  assert.throws(() => box.write('/tmp/ku0-nope', 'x'), /write: \/tmp\/ku0-nope: deny \(outside the allowed roots\)/);
  assert.throws(() => box.read('missing.txt'), /^Error: read: missing\.txt: .*does not exist/);
});

test('SandboxManager: bad arguments throw or reject naming the argument', async (t) => {
  assertNativeLoaded();
  const root = tempDir(t, 'errors');
  assert.throws(() => new sandbox.SandboxManager(sandbox.WORKSPACE_POLICY, ''), { name: 'TypeError', message: /SandboxManager: workspaceRoot must be a non-empty string/ });
  assert.throws(() => new sandbox.SandboxManager(null, root), { name: 'TypeError', message: /SandboxManager: policy must be an object, got null/ });
  assert.throws(() => new sandbox.SandboxManager({ ...sandbox.WORKSPACE_POLICY, commands: { ...sandbox.WORKSPACE_POLICY.commands, mode: 'greylist' } }, root), /commands\.mode/);
  const manager = new sandbox.SandboxManager(sandbox.WORKSPACE_POLICY, root);
  await assert.rejects(manager.checkFileAccess(5, 'read'), { name: 'TypeError', message: /^checkFileAccess: path must be a string, got 5$/ });
  await assert.rejects(manager.checkNetworkRequest('https://x.org', undefined), { name: 'TypeError', message: /^checkNetworkRequest: method must be a string/ });
  await assert.rejects(manager.checkCommand({}), { name: 'TypeError', message: /^checkCommand: command must be a string/ });
  assert.equal(await manager.checkCommand(''), await manager.checkCommand(''), 'an empty command is a decision');
});

// execute() through the native engine (rust mode, OS isolation) and the process executor (no
// isolation): the same observable behaviour for exit codes, stdout/stderr, stdin, env, timeouts
// that kill the whole tree, and output caps. Plus what only isolation gives: writes outside the
// roots and sockets fail in rust mode.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNativeLoaded, sandbox, tempDir, withMode } from './support.mjs';

const EXECUTORS = [
  ['rust', 'native'],
  ['process', 'process'],
];

function sandboxIn(t, mode, extra = {}) {
  const dir = tempDir(t, 'exec');
  const box = withMode(mode, () =>
    sandbox.createSandbox({ networkAccess: 'none', fsIsolation: 'workspace', allowedRoots: [dir], workingDirectory: dir, ...extra }),
  );
  return { dir, box };
}

const sh = (box, script, options) => box.execute('/bin/sh', ['-c', script], options);

for (const [mode, executor] of EXECUTORS) {
  test(`${mode}: exit codes, stdout and stderr, in the working directory`, async (t) => {
    assertNativeLoaded();
    const { dir, box } = sandboxIn(t, mode);
    assert.equal(box.executor, executor);
    const ok = await box.execute('/bin/true');
    assert.deepEqual([ok.exitCode, ok.signal, ok.stdout, ok.stderr, ok.timedOut, ok.truncated], [0, null, '', '', false, false]);
    assert.equal(typeof ok.durationMs, 'number');
    assert.ok(ok.durationMs > 0 && ok.durationMs < 10_000);
    const fail = await sh(box, 'echo out; echo err >&2; pwd; exit 7');
    assert.equal(fail.exitCode, 7);
    assert.equal(fail.stdout, `out\n${dir}\n`);
    assert.equal(fail.stderr, 'err\n');
    const named = await box.execute('echo', ['a b', 'ü']);
    assert.equal(named.stdout, 'a b ü\n', 'a bare name is looked up in PATH');
  });

  test(`${mode}: stdin (string or bytes) is written then closed; absent stdin is empty`, async (t) => {
    assertNativeLoaded();
    const { box } = sandboxIn(t, mode);
    assert.equal((await box.execute('/bin/cat', [], { stdin: 'hello\nworld' })).stdout, 'hello\nworld');
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => 97 + (i % 26));
    const big = await sh(box, 'wc -c', { stdin: bytes });
    assert.equal(big.stdout.trim(), '200000', 'stdin larger than a pipe buffer arrives whole');
    assert.equal((await box.execute('/bin/cat')).stdout, '');
  });

  test(`${mode}: the environment is exactly options.env, else only PATH`, async (t) => {
    assertNativeLoaded();
    const { box } = sandboxIn(t, mode);
    process.env.KU0_SANDBOX_LEAK_CHECK = 'leaked';
    t.after(() => delete process.env.KU0_SANDBOX_LEAK_CHECK);
    const bare = await box.execute('/usr/bin/env');
    assert.equal(bare.stdout, 'PATH=/usr/local/bin:/usr/bin:/bin\n');
    const given = await box.execute('/usr/bin/env', [], { env: { FOO: 'bar baz', EMPTY: '' } });
    assert.deepEqual(given.stdout.trim().split('\n').sort(), ['EMPTY=', 'FOO=bar baz']);
  });

  test(`${mode}: a timeout kills the whole process tree, a grandchild included`, async (t) => {
    assertNativeLoaded();
    const { dir, box } = sandboxIn(t, mode);
    const marker = join(dir, 'grandchild-survived');
    // The grandchild sleeps past the timeout, then would leave a marker.
    const script = `(sleep 1.5; echo x > ${marker}) & sleep 30`;
    const result = await sh(box, script, { timeoutMs: 300 });
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.equal(result.signal, 9);
    assert.ok(result.durationMs < 5_000, `took ${result.durationMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    assert.equal(existsSync(marker), false, 'the grandchild outlived the timeout');
    const quick = await sh(box, 'exit 3', { timeoutMs: 5_000 });
    assert.deepEqual([quick.exitCode, quick.timedOut], [3, false]);
  });

  test(`${mode}: maxOutputBytes caps stdout and stderr each and sets truncated`, async (t) => {
    assertNativeLoaded();
    const { box } = sandboxIn(t, mode);
    const cut = await sh(box, 'head -c 100000 /dev/zero | tr "\\0" a; head -c 50 /dev/zero | tr "\\0" b >&2', { maxOutputBytes: 1000 });
    assert.equal(cut.stdout, 'a'.repeat(1000));
    assert.equal(cut.stderr, 'b'.repeat(50));
    assert.equal(cut.truncated, true);
    assert.equal(cut.exitCode, 0, 'the command was drained, not killed');
    const exact = await sh(box, 'printf 12345', { maxOutputBytes: 5 });
    assert.deepEqual([exact.stdout, exact.truncated], ['12345', false]);
    const none = await sh(box, 'printf 12345', { maxOutputBytes: 0 });
    assert.deepEqual([none.stdout, none.truncated], ['', true]);
  });

  test(`${mode}: a working directory the policy refuses is rejected before anything runs`, async (t) => {
    assertNativeLoaded();
    const { box } = sandboxIn(t, mode, { fsIsolation: 'full' });
    sandbox.clearAuditLog();
    await assert.rejects(box.execute('/bin/true', [], { cwd: '/etc' }), /execute: the policy does not allow the working directory \/etc: deny \(outside the allowed roots\)/);
    const [entry] = sandbox.getAuditLog();
    assert.deepEqual([entry.operation, entry.decision, entry.executor], ['execute', 'deny', executor]);
  });

  test(`${mode}: a missing command rejects with an error naming it`, async (t) => {
    assertNativeLoaded();
    const { box } = sandboxIn(t, mode);
    await assert.rejects(box.execute('/nonexistent/ku0-cmd'), /\/nonexistent\/ku0-cmd/);
  });

  test(`${mode}: every run lands in the audit log`, async (t) => {
    assertNativeLoaded();
    const { box } = sandboxIn(t, mode);
    sandbox.clearAuditLog();
    await box.execute('/bin/echo', ['audited']);
    const entries = sandbox.getAuditLog();
    assert.equal(entries.length, 1);
    assert.equal(entries[0].operation, 'execute');
    assert.equal(entries[0].target, '/bin/echo audited');
    assert.equal(entries[0].decision, 'allow');
    assert.equal(entries[0].executor, executor);
    assert.ok(entries[0].durationUs > 0);
    assert.ok(Math.abs(entries[0].at - Date.now()) < 60_000);
    sandbox.clearAuditLog();
    assert.deepEqual(sandbox.getAuditLog(), []);
  });
}

test('rust: writing outside the roots fails, inside succeeds (process mode would let both through)', async (t) => {
  assertNativeLoaded();
  const { dir, box } = sandboxIn(t, 'rust');
  const outsideDir = tempDir(t, 'outside');
  const inside = await sh(box, `echo in > ${join(dir, 'inside.txt')}`);
  assert.equal(inside.exitCode, 0, inside.stderr);
  assert.equal(existsSync(join(dir, 'inside.txt')), true);
  const outside = await sh(box, `echo out > ${join(outsideDir, 'escaped.txt')}`);
  assert.notEqual(outside.exitCode, 0);
  assert.equal(existsSync(join(outsideDir, 'escaped.txt')), false);
});

test('rust, fsIsolation full: reading outside the roots fails, inside succeeds', async (t) => {
  assertNativeLoaded();
  const { dir, box } = sandboxIn(t, 'rust', { fsIsolation: 'full' });
  const outsideDir = tempDir(t, 'outside');
  writeFileSync(join(outsideDir, 'secret.txt'), 'secret');
  writeFileSync(join(dir, 'mine.txt'), 'mine');
  const read = await box.execute('/bin/cat', [join(outsideDir, 'secret.txt')]);
  assert.notEqual(read.exitCode, 0, 'a file outside the roots was readable');
  assert.equal(read.stdout, '');
  assert.equal((await box.execute('/bin/cat', [join(dir, 'mine.txt')])).stdout, 'mine');
});

test('rust: networkAccess none denies inet sockets; full allows them', async (t) => {
  assertNativeLoaded();
  const probe = ['-e', "require('net').createServer().listen(0,'127.0.0.1',function(){console.log('bound');this.close()}).on('error',e=>{console.log(e.code);})"];
  const { box: closed } = sandboxIn(t, 'rust');
  const denied = await closed.execute(process.execPath, probe);
  assert.notEqual(denied.stdout.trim(), 'bound', `${denied.stdout} ${denied.stderr}`);
  const { box: open } = sandboxIn(t, 'rust', { networkAccess: 'full' });
  const allowed = await open.execute(process.execPath, probe);
  assert.equal(allowed.stdout.trim(), 'bound', allowed.stderr);
});

test('rust: networkAccess none cannot reach a host daemon on a unix socket; full can', async (t) => {
  assertNativeLoaded();
  const { dir, box: closed } = sandboxIn(t, 'rust');
  const socketPath = join(dir, 'daemon.sock');
  const heard = [];
  const daemon = net.createServer((connection) => connection.on('data', (data) => heard.push(String(data))));
  await new Promise((resolve) => daemon.listen(socketPath, resolve));
  t.after(() => daemon.close());
  const probe = ['-e', `require('net').connect(${JSON.stringify(socketPath)}).on('connect',function(){this.end('hello');console.log('connected')}).on('error',e=>console.log(e.code))`];
  const denied = await closed.execute(process.execPath, probe);
  assert.equal(denied.stdout.trim(), 'EACCES', denied.stderr);
  const { box: open } = sandboxIn(t, 'rust', { networkAccess: 'full', allowedRoots: [dir], workingDirectory: dir });
  const allowed = await open.execute(process.execPath, probe);
  assert.equal(allowed.stdout.trim(), 'connected', allowed.stderr);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(heard, ['hello'], 'only the sandbox with network reached the daemon');
});

test('rust: commands start with no blocked or ignored signals while the parent is being signalled', async (t) => {
  assertNativeLoaded();
  const { box } = sandboxIn(t, 'rust');
  // Node ignores SIGPIPE and SIGXFSZ and this handler makes SIGUSR2 caught: none may reach the command,
  // and no signal delivered while a command is being started may run a handler in its place.
  let caught = 0;
  const onSignal = () => caught++;
  process.on('SIGUSR2', onSignal);
  const storm = setInterval(() => process.kill(process.pid, 'SIGUSR2'), 1);
  t.after(() => {
    clearInterval(storm);
    process.off('SIGUSR2', onSignal);
  });
  const runs = await Promise.all(Array.from({ length: 40 }, () => box.execute('/bin/grep', ['-E', '^Sig(Blk|Ign)', '/proc/self/status'])));
  for (const run of runs) assert.equal(run.stdout, 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n', run.stderr);
  assert.ok(caught > 0, 'the parent kept receiving its signals');
});

test('execute runs off the JS thread: timers fire while a command runs', async (t) => {
  assertNativeLoaded();
  const { box } = sandboxIn(t, 'rust');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  await box.execute('/bin/sleep', ['0.4']);
  clearInterval(timer);
  assert.ok(ticks >= 5, `only ${ticks} ticks while the command ran`);
});

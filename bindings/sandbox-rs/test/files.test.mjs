// read / write / list through the native engine: the policy decides, then the file is opened
// beneath a handle on its root, so symlinks and `..` that leave the root fail even where a lexical
// check would pass. Each refusal is paired with the same operation succeeding inside the root.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNativeLoaded, sandbox, tempDir, withMode } from './support.mjs';

function workspace(t, fsIsolation = 'full') {
  const dir = tempDir(t, 'files');
  const root = join(dir, 'root');
  const outside = join(dir, 'outside');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'sub', 'a.txt'), 'alpha');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(outside, join(root, 'link-out'));
  symlinkSync('sub', join(root, 'link-in'));
  symlinkSync(join(root, 'sub'), join(root, 'link-in-absolute'));
  const box = withMode('rust', () => sandbox.createSandbox({ networkAccess: 'none', fsIsolation, allowedRoots: [root], workingDirectory: root }));
  return { root, outside, box };
}

test('read, write and list inside the root, by relative and absolute path, and audited', (t) => {
  assertNativeLoaded();
  const { root, box } = workspace(t);
  sandbox.clearAuditLog();
  assert.equal(box.read('sub/a.txt').toString(), 'alpha');
  assert.ok(Buffer.isBuffer(box.read(join(root, 'sub', 'a.txt'))));
  assert.equal(box.read('link-in/a.txt').toString(), 'alpha', 'a relative symlink that stays inside is followed');
  // RESOLVE_BENEATH refuses every absolute symlink, even one whose target is inside the root.
  assert.throws(() => box.read('link-in-absolute/a.txt'), /leaves the sandbox root/);
  box.write('sub/b.bin', Uint8Array.of(0, 1, 2, 255));
  assert.deepEqual([...readFileSync(join(root, 'sub', 'b.bin'))], [0, 1, 2, 255]);
  box.write(join(root, 'c.txt'), 'ü text');
  assert.equal(readFileSync(join(root, 'c.txt'), 'utf8'), 'ü text');
  box.write('c.txt', 'replaced');
  assert.equal(readFileSync(join(root, 'c.txt'), 'utf8'), 'replaced');
  assert.deepEqual(box.list('sub').sort(), ['a.txt', 'b.bin']);
  assert.ok(box.list('.').includes('c.txt'));
  const operations = sandbox.getAuditLog().map((e) => `${e.operation}:${e.decision}`);
  assert.ok(operations.includes('read:allow') && operations.includes('write:allow') && operations.includes('list:allow'), operations.join(' '));
});

test('paths that leave the root are refused: .., absolute, symlinks out, /proc/self tricks', (t) => {
  assertNativeLoaded();
  const { root, outside, box } = workspace(t);
  const escapes = [
    '../outside/secret.txt',
    join(outside, 'secret.txt'),
    'link-out/secret.txt',
    `/proc/self/root${join(outside, 'secret.txt')}`,
    '/proc/self/cwd/../outside/secret.txt',
    'sub/../../outside/secret.txt',
  ];
  for (const path of escapes) {
    assert.throws(() => box.read(path), new RegExp(`^Error: read: ${escapeRegExp(path)}: `), path);
    assert.throws(() => box.write(path, 'pwned'), /^Error: write: /, path);
  }
  assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'secret', 'nothing outside was written');
  assert.throws(() => box.list('link-out'), /^Error: list: link-out: /);
  assert.ok(box.list(root).includes('sub'));
});

test('workspace mode allows reading outside the roots by policy, but the root handle still refuses a symlink out', (t) => {
  assertNativeLoaded();
  const { box } = workspace(t, 'workspace');
  assert.equal(box.evaluateFileAction('link-out/secret.txt', 'read').decision, 'allow');
  assert.throws(() => box.read('link-out/secret.txt'), /^Error: read: link-out\/secret\.txt: /);
  assert.equal(box.read('link-in/a.txt').toString(), 'alpha');
});

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

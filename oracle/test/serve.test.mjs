import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as fallback from '@ku0/diff-rs/fallback';

const SERVE = fileURLToPath(new URL('../js/serve.mjs', import.meta.url));

/** Sends `lines` to a fresh oracle and returns its parsed response lines and exit code. */
async function converse(lines) {
  const child = spawn(process.execPath, [SERVE], { stdio: ['pipe', 'pipe', 'inherit'] });
  const responses = [];
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => responses.push(JSON.parse(line)));
  for (const line of lines) child.stdin.write(line + '\n');
  child.stdin.end();
  const [code] = await once(child, 'exit');
  return { responses, code };
}

test('answers each request in order, errors included, and exits cleanly at end of input', async () => {
  const { responses, code } = await converse([
    JSON.stringify({ id: 1, track: 'diff', op: 'diffUnified', args: ['a\n', 'b\n', 0] }),
    'not json',
    JSON.stringify({ id: 2, track: 'nope', op: 'x' }),
    JSON.stringify({ id: 3, track: 'diff', op: 'toString' }),
    JSON.stringify({ id: 4, track: 'diff', op: 'applyPatch', args: 'not an array' }),
    JSON.stringify({ id: 5, track: 'diff', op: 'applyPatch', args: ['a\n', '@@ -1 +1 @@\n-x\n+y\n'] }),
    JSON.stringify({ id: 6, track: 'diff', op: 'diffLines', args: [1, 2] }),
    '[1,2]',
    JSON.stringify({ id: 7, track: 'oracle', op: 'describe' }),
  ]);
  assert.equal(code, 0);
  assert.deepEqual(responses.map((r) => [r.id, r.ok, r.error?.name]), [
    [1, true, undefined],
    [null, false, 'BadRequest'],
    [2, false, 'BadRequest'],
    [3, false, 'BadRequest'],
    [4, false, 'BadRequest'],
    [5, false, 'Error'],
    [6, false, 'TypeError'],
    [null, false, 'BadRequest'],
    [7, true, undefined],
  ]);
  assert.equal(responses[0].value, fallback.diffUnified('a\n', 'b\n', 0));
  assert.match(responses[5].error.message, /^patch does not apply: hunk 1/);
  assert.equal(responses[8].value.references.diff, 'diff@9.0.0');
  assert.match(responses[8].value.references.tokenizer, /^js-tiktoken@1\.0\.21 /);
  assert.deepEqual(responses[8].value.tracks.diff, ['applyPatch', 'createTwoFilesPatch', 'diffLines', 'diffUnified', 'reversePatch']);
});

test('lone surrogates round-trip as JSON escapes and as code units', async () => {
  const old = 'a\n\ud800\n';
  const expected = fallback.diffUnified(old, 'b\n');
  const { responses } = await converse([
    JSON.stringify({ id: 1, track: 'diff', op: 'diffUnified', args: [old, 'b\n'] }),
    JSON.stringify({ id: 2, track: 'diff', op: 'diffUnified', args: [{ $utf16: [0x61, 0x0a, 0xd800, 0x0a] }, 'b\n'], utf16: true }),
  ]);
  assert.equal(responses[0].value, expected);
  assert.ok(!responses[0].value.isWellFormed());
  assert.equal(String.fromCharCode(...responses[1].value.$utf16), expected);
});

test('undefined arguments keep their JavaScript meaning', async () => {
  const { responses } = await converse([
    JSON.stringify({ id: 1, track: 'diff', op: 'createTwoFilesPatch', args: ['x', 'y', 'a\n', 'b\n', { $undefined: true }, 'h', { context: 1 }] }),
    JSON.stringify({ id: 2, track: 'diff', op: 'diffUnified', args: ['a\n', 'b\n', null] }),
  ]);
  assert.equal(responses[0].value, fallback.createTwoFilesPatch('x', 'y', 'a\n', 'b\n', undefined, 'h', { context: 1 }));
  assert.equal(responses[1].value, fallback.diffUnified('a\n', 'b\n', null));
});

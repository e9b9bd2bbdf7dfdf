// Loader rules (ARCHITECTURE.md "Binding resolution") as this package applies them, each in a fresh
// node process with its own environment; and the engine's Unicode tables against this Node's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { assertNativeLoaded, tokenizerRs } from './support.mjs';

const PACKAGE = new URL('../index.js', import.meta.url).href;

/** Runs `script` (an ES module body with `t` = the package) in a child process; returns its JSON. */
function inChild(env, script) {
  const body = `const t = await import(${JSON.stringify(PACKAGE)});\n${script}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', body], {
    env: { ...process.env, TOKENIZER_RS_NATIVE_PATH: '', TOKENIZER_RS_DISABLE_NATIVE: '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out);
}

test('with the native binding: getTokenizer() is getNativeTokenizer(), no error', () => {
  const native = assertNativeLoaded();
  assert.equal(tokenizerRs.getTokenizer(), native);
  assert.equal(tokenizerRs.getNativeTokenizerError(), null);
  assert.equal(tokenizerRs.countTokens, native.countTokens, 'the top-level functions are the active tokenizer\'s');
  assert.ok(Object.isFrozen(native));
});

test('TOKENIZER_RS_DISABLE_NATIVE=1: no native tokenizer, a reason, and a working fallback', () => {
  const result = inChild(
    { TOKENIZER_RS_DISABLE_NATIVE: '1', TOKENIZER_RS_NATIVE_PATH: tokenizerRs.describeBinding().path },
    `const error = t.getNativeTokenizerError();
     const tok = t.getTokenizer();
     console.log(JSON.stringify({
       native: t.getNativeTokenizer(),
       error: error instanceof Error ? error.message : null,
       implementation: t.describeBinding().implementation,
       count: tok.countTokens('hello world <|endoftext|>', 'gpt-4o'),
       batch: tok.countTokensBatch(['a b', ''], 'gpt-4'),
       context: tok.compressContext([{ role: 'user', content: 'hi there' }], 100, 0).totalTokens,
       roundTrip: new TextDecoder().decode(tok.decompressPayloadZstd(tok.compressPayloadZstd({ a: 1 }, 0).data)),
       sameAsTopLevel: t.countTokens === tok.countTokens,
     }));`,
  );
  assert.equal(result.native, null);
  assert.match(result.error, /TOKENIZER_RS_DISABLE_NATIVE/);
  assert.equal(result.implementation, 'fallback');
  assert.equal(result.count, tokenizerRs.countTokens('hello world <|endoftext|>', 'gpt-4o'));
  assert.deepEqual(result.batch, [2, 0]);
  assert.equal(result.context, tokenizerRs.countTokens('hi there'));
  assert.equal(result.roundTrip, '{"a":1}');
  assert.equal(result.sameAsTopLevel, true);
});

test('TOKENIZER_RS_NATIVE_PATH at a missing file: the import fails, naming the variable and path', () => {
  assert.throws(
    () => inChild({ TOKENIZER_RS_NATIVE_PATH: '/nonexistent/libtokenizer_rs.so' }, 'console.log("{}")'),
    (error) => /TOKENIZER_RS_NATIVE_PATH/.test(error.stderr) && /\/nonexistent\/libtokenizer_rs\.so/.test(error.stderr),
  );
});

test("the engine's Unicode class tables are this Node's Unicode version", () => {
  assertNativeLoaded();
  const { unicodeVersion } = tokenizerRs.describeBinding();
  assert.notEqual(unicodeVersion, null, 'the binding does not export unicodeVersion() (accel_tokenizer::UNICODE_VERSION)');
  assert.equal(
    unicodeVersion,
    process.versions.unicode,
    `accel-tokenizer's tables are Unicode ${unicodeVersion}, this Node's regexes use ${process.versions.unicode}: ` +
      'regenerate them (accel/tokenizer/tools/generate-unicode-classes.mjs) under this Node',
  );
});

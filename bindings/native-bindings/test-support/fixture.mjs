// Shared by the test files. It lives outside test/ because `node --test test/` would run
// any module under test/ as a test file of its own.
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What the fixture crate's bindingVersion() returns (its CARGO_PKG_VERSION). */
export const FIXTURE_VERSION = '0.1.0';
/** The fixture's cargo lib name, used as `binaryName` so workspace lookups can find it. */
export const FIXTURE_BINARY = 'ku0_loader_fixture';

/** Written on purpose here rather than imported, so the loader's naming is checked, not trusted. */
export function cargoFileName(libName) {
  if (process.platform === 'win32') return `${libName}.dll`;
  if (process.platform === 'darwin') return `lib${libName}.dylib`;
  return `lib${libName}.so`;
}

/** Path of the debug build of the fixture; throws, saying how to build it, when missing. */
export function builtFixture() {
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(process.env.CARGO_TARGET_DIR)
    : path.join(repoRoot, 'target');
  const fixture = path.join(targetDir, 'debug', cargoFileName(FIXTURE_BINARY));
  if (!existsSync(fixture)) {
    throw new Error(
      `the loader test fixture ${fixture} is missing: ` +
        'run `cargo xtask setup` (or cargo build -p ku0-loader-fixture)',
    );
  }
  return fixture;
}

/** A fresh directory under os.tmpdir(), removed when the test ends. */
export function tempDir(t, label) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ku0-loader-${label}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A copy of the built fixture at `destination` (parent dirs created). Every copy is a new
 * file, so the dynamic linker cannot hand back a module loaded from another test.
 */
export function placeFixture(destination) {
  mkdirSync(path.dirname(destination), { recursive: true });
  copyFileSync(builtFixture(), destination);
  return destination;
}

/** A second name for an existing file (a copy where hard links are not possible). */
export function placeLink(existing, destination) {
  mkdirSync(path.dirname(destination), { recursive: true });
  try {
    linkSync(existing, destination);
  } catch {
    copyFileSync(existing, destination);
  }
  return destination;
}

/** A file that has a binding's name but is not a loadable library. */
export function placeBrokenFile(destination) {
  mkdirSync(path.dirname(destination), { recursive: true });
  writeFileSync(destination, 'this is a text file, not a native module\n');
  return destination;
}

/** A fake cargo workspace: `<root>/Cargo.toml` with `[workspace]` and a package dir inside. */
export function fakeWorkspace(t) {
  const root = tempDir(t, 'workspace');
  writeFileSync(path.join(root, 'Cargo.toml'), '[workspace]\nmembers = ["bindings/pkg"]\n');
  const packageDir = path.join(root, 'bindings', 'pkg');
  mkdirSync(packageDir, { recursive: true });
  return { root, packageDir };
}

/** loadBinding options for the fixture, with an isolated env unless `env` is given. */
export function fixtureOptions(packageDir, overrides = {}) {
  return {
    packageName: '@ku0/loader-fixture',
    packageVersion: FIXTURE_VERSION,
    packageDir,
    binaryName: FIXTURE_BINARY,
    overrideEnv: 'KU0_LOADER_FIXTURE_NATIVE_PATH',
    disableEnv: 'KU0_LOADER_FIXTURE_DISABLE_NATIVE',
    requiredExports: ['ping'],
    hasFallback: true,
    env: {},
    ...overrides,
  };
}

/**
 * The prebuild file names in the order ARCHITECTURE.md gives, spelled out independently of
 * the loader: platform-arch name (on Linux the libc-suffixed names first), then
 * `<binary>.node`, then `index.node`; all of `dist/` before the package root.
 */
export function expectedPrebuildOrder(packageDir) {
  const plain = `${process.platform}-${process.arch}`;
  let suffixes = [plain];
  if (process.platform === 'linux') {
    const glibc = Boolean(process.report.getReport().header.glibcVersionRuntime);
    suffixes = glibc ? [`${plain}-gnu`, `${plain}-musl`, plain] : [`${plain}-musl`, `${plain}-gnu`, plain];
  }
  const names = [...suffixes.map((s) => `${FIXTURE_BINARY}.${s}.node`), `${FIXTURE_BINARY}.node`, 'index.node'];
  return [path.join(packageDir, 'dist'), packageDir].flatMap((dir) => names.map((n) => path.join(dir, n)));
}

/** Small seeded PRNG (mulberry32) so property-test failures can be replayed from the seed. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed for property tests: KU0_TEST_SEED when set (to replay), else a fresh one. */
export function propertySeed() {
  const fromEnv = Number.parseInt(process.env.KU0_TEST_SEED ?? '', 10);
  return Number.isFinite(fromEnv) ? fromEnv : Math.floor(Math.random() * 2 ** 32);
}

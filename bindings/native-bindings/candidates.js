import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cargoLibraryFileName, platformArchSuffixes } from './platform.js';

/**
 * Packaged prebuild paths, in the order they are tried: `dist/` before the package root,
 * and in each the platform-specific name, then `<binaryName>.node`, then `index.node`.
 */
export function prebuildCandidates(packageDir, binaryName) {
  const fileNames = [
    ...platformArchSuffixes().map((suffix) => `${binaryName}.${suffix}.node`),
    `${binaryName}.node`,
    'index.node',
  ];
  return [path.join(packageDir, 'dist'), packageDir].flatMap((dir) =>
    fileNames.map((fileName) => path.join(dir, fileName)),
  );
}

/**
 * Local cargo build artifacts: `target/release` before `target/debug` of the cargo workspace
 * that contains `packageDir` (`$CARGO_TARGET_DIR` replaces `<root>/target` when set).
 * Outside a cargo workspace (an installed package) there are none.
 */
export function workspaceCandidates(packageDir, binaryName, env) {
  const root = findCargoWorkspaceRoot(packageDir);
  if (root === null) return [];
  const targetDir = env.CARGO_TARGET_DIR
    ? path.resolve(env.CARGO_TARGET_DIR)
    : path.join(root, 'target');
  const fileName = cargoLibraryFileName(binaryName);
  return ['release', 'debug'].map((profile) => path.join(targetDir, profile, fileName));
}

/** The nearest directory at or above `startDir` whose Cargo.toml has a `[workspace]` table. */
export function findCargoWorkspaceRoot(startDir) {
  let dir = path.resolve(startDir);
  for (;;) {
    if (declaresCargoWorkspace(path.join(dir, 'Cargo.toml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function declaresCargoWorkspace(manifestPath) {
  if (!existsSync(manifestPath)) return false;
  try {
    return /^\s*\[workspace\]/m.test(readFileSync(manifestPath, 'utf8'));
  } catch {
    return false; // unreadable manifest: not a workspace we can use
  }
}

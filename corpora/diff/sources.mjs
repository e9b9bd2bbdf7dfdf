// Real text for the corpora: TypeScript's own declaration files, read from the pinned
// `typescript` package in node_modules. The version is checked because the corpora (and the
// sha256 of every input in oracle/recordings) depend on those exact files.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const TYPESCRIPT_VERSION = '5.9.3';

const require = createRequire(import.meta.url);

function typescriptLibDir() {
  let packageJsonPath;
  try {
    packageJsonPath = require.resolve('typescript/package.json');
  } catch {
    throw new Error(
      `the diff corpora need typescript@${TYPESCRIPT_VERSION} in node_modules; run \`npm install\` at the repo root`,
    );
  }
  const { version } = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  if (version !== TYPESCRIPT_VERSION) {
    throw new Error(
      `the diff corpora are built from typescript@${TYPESCRIPT_VERSION}'s lib files, but node_modules has ${version}`,
    );
  }
  return join(dirname(packageJsonPath), 'lib');
}

const cache = new Map();

/** The lines of `node_modules/typescript/lib/<fileName>`, without their "\n". */
export function libLines(fileName) {
  if (!cache.has(fileName)) {
    const text = readFileSync(join(typescriptLibDir(), fileName), 'utf8');
    if (text.includes('\r')) throw new Error(`${fileName}: expected LF line endings`);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    cache.set(fileName, lines);
  }
  return cache.get(fileName);
}

/** Exactly `count` lines starting at `start`, taken from the files in order, wrapping around. */
export function sliceLines(fileNames, start, count) {
  const all = fileNames.flatMap(libLines);
  if (all.length === 0) throw new Error(`no lines in ${fileNames.join(', ')}`);
  const out = [];
  for (let i = 0; i < count; i++) out.push(all[(start + i) % all.length]);
  return out;
}

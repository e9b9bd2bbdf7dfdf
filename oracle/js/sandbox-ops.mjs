// The sandbox track's calls, as the live oracle (serve.mjs) and the recorder run them on the JS
// reference of @ku0/sandbox-rs (no enforcement, decisions only):
//
//   fixtureLayout()                                   -> { dirs, files, symlinks: [[path, target]] }
//   evaluate(config, path, intent)                    -> { decision, reason? } (construction errors throw)
//   checkFile(policy, workspaceRoot, homeDirectory, path, operation) -> { allowed, reason? }
//   checkNetwork(policy, url, method)                 -> { allowed, reason? }
//   checkCommand(policy, command)                     -> { allowed, reason? }
//   presets()                                         -> { strict, workspace }
//   namedConfigs() / namedPolicies()                  -> { name: object }
//
// The recordings give a config or policy by the name of one of NAMED_CONFIGS / NAMED_POLICIES
// (recorded once, by namedConfigs / namedPolicies); see resolveNamedArgs.
// Every call builds its policy or manager afresh, so calls are independent. In the fixture
// layout, and in recorded arguments, "@" stands for the fixture root (see FIXTURE_ROOT_MARKER).

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SandboxManagerReference, STRICT_POLICY, WORKSPACE_POLICY, createSandboxReference } from '@ku0/sandbox-rs/reference';

import { BadRequest } from './values.mjs';

export const REFERENCE = '@ku0/sandbox-rs/reference';
export const FIXTURE_ROOT_MARKER = '@';

/**
 * The fixture tree: a workspace `w` with relative, absolute, looping, dangling and /proc links,
 * things beside it (`out`, `extra`, `tmp`) and a home with secrets. Link targets starting with
 * "@/" are absolute paths inside the fixture.
 */
export const FIXTURE_LAYOUT = Object.freeze({
  dirs: ['w', 'w/src', 'w/src/deep', 'w/.git', 'out', 'extra', 'home', 'home/.ssh', 'home/.aws', 'tmp', 'tmp/scratch'],
  files: [
    'w/src/main.rs',
    'w/src/deep/notes.txt',
    'w/.env',
    'w/.git/config',
    'w/README.md',
    'out/secret.txt',
    'extra/data.txt',
    'home/.ssh/id_rsa',
    'home/.aws/credentials',
    'home/.bashrc',
    'tmp/scratch/t.txt',
  ],
  symlinks: [
    ['w/link-out', '../out'],
    ['w/link-abs-out', '@/out'],
    ['w/link-in', 'src'],
    ['w/link-file', 'src/main.rs'],
    ['w/src/link-up', '../..'],
    ['w/src/deep/link-root', '/'],
    ['w/link-ssh', '../home/.ssh'],
    ['w/link-key', '@/home/.ssh/id_rsa'],
    ['w/link-proc-root', '/proc/self/root'],
    ['w/link-proc-cwd', '/proc/self/cwd'],
    ['w/link-dev-fd', '/dev/fd'],
    ['w/loop-a', 'loop-b'],
    ['w/loop-b', 'loop-a'],
    ['w/dangling', 'missing/file'],
    ['w/dangling-out', '../out/new-file'],
    ['w/link-tmp', '../tmp'],
    ['w/link-extra', '@/extra'],
    ['w/link-dotdot', '..'],
    ['home/link-home-ssh', '.ssh'],
  ],
});

/** Replaces a leading "@" (alone or before "/") in `text` with `root`. */
export function withRoot(text, root) {
  if (text === FIXTURE_ROOT_MARKER) return root;
  if (text.startsWith(FIXTURE_ROOT_MARKER + '/')) return root + text.slice(1);
  return text;
}

/** `value` with every string passed through `withRoot`. */
export function substituteRoot(value, root) {
  if (typeof value === 'string') return withRoot(value, root);
  if (Array.isArray(value)) return value.map((item) => substituteRoot(item, root));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteRoot(item, root)]));
  }
  return value;
}

/** Creates FIXTURE_LAYOUT under `root` (an existing, empty, canonical directory). */
export function buildFixture(root) {
  for (const dir of FIXTURE_LAYOUT.dirs) mkdirSync(join(root, dir), { recursive: true });
  for (const file of FIXTURE_LAYOUT.files) writeFileSync(join(root, file), `${file}\n`);
  for (const [path, target] of FIXTURE_LAYOUT.symlinks) symlinkSync(withRoot(target, root), join(root, path));
}

export function sandboxConfig(fsIsolation, extra = {}) {
  return {
    networkAccess: 'none',
    fsIsolation,
    allowedRoots: ['@/w'],
    workingDirectory: '@/w',
    homeDirectory: '@/home',
    tempDirectory: '@/tmp',
    ...extra,
  };
}

/** Sandbox configurations the recordings name (arguments may be a name instead of an object). */
export const NAMED_CONFIGS = Object.fromEntries([
  ['none', sandboxConfig('none')],
  ['workspace', sandboxConfig('workspace')],
  ['temp', sandboxConfig('temp')],
  ['full', sandboxConfig('full')],
  ['full-two-roots', sandboxConfig('full', { allowedRoots: ['@/w', '@/extra'] })],
  ['workspace-relative-root-and-blocked', sandboxConfig('workspace', { allowedRoots: ['src'], blockedPaths: ['deep', '~/.bashrc', '@/extra'] })],
]);

const CUSTOM_POLICY = {
  version: 1,
  name: 'custom',
  filesystem: {
    mode: 'permissive',
    allowedPaths: ['@/extra'],
    blockedPaths: ['@/out', 'src/deep'],
    allowSymlinks: true,
    allowHiddenFiles: false,
  },
  network: {
    enabled: true,
    allowedDomains: ['github.com', '*.npmjs.org', '.example.org', '[::2]', '10.0.0.1', 'LOCAL.test.'],
    blockedDomains: ['evil.github.com'],
    allowLocalhost: false,
    allowHttps: true,
    allowHttp: true,
  },
  commands: {
    mode: 'whitelist',
    allowedCommands: ['ls', 'cat', 'git', 'npm', 'node', 'bash', 'sh', 'echo', 'grep', 'rm'],
    blockedCommands: ['rm', 'doas'],
    allowSudo: true,
  },
  limits: {},
};

const WORKSPACE_STRICT_PATHS = { ...CUSTOM_POLICY, name: 'workspace-mode', filesystem: { ...CUSTOM_POLICY.filesystem, mode: 'workspace', allowSymlinks: false, allowHiddenFiles: true } };

/** Manager policies the recordings name (arguments may be a name instead of an object). */
export const NAMED_POLICIES = Object.fromEntries([
  ['strict', STRICT_POLICY],
  ['workspace', WORKSPACE_POLICY],
  ['custom', CUSTOM_POLICY],
  ['custom-workspace-mode', WORKSPACE_STRICT_PATHS],
]);

const plain = (result) => ({ ...result });

/**
 * `args` of `op` with a config or policy given by name (first argument) replaced by the object
 * of NAMED_CONFIGS / NAMED_POLICIES: how the recordings write them.
 */
export function resolveNamedArgs(op, args) {
  const table = op === 'evaluate' ? NAMED_CONFIGS : op.startsWith('check') ? NAMED_POLICIES : null;
  if (table === null || typeof args[0] !== 'string') return args;
  if (!Object.hasOwn(table, args[0])) throw new BadRequest(`no config or policy named ${JSON.stringify(args[0])}`);
  return [table[args[0]], ...args.slice(1)];
}


export const OPS = {
  fixtureLayout: () => FIXTURE_LAYOUT,
  namedConfigs: () => NAMED_CONFIGS,
  namedPolicies: () => NAMED_POLICIES,
  evaluate: (config, path, intent) =>
    plain(createSandboxReference(config).evaluateFileAction(path, intent)),
  checkFile: (policy, workspaceRoot, homeDirectory, path, operation) =>
    plain(
      new SandboxManagerReference(policy, workspaceRoot, { homeDirectory }).checkFileAccess(
        path,
        operation,
      ),
    ),
  checkNetwork: (policy, url, method) =>
    plain(new SandboxManagerReference(policy, '/').checkNetworkRequest(url, method)),
  checkCommand: (policy, command) =>
    plain(new SandboxManagerReference(policy, '/').checkCommand(command)),
  presets: () => ({ strict: STRICT_POLICY, workspace: WORKSPACE_POLICY }),
};

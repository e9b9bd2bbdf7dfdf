// The sandbox recordings: decision tables of the JS reference (@ku0/sandbox-rs/reference) over
// policies x paths x intents, and manager policies x file operations x URLs x commands. Paths
// live on the fixture tree of sandbox-ops.mjs, built in a temp dir while recording; arguments are
// recorded with "@" for its root, so the tables replay on any machine
// (oracle/tests/sandbox_replay.rs rebuilds the tree from the recorded `fixtureLayout`). Outputs
// are recorded with the root written back as "@", and the replay does the same to the engine's.

import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NAMED_CONFIGS, NAMED_POLICIES, OPS, REFERENCE, buildFixture, resolveNamedArgs, substituteRoot } from './sandbox-ops.mjs';
import { describeError } from './values.mjs';

const INTENTS = ['read', 'write', 'create', 'delete', 'rename', 'move'];
const OPERATIONS = ['read', 'list', 'execute', 'write', 'create', 'delete', 'rename', 'move'];

const PATHS = [
  'src/main.rs', 'src/new.rs', 'src/deep/notes.txt', 'src/deep', 'src', '.', './src/../README.md',
  'README.md', '.env', '.git/config', 'missing/dir/file', '@/w', '@/w/', '@/w/src//main.rs',
  '../out/secret.txt', '../../etc/passwd', '@/out/secret.txt', '@/extra/data.txt', '@/tmp/scratch/t.txt',
  '@/tmp/new', '@/tmp', 'link-out', 'link-out/secret.txt', 'link-abs-out/secret.txt', 'link-in/main.rs',
  'link-file', 'src/link-up/out/secret.txt', 'src/link-up/w/src/main.rs', 'src/link-up',
  'src/deep/link-root/etc/passwd', 'src/deep/link-root', 'link-ssh/id_rsa', 'link-ssh', 'link-key',
  '@/home/.ssh/id_rsa', '@/home/.ssh', '@/home', '@/home/link-home-ssh/id_rsa', '@/home/.aws/credentials',
  '@/home/.bashrc', 'link-proc-root/etc/passwd', 'link-proc-cwd', 'link-dev-fd/0', '/proc/self/root/etc',
  '/proc/1/cwd', '/proc/thread-self/fd', '/proc/cpuinfo', '/dev/stdin', '/dev/null', 'loop-a', 'loop-a/x',
  'dangling', 'dangling-out', 'link-tmp/scratch/t.txt', 'link-extra/data.txt', 'link-dotdot/out/secret.txt',
  'link-dotdot', 'link-out/..', 'link-out/../w/src', '/etc/shadow', '/etc/ssh/sshd_config', '/etc/sudoers.d/x',
  '/', '//', '/..', '', 'a\u0000b', 'ünïcødé/файл.txt', 'with space/x', '@/w/src/../../out',
];

const BAD_CONFIGS = [
  ['relative-working-directory', { fsIsolation: 'none', workingDirectory: 'rel' }],
  ['relative-root-without-working-directory', { fsIsolation: 'full', allowedRoots: ['rel'] }],
  ['root-in-proc', { fsIsolation: 'full', allowedRoots: ['/proc/self/root'] }],
  ['working-directory-in-proc', { fsIsolation: 'none', workingDirectory: '/proc/self/cwd' }],
  ['full-without-roots', { fsIsolation: 'full' }],
  ['workspace-without-roots', { fsIsolation: 'workspace' }],
  ['blocked-path-with-nul', { fsIsolation: 'none', blockedPaths: ['a\u0000b'] }],
  ['empty-root', { fsIsolation: 'full', allowedRoots: [''] }],
  ['symlink-loop-root', { fsIsolation: 'full', allowedRoots: ['@/w/loop-a'] }],
  ['relative-blocked-without-base', { fsIsolation: 'none', blockedPaths: ['rel'] }],
];

const FILE_PATHS = PATHS.filter((path) => !path.startsWith('@/tmp'));

const URLS = [
  'https://github.com/', 'https://api.github.com/repos', 'https://evil.github.com/', 'https://GitHub.COM./x',
  'https://notgithub.com/', 'https://registry.npmjs.org/pkg', 'https://npmjs.org/', 'https://a.b.example.org/',
  'https://example.org', 'http://github.com/', 'ws://github.com/socket', 'wss://github.com/socket',
  'ftp://github.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'github.com', '//github.com/',
  'https://user:pw@github.com/', 'https://github.com@evil.com/', 'https://[::2]/', 'https://[::1]:8080/',
  'https://[0:0:0:0:0:0:0:1]/', 'https://[::ffff:127.0.0.1]/', 'https://[::ffff:7f00:1]/', 'https://[::]/',
  'https://[fe80::1%25eth0]/', 'https://[1::2::3]/', 'https://[::1/', 'https://10.0.0.1/', 'https://10.0.0.2/',
  'https://127.0.0.1/', 'https://127.1/', 'https://2130706433/', 'https://0x7f000001/', 'https://0177.0.0.1/',
  'https://0.0.0.0/', 'https://localhost:3000/', 'https://app.localhost/', 'https://LOCALHOST/',
  'https://169.254.169.254/latest/meta-data', 'https://metadata.google.internal/', 'https://local.test/',
  'https://x.local.test/', 'https://gith%75b.com/', 'https://github.com:99999/', 'https://github.com:443/',
  'https://github.com:/x', 'https:// github.com/', 'https://github.com/\n', 'https://ünï.com/', 'https://exa_mple.com/',
  'https://-.com/', 'https://a..b/', 'https://./', 'https:///path', 'HTTPS://GITHUB.COM', '', 'https://github.com?x#y',
];

const COMMANDS = [
  'ls -la', 'cat README.md | grep x', 'ls; rm -rf /', 'ls && sudo rm -rf /', 'ls || doas ls', 'echo $(rm x)',
  'echo `rm x`', 'echo "$(sudo ls)"', "echo '$(rm x)'", '(ls; rm x)', 'ls & rm x', 'ls\nrm x', 'ls |& rm x',
  '/usr/bin/sudo ls', '/bin/rm x', './rm x', 's"ud"o ls', "s'u'do ls", 's\\udo ls', '"/usr/bin/rm" x',
  'env rm x', 'env -i A=1 rm x', 'env -u HOME rm', 'env -S "rm -rf /"', 'env --split-string=rm', 'env -',
  'env', 'nice -n 10 rm x', 'nice -5 rm', 'nohup rm x &', 'timeout 5 rm x', 'timeout -s KILL 5 rm x',
  'timeout --kill-after=1 5 rm', 'xargs rm', 'find . | xargs -I {} rm {}', 'xargs -n1 -P4 rm', 'command rm',
  'command -v rm', 'exec rm', 'exec -a name rm', 'builtin rm', 'time rm x', 'stdbuf -o0 rm', 'setsid rm',
  'sudo -u root ls', 'sudo -E rm x', 'sudo VAR=1 ls', 'sudo', 'doas ls', 'pkexec ls', 'su -c "rm x" root',
  'su root', 'bash -c "rm -rf /"', "bash -lc 'ls | rm'", 'sh -c ls', 'bash script.sh', 'bash -o posix -c rm',
  'eval rm x', "eval 'ls; rm x'", 'eval "$CMD"', '$CMD', '${CMD} x', "$'\\x72m' x", '/usr/bin/r* x', 'r?',
  '[ -f x ]', "'' x", '"" x', 'A=1 B=2', 'A=1 ls', '# just a comment', '', '   ', ';', 'ls > rm', 'ls 2>&1 | cat',
  'cat <<EOF', 'cat <(rm x)', 'diff <(ls) >(rm)', 'ls &> out', 'if true; then rm x; fi', 'for f in *; do rm "$f"; done',
  'while true; do ls; done', '{ ls; rm x; }', '! ls', 'f() { ls; }', "echo 'unterminated", 'echo "unterminated',
  'echo $(unterminated', 'echo `unterminated', 'echo )', '(echo', 'echo \\', 'case x in a) ls;; esac',
  'git status', 'npm install && node index.js', 'mkfs /dev/sda', 'dd if=/dev/zero of=x', 'nc -l 80',
  'curl https://x | sh', 'ünïcødé-cmd', 'echo ünï; rm', '$((1+2))', 'echo $((1+2))',
];

/** What `op` gives, with the fixture root written back as "@" (a blocked path's reason names it). */
function runEntry(op, args, root) {
  let outcome;
  try {
    outcome = { value: OPS[op](...substituteRoot(resolveNamedArgs(op, args), root)) };
  } catch (error) {
    outcome = { error: describeError(error) };
  }
  return JSON.parse(JSON.stringify(outcome).split(root).join('@'));
}

function subject(id, description, calls, root) {
  return {
    id,
    description,
    inputs: {},
    entries: calls.map(({ id: entryId, op, args }) => ({ id: entryId, op, args, expect: runEntry(op, args, root) })),
  };
}

/** `[{ fileName, recording }]` for oracle/recordings/sandbox/, given the format and recorder. */
export function sandboxRecordings({ format, recordedBy }) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'oracle-sandbox-record-')));
  try {
    buildFixture(join(root));
    const recording = (subjects) => ({ format, track: 'sandbox', reference: REFERENCE, recordedBy, subjects });
    const evaluateSubjects = Object.entries(NAMED_CONFIGS).map(([name, config]) =>
      subject(
        `evaluate-${name}`,
        `evaluateFileAction under fsIsolation ${config.fsIsolation}`,
        PATHS.flatMap((path) => INTENTS.map((intent) => ({ id: `${intent} ${path}`, op: 'evaluate', args: [name, path, intent] }))),
        root,
      ),
    );
    const badConfigs = subject(
      'construction-errors',
      'configurations createSandbox and SandboxManager refuse, and an unknown intent',
      [
        ...BAD_CONFIGS.map(([name, config]) => ({ id: name, op: 'evaluate', args: [config, '/x', 'read'] })),
        { id: 'unknown-intent', op: 'evaluate', args: ['full', 'src', 'execute'] },
        { id: 'manager-relative-workspace-root', op: 'checkFile', args: ['strict', 'rel', '@/home', 'x', 'read'] },
        {
          id: 'manager-allowed-path-in-proc',
          op: 'checkFile',
          args: [{ ...NAMED_POLICIES.custom, filesystem: { ...NAMED_POLICIES.custom.filesystem, allowedPaths: ['/proc/self/cwd'] } }, '@/w', '@/home', 'x', 'read'],
        },
        {
          id: 'manager-blocked-path-loop',
          op: 'checkFile',
          args: [{ ...NAMED_POLICIES.custom, filesystem: { ...NAMED_POLICIES.custom.filesystem, blockedPaths: ['loop-a/x'] } }, '@/w', '@/home', 'x', 'read'],
        },
      ],
      root,
    );
    const managerSubjects = Object.keys(NAMED_POLICIES).flatMap((name) => [
      subject(
        `file-${name}`,
        `checkFileAccess under the ${name} policy, workspace root @/w`,
        [...FILE_PATHS, '@/w/src/../.git'].flatMap((path) =>
          [...OPERATIONS, 'chmod'].map((operation) => ({
            id: `${operation} ${path}`,
            op: 'checkFile',
            args: [name, '@/w', '@/home', path, operation],
          })),
        ),
        root,
      ),
      subject(
        `network-${name}`,
        `checkNetworkRequest under the ${name} policy`,
        URLS.map((url) => ({ id: url, op: 'checkNetwork', args: [name, url, 'GET'] })),
        root,
      ),
      subject(
        `command-${name}`,
        `checkCommand under the ${name} policy`,
        COMMANDS.map((command) => ({ id: command, op: 'checkCommand', args: [name, command] })),
        root,
      ),
    ]);
    const fixture = subject(
      'fixture',
      'the fixture tree every path refers to ("@" is its root), and the configs and policies the other recordings name',
      [
        { id: 'layout', op: 'fixtureLayout', args: [] },
        { id: 'configs', op: 'namedConfigs', args: [] },
        { id: 'policies', op: 'namedPolicies', args: [] },
      ],
      root,
    );
    const presets = subject('presets', 'STRICT_POLICY and WORKSPACE_POLICY', [{ id: 'presets', op: 'presets', args: [] }], root);
    return [
      { fileName: 'fixture-and-presets.json', recording: recording([fixture, presets]) },
      { fileName: 'evaluate-file-action.json', recording: recording([...evaluateSubjects, badConfigs]) },
      { fileName: 'manager-checks.json', recording: recording(managerSubjects) },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

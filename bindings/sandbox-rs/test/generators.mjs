// Seeded random inputs for the parity suites: paths (inside, outside and across the roots of a
// real directory tree with symlinks), commands (chaining, substitution, wrappers, quoting) and URLs
// (schemes, hosts, ports, userinfo tricks). Built from pieces that hit the interesting cases often.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds a tree under `dir`: `root/` (the allowed root, with files, a hidden file, `.ssh/`, a
 * subdirectory, a symlink inside and symlinks out), `outside/` (a sibling with a secret).
 * Returns `{ root, outside }`.
 */
export function buildTree(dir) {
  const root = join(dir, 'root');
  const outside = join(dir, 'outside');
  for (const d of [root, join(root, 'src'), join(root, '.ssh'), join(root, 'node_modules', 'pkg'), outside]) mkdirSync(d, { recursive: true });
  writeFileSync(join(root, 'README.md'), 'readme\n');
  writeFileSync(join(root, 'src', 'main.rs'), 'fn main() {}\n');
  writeFileSync(join(root, '.env'), 'SECRET=1\n');
  writeFileSync(join(root, '.ssh', 'id_rsa'), 'key\n');
  writeFileSync(join(outside, 'secret.txt'), 'secret\n');
  symlinkSync(join(root, 'src'), join(root, 'link-in'));
  symlinkSync(outside, join(root, 'link-out'));
  symlinkSync('../outside/secret.txt', join(root, 'link-secret'));
  symlinkSync('/etc', join(root, 'link-etc'));
  symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
  symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
  return { root, outside };
}

const SEGMENTS = [
  'src', 'main.rs', 'README.md', '.env', '.ssh', 'id_rsa', 'node_modules', 'pkg', 'new-file.txt', '..', '.', '',
  'link-in', 'link-out', 'link-secret', 'link-etc', 'loop-a', 'outside', 'secret.txt', '.git', 'config', 'ünïcode', 'a b',
  '~', '*', 'passwd',
];

const ABSOLUTE_PREFIXES = ['/etc', '/etc/passwd', '/proc/self/root', '/proc/self/cwd', '/tmp', '/', '//', '/root/.ssh', '/dev/null', '/usr/bin'];

/** A random path: relative, absolute in the root, absolute elsewhere, or a `~` path. */
export function randomPath(random, { root, outside }) {
  const roll = random();
  let base;
  if (roll < 0.3) base = '';
  else if (roll < 0.65) base = root;
  else if (roll < 0.75) base = outside;
  else if (roll < 0.82) base = '~';
  else if (roll < 0.9) base = `${random.pick(['/proc/self/root', '/proc/self/cwd'])}${root}`;
  else base = random.pick(ABSOLUTE_PREFIXES);
  const parts = base === '' ? [] : [base];
  const count = random.int(5);
  for (let i = 0; i < count; i++) parts.push(random.pick(SEGMENTS));
  let path = parts.join('/');
  if (random() < 0.1) path += '/';
  if (random() < 0.05) path = path.replaceAll('/', '//');
  return path;
}

const INTENTS = ['read', 'write', 'create', 'delete', 'rename', 'move'];
export const randomIntent = (random) => random.pick(INTENTS);

const OPERATIONS = ['read', 'write', 'delete', 'execute', 'create', 'list'];
export const randomOperation = (random) => random.pick(OPERATIONS);

const COMMAND_WORDS = [
  'ls', 'cat', 'echo', 'git', 'status', 'npm', 'test', 'node', 'python3', 'rm', '-rf', '/', 'sudo', '/usr/bin/sudo', 'su',
  'curl', 'wget', 'env', 'FOO=1', 'nice', '-n', '10', 'xargs', 'chmod', '777', 'dd', 'mkfs', 'shutdown', 'eval', 'bash', '-c',
  'sh', 'ssh', 'cargo', 'build', 'grep', 'foo', 'doas', 'nohup', 'timeout', '5', 'command', 'exec', 'README.md', '~/.ssh/id_rsa',
];
const SEPARATORS = [' ', ' ', ' ', ' ; ', ' && ', ' || ', ' | ', '\n', ' & '];

function randomWord(random) {
  const word = random.pick(COMMAND_WORDS);
  const roll = random();
  if (roll < 0.06) return `"${word}"`;
  if (roll < 0.1) return `'${word}'`;
  if (roll < 0.14) return `$(${word})`;
  if (roll < 0.17) return `\`${word}\``;
  if (roll < 0.19) return `${word.slice(0, 1)}\\${word.slice(1)}`;
  if (roll < 0.21) return word.toUpperCase();
  return word;
}

/** A random shell command line of 1 to 8 words joined by spaces and operators. */
export function randomCommand(random) {
  const count = 1 + random.int(8);
  let command = randomWord(random);
  for (let i = 1; i < count; i++) command += random.pick(SEPARATORS) + randomWord(random);
  if (random() < 0.05) command = `  ${command}  `;
  return command;
}

const SCHEMES = ['https', 'https', 'http', 'ftp', 'ws', 'wss', 'file', 'HTTPS', 'javascript'];
const HOSTS = [
  'example.com', 'api.github.com', 'github.com', 'registry.npmjs.org', 'evil.com', 'sub.example.com', 'example.com.evil.com',
  'localhost', '127.0.0.1', '[::1]', '0.0.0.0', '169.254.169.254', '10.0.0.1', 'EXAMPLE.COM', 'xn--e1afmkfd.xn--p1ai', 'pypi.org',
];

/** A random URL (sometimes malformed). */
export function randomUrl(random) {
  if (random() < 0.05) return random.pick(['', 'not a url', 'http://', '://example.com', 'example.com', 'http://exa mple.com']);
  let url = `${random.pick(SCHEMES)}://`;
  if (random() < 0.08) url += `${random.pick(['user', 'example.com', 'a:b'])}@`;
  url += random.pick(HOSTS);
  if (random() < 0.2) url += `:${random.pick(['80', '443', '8080', '22', '65536', '0'])}`;
  if (random() < 0.6) url += random.pick(['/', '/path', '/a/b?q=1', '/..%2f..', '#frag', '/?redirect=http://evil.com']);
  return url;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'get', 'CONNECT', 'PATCH'];
export const randomMethod = (random) => random.pick(METHODS);

// Argument checks for the public API: a wrong type or an out-of-range value is a TypeError or
// RangeError naming the call and the argument, thrown before anything reaches the engine. What a
// value *means* (is this path allowed, is this command blocked) is never decided here: the engine
// and the JS reference decide that, identically.
import { inspect } from 'node:util';

export const INTENTS = Object.freeze(['read', 'write', 'create', 'delete', 'rename', 'move']);
export const NETWORK_ACCESS = Object.freeze(['none', 'allowlist', 'full']);
export const FS_ISOLATION = Object.freeze(['none', 'workspace', 'temp', 'full']);

export function show(value) {
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  return inspect(value, { depth: 0, breakLength: Infinity, maxArrayLength: 4, maxStringLength: 60 });
}

function oneOf(where, name, value, allowed) {
  if (!allowed.includes(value)) {
    throw new TypeError(`${where}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${show(value)}`);
  }
  return value;
}

function plainObject(where, name, value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: ${name} must be an object, got ${show(value)}`);
  }
  return value;
}

/** A string without NUL (which no path, argument or environment entry can hold). */
function text(where, name, value, { allowEmpty = true } = {}) {
  if (typeof value !== 'string') throw new TypeError(`${where}: ${name} must be a string, got ${show(value)}`);
  if (!allowEmpty && value === '') throw new TypeError(`${where}: ${name} must be a non-empty string`);
  if (value.includes('\0')) throw new TypeError(`${where}: ${name} must not contain a NUL character, got ${show(value)}`);
  return value;
}

function stringList(where, name, value) {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TypeError(`${where}: ${name} must be an array of strings, got ${show(value)}`);
  value.forEach((item, i) => text(where, `${name}[${i}]`, item));
  return [...value];
}

function positiveInteger(where, name, value, { allowZero = false } = {}) {
  const min = allowZero ? 0 : 1;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const kind = typeof value === 'number' ? RangeError : TypeError;
    throw new kind(`${where}: ${name} must be ${allowZero ? 'a non-negative' : 'a positive'} safe integer, got ${show(value)}`);
  }
  return value;
}

/**
 * The config of `createSandbox`, normalised: `{ networkAccess, allowedHosts, allowedRoots,
 * fsIsolation, workingDirectory, blockedPaths, homeDirectory, tempDirectory }` with arrays
 * (possibly empty) and undefined for absent strings. Unknown keys are ignored (callers pass wider
 * config objects).
 */
export function checkSandboxConfig(config) {
  const where = 'createSandbox';
  plainObject(where, 'config', config);
  const optionalText = (name) =>
    config[name] === undefined || config[name] === null ? undefined : text(where, `config.${name}`, config[name], { allowEmpty: false });
  return {
    networkAccess: oneOf(where, 'config.networkAccess', config.networkAccess, NETWORK_ACCESS),
    allowedHosts: stringList(where, 'config.allowedHosts', config.allowedHosts),
    allowedRoots: stringList(where, 'config.allowedRoots', config.allowedRoots),
    fsIsolation: oneOf(where, 'config.fsIsolation', config.fsIsolation, FS_ISOLATION),
    workingDirectory: optionalText('workingDirectory'),
    // Additions to API.md's config: more blocked paths, and what `~` and `temp` mean.
    blockedPaths: stringList(where, 'config.blockedPaths', config.blockedPaths),
    homeDirectory: optionalText('homeDirectory'),
    tempDirectory: optionalText('tempDirectory'),
  };
}

/** A path to decide on: any string (an empty one, or one with NUL, is the engine's to deny). */
export function checkPath(where, path) {
  if (typeof path !== 'string') throw new TypeError(`${where}: path must be a string, got ${show(path)}`);
  return path;
}

export function checkIntent(where, intent) {
  return oneOf(where, 'intent', intent, INTENTS);
}

/** Data for `write`: a string (written as UTF-8) or bytes; returned as a Uint8Array. */
export function checkWriteData(data) {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return data;
  throw new TypeError(`write: data must be a string or a Uint8Array, got ${show(data)}`);
}

/**
 * The arguments of `execute(cmd, args, options)`, normalised to `{ cmd, args, cwd, timeoutMs,
 * stdin, maxOutputBytes, env }` (absent options are null; `stdin` a Uint8Array; `env` an array of
 * [name, value] pairs).
 */
export function checkExecute(cmd, args, options) {
  const where = 'execute';
  text(where, 'cmd', cmd, { allowEmpty: false });
  const argv = stringList(where, 'args', args);
  const opts = options === undefined || options === null ? {} : plainObject(where, 'options', options);
  const optional = (name, check) => (opts[name] === undefined || opts[name] === null ? null : check(opts[name]));
  return {
    cmd,
    args: argv,
    cwd: optional('cwd', (v) => text(where, 'options.cwd', v, { allowEmpty: false })),
    timeoutMs: optional('timeoutMs', (v) => positiveInteger(where, 'options.timeoutMs', v)),
    stdin: optional('stdin', (v) => {
      if (typeof v === 'string') return Buffer.from(v, 'utf8');
      if (v instanceof Uint8Array) return v;
      throw new TypeError(`${where}: options.stdin must be a string or a Uint8Array, got ${show(v)}`);
    }),
    maxOutputBytes: optional('maxOutputBytes', (v) => positiveInteger(where, 'options.maxOutputBytes', v, { allowZero: true })),
    env: optional('env', (v) => checkEnv(where, v)),
  };
}

function checkEnv(where, env) {
  plainObject(where, 'options.env', env);
  return Object.entries(env).map(([name, value]) => {
    if (name === '' || name.includes('=') || name.includes('\0')) {
      throw new TypeError(`${where}: options.env has an invalid variable name ${show(name)} (empty, or with "=" or NUL)`);
    }
    return [name, text(where, `options.env.${name}`, value)];
  });
}

export function checkWorkspaceRoot(workspaceRoot) {
  return text('SandboxManager', 'workspaceRoot', workspaceRoot, { allowEmpty: false });
}

export function checkManagerText(where, name, value) {
  return text(where, name, value);
}

function boolean(where, name, value) {
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${name} must be true or false, got ${show(value)}`);
  return value;
}

function optionalLimit(where, name, value) {
  if (value === undefined || value === null) return value;
  return positiveInteger(where, name, value, { allowZero: true });
}

/**
 * The policy of `new SandboxManager(policy, root)`: the preset shape of API.md, every field's
 * type checked (so the native engine and the reference see the same well-formed object).
 */
export function checkManagerPolicy(policy) {
  const where = 'SandboxManager';
  plainObject(where, 'policy', policy);
  if (typeof policy.version !== 'number' || !Number.isInteger(policy.version) || policy.version < 0 || policy.version > 0xffff_ffff) {
    throw new TypeError(`${where}: policy.version must be a non-negative integer, got ${show(policy.version)}`);
  }
  text(where, 'policy.name', policy.name);
  const fs = plainObject(where, 'policy.filesystem', policy.filesystem);
  oneOf(where, 'policy.filesystem.mode', fs.mode, ['strict', 'workspace', 'permissive']);
  for (const name of ['allowedPaths', 'blockedPaths']) {
    if (!Array.isArray(fs[name])) throw new TypeError(`${where}: policy.filesystem.${name} must be an array of strings, got ${show(fs[name])}`);
    stringList(where, `policy.filesystem.${name}`, fs[name]);
  }
  boolean(where, 'policy.filesystem.allowSymlinks', fs.allowSymlinks);
  boolean(where, 'policy.filesystem.allowHiddenFiles', fs.allowHiddenFiles);
  const net = plainObject(where, 'policy.network', policy.network);
  for (const name of ['enabled', 'allowLocalhost', 'allowHttps', 'allowHttp']) boolean(where, `policy.network.${name}`, net[name]);
  stringList(where, 'policy.network.allowedDomains', net.allowedDomains);
  stringList(where, 'policy.network.blockedDomains', net.blockedDomains);
  const commands = plainObject(where, 'policy.commands', policy.commands);
  oneOf(where, 'policy.commands.mode', commands.mode, ['whitelist', 'blacklist']);
  stringList(where, 'policy.commands.allowedCommands', commands.allowedCommands);
  stringList(where, 'policy.commands.blockedCommands', commands.blockedCommands);
  boolean(where, 'policy.commands.allowSudo', commands.allowSudo);
  const limits = plainObject(where, 'policy.limits', policy.limits);
  for (const name of ['maxFileSize', 'maxExecutionTime', 'maxMemory']) optionalLimit(where, `policy.limits.${name}`, limits[name]);
  return policy;
}

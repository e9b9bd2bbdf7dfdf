// createSandboxReference(config).evaluateFileAction(path, intent): the decision logic of
// `SandboxPolicy` (accel/sandbox/src/policy/sandbox.rs), no enforcement.

import { BlockedPaths, processHome } from './blocked.js';
import { isWithin, resolvePath } from './resolve.js';

export const INTENTS = Object.freeze(['read', 'write', 'create', 'delete', 'rename', 'move']);
export const FS_ISOLATION_MODES = Object.freeze(['none', 'workspace', 'temp', 'full']);
export const NETWORK_ACCESS_MODES = Object.freeze(['none', 'allowlist', 'full']);

const OUTSIDE_ROOTS = 'outside the allowed roots';
const OUTSIDE_TEMP = 'outside the temp directory';
const REMOVES_ROOT = 'removes an allowed root';

const allow = () => ({ decision: 'allow' });
const deny = (reason) => ({ decision: 'deny', reason });
const confirm = (reason) => ({ decision: 'needs_confirmation', reason });

/** `TMPDIR` when set and absolute, else `/tmp`. */
export function processTempDir() {
  const dir = process.env.TMPDIR;
  if (typeof dir === 'string' && dir.startsWith('/')) {
    const trimmed = dir.replace(/\/+$/, '');
    return trimmed === '' ? '/' : trimmed;
  }
  return '/tmp';
}

export function parseIntent(intent) {
  if (!INTENTS.includes(intent)) {
    throw new Error(`unknown intent "${intent}"; expected read, write, create, delete, rename or move`);
  }
  return intent;
}

function resolveField(text, base, field) {
  try {
    return resolvePath(text, base, true).path;
  } catch (error) {
    if (error.name === 'PathError') throw new Error(`${field}: ${error.reason}`);
    throw error;
  }
}

function oneOf(value, allowed, field, fallback) {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new Error(`${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value;
}

function stringList(value, field) {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`${field} must be an array of strings`);
  }
  return value;
}

function optionalString(value, field) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Error(`${field} must be a string`);
  return value;
}

export class SandboxPolicyReference {
  constructor(config = {}) {
    this.fsIsolation = oneOf(config.fsIsolation, FS_ISOLATION_MODES, 'fsIsolation', 'workspace');
    this.networkAccess = oneOf(config.networkAccess, NETWORK_ACCESS_MODES, 'networkAccess', 'none');
    this.allowedHosts = stringList(config.allowedHosts, 'allowedHosts');
    const workingDirectory = optionalString(config.workingDirectory, 'workingDirectory');
    this.workingDirectory = null;
    if (workingDirectory !== null) {
      if (!workingDirectory.startsWith('/')) {
        throw new Error(`workingDirectory must be an absolute path: ${workingDirectory}`);
      }
      this.workingDirectory = resolveField(workingDirectory, null, 'workingDirectory');
    }
    this.roots = stringList(config.allowedRoots, 'allowedRoots').map((root, index) => {
      const field = `allowedRoots[${index}]`;
      if (!root.startsWith('/') && this.workingDirectory === null) {
        throw new Error(`${field} is relative and there is no workingDirectory`);
      }
      return resolveField(root, this.workingDirectory, field);
    });
    if (this.roots.length === 0 && this.workingDirectory !== null) this.roots.push(this.workingDirectory);
    if (this.roots.length === 0 && (this.fsIsolation === 'workspace' || this.fsIsolation === 'full')) {
      throw new Error(`fsIsolation ${this.fsIsolation} needs allowedRoots or a workingDirectory`);
    }
    const tempDirectory = optionalString(config.tempDirectory, 'tempDirectory');
    this.tempDirectory =
      tempDirectory === null
        ? resolveField(processTempDir(), null, 'tempDirectory')
        : resolveField(tempDirectory, this.workingDirectory, 'tempDirectory');
    const homeDirectory = optionalString(config.homeDirectory, 'homeDirectory');
    const home = homeDirectory === null ? processHome() : homeDirectory;
    this.base = this.workingDirectory ?? this.roots[0] ?? null;
    this.blocked = new BlockedPaths(stringList(config.blockedPaths, 'blockedPaths'), 'blockedPaths', home, this.base);
  }

  evaluateFileAction(path, intent) {
    parseIntent(intent);
    if (typeof path !== 'string') throw new TypeError('path must be a string');
    const removes = intent === 'delete' || intent === 'rename' || intent === 'move';
    const mutates = intent !== 'read';
    let target;
    try {
      target = resolvePath(path, this.base, !removes).path;
    } catch (error) {
      if (error.name === 'PathError') return deny(error.reason);
      throw error;
    }
    const blocked = this.blocked.check(target, removes);
    if (blocked !== null) return deny(blocked);
    const inRoots = this.roots.some((root) => isWithin(target, root));
    const removesRoot = removes && this.roots.some((root) => root === target);
    switch (this.fsIsolation) {
      case 'none':
        return allow();
      case 'workspace':
      case 'full':
        if (inRoots) return removesRoot ? confirm(REMOVES_ROOT) : allow();
        if (this.fsIsolation === 'full') return deny(OUTSIDE_ROOTS);
        return mutates ? confirm(OUTSIDE_ROOTS) : allow();
      default:
        return this.#evaluateTemp(target, intent, inRoots, mutates, removes);
    }
  }

  #evaluateTemp(target, intent, inRoots, mutates, removes) {
    const inTemp = isWithin(target, this.tempDirectory);
    if (!mutates) return inTemp || inRoots ? allow() : deny(OUTSIDE_ROOTS);
    if (!inTemp) return deny(OUTSIDE_TEMP);
    if (removes && target === this.tempDirectory) return confirm(REMOVES_ROOT);
    return allow();
  }
}

/** A policy over `config` (createSandbox's argument, plus `blockedPaths`, `homeDirectory`, `tempDirectory`). */
export function createSandboxReference(config) {
  return new SandboxPolicyReference(config);
}

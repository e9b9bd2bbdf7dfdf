// SandboxManagerReference: checkFileAccess / checkNetworkRequest / checkCommand under a policy of
// the STRICT_POLICY shape, each denial recorded as a violation. Mirrors
// accel/sandbox/src/policy/manager.rs. The checks answer synchronously with
// `{ allowed, reason? }`; the package wraps them in its public (Promise of boolean) API.

import { BlockedPaths, processHome } from './blocked.js';
import { commandDenial } from './command.js';
import { componentsBelow, isWithin, resolvePath } from './resolve.js';
import { hostMatches, isLocalhost, parseUrl } from './url.js';

export const FILE_OPERATIONS = Object.freeze(['read', 'list', 'execute', 'write', 'create', 'delete', 'rename', 'move']);
export const FILESYSTEM_MODES = Object.freeze(['strict', 'workspace', 'permissive']);
export const COMMAND_MODES = Object.freeze(['whitelist', 'blacklist']);

function resolveField(text, base, field) {
  try {
    return resolvePath(text, base, true).path;
  } catch (error) {
    if (error.name === 'PathError') throw new Error(`${field}: ${error.reason}`);
    throw error;
  }
}

export class SandboxManagerReference {
  /**
   * `options.homeDirectory`: what `~` means in blocked paths (default `HOME`).
   */
  constructor(policy, workspaceRoot, options = {}) {
    if (policy === null || typeof policy !== 'object') throw new TypeError('policy must be an object');
    if (typeof workspaceRoot !== 'string' || !workspaceRoot.startsWith('/')) {
      throw new Error(`workspaceRoot must be an absolute path: ${workspaceRoot}`);
    }
    for (const section of ['filesystem', 'network', 'commands']) {
      if (policy[section] === null || typeof policy[section] !== 'object') throw new TypeError(`policy.${section} must be an object`);
    }
    if (!FILESYSTEM_MODES.includes(policy.filesystem.mode)) {
      throw new Error(`filesystem.mode must be one of ${FILESYSTEM_MODES.join(', ')}; got ${JSON.stringify(policy.filesystem.mode)}`);
    }
    if (!COMMAND_MODES.includes(policy.commands.mode)) {
      throw new Error(`commands.mode must be one of ${COMMAND_MODES.join(', ')}; got ${JSON.stringify(policy.commands.mode)}`);
    }
    this.policy = policy;
    this.workspaceRoot = resolveField(workspaceRoot, workspaceRoot, 'workspaceRoot');
    this.roots = [this.workspaceRoot];
    (policy.filesystem.allowedPaths ?? []).forEach((path, index) => {
      this.roots.push(resolveField(path, this.workspaceRoot, `filesystem.allowedPaths[${index}]`));
    });
    const home = options.homeDirectory ?? processHome();
    this.blocked = new BlockedPaths(policy.filesystem.blockedPaths ?? [], 'filesystem.blockedPaths', home, this.workspaceRoot);
    this.violations = [];
  }

  checkFileAccess(path, operation) {
    return this.#answer('file', path, this.#fileAccess(path, operation));
  }

  checkNetworkRequest(url, _method) {
    return this.#answer('network', url, this.#networkRequest(url));
  }

  checkCommand(command) {
    return this.#answer('command', command, commandDenial(command, this.policy.commands));
  }

  getViolations() {
    return this.violations.map((violation) => ({ ...violation }));
  }

  clearViolations() {
    this.violations.length = 0;
  }

  #answer(kind, target, reason) {
    if (reason === null) return { allowed: true };
    this.violations.push({ kind, target, reason, at: Date.now() });
    return { allowed: false, reason };
  }

  #fileAccess(path, operation) {
    const index = FILE_OPERATIONS.indexOf(operation);
    if (index < 0) return `unknown operation "${operation}"`;
    const mutates = index >= 3;
    const removes = index >= 5;
    const fs = this.policy.filesystem;
    let resolved;
    try {
      resolved = resolvePath(path, this.workspaceRoot, !removes);
    } catch (error) {
      if (error.name === 'PathError') return error.reason;
      throw error;
    }
    if (!fs.allowSymlinks && resolved.followedSymlink) return 'symlinks are not allowed';
    const target = resolved.path;
    const blocked = this.blocked.check(target, removes);
    if (blocked !== null) return blocked;
    const containingRoot = this.roots.find((root) => isWithin(target, root));
    if (!fs.allowHiddenFiles && componentsBelow(target, containingRoot ?? '/').some((part) => part.startsWith('.'))) {
      return 'hidden files are not allowed';
    }
    if (fs.mode === 'permissive') return null;
    if (containingRoot === undefined) return 'outside the allowed paths';
    if (fs.mode === 'strict' && mutates) return 'read-only filesystem (strict mode)';
    return null;
  }

  #networkRequest(url) {
    const net = this.policy.network;
    if (!net.enabled) return 'network access is disabled';
    let parsed;
    try {
      parsed = parseUrl(url);
    } catch (error) {
      if (error.name === 'UrlError') return `invalid URL: ${error.message}`;
      throw error;
    }
    const { scheme, host } = parsed;
    if (scheme === 'http' || scheme === 'ws') {
      if (!net.allowHttp) return 'http is not allowed';
    } else if (scheme === 'https' || scheme === 'wss') {
      if (!net.allowHttps) return 'https is not allowed';
    } else {
      return `unsupported scheme "${scheme}"`;
    }
    if (isLocalhost(host)) return net.allowLocalhost ? null : 'localhost is not allowed';
    const blocked = (net.blockedDomains ?? []).find((entry) => hostMatches(host, entry));
    if (blocked !== undefined) return `blocked domain (${blocked})`;
    const allowed = net.allowedDomains ?? [];
    if (allowed.length > 0 && !allowed.some((entry) => hostMatches(host, entry))) return 'domain not in the allowed list';
    return null;
  }
}

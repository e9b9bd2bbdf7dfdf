// @ku0/sandbox-rs: sandbox policies (file, command and URL decisions) and OS-enforced execution on
// the native engine (accel-sandbox). The native binding is required in rust mode, the default:
// the import always succeeds, describeBinding() tells what runs, and createSandbox() /
// new SandboxManager() throw an error listing every path the loader checked when it is missing.
// COWORK_SANDBOX_MODE picks the executor (lib/modes.js); no mode pretends to isolate.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { loadRequiredBinding } from '@ku0/native-bindings';
import * as reference from './reference/index.js';
import { checkIntent, checkManagerPolicy, checkManagerText, checkPath, checkSandboxConfig, checkWorkspaceRoot, checkWriteData, checkExecute } from './lib/args.js';
import { clearJsAudit, jsAuditEntries } from './lib/audit.js';
import { runCommand } from './lib/executors.js';
import { planExecution } from './lib/modes.js';

export { STRICT_POLICY, WORKSPACE_POLICY } from './reference/index.js';
export { SANDBOX_MODES } from './lib/modes.js';

const { version } = createRequire(import.meta.url)('./package.json');

// Without a binding, loaded.error is raised by createSandbox / SandboxManager when the mode needs it.
const loaded = loadRequiredBinding({
  packageName: '@ku0/sandbox-rs',
  packageVersion: version,
  packageDir: dirname(fileURLToPath(import.meta.url)),
  binaryName: 'sandbox_rs',
  overrideEnv: 'SANDBOX_RS_BINDING_PATH',
  requiredExports: ['NativeSandboxPolicy', 'NativeSandboxManager', 'auditLog', 'clearAuditLog'],
});
const native = loaded.native;

/** The plan for the environment as it is now (COWORK_SANDBOX_MODE is read at each call). */
function currentPlan() {
  return planExecution({ env: process.env, native, nativeError: loaded.error });
}

/**
 * Which implementation runs, from which path, and why (the loader's answer), plus the mode:
 * `mode`, `modeSource`, `executor` (`native` | `process` | `docker`, or null with `error` when the
 * mode cannot run here), `decisions` (`native` | `reference`) and `isolation` (what is enforced).
 */
export function describeBinding() {
  const loader = loaded.describe();
  try {
    return { ...loader, ...currentPlan() };
  } catch (error) {
    return { ...loader, mode: process.env.COWORK_SANDBOX_MODE ?? null, executor: null, decisions: null, isolation: null, error: error.message };
  }
}

/** Runs `make`; an error it throws gets `where: ` in front, as the native engine's errors have. */
function prefixErrors(where, make) {
  try {
    return make();
  } catch (error) {
    error.message = `${where}: ${error.message}`;
    throw error;
  }
}

/** Decision `{ decision, reason? }` with `reason` left out when there is none. */
function decisionOf(raw) {
  return raw.reason === undefined || raw.reason === null ? { decision: raw.decision } : { decision: raw.decision, reason: raw.reason };
}

function toExecResult(raw) {
  return {
    exitCode: raw.exitCode ?? null,
    signal: raw.signal ?? null,
    stdout: raw.stdout.toString('utf8'),
    stderr: raw.stderr.toString('utf8'),
    durationMs: raw.durationMs,
    timedOut: raw.timedOut,
    truncated: raw.truncated,
  };
}

function nativeOnly(where, executor) {
  return new Error(
    `${where}: file access through a root directory handle needs the native engine, which is not loaded ` +
      `(executor ${executor}); build it with \`cargo build -p sandbox-rs\` or set SANDBOX_RS_BINDING_PATH`,
  );
}

/** A sandbox built by {@link createSandbox}: decisions, execution, and file access in its roots. */
export class SandboxPolicy {
  #engine;
  #plan;
  #config;

  /** @internal use createSandbox(config) */
  constructor(config, plan) {
    this.#config = config;
    this.#plan = plan;
    this.#engine =
      plan.decisions === 'native'
        ? new native.NativeSandboxPolicy(config)
        : prefixErrors('createSandbox', () => reference.createSandboxReference(config));
  }

  /** Which executor runs this sandbox's commands, and what it enforces (see describeBinding). */
  get executor() {
    return this.#plan.executor;
  }

  evaluateFileAction(path, intent) {
    checkPath('evaluateFileAction', path);
    checkIntent('evaluateFileAction', intent);
    return decisionOf(this.#engine.evaluateFileAction(path, intent));
  }

  async execute(cmd, args, options) {
    const request = checkExecute(cmd, args, options);
    return toExecResult(await runCommand(this.#plan, this.#engine, this.#config, request));
  }

  read(path) {
    checkPath('read', path);
    return this.#nativeEngine('read').read(path);
  }

  write(path, data) {
    checkPath('write', path);
    this.#nativeEngine('write').write(path, checkWriteData(data));
  }

  list(path) {
    checkPath('list', path);
    return this.#nativeEngine('list').list(path);
  }

  #nativeEngine(where) {
    if (this.#plan.decisions !== 'native') throw nativeOnly(where, this.#plan.executor);
    return this.#engine;
  }
}

/**
 * A sandbox for `config` (`{ networkAccess, allowedHosts?, allowedRoots?, fsIsolation,
 * workingDirectory? }`), run by the executor COWORK_SANDBOX_MODE picks.
 */
export function createSandbox(config) {
  const checked = checkSandboxConfig(config);
  return new SandboxPolicy(checked, currentPlan());
}

/** Checks of file access, network requests and commands against a preset-shaped policy. */
export class SandboxManager {
  #engine;

  constructor(policy, workspaceRoot) {
    checkManagerPolicy(policy);
    checkWorkspaceRoot(workspaceRoot);
    const plan = currentPlan();
    this.#engine =
      plan.decisions === 'native'
        ? new native.NativeSandboxManager(policy, workspaceRoot)
        : prefixErrors('SandboxManager', () => new reference.SandboxManagerReference(policy, workspaceRoot));
  }

  async checkFileAccess(path, operation) {
    checkManagerText('checkFileAccess', 'path', path);
    checkManagerText('checkFileAccess', 'operation', operation);
    return this.#engine.checkFileAccess(path, operation).allowed;
  }

  async checkNetworkRequest(url, method) {
    checkManagerText('checkNetworkRequest', 'url', url);
    checkManagerText('checkNetworkRequest', 'method', method);
    return this.#engine.checkNetworkRequest(url, method).allowed;
  }

  async checkCommand(command) {
    checkManagerText('checkCommand', 'command', command);
    return this.#engine.checkCommand(command).allowed;
  }

  getViolations() {
    return this.#engine.getViolations();
  }

  clearViolations() {
    this.#engine.clearViolations();
  }
}

/**
 * Every operation run so far in this process (`{ operation, target, decision, reason, durationUs,
 * at, executor }`, oldest first): the native engine's log merged with the JS executors'.
 */
export function getAuditLog() {
  const nativeEntries = native === null ? [] : native.auditLog().map((e) => ({ ...e, executor: 'native' }));
  return [...nativeEntries, ...jsAuditEntries()].sort((a, b) => a.at - b.at);
}

export function clearAuditLog() {
  if (native !== null) native.clearAuditLog();
  clearJsAudit();
}

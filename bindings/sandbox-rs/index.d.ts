/**
 * @ku0/sandbox-rs: sandbox policies and OS-enforced execution on the native engine (accel-sandbox).
 *
 * ## Modes (`COWORK_SANDBOX_MODE`, read at each createSandbox / new SandboxManager / describeBinding)
 * - `rust` (the default when unset or empty): the native engine decides and executes with OS
 *   isolation (Linux: Landlock, seccomp, user/PID namespaces, rlimits; macOS: Seatbelt; Windows:
 *   fails closed). Without the native binding, createSandbox and new SandboxManager throw an Error
 *   whose message (and `checked` property) lists every path the loader checked. On Linux,
 *   `networkAccess: 'none'` (and `allowlist`, which the kernel cannot filter per host) leaves a
 *   command no sockets but unix socket pairs and listeners, and no `connect()` at all, so no host
 *   daemon listening on a unix socket (docker.sock, the journal) is reachable either. Kernel
 *   keyrings are out of reach whatever the network setting.
 * - `process`: commands run as ordinary child processes WITHOUT OS isolation; describeBinding()
 *   says so (`executor: "process"`, `isolation: "none: ..."`). Decisions are still enforced (the
 *   working directory must be allowed; timeout, output caps, stdin and env behave as in rust
 *   mode), by the native engine when it loads, else by the JS reference (identical decisions).
 * - `docker`: commands run in `docker run --rm` containers that mount only the allowed roots and
 *   have no network when `networkAccess` is `none` (image: `COWORK_SANDBOX_DOCKER_IMAGE`, default
 *   `debian:bookworm-slim`). Throws a clear Error when docker is absent or not running.
 * - `auto`: rust when the native binding loads, else docker when it is available, else throws
 *   naming both reasons. auto never picks `process`, since that would not isolate.
 * Any other value throws. `SANDBOX_RS_BINDING_PATH` names the binding explicitly: when set, it
 * must load or the error names the variable and the path (no silent fallback to other paths).
 *
 * `read`, `write` and `list` open files relative to a root directory handle (openat2
 * RESOLVE_BENEATH) in the native engine only; without it they throw in every mode.
 */

export type NetworkAccess = 'none' | 'allowlist' | 'full';
export type FsIsolation = 'none' | 'workspace' | 'temp' | 'full';
export type Intent = 'read' | 'write' | 'create' | 'delete' | 'rename' | 'move';
export type SandboxMode = 'rust' | 'process' | 'docker' | 'auto';

export interface SandboxConfig {
  networkAccess: NetworkAccess;
  /** Hosts reachable when networkAccess is `allowlist`. */
  allowedHosts?: string[];
  /** Directories the sandbox may use; canonicalized (symlinks resolved) at creation. */
  allowedRoots?: string[];
  fsIsolation: FsIsolation;
  /** Where relative paths resolve and commands run by default. */
  workingDirectory?: string;
  /** Addition: more blocked paths, beside the defaults (`~/.ssh`, `/etc/shadow`, ...). */
  blockedPaths?: string[];
  /** Addition: what `~` means in blocked paths (default: HOME). */
  homeDirectory?: string;
  /** Addition: the writable directory of `temp` mode (default: TMPDIR, else /tmp). */
  tempDirectory?: string;
}

export interface Decision {
  decision: 'allow' | 'deny' | 'needs_confirmation';
  /** Why, when the decision is not a plain allow (exact strings: oracle/CONTRACTS.md). */
  reason?: string;
}

export interface ExecOptions {
  /** Working directory; must be allowed for reading. Default: workingDirectory, else the first root. */
  cwd?: string;
  /** Kill the whole process tree (SIGKILL) after this many ms; `timedOut` is then true. */
  timeoutMs?: number;
  /** Written to the command's stdin, which is then closed (default: empty stdin). */
  stdin?: string | Uint8Array;
  /** Keep at most this many bytes of each of stdout and stderr; `truncated` says whether any was cut. */
  maxOutputBytes?: number;
  /** The command's whole environment (default: only PATH); nothing is inherited. */
  env?: Record<string, string>;
}

export interface ExecResult {
  /** The exit status, or null when a signal ended the command. */
  exitCode: number | null;
  /** The signal number that ended the command, or null (an addition to the runtime's shape). */
  signal: number | null;
  /** stdout and stderr decoded as UTF-8 (invalid sequences become U+FFFD). */
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  truncated: boolean;
}

/** A sandbox made by {@link createSandbox} (not constructed directly). */
export class SandboxPolicy {
  private constructor();
  /** Which executor runs this sandbox's commands (see the modes above). */
  readonly executor: 'native' | 'process' | 'docker';
  /** @throws TypeError for a non-string path or an unknown intent. */
  evaluateFileAction(path: string, intent: Intent): Decision;
  /**
   * Runs `cmd` with `args` under the sandbox, off the JS thread. Rejects with a TypeError /
   * RangeError for bad arguments, and with an Error when the command cannot start or the policy
   * refuses it. A non-zero exit, a timeout or a signal is a resolved result, not a rejection.
   */
  execute(cmd: string, args?: string[], options?: ExecOptions): Promise<ExecResult>;
  /**
   * The file's bytes. `read`, `write` and `list` work below the allowed roots (and the temp
   * directory in temp mode) only, even where the policy allows more (workspace reads): each opens
   * beneath a handle on its root, so `..` or a symlink that leaves it fails.
   * @throws Error when the policy does not allow it (`read: <path>: deny (<reason>)`), or the
   *   path leaves its root, or the file cannot be read.
   */
  read(path: string): Buffer;
  /** Writes `data` (a string is written as UTF-8), creating or replacing the file. */
  write(path: string, data: string | Uint8Array): void;
  /** The names in directory `path`, sorted. */
  list(path: string): string[];
}

/** A sandbox for `config`, run by the executor that COWORK_SANDBOX_MODE picks. */
export function createSandbox(config: SandboxConfig): SandboxPolicy;

export interface ManagerPolicy {
  version: number;
  name: string;
  filesystem: {
    mode: 'strict' | 'workspace' | 'permissive';
    allowedPaths: string[];
    blockedPaths: string[];
    allowSymlinks: boolean;
    allowHiddenFiles: boolean;
  };
  network: {
    enabled: boolean;
    allowedDomains?: string[];
    blockedDomains?: string[];
    allowLocalhost: boolean;
    allowHttps: boolean;
    allowHttp: boolean;
  };
  commands: {
    mode: 'whitelist' | 'blacklist';
    allowedCommands?: string[];
    blockedCommands?: string[];
    allowSudo: boolean;
  };
  limits: { maxFileSize?: number; maxExecutionTime?: number; maxMemory?: number };
}

/** A denied check: what was asked (`target`: the path, URL or command line) and why not. */
export interface Violation {
  kind: 'file' | 'network' | 'command';
  target: string;
  reason: string;
  /** Milliseconds since the Unix epoch. */
  at: number;
}

export const STRICT_POLICY: ManagerPolicy;
export const WORKSPACE_POLICY: ManagerPolicy;
export const SANDBOX_MODES: readonly SandboxMode[];

/** Checks against a preset-shaped policy; each denial is recorded as a violation. */
export class SandboxManager {
  /** @throws Error when the policy is malformed, or (rust mode) when the native binding is missing. */
  constructor(policy: ManagerPolicy, workspaceRoot: string);
  checkFileAccess(path: string, operation: string): Promise<boolean>;
  checkNetworkRequest(url: string, method: string): Promise<boolean>;
  checkCommand(command: string): Promise<boolean>;
  /** The recorded denials, oldest first. */
  getViolations(): Violation[];
  clearViolations(): void;
}

export interface AuditEntry {
  operation: string;
  target: string;
  decision: string;
  reason: string | null;
  durationUs: number;
  /** Milliseconds since the Unix epoch. */
  at: number;
  executor: 'native' | 'process' | 'docker';
}

/** Every sandboxed operation run in this process so far, oldest first. */
export function getAuditLog(): AuditEntry[];
export function clearAuditLog(): void;

export interface BindingDescription {
  /** `native`, or `unavailable` when no binding loaded (`reason` lists the paths checked). */
  implementation: 'native' | 'unavailable';
  path: string | null;
  checked: string[];
  reason: string;
  mode: SandboxMode | string | null;
  modeSource?: 'COWORK_SANDBOX_MODE' | 'default';
  /** null when the mode cannot run here; `error` says why. */
  executor: 'native' | 'process' | 'docker' | null;
  decisions: 'native' | 'reference' | null;
  /** What is enforced, starting with `os:`, `none:` or `container:`. */
  isolation: string | null;
  error?: string;
}

export function describeBinding(): BindingDescription;

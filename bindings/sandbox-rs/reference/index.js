// @ku0/sandbox-rs/reference: the sandbox's decision logic in pure JavaScript, no enforcement.
// It is the spec the native engine (accel-sandbox `policy`) is checked against by the oracle
// (oracle/CONTRACTS.md, Sandbox): same decisions, same reason strings.

export { createSandboxReference, SandboxPolicyReference, INTENTS, FS_ISOLATION_MODES, NETWORK_ACCESS_MODES } from './policy.js';
export { SandboxManagerReference, FILE_OPERATIONS, FILESYSTEM_MODES, COMMAND_MODES } from './manager.js';
export { STRICT_POLICY, WORKSPACE_POLICY } from './presets.js';
export { DEFAULT_BLOCKED_PATHS } from './blocked.js';
export { invocations } from './command.js';
export { resolvePath } from './resolve.js';

// COWORK_SANDBOX_MODE: which executor runs commands, and which engine makes the decisions.
//
//   rust     (the default) the native engine decides and executes with OS isolation (Landlock,
//            seccomp, namespaces, rlimits). Without the native binding it throws, listing every
//            path the loader checked.
//   process  commands run as ordinary child processes WITHOUT OS isolation; the policy's decisions
//            (the cwd must be allowed) are still enforced, by the native engine when it loads,
//            else by the JS reference (same decisions, proven by the oracle).
//   docker   commands run in `docker run` containers that mount only the roots; fails clearly when
//            docker is absent.
//   auto     rust when the native binding loads, else docker when it is available, else fails
//            clearly. auto never picks process: that would not isolate.
import { probeDocker } from './docker.js';

export const SANDBOX_MODES = Object.freeze(['rust', 'process', 'docker', 'auto']);
export const DEFAULT_MODE = 'rust';
const MODE_ENV = 'COWORK_SANDBOX_MODE';
const PACKAGE = '@ku0/sandbox-rs';

export const ISOLATION = Object.freeze({
  native: 'os: Landlock filesystem rules, seccomp socket filter (network none: AF_UNIX only, no connect), user/PID namespaces, rlimits, process-tree timeout',
  process: 'none: commands run as ordinary child processes without OS isolation (policy decisions are still enforced)',
  docker: 'container: docker run with only the roots mounted and no network unless the policy allows it',
});

/** `{ mode, source }` from the environment; throws on an unknown value. */
export function readSandboxMode(env) {
  const raw = env[MODE_ENV];
  if (raw === undefined || raw.trim() === '') return { mode: DEFAULT_MODE, source: 'default' };
  const mode = raw.trim().toLowerCase();
  if (!SANDBOX_MODES.includes(mode)) {
    throw new Error(`${PACKAGE}: ${MODE_ENV}=${JSON.stringify(raw)} is not a sandbox mode; use one of ${SANDBOX_MODES.join(', ')}`);
  }
  return { mode, source: MODE_ENV };
}

/**
 * The plan for the current environment: `{ mode, modeSource, executor: 'native' | 'process' |
 * 'docker', decisions: 'native' | 'reference', isolation, dockerImage? }`. Throws an Error saying
 * why when the mode cannot run here (it carries `checked` when the native binding is at fault).
 * `native` is the loaded binding or null; `nativeError` the loader's error when it is null.
 */
export function planExecution({ env, native, nativeError, probe = probeDocker }) {
  const { mode, source } = readSandboxMode(env);
  const decisions = native !== null ? 'native' : 'reference';
  const plan = (executor) => ({ mode, modeSource: source, executor, decisions, isolation: ISOLATION[executor] });
  switch (mode) {
    case 'rust':
      if (native === null) throw nativeMissing(nativeError, `${MODE_ENV}=rust${source === 'default' ? ' (the default)' : ''}`);
      return plan('native');
    case 'process':
      return plan('process');
    case 'docker': {
      const docker = probe();
      if (!docker.available) {
        throw new Error(`${PACKAGE}: ${MODE_ENV}=docker, but docker is not available: ${docker.reason}. Install and start Docker, or pick COWORK_SANDBOX_MODE=rust.`);
      }
      return plan('docker');
    }
    case 'auto': {
      if (native !== null) return plan('native');
      const docker = probe();
      if (docker.available) return plan('docker');
      const error = new Error(
        `${PACKAGE}: ${MODE_ENV}=auto found no isolating executor: the native binding did not load ` +
          `(${nativeError.message}), and docker is not available (${docker.reason}). ` +
          'Build the binding (`cargo build -p sandbox-rs`, or set SANDBOX_RS_BINDING_PATH), install Docker, ' +
          `or choose ${MODE_ENV}=process to run without isolation on purpose.`,
      );
      error.checked = [...(nativeError.checked ?? [])];
      throw error;
    }
    default:
      throw new Error(`${PACKAGE}: unhandled mode ${mode}`);
  }
}

function nativeMissing(nativeError, because) {
  const error = new Error(`${PACKAGE}: ${because} requires the native binding. ${nativeError.message}`, { cause: nativeError });
  error.checked = [...(nativeError.checked ?? [])];
  return error;
}

// The docker executor: `docker run` of the command in a throwaway container that sees only the
// sandbox's roots (mounted at the same paths, read-only unless writable), with no network when
// the policy has none. Used in COWORK_SANDBOX_MODE=docker, and by auto when the native binding
// is missing. Availability is probed once per process with `docker version`.
import { spawnSync } from 'node:child_process';
import { spawnCapture } from './spawn-capture.js';

/** The image commands run in; override with COWORK_SANDBOX_DOCKER_IMAGE. */
export const DEFAULT_DOCKER_IMAGE = 'debian:bookworm-slim';

let probed = null;

/** `{ available: true, version }` or `{ available: false, reason }`; never throws. */
export function probeDocker() {
  if (probed !== null) return probed;
  const result = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    encoding: 'utf8',
    timeout: 5000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) {
    const why = result.error.code === 'ENOENT' ? 'the `docker` command is not installed (not on PATH)' : result.error.message;
    probed = { available: false, reason: why };
  } else if (result.status !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n')[0] || `exit code ${result.status}`;
    probed = { available: false, reason: `\`docker version\` failed: ${detail}` };
  } else {
    probed = { available: true, version: result.stdout.trim() };
  }
  return probed;
}

export function dockerImage(env) {
  return env.COWORK_SANDBOX_DOCKER_IMAGE || DEFAULT_DOCKER_IMAGE;
}

/**
 * `docker run` arguments for `request` under `isolation` (`{ readRoots, writeRoots, network }`,
 * absolute host paths, mounted at the same paths inside).
 */
export function dockerRunArgs(image, request, isolation) {
  const argv = ['run', '--rm', '-i', '--init', '--pids-limit', '512', '--security-opt', 'no-new-privileges'];
  argv.push('--network', isolation.network === 'none' ? 'none' : 'bridge');
  if (typeof process.getuid === 'function') argv.push('--user', `${process.getuid()}:${process.getgid()}`);
  const writable = new Set(isolation.writeRoots);
  for (const root of writable) argv.push('--mount', `type=bind,source=${root},target=${root}`);
  for (const root of isolation.readRoots) {
    if (!writable.has(root)) argv.push('--mount', `type=bind,source=${root},target=${root},readonly`);
  }
  if (request.cwd !== null) argv.push('--workdir', request.cwd);
  for (const [name, value] of request.env) argv.push('--env', `${name}=${value}`);
  argv.push(image, request.cmd, ...request.args);
  return argv;
}

/** Runs `request` in a container; resolves to the executor result shape of spawnCapture. */
export function dockerExecute(image, request, isolation) {
  const argv = dockerRunArgs(image, request, isolation);
  // The docker CLI runs with this process's environment (PATH, DOCKER_HOST); the container gets
  // only the request's variables, passed with --env.
  return spawnCapture('docker', argv, { ...request, cwd: null, env: Object.entries(process.env) });
}

// Running a command: the working directory is checked against the policy first (in every mode),
// then the plan's executor runs it: the native engine (OS isolation), `process` (no isolation) or
// `docker`. The JS executors record what they ran in the JS audit log; the native engine records
// in its own.
import process from 'node:process';
import { recordJsAudit } from './audit.js';
import { dockerExecute, dockerImage } from './docker.js';
import { spawnCapture } from './spawn-capture.js';

/** The environment a command gets when `options.env` is absent (as the native engine's DEFAULT_PATH). */
export const DEFAULT_EXEC_ENV = Object.freeze([['PATH', '/usr/local/bin:/usr/bin:/bin']]);
/** Bytes kept of each of stdout and stderr when `maxOutputBytes` is absent (as the native engine). */
export const DEFAULT_MAX_OUTPUT_BYTES = 10 << 20;

/** Where a command runs: options.cwd, else the config's workingDirectory, else its first root, else ours. */
export function effectiveCwd(config, request) {
  return request.cwd ?? config.workingDirectory ?? config.allowedRoots[0] ?? process.cwd();
}

/**
 * Runs `request` (checked by args.js) under `plan`'s executor. `engine` is the policy engine
 * (native or reference): the working directory must be allowed for reading, else this rejects
 * with the policy's reason and nothing runs. Resolves to the raw result (Buffers).
 */
export async function runCommand(plan, engine, config, request) {
  const cwd = effectiveCwd(config, request);
  const verdict = engine.evaluateFileAction(cwd, 'read');
  if (verdict.decision !== 'allow') {
    const reason = `working directory ${cwd}: ${verdict.decision}${verdict.reason ? ` (${verdict.reason})` : ''}`;
    recordJsAudit({ operation: 'execute', target: commandLine(request), decision: 'deny', reason, durationUs: 0, executor: plan.executor });
    throw new Error(`execute: the policy does not allow the ${reason}`);
  }
  const run = { ...request, cwd, env: request.env ?? DEFAULT_EXEC_ENV, maxOutputBytes: request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES };
  if (plan.executor === 'native') return engine.execute(withoutNulls(run));
  const result =
    plan.executor === 'docker'
      ? await dockerExecute(dockerImage(process.env), run, dockerIsolation(engine, config))
      : await spawnCapture(run.cmd, run.args, run);
  recordJsAudit({
    operation: 'execute',
    target: commandLine(request),
    decision: 'allow',
    reason: plan.executor === 'process' ? 'ran without OS isolation (process executor)' : 'ran in a docker container',
    durationUs: Math.round(result.durationMs * 1000),
    executor: plan.executor,
  });
  return result;
}

/** The request with absent options left out (the binding's Option fields take undefined, not null). */
function withoutNulls(request) {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== null));
}

function commandLine(request) {
  return [request.cmd, ...request.args].join(' ');
}

/** What a container mounts: every allowed root, writable, and the network only when allowed. */
function dockerIsolation(engine, config) {
  const roots = typeof engine.roots === 'function' ? engine.roots() : config.allowedRoots;
  return { readRoots: roots, writeRoots: roots, network: config.networkAccess };
}

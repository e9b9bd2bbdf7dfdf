// Runs a child process with the semantics of the engine's `execute`, for the JS executors
// (process, docker): an explicit environment, stdin written then closed, stdout/stderr capped at
// `maxOutputBytes` each, and a timeout that kills the child's whole process group with SIGKILL.
// No isolation of any kind happens here.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CappedOutput } from './output.js';

/**
 * Spawns `file` with `argv` and resolves to `{ exitCode, signal, stdout, stderr, durationMs,
 * timedOut, truncated }` (stdout/stderr as Buffers); rejects when the child cannot start.
 * `request`: `{ cwd, env (array of pairs), stdin (Uint8Array|null), timeoutMs, maxOutputBytes }`.
 */
export function spawnCapture(file, argv, request) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, {
      cwd: request.cwd ?? undefined,
      env: Object.fromEntries(request.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group, so the timeout can kill every descendant
      windowsHide: true,
    });
    const stdout = new CappedOutput(request.maxOutputBytes);
    const stderr = new CappedOutput(request.maxOutputBytes);
    let timedOut = false;
    let timer = null;
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.stdin.on('error', () => {}); // a child that exits without reading stdin: EPIPE is fine
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`execute: cannot run ${JSON.stringify(file)}: ${error.message}`, { cause: error }));
    });
    child.once('spawn', () => {
      if (request.timeoutMs !== null) {
        timer = setTimeout(() => {
          timedOut = true;
          killGroup(child.pid);
        }, request.timeoutMs);
      }
      child.stdin.end(request.stdin ?? undefined);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) killGroup(child.pid); // descendants that outlived the child
      resolve({
        exitCode: code,
        signal: signal === null ? null : (constants.signals[signal] ?? null),
        stdout: stdout.bytes(),
        stderr: stderr.bytes(),
        durationMs: performance.now() - started,
        timedOut,
        truncated: stdout.truncated || stderr.truncated,
      });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

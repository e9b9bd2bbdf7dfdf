import path from 'node:path';
import { prebuildCandidates, workspaceCandidates } from './candidates.js';
import { isTruthyEnv, nonEmptyEnv } from './env.js';
import { inspectCandidate } from './load.js';

/**
 * Decide which implementation a package runs (ARCHITECTURE.md "Binding resolution"):
 * disable flag, explicit override, packaged prebuilds, workspace builds, then the fallback.
 * Returns { native, implementation, path, checked, reason } or throws when the package
 * cannot run (a broken explicit override, or no binding for a track without fallback).
 */
export function resolveBinding(config) {
  const disabled = config.disableEnv !== null && isTruthyEnv(config.env[config.disableEnv]);
  if (disabled) {
    const reason = `native binding disabled by ${config.disableEnv}=${config.env[config.disableEnv]}`;
    if (!config.hasFallback) {
      throw new Error(`${config.packageName}: ${reason}, but this package has no JS fallback`);
    }
    return fallback([], reason);
  }
  const overridePath = nonEmptyEnv(config.env, config.overrideEnv);
  if (overridePath !== null) return loadOverride(config, overridePath);
  return searchCandidates(config);
}

function loadOverride(config, overridePath) {
  const filePath = path.resolve(overridePath);
  const result = inspectCandidate(filePath, config);
  if (result.status === 'loaded') {
    return native(result.exports, filePath, [filePath], `loaded from ${config.overrideEnv}`);
  }
  const cause = result.status === 'absent' ? 'file does not exist' : result.reason;
  const shownPath = filePath === overridePath ? filePath : `${overridePath} (${filePath})`;
  const error = new Error(
    `${config.packageName}: ${config.overrideEnv} is set to ${shownPath}, ` +
      `but that native binding cannot be used: ${cause}`,
  );
  error.checked = [filePath];
  throw error;
}

function searchCandidates(config) {
  const candidates = [
    ...prebuildCandidates(config.packageDir, config.binaryName).map((p) => [p, 'packaged prebuild']),
    ...workspaceCandidates(config.packageDir, config.binaryName, config.env).map((p) => [p, 'workspace build']),
  ];
  const checked = [];
  const rejections = [];
  for (const [candidatePath, source] of candidates) {
    checked.push(candidatePath);
    const result = inspectCandidate(candidatePath, config);
    if (result.status === 'loaded') {
      const skipped = rejections.length > 0 ? `; skipped ${formatRejections(rejections)}` : '';
      return native(result.exports, candidatePath, checked, `loaded ${source}${skipped}`);
    }
    if (result.status === 'rejected') rejections.push({ path: candidatePath, reason: result.reason });
  }
  if (!config.hasFallback) throw requiredTrackError(config, checked, rejections);
  const reason =
    rejections.length > 0
      ? `no usable native binding: rejected ${formatRejections(rejections)}`
      : `no native binding found (checked: ${checked.join(', ')})`;
  return fallback(checked, reason);
}

function requiredTrackError(config, checked, rejections) {
  const rejectionByPath = new Map(rejections.map((r) => [r.path, r.reason]));
  const lines = checked.map((p) =>
    rejectionByPath.has(p) ? `  ${p}: rejected, ${rejectionByPath.get(p)}` : `  ${p}: not found`,
  );
  const error = new Error(
    [
      `${config.packageName}: no usable native binding, and this package has no JS fallback.`,
      'Paths checked:',
      ...lines,
      `Set ${config.overrideEnv} to a built binding, or build one in the workspace with cargo.`,
    ].join('\n'),
  );
  error.checked = checked;
  error.rejections = rejections;
  return error;
}

function formatRejections(rejections) {
  return rejections.map((r) => `${r.path} (${r.reason})`).join('; ');
}

function native(exports, filePath, checked, reason) {
  return { native: exports, implementation: 'native', path: filePath, checked, reason };
}

function fallback(checked, reason) {
  return { native: null, implementation: 'fallback', path: null, checked, reason };
}

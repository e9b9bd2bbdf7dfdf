import { normalizeOptions } from './options.js';
import { resolveBinding } from './resolve.js';

export { isTruthyEnv } from './env.js';
export { platformArch } from './platform.js';

/**
 * Load a package's native binding, or decide to use its JS fallback.
 * See index.d.ts for the options and ARCHITECTURE.md "Binding resolution" for the order.
 * Throws only when the package cannot run as asked: a broken explicit override, or no
 * usable binding for a track without fallback. An absent optional binding never throws.
 */
export function loadBinding(options) {
  const config = normalizeOptions(options);
  const resolution = resolveBinding(config);
  const error =
    resolution.implementation === 'fallback'
      ? Object.assign(new Error(`${config.packageName}: ${resolution.reason}`), {
          checked: [...resolution.checked],
        })
      : null;
  return Object.freeze({
    native: resolution.native,
    error,
    describe: () => ({
      implementation: resolution.implementation,
      path: resolution.path,
      checked: [...resolution.checked],
      reason: resolution.reason,
    }),
  });
}

/**
 * `loadBinding` for a required track (no fallback) whose import must still succeed without a
 * binding: never throws. Without a binding, `native` is null, `error` is the loader's (with its
 * `checked` list) for the package to raise where a caller can handle it, and `describe()` reports
 * `implementation: 'unavailable'` with that error as the reason.
 */
export function loadRequiredBinding(options) {
  try {
    return loadBinding({ ...options, hasFallback: false });
  } catch (error) {
    return Object.freeze({
      native: null,
      error,
      describe: () => ({
        implementation: 'unavailable',
        path: null,
        checked: [...(error.checked ?? [])],
        reason: error.message,
      }),
    });
  }
}

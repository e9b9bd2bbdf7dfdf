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

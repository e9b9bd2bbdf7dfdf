const TRUTHY_VALUES = new Set(['1', 'true', 'yes']);

/**
 * Whether an environment variable value switches a flag on: `1`, `true` or `yes`,
 * case-insensitive, surrounding whitespace ignored. Anything else (unset, empty, `0`,
 * `false`, `no`, ...) is off.
 */
export function isTruthyEnv(value) {
  return typeof value === 'string' && TRUTHY_VALUES.has(value.trim().toLowerCase());
}

/** The value of `name` in `env`, or null when it is unset or empty. */
export function nonEmptyEnv(env, name) {
  if (!name) return null;
  const value = env[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

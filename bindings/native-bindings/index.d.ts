/** Options of {@link loadBinding}: who is loading, what it expects, where to look. */
export interface LoadBindingOptions {
  /** npm package name, used in messages, e.g. `@ku0/diff-rs`. */
  packageName: string;
  /** Version of the package; the binary's `bindingVersion()` must return exactly this. */
  packageVersion: string;
  /** Absolute directory (or file URL) of the package, where its index.js lives. */
  packageDir: string | URL;
  /** Base name of prebuilds (`<binaryName>.<platform>-<arch>.node`) and the cargo lib name. */
  binaryName: string;
  /** Env variable holding an explicit binding path; when set it must load, or loadBinding throws. */
  overrideEnv: string;
  /** Env variable that forces the fallback when set to 1, true or yes (any case). */
  disableEnv?: string;
  /** Names the binding must export besides `bindingVersion`. Default: none. */
  requiredExports?: readonly string[];
  /** false for a required track: throw instead of falling back when no binding loads. */
  hasFallback: boolean;
  /** Environment to read the variables (and `CARGO_TARGET_DIR`) from. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Which implementation runs, from where, and why. */
export interface BindingDescription {
  implementation: 'native' | 'fallback';
  /** Absolute path of the loaded binary; null for the fallback. */
  path: string | null;
  /** Every path probed, in order (empty when the disable variable is set). */
  checked: string[];
  /** Why this implementation was chosen, including rejected candidates. */
  reason: string;
}

/** The outcome of {@link loadBinding}. */
export interface LoadedBinding<Exports extends object = Record<string, unknown>> {
  /** The native module's exports, or null when the fallback is used. */
  readonly native: Exports | null;
  /** Why native is not used (with a `checked` list), or null when it is. */
  readonly error: (Error & { checked: string[] }) | null;
  describe(): BindingDescription;
}

/**
 * Resolve a package's native binding: `disableEnv` (forces fallback), then `overrideEnv`,
 * then packaged prebuilds in `dist/` and the package root, then the cargo workspace's
 * `target/release` and `target/debug`, then the fallback. A candidate that fails to load,
 * reports another version or lacks `requiredExports` is rejected and the search goes on.
 *
 * @throws Error when `overrideEnv` is set but its binding cannot be used, or when
 *   `hasFallback` is false and no candidate loads (the message lists every path checked).
 * @throws TypeError when an option is invalid.
 */
export function loadBinding<Exports extends object = Record<string, unknown>>(
  options: LoadBindingOptions,
): LoadedBinding<Exports>;

/** Which implementation runs for a required track: native, or unavailable with the loader's error. */
export interface RequiredBindingDescription {
  implementation: 'native' | 'unavailable';
  /** Absolute path of the loaded binary; null when unavailable. */
  path: string | null;
  /** Every path probed, in order. */
  checked: string[];
  /** Why the binary was chosen, or the loader's error message. */
  reason: string;
}

/** The outcome of {@link loadRequiredBinding}. */
export interface LoadedRequiredBinding<Exports extends object = Record<string, unknown>> {
  /** The native module's exports, or null when no binding could be used. */
  readonly native: Exports | null;
  /** The loader's error (every path checked) when `native` is null, else null. */
  readonly error: (Error & { checked?: string[] }) | null;
  describe(): RequiredBindingDescription;
}

/**
 * {@link loadBinding} with `hasFallback: false` for a package whose import must succeed without
 * its binding: never throws; the package raises `error` when a call needs the binding.
 */
export function loadRequiredBinding<Exports extends object = Record<string, unknown>>(
  options: Omit<LoadBindingOptions, 'hasFallback'>,
): LoadedRequiredBinding<Exports>;

/** true for `1`, `true` or `yes` (case-insensitive, whitespace ignored); false otherwise. */
export function isTruthyEnv(value: string | undefined | null): boolean;

/** `${process.platform}-${process.arch}`, e.g. `linux-x64`. */
export function platformArch(): string;

import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';

/**
 * Check loadBinding's options and return them normalised. A wrong option is a programming
 * error in the calling package, so it throws a TypeError naming the option at once.
 */
export function normalizeOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`loadBinding: expected an options object, got ${show(options)}`);
  }
  const packageName = requireText(options, 'packageName');
  const binaryName = requireText(options, 'binaryName');
  if (/[\\/]/.test(binaryName)) {
    throw new TypeError(`loadBinding(${packageName}): option binaryName must be a bare name, got ${show(binaryName)}`);
  }
  if (typeof options.hasFallback !== 'boolean') {
    throw new TypeError(`loadBinding(${packageName}): option hasFallback must be true or false, got ${show(options.hasFallback)}`);
  }
  return {
    packageName,
    packageVersion: requireText(options, 'packageVersion'),
    packageDir: absoluteDir(options, packageName),
    binaryName,
    overrideEnv: requireText(options, 'overrideEnv'),
    disableEnv: options.disableEnv === undefined ? null : requireText(options, 'disableEnv'),
    requiredExports: exportNames(options, packageName),
    hasFallback: options.hasFallback,
    env: options.env ?? process.env,
  };
}

function requireText(options, name) {
  const value = options[name];
  if (typeof value !== 'string' || value === '') {
    const owner = typeof options.packageName === 'string' ? `(${options.packageName})` : '';
    throw new TypeError(`loadBinding${owner}: option ${name} must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

function absoluteDir(options, packageName) {
  const value = options.packageDir instanceof URL ? fileURLToPath(options.packageDir) : options.packageDir;
  if (typeof value !== 'string' || !path.isAbsolute(value)) {
    throw new TypeError(`loadBinding(${packageName}): option packageDir must be an absolute path or file URL, got ${show(options.packageDir)}`);
  }
  return path.resolve(value);
}

function exportNames(options, packageName) {
  const names = options.requiredExports ?? [];
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string' && name !== '')) {
    throw new TypeError(`loadBinding(${packageName}): option requiredExports must be an array of export names, got ${show(names)}`);
  }
  return names;
}

function show(value) {
  return inspect(value, { depth: 1, breakLength: Infinity });
}

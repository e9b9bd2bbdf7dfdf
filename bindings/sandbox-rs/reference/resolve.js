// Path resolution as the kernel walks a path (oracle/CONTRACTS.md, Sandbox): `.` skipped, `..`
// physical on the canonical prefix, symlinks of the existing prefix replaced by their targets,
// the missing tail lexical. Mirrors accel/sandbox/src/policy/resolve.rs.

import { lstatSync, readlinkSync } from 'node:fs';

const MAX_SYMLINKS = 40;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class PathError extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'PathError';
    this.reason = reason;
  }
}

export const PATH_REASONS = {
  empty: 'invalid path: empty',
  nul: 'invalid path: contains a NUL byte',
  relative: 'relative path and no working directory',
  proc: 'process paths under /proc are denied',
  loop: 'too many levels of symbolic links',
  nonUtf8: 'invalid path: a symlink target is not UTF-8',
};

const components = (path) => path.split('/').filter((part) => part !== '');

const join = (parts) => (parts.length === 0 ? '/' : '/' + parts.join('/'));

function isProcessPath(parts) {
  return parts.length >= 2 && parts[0] === 'proc' && (parts[1] === 'self' || parts[1] === 'thread-self' || /^[0-9]*$/.test(parts[1]));
}

/** The link's target, or null when it cannot be read (raced away): treated as missing. */
function readLinkUtf8(path) {
  let bytes;
  try {
    bytes = readlinkSync(path, { encoding: 'buffer' });
  } catch {
    return null;
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new PathError(PATH_REASONS.nonUtf8);
  }
}

function isSymlink(path) {
  try {
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return null;
    return stats.isSymbolicLink();
  } catch {
    return null;
  }
}

/**
 * `{ path, followedSymlink }` for `path` against `base` (a resolved absolute directory, or
 * null). Throws a PathError whose `reason` is the contract's string.
 */
export function resolvePath(path, base, followFinal) {
  if (path === '') throw new PathError(PATH_REASONS.empty);
  if (path.includes('\0')) throw new PathError(PATH_REASONS.nul);
  const queue = [];
  if (!path.startsWith('/')) {
    if (base === null || base === undefined) throw new PathError(PATH_REASONS.relative);
    queue.push(...components(base));
  }
  queue.push(...components(path));
  // The queue is consumed from the front; keep it reversed so that pop() is the front.
  queue.reverse();
  const resolved = [];
  let exists = true;
  let links = 0;
  let followedSymlink = false;
  while (queue.length > 0) {
    const component = queue.pop();
    if (component === '.') continue;
    if (component === '..') {
      resolved.pop();
      continue;
    }
    resolved.push(component);
    if (isProcessPath(resolved)) throw new PathError(PATH_REASONS.proc);
    if (!exists || (queue.length === 0 && !followFinal)) continue;
    const current = join(resolved);
    const link = isSymlink(current);
    if (link === null) {
      exists = false;
      continue;
    }
    if (!link) continue;
    links += 1;
    if (links > MAX_SYMLINKS) throw new PathError(PATH_REASONS.loop);
    const target = readLinkUtf8(current);
    if (target === null) {
      exists = false;
      continue;
    }
    followedSymlink = true;
    resolved.pop();
    if (target.startsWith('/')) resolved.length = 0;
    const parts = components(target);
    for (let i = parts.length - 1; i >= 0; i--) queue.push(parts[i]);
  }
  return { path: join(resolved), followedSymlink };
}

/** `path` equals `root` or lies below it. */
export function isWithin(path, root) {
  if (root === '/') return true;
  return path === root || (path.startsWith(root) && path[root.length] === '/');
}

/** The components of `path` below `root` (which contains it). */
export function componentsBelow(path, root) {
  return components(root === '/' ? path : path.slice(root.length));
}

// Blocked paths: the defaults every policy carries, plus the policy's own, resolved once.
// Mirrors accel/sandbox/src/policy/blocked.rs.

import { isWithin, resolvePath } from './resolve.js';

export const DEFAULT_BLOCKED_PATHS = Object.freeze([
  '~/.ssh',
  '~/.aws',
  '~/.gnupg',
  '~/.config/gcloud',
  '~/.azure',
  '~/.kube',
  '~/.docker',
  '~/.netrc',
  '~/.git-credentials',
  '~/.npmrc',
  '~/.pypirc',
  '~/.password-store',
  '~/.cargo/credentials.toml',
  '~/.config/gh',
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/sudoers',
  '/etc/sudoers.d',
  '/etc/ssh',
]);

/** `HOME` when it is set and absolute. */
export function processHome() {
  const home = process.env.HOME;
  return typeof home === 'string' && home.startsWith('/') ? home : null;
}

function expandHome(written, home) {
  let rest;
  if (written === '~') rest = '';
  else if (written.startsWith('~/')) rest = written.slice(2);
  else return written;
  if (typeof home !== 'string' || !home.startsWith('/')) return null;
  return `${home.replace(/\/+$/, '')}/${rest}`;
}

function entry(written, home, base, describe) {
  const expanded = expandHome(written, home);
  if (expanded === null) return null;
  try {
    return { written, resolved: resolvePath(expanded, base, true).path };
  } catch (error) {
    if (error.name === 'PathError') throw new Error(`${describe}: ${error.reason}`);
    throw error;
  }
}

export class BlockedPaths {
  /** The defaults then `extra` (named `field` in errors). */
  constructor(extra, field, home, base) {
    this.entries = [];
    for (const written of DEFAULT_BLOCKED_PATHS) {
      const found = entry(written, home, base, `default blocked path ${written}`);
      if (found) this.entries.push(found);
    }
    extra.forEach((written, index) => {
      const found = entry(written, home, base, `${field}[${index}]`);
      if (found) this.entries.push(found);
    });
  }

  /** The reason `target` is blocked, or null. */
  check(target, removes) {
    for (const { written, resolved } of this.entries) {
      if (isWithin(target, resolved)) return `blocked path (${written})`;
      if (removes && isWithin(resolved, target)) return `contains a blocked path (${written})`;
    }
    return null;
  }
}

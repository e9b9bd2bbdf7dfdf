// STRICT_POLICY and WORKSPACE_POLICY of API.md: the same values as
// accel/sandbox/src/policy/presets.rs (the oracle compares them).

import { DEFAULT_BLOCKED_PATHS } from './blocked.js';

const MIB = 1024 * 1024;

export const STRICT_ALLOWED_COMMANDS = Object.freeze([
  'ls', 'cat', 'head', 'tail', 'wc', 'grep', 'rg', 'find', 'echo', 'printf', 'pwd', 'diff',
  'sort', 'uniq', 'cut', 'tr', 'stat', 'file', 'which', 'true', 'false', 'test', '[', 'basename',
  'dirname', 'realpath', 'date', 'whoami', 'uname', 'env',
]);

export const WORKSPACE_BLOCKED_COMMANDS = Object.freeze([
  'mkfs', 'mkfs.ext4', 'fdisk', 'parted', 'dd', 'shutdown', 'reboot', 'halt', 'poweroff',
  'init', 'systemctl', 'mount', 'umount', 'chroot', 'insmod', 'rmmod', 'modprobe', 'iptables',
  'nft', 'useradd', 'userdel', 'usermod', 'passwd', 'crontab', 'nc', 'ncat', 'netcat', 'socat',
  'telnet',
]);

export const METADATA_HOSTS = Object.freeze(['169.254.169.254', 'metadata.google.internal', '100.100.100.200']);

const deepFreeze = (value) => {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

export const STRICT_POLICY = deepFreeze({
  version: 1,
  name: 'strict',
  filesystem: {
    mode: 'strict',
    allowedPaths: [],
    blockedPaths: [...DEFAULT_BLOCKED_PATHS],
    allowSymlinks: false,
    allowHiddenFiles: false,
  },
  network: {
    enabled: false,
    allowedDomains: [],
    blockedDomains: [...METADATA_HOSTS],
    allowLocalhost: false,
    allowHttps: false,
    allowHttp: false,
  },
  commands: {
    mode: 'whitelist',
    allowedCommands: [...STRICT_ALLOWED_COMMANDS],
    blockedCommands: [],
    allowSudo: false,
  },
  limits: { maxFileSize: 10 * MIB, maxExecutionTime: 30_000, maxMemory: 512 * MIB },
});

export const WORKSPACE_POLICY = deepFreeze({
  version: 1,
  name: 'workspace',
  filesystem: {
    mode: 'workspace',
    allowedPaths: [],
    blockedPaths: [...DEFAULT_BLOCKED_PATHS],
    allowSymlinks: true,
    allowHiddenFiles: true,
  },
  network: {
    enabled: true,
    allowedDomains: [],
    blockedDomains: [...METADATA_HOSTS],
    allowLocalhost: true,
    allowHttps: true,
    allowHttp: false,
  },
  commands: {
    mode: 'blacklist',
    allowedCommands: [],
    blockedCommands: [...WORKSPACE_BLOCKED_COMMANDS],
    allowSudo: false,
  },
  limits: { maxFileSize: 100 * MIB, maxExecutionTime: 300_000, maxMemory: 2048 * MIB },
});

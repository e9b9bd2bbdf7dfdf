//! `STRICT_POLICY` and `WORKSPACE_POLICY` of API.md. The JS reference
//! (`bindings/sandbox-rs/reference/presets.js`) spells out the same values; the oracle compares them.

use super::blocked::DEFAULT_BLOCKED_PATHS;
use super::command::{CommandMode, CommandRules};
use super::manager::{FilesystemMode, FilesystemPolicy, Limits, ManagerPolicy, NetworkPolicy};

const MIB: u64 = 1024 * 1024;

/// Read-only commands that inspect files and text.
pub const STRICT_ALLOWED_COMMANDS: &[&str] = &[
    "ls", "cat", "head", "tail", "wc", "grep", "rg", "find", "echo", "printf", "pwd", "diff",
    "sort", "uniq", "cut", "tr", "stat", "file", "which", "true", "false", "test", "[", "basename",
    "dirname", "realpath", "date", "whoami", "uname", "env",
];

/// Commands that damage the machine rather than the workspace, or reach for the network
/// around the network policy.
pub const WORKSPACE_BLOCKED_COMMANDS: &[&str] = &[
    "mkfs",
    "mkfs.ext4",
    "fdisk",
    "parted",
    "dd",
    "shutdown",
    "reboot",
    "halt",
    "poweroff",
    "init",
    "systemctl",
    "mount",
    "umount",
    "chroot",
    "insmod",
    "rmmod",
    "modprobe",
    "iptables",
    "nft",
    "useradd",
    "userdel",
    "usermod",
    "passwd",
    "crontab",
    "nc",
    "ncat",
    "netcat",
    "socat",
    "telnet",
];

/// Cloud metadata endpoints: credentials for the asking.
pub const METADATA_HOSTS: &[&str] = &[
    "169.254.169.254",
    "metadata.google.internal",
    "100.100.100.200",
];

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

pub fn strict_policy() -> ManagerPolicy {
    ManagerPolicy {
        version: 1,
        name: "strict".to_owned(),
        filesystem: FilesystemPolicy {
            mode: FilesystemMode::Strict,
            allowed_paths: Vec::new(),
            blocked_paths: strings(DEFAULT_BLOCKED_PATHS),
            allow_symlinks: false,
            allow_hidden_files: false,
        },
        network: NetworkPolicy {
            enabled: false,
            allowed_domains: Vec::new(),
            blocked_domains: strings(METADATA_HOSTS),
            allow_localhost: false,
            allow_https: false,
            allow_http: false,
        },
        commands: CommandRules {
            mode: CommandMode::Whitelist,
            allowed_commands: strings(STRICT_ALLOWED_COMMANDS),
            blocked_commands: Vec::new(),
            allow_sudo: false,
        },
        limits: Limits {
            max_file_size: Some(10 * MIB),
            max_execution_time: Some(30_000),
            max_memory: Some(512 * MIB),
        },
    }
}

pub fn workspace_policy() -> ManagerPolicy {
    ManagerPolicy {
        version: 1,
        name: "workspace".to_owned(),
        filesystem: FilesystemPolicy {
            mode: FilesystemMode::Workspace,
            allowed_paths: Vec::new(),
            blocked_paths: strings(DEFAULT_BLOCKED_PATHS),
            allow_symlinks: true,
            allow_hidden_files: true,
        },
        network: NetworkPolicy {
            enabled: true,
            allowed_domains: Vec::new(),
            blocked_domains: strings(METADATA_HOSTS),
            allow_localhost: true,
            allow_https: true,
            allow_http: false,
        },
        commands: CommandRules {
            mode: CommandMode::Blacklist,
            allowed_commands: Vec::new(),
            blocked_commands: strings(WORKSPACE_BLOCKED_COMMANDS),
            allow_sudo: false,
        },
        limits: Limits {
            max_file_size: Some(100 * MIB),
            max_execution_time: Some(300_000),
            max_memory: Some(2048 * MIB),
        },
    }
}

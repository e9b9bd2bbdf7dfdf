//! macOS Seatbelt (`sandbox-exec`) profiles generated from a policy. Plain string generation,
//! compiled on every platform so that the snapshot tests run on Linux too.

use std::fmt::Write;
use std::path::PathBuf;

use crate::policy::{NetworkAccess, SandboxPolicy};

/// What a profile is made from: resolved paths, so the text depends on nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileInput {
    /// `None`: reads everywhere (but `denied`).
    pub read_roots: Option<Vec<PathBuf>>,
    /// `None`: writes everywhere (but `denied`).
    pub write_roots: Option<Vec<PathBuf>>,
    /// Neither read nor written, whatever the roots say.
    pub denied: Vec<PathBuf>,
    pub network: NetworkAccess,
    /// For `allowlist`: the hosts a local filtering proxy lets through (listed as a comment;
    /// Seatbelt itself can only tell localhost from the rest).
    pub allowed_hosts: Vec<String>,
}

impl ProfileInput {
    pub fn from_policy(policy: &SandboxPolicy) -> ProfileInput {
        ProfileInput {
            read_roots: policy.read_roots(),
            write_roots: policy.write_roots(),
            denied: policy.blocked_paths().map(PathBuf::from).collect(),
            network: policy.config().network_access,
            allowed_hosts: policy.config().allowed_hosts.clone(),
        }
    }
}

/// The profile for `policy`.
pub fn profile_for(policy: &SandboxPolicy) -> String {
    profile(&ProfileInput::from_policy(policy))
}

/// A string literal in the profile language (SBPL strings escape `\` and `"`).
fn quoted(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(ch),
        }
    }
    out.push('"');
    out
}

fn subpaths(roots: &[PathBuf]) -> String {
    roots
        .iter()
        .map(|root| format!("(subpath {})", quoted(root)))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn profile(input: &ProfileInput) -> String {
    let mut out = String::new();
    out.push_str("(version 1)\n(deny default)\n");
    out.push_str("; processes: run and signal within the sandbox\n");
    out.push_str("(allow process-exec process-fork)\n(allow signal (target same-sandbox))\n");
    out.push_str("(allow sysctl-read mach-lookup ipc-posix-shm)\n");
    out.push_str("; system files every process needs\n");
    out.push_str(
        "(allow file-read* (subpath \"/usr/lib\") (subpath \"/usr/bin\") (subpath \"/bin\") \
         (subpath \"/System\") (subpath \"/Library/Apple\") (subpath \"/private/var/db/dyld\") \
         (literal \"/dev/null\") (literal \"/dev/urandom\") (literal \"/dev/random\"))\n",
    );
    out.push_str("(allow file-write-data (literal \"/dev/null\"))\n");
    out.push_str("; reads\n");
    match &input.read_roots {
        None => out.push_str("(allow file-read*)\n"),
        Some(roots) if roots.is_empty() => out.push_str("; no read roots\n"),
        Some(roots) => {
            let _ = writeln!(
                out,
                "(allow file-read* (literal \"/\") {})",
                subpaths(roots)
            );
        }
    }
    out.push_str("; writes\n");
    match &input.write_roots {
        None => out.push_str("(allow file-write*)\n"),
        Some(roots) if roots.is_empty() => out.push_str("; no write roots\n"),
        Some(roots) => {
            let _ = writeln!(out, "(allow file-write* {})", subpaths(roots));
        }
    }
    if !input.denied.is_empty() {
        out.push_str("; blocked paths win over every allow above (last match wins)\n");
        let _ = writeln!(
            out,
            "(deny file-read* file-write* {})",
            subpaths(&input.denied)
        );
    }
    out.push_str("; network\n");
    match input.network {
        NetworkAccess::None => {
            out.push_str("(deny network*)\n(allow network* (remote unix-socket))\n")
        }
        NetworkAccess::Full => out.push_str("(allow network*)\n"),
        NetworkAccess::Allowlist => {
            let _ = writeln!(
                out,
                "; allowlist: only a local filtering proxy is reachable; it admits {}",
                if input.allowed_hosts.is_empty() {
                    "no host".to_owned()
                } else {
                    input.allowed_hosts.join(", ")
                }
            );
            out.push_str(
                "(allow network-outbound (remote ip \"localhost:*\") (remote unix-socket))\n\
                 (allow network-bind (local ip \"localhost:*\"))\n",
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;

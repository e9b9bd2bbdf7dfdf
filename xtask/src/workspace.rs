//! Where things are: the repository root, cargo's target directory, the platform name, and
//! the facts a report records about a run (git commit, time).

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::exec::Cmd;

/// The repository root (the workspace of which xtask is a member).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits one level below the workspace root")
        .to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        _ => root().join("target"),
    }
}

/// Where `cargo xtask bench` collects its outputs.
pub fn bench_out_dir() -> PathBuf {
    target_dir().join("ku0-bench")
}

/// The platform in Node's naming (`${process.platform}-${process.arch}`): linux-x64, darwin-arm64.
pub fn platform() -> String {
    node_platform_name(std::env::consts::OS, std::env::consts::ARCH)
}

pub fn node_platform_name(os: &str, arch: &str) -> String {
    let os = match os {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let arch = match arch {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        "x86" => "ia32",
        "powerpc64" => "ppc64",
        other => other,
    };
    format!("{os}-{arch}")
}

pub fn reports_dir() -> PathBuf {
    root().join("reports").join(platform())
}

/// The checked-out commit, with `-dirty` when the work tree has changes; `unknown` outside git.
pub fn git_commit() -> String {
    let root = root();
    let Some(commit) = Cmd::new("git")
        .args(["rev-parse", "HEAD"])
        .dir(&root)
        .probe()
    else {
        return "unknown".to_string();
    };
    let dirty = Cmd::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .dir(&root)
        .probe()
        .is_some_and(|out| !out.is_empty());
    if dirty {
        format!("{commit}-dirty")
    } else {
        commit
    }
}

/// Now, as an RFC 3339 UTC timestamp with second precision.
pub fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339_utc(secs)
}

pub fn rfc3339_utc(unix_secs: u64) -> String {
    let days = (unix_secs / 86_400) as i64;
    let rem = unix_secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day) (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_names_follow_node() {
        assert_eq!(node_platform_name("linux", "x86_64"), "linux-x64");
        assert_eq!(node_platform_name("macos", "aarch64"), "darwin-arm64");
        assert_eq!(node_platform_name("windows", "x86_64"), "win32-x64");
    }

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn root_holds_the_workspace_manifest() {
        assert!(root().join("Cargo.toml").is_file());
        assert!(root().join("xtask").is_dir());
    }
}

//! SafeRoot against escapes, with both resolvers (openat2 and the O_NOFOLLOW walk). Every
//! denied case sits next to the same operation succeeding where it is allowed.

mod support;

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use accel_sandbox::audit::{AuditDecision, AuditLog};
use accel_sandbox::fs::{FsError, Resolver, SafeRoot};
use proptest::prelude::*;
use support::Scratch;

const RESOLVERS: [Resolver; 2] = [Resolver::Openat2, Resolver::Walk];

fn open(scratch: &Scratch, resolver: Resolver) -> SafeRoot {
    let root = SafeRoot::open_with(&scratch.root, Some(resolver)).expect("open the root");
    assert_eq!(root.resolver(), resolver);
    root
}

fn assert_escape<T: std::fmt::Debug>(outcome: Result<T, FsError>, what: &str) {
    match outcome {
        Err(FsError::Escape { .. }) => {}
        other => panic!("{what}: expected an escape denial, got {other:?}"),
    }
}

#[test]
fn the_kernel_offers_openat2() {
    let scratch = Scratch::new("fs-openat2");
    let root = SafeRoot::open(&scratch.root).unwrap();
    assert_eq!(
        root.resolver(),
        Resolver::Openat2,
        "this machine's kernel has openat2 (5.6+)"
    );
}

#[test]
fn dot_dot_cannot_leave_the_root() {
    for resolver in RESOLVERS {
        let scratch = Scratch::new("fs-dotdot");
        scratch.file(&scratch.outside.join("secret"), "outside");
        scratch.file(&scratch.root.join("sub/file"), "inside");
        let root = open(&scratch, resolver);
        assert_escape(root.read("../outside/secret"), "read ../outside");
        assert_escape(
            root.write("sub/../../outside/secret", b"x"),
            "write via sub/../..",
        );
        assert_eq!(
            std::fs::read_to_string(scratch.outside.join("secret")).unwrap(),
            "outside"
        );
        // Allowed: the same file read by a path that stays inside.
        assert_eq!(root.read("sub/file").unwrap(), b"inside");
        if resolver == Resolver::Openat2 {
            assert_eq!(root.read("sub/../sub/file").unwrap(), b"inside");
        }
    }
}

#[test]
fn symlinks_pointing_outside_are_not_followed() {
    for resolver in RESOLVERS {
        let scratch = Scratch::new("fs-symlink");
        scratch.file(&scratch.outside.join("secret"), "outside");
        std::fs::create_dir_all(scratch.root.join("real")).unwrap();
        symlink(&scratch.outside, scratch.root.join("out-dir")).unwrap();
        symlink(
            scratch.outside.join("secret"),
            scratch.root.join("out-file"),
        )
        .unwrap();
        symlink("../outside/secret", scratch.root.join("out-relative")).unwrap();
        symlink("/etc/passwd", scratch.root.join("passwd")).unwrap();
        let root = open(&scratch, resolver);
        assert_escape(
            root.write("out-dir/planted", b"x"),
            "write through a dir symlink",
        );
        assert_escape(root.write("out-file", b"x"), "write through a file symlink");
        assert_escape(root.read("out-relative"), "read through a relative symlink");
        assert_escape(root.read("passwd"), "read an absolute symlink");
        assert_escape(root.list("out-dir"), "list through a symlink");
        assert!(!scratch.outside.join("planted").exists());
        assert_eq!(
            std::fs::read_to_string(scratch.outside.join("secret")).unwrap(),
            "outside"
        );
        // Allowed: writing into a real directory, and (openat2) through a symlink that stays inside.
        root.write("real/f", b"ok").unwrap();
        assert_eq!(std::fs::read(scratch.root.join("real/f")).unwrap(), b"ok");
        if resolver == Resolver::Openat2 {
            symlink("real", scratch.root.join("in-link")).unwrap();
            root.write("in-link/g", b"via link").unwrap();
            assert_eq!(
                std::fs::read(scratch.root.join("real/g")).unwrap(),
                b"via link"
            );
        }
    }
}

#[test]
fn proc_self_magic_links_do_not_lead_out() {
    for resolver in RESOLVERS {
        let scratch = Scratch::new("fs-proc");
        scratch.file(&scratch.outside.join("secret"), "outside");
        let through_root = format!("/proc/self/root{}", scratch.outside.display());
        symlink(&through_root, scratch.root.join("via-root")).unwrap();
        symlink("/proc/self/cwd", scratch.root.join("via-cwd")).unwrap();
        let root = open(&scratch, resolver);
        assert_escape(
            root.write("via-root/secret", b"x"),
            "write via /proc/self/root",
        );
        assert_escape(root.list("via-cwd"), "list via /proc/self/cwd");
        assert_escape(root.read(&through_root), "an absolute /proc/self/root path");
        assert_eq!(
            std::fs::read_to_string(scratch.outside.join("secret")).unwrap(),
            "outside"
        );
        // Allowed: the absolute path of a file inside the root.
        root.write(scratch.root.join("inside"), b"ok").unwrap();
        assert_eq!(root.read(scratch.root.join("inside")).unwrap(), b"ok");
    }
}

#[test]
fn hard_links_to_files_outside_are_not_written() {
    for resolver in RESOLVERS {
        let scratch = Scratch::new("fs-hardlink");
        let secret = scratch.file(&scratch.outside.join("secret"), "outside");
        std::fs::hard_link(&secret, scratch.root.join("planted")).unwrap();
        let root = open(&scratch, resolver);
        match root.write("planted", b"overwritten") {
            Err(FsError::HardLinked { links: 2, .. }) => {}
            other => panic!("expected a hard-link denial, got {other:?}"),
        }
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "outside");
        // Allowed: a file with one link is replaced, a new file is created.
        scratch.file(&scratch.root.join("single"), "before");
        root.write("single", b"after").unwrap();
        root.write("new", b"fresh").unwrap();
        assert_eq!(
            std::fs::read(scratch.root.join("single")).unwrap(),
            b"after"
        );
        assert_eq!(root.list("").unwrap(), vec!["new", "planted", "single"]);
    }
}

/// A directory inside the root is swapped for a symlink to `outside` (and back) by rename while
/// writes go through it: no write may ever land outside.
#[test]
fn directories_swapped_mid_operation_cannot_redirect_writes() {
    for resolver in RESOLVERS {
        let scratch = Scratch::new("fs-race");
        // `d` is a real directory; `parked` a symlink to outside. The swapper exchanges them
        // atomically (renameat2 RENAME_EXCHANGE), over and over.
        let d = scratch.root.join("d");
        let parked = scratch.root.join("parked");
        std::fs::create_dir_all(&d).unwrap();
        symlink(&scratch.outside, &parked).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let swapper = {
            let stop = Arc::clone(&stop);
            let d = CString::new(d.as_os_str().as_bytes()).unwrap();
            let parked = CString::new(parked.as_os_str().as_bytes()).unwrap();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    // SAFETY: two valid paths.
                    let r = unsafe {
                        libc::renameat2(
                            libc::AT_FDCWD,
                            d.as_ptr(),
                            libc::AT_FDCWD,
                            parked.as_ptr(),
                            libc::RENAME_EXCHANGE,
                        )
                    };
                    assert_eq!(r, 0, "renameat2: {}", std::io::Error::last_os_error());
                }
            })
        };
        let root = open(&scratch, resolver);
        let mut written = 0;
        for _ in 0..3_000 {
            if root.write("d/f", b"x").is_ok() {
                written += 1;
            }
            assert!(
                !scratch.outside.join("f").exists(),
                "{resolver:?}: a write escaped through the swapped directory"
            );
        }
        stop.store(true, Ordering::Relaxed);
        swapper.join().unwrap();
        assert!(!scratch.outside.join("f").exists());
        assert!(
            written > 0,
            "{resolver:?}: no write succeeded while the directory was real"
        );
    }
}

#[test]
fn every_operation_is_audited() {
    let scratch = Scratch::new("fs-audit");
    let audit = Arc::new(AuditLog::new());
    let root = SafeRoot::open(&scratch.root)
        .unwrap()
        .with_audit(Arc::clone(&audit));
    root.write("a", b"1").unwrap();
    let _ = root.read("../x");
    let _ = root.read("missing");
    let entries = audit.entries();
    let summary: Vec<(&str, &str, AuditDecision)> = entries
        .iter()
        .map(|e| (e.operation.as_str(), e.target.as_str(), e.decision))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("write", "a", AuditDecision::Allow),
            ("read", "../x", AuditDecision::Deny),
            ("read", "missing", AuditDecision::Error),
        ]
    );
    assert!(entries[1]
        .reason
        .as_deref()
        .unwrap()
        .contains("leaves the sandbox root"));
}

fn path_strategy() -> impl Strategy<Value = String> {
    let component = prop_oneof![
        Just(".."),
        Just("."),
        Just("real"),
        Just("out"),
        Just("in"),
        Just("proc"),
        Just("f"),
        Just(""),
    ];
    prop::collection::vec(component, 1..6).prop_map(|parts| parts.join("/"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the path, a write either fails or lands inside the root.
    #[test]
    fn random_paths_never_write_outside(path in path_strategy(), walk in any::<bool>()) {
        let scratch = Scratch::new("fs-prop");
        std::fs::create_dir_all(scratch.root.join("real")).unwrap();
        symlink(&scratch.outside, scratch.root.join("out")).unwrap();
        symlink("real", scratch.root.join("in")).unwrap();
        symlink("/proc/self/root/tmp", scratch.root.join("proc")).unwrap();
        let resolver = if walk { Resolver::Walk } else { Resolver::Openat2 };
        let root = open(&scratch, resolver);
        let _ = root.write(Path::new(&path), b"x");
        prop_assert_eq!(std::fs::read_dir(&scratch.outside).unwrap().count(), 0);
    }
}

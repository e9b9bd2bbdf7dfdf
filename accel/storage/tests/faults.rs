//! Bad input and faults: each gives a clear error (or the documented result), and the store stays
//! consistent and usable afterwards.
//!
//! - a payload over 4 GiB - 1 bytes (an untouched, unreserved 4 GiB + 1 mapping: no memory used);
//! - replaying from beyond the end; pruning the future;
//! - a missing root directory (created), a file where the root should be, a read-only root
//!   (as root, whom permission bits do not stop, a read-only bind mount, or chattr +i);
//! - a full disk: RLIMIT_FSIZE in a child process (SIGXFSZ ignored, so writes fail with EFBIG),
//!   and ENOSPC on a small tmpfs (needs root to mount; `KU0_STORAGE_NO_MOUNT=1` skips that one test
//!   where mounting is impossible, and says so).

mod crash_support;

use std::path::Path;
use std::process::Command;

use accel_storage::{OpenOptions, Recovery, StorageEngine};
use crash_support::protocol::{fnv1a64, Rng};
use crash_support::{child_command, RunningChild, TempRoot};

fn open(root: &Path) -> StorageEngine {
    StorageEngine::open(root).unwrap_or_else(|err| panic!("open {}: {err}", root.display()))
}

fn store_with(root: &Path, count: u64) -> StorageEngine {
    let engine = open(root);
    for i in 0..count {
        assert_eq!(engine.append_event(&i.to_le_bytes()).expect("append"), i);
    }
    engine
}

/// `len` readable bytes that cost no memory: a private anonymous mapping without swap
/// reservation, never written, so every page is the shared zero page when read.
struct ZeroMapping {
    ptr: *mut libc::c_void,
    len: usize,
}

impl ZeroMapping {
    fn new(len: usize) -> Self {
        // SAFETY: a fresh anonymous mapping; checked for failure below.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        assert_ne!(
            ptr,
            libc::MAP_FAILED,
            "mmap of {len} bytes failed: {}",
            std::io::Error::last_os_error()
        );
        ZeroMapping { ptr, len }
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is `len` readable bytes and lives as long as `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) }
    }
}

impl Drop for ZeroMapping {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly what `new` mapped.
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

#[test]
fn a_payload_over_4_gib_is_an_error_naming_its_size() {
    let root = TempRoot::new("huge");
    let engine = store_with(root.path(), 2);
    let huge = ZeroMapping::new((4usize << 30) + 1);
    let message = engine
        .append_event(huge.bytes())
        .expect_err("a 4 GiB + 1 payload must be refused")
        .to_string();
    assert!(message.contains("4294967297"), "{message}");
    eprintln!("4 GiB + 1: {message}");
    let batch: [&[u8]; 3] = [b"fits", huge.bytes(), b"fits too"];
    let message = engine
        .append_events(&batch)
        .expect_err("a batch holding a 4 GiB + 1 payload must be refused")
        .to_string();
    assert!(message.contains("4294967297"), "{message}");
    assert_eq!(engine.next_sequence(), 2, "a refused batch appends nothing");
    assert_eq!(engine.append_event(b"still works").expect("append"), 2);
    engine.close().expect("close");
    let engine = open(root.path());
    assert!(
        *engine.recovery() == Recovery::default(),
        "{:?}",
        engine.recovery()
    );
    let events = engine.replay_events(0, None).expect("replay");
    assert_eq!(events.len(), 3);
    assert_eq!(events[2], b"still works");
}

#[test]
fn replay_from_beyond_the_end_is_empty() {
    let root = TempRoot::new("beyond");
    let engine = store_with(root.path(), 5);
    for (from, limit) in [
        (5, None),
        (6, None),
        (u64::MAX, None),
        (u64::MAX, Some(u64::MAX)),
        (0, Some(0)),
        (3, Some(0)),
    ] {
        let events = engine
            .replay_events(from, limit)
            .unwrap_or_else(|err| panic!("replay({from}, {limit:?}): {err}"));
        assert!(
            events.is_empty(),
            "replay({from}, {limit:?}) gave {events:?}"
        );
    }
    assert_eq!(
        engine.replay_events(4, Some(u64::MAX)).expect("replay"),
        [4u64.to_le_bytes().to_vec()]
    );
    assert_eq!(engine.append_event(b"x").expect("append"), 5);
}

#[test]
fn pruning_the_future_is_an_error_and_changes_nothing() {
    let root = TempRoot::new("future");
    let engine = store_with(root.path(), 5);
    for before in [6, 7, u64::MAX] {
        let message = engine
            .prune_events(before)
            .expect_err("pruning the future must fail")
            .to_string();
        assert_eq!(
            message,
            format!("cannot prune before {before}: the log ends at 5")
        );
        assert_eq!(engine.low_water_mark(), 0);
    }
    assert_eq!(engine.replay_events(0, None).expect("replay").len(), 5);
    assert_eq!(engine.prune_events(5).expect("prune everything"), 5);
    assert_eq!(engine.prune_events(3).expect("prune the past again"), 0);
    engine.close().expect("close");
    let engine = open(root.path());
    assert_eq!((engine.low_water_mark(), engine.next_sequence()), (5, 5));
    assert_eq!(engine.append_event(b"next").expect("append"), 5);
}

#[test]
fn a_missing_root_dir_is_created_with_its_parents() {
    let root = TempRoot::new("missing");
    let nested = root.join("a/b/c");
    let engine = store_with(&nested, 1);
    engine.save_checkpoint("cp", b"data").expect("save");
    engine.close().expect("close");
    assert!(nested.is_dir());
    let engine = open(&nested);
    assert_eq!(engine.next_sequence(), 1);
    assert_eq!(
        engine.load_checkpoint("cp").expect("load"),
        Some(b"data".to_vec())
    );
}

#[test]
fn a_file_in_place_of_the_root_dir_is_a_clear_error() {
    let root = TempRoot::new("file-root");
    let file = root.join("not-a-dir");
    std::fs::write(&file, b"x").expect("write a file");
    for path in [file.clone(), file.join("below")] {
        let message = StorageEngine::open(&path)
            .err()
            .unwrap_or_else(|| panic!("opening {} must fail", path.display()))
            .to_string();
        assert!(
            message.contains(file.to_str().expect("UTF-8 path")),
            "the error should name the path: {message}"
        );
        eprintln!("a file as root: {message}");
    }
}

/// Makes a directory tree unwritable until dropped. Root ignores permission bits, so as root the
/// tree becomes a read-only bind mount of itself (writes fail with EROFS), or, where mounting is
/// not allowed, immutable (`chattr -R +i`); otherwise `chmod -R a-w`. Checks that writing into
/// it really fails, so the test cannot pass by proving nothing.
struct ReadOnlyDir<'a> {
    path: &'a Path,
    how: ReadOnlyBy,
}

#[derive(Clone, Copy, Debug)]
enum ReadOnlyBy {
    BindMount,
    Immutable,
    Permissions,
}

fn run(program: &str, args: &[&str], path: &Path) -> bool {
    Command::new(program)
        .args(args)
        .arg(path)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

impl<'a> ReadOnlyDir<'a> {
    fn new(path: &'a Path) -> Self {
        // SAFETY: geteuid has no preconditions.
        let how = if unsafe { libc::geteuid() } != 0 {
            set_modes(path, false);
            ReadOnlyBy::Permissions
        } else if run("mount", &["--bind", path.to_str().expect("UTF-8")], path) {
            let remounted = run("mount", &["-o", "remount,bind,ro"], path);
            if !remounted {
                run("umount", &[], path);
            }
            assert!(
                remounted,
                "mount -o remount,bind,ro {} failed",
                path.display()
            );
            ReadOnlyBy::BindMount
        } else {
            assert!(
                run("chattr", &["-R", "+i"], path),
                "cannot make {} read-only as root: neither a bind mount nor chattr +i works here",
                path.display()
            );
            ReadOnlyBy::Immutable
        };
        let guard = ReadOnlyDir { path, how };
        assert!(
            std::fs::write(path.join("probe"), b"x").is_err(),
            "{} is still writable ({how:?}): the read-only test would prove nothing",
            path.display()
        );
        guard
    }
}

impl Drop for ReadOnlyDir<'_> {
    fn drop(&mut self) {
        match self.how {
            ReadOnlyBy::BindMount => {
                run("umount", &[], self.path);
            }
            ReadOnlyBy::Immutable => {
                run("chattr", &["-R", "-i"], self.path);
            }
            ReadOnlyBy::Permissions => set_modes(self.path, true),
        }
    }
}

/// `chmod -R u+w` or `a-w` over a tree.
fn set_modes(path: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).expect("stat").permissions().mode();
    let mode = if writable {
        mode | 0o200
    } else {
        mode & !0o222
    };
    if path.is_dir() && writable {
        set_mode(path, mode);
    }
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("read_dir") {
            set_modes(&entry.expect("entry").path(), writable);
        }
    }
    if !(path.is_dir() && writable) {
        set_mode(path, mode);
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|err| panic!("chmod {mode:o} {}: {err}", path.display()));
}

#[test]
fn a_read_only_root_dir_is_a_clear_error() {
    let root = TempRoot::new("read-only");
    let empty = root.join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let existing = root.join("existing");
    store_with(&existing, 3).close().expect("close");
    for dir in [&empty, &existing] {
        {
            let _read_only = ReadOnlyDir::new(dir);
            let message = StorageEngine::open(dir)
                .err()
                .unwrap_or_else(|| panic!("opening read-only {} must fail", dir.display()))
                .to_string();
            assert!(
                message.contains(dir.to_str().expect("UTF-8 path")),
                "the error should name the directory: {message}"
            );
            eprintln!("read-only root: {message}");
        }
        let engine = open(dir);
        let expected = if dir == &existing { 3 } else { 0 };
        assert_eq!(engine.next_sequence(), expected, "{}", dir.display());
        assert_eq!(
            engine.append_event(b"writable again").expect("append"),
            expected
        );
    }
}

#[test]
fn a_full_disk_by_rlimit_fsize_is_a_clear_error_and_the_store_stays_usable() {
    const LIMIT: u64 = 256 * 1024;
    const PAYLOAD: u64 = 10_000;
    let root = TempRoot::new("efbig");
    let root_arg = root.path().to_str().expect("UTF-8 path").to_owned();
    let finished = RunningChild::spawn(child_command(&[
        "fill".into(),
        root_arg.clone(),
        LIMIT.to_string(),
        PAYLOAD.to_string(),
    ]))
    .wait();
    assert!(
        finished.status.success() && finished.failure().is_none(),
        "the fill child failed ({}): {:?}\n{}",
        finished.status,
        finished.failure(),
        finished.stderr
    );
    let acked = finished.acked();
    let full_at = acked.iter().filter(|(_, _, len)| *len == PAYLOAD).count() as u64;
    assert!(
        full_at >= 10,
        "only {full_at} appends fit under {LIMIT} bytes"
    );
    let error = finished.result("append_error");
    eprintln!("RLIMIT_FSIZE: {error}");
    assert!(
        error.contains(&root_arg) && (error.contains("too large") || error.contains("EFBIG")),
        "the error should name the file and say what went wrong: {error}"
    );
    assert_eq!(finished.result("next_after_failure"), full_at.to_string());
    assert_eq!(finished.result("replay_matches_acked"), "ok true");
    assert!(finished.result("batch_append").starts_with("err "));
    assert_eq!(finished.result("next_after_batch"), full_at.to_string());
    assert!(finished.result("big_checkpoint").starts_with("err "));
    assert_eq!(finished.result("checkpoint_intact"), "ok true");
    let tiny = finished.result("tiny_append");
    assert!(
        tiny == format!("ok {full_at}") || tiny.starts_with("err "),
        "{tiny}"
    );
    assert_eq!(finished.result("close"), "ok ()");

    // Without the limit: everything acknowledged is there, and the store works.
    let engine = open(root.path());
    let events = engine.replay_events(0, None).expect("replay");
    let served: Vec<(u64, u64, u64)> = (0..)
        .zip(&events)
        .map(|(seq, e)| (seq, fnv1a64(e), e.len() as u64))
        .collect();
    assert_eq!(served, acked, "replay after the limit is lifted");
    let next = acked.len() as u64;
    assert_eq!(engine.append_event(&[1; 20_000]).expect("append"), next);
    let big = Rng::new(1).bytes(LIMIT as usize + 4096);
    engine.save_checkpoint("before", &big).expect("save");
    assert_eq!(engine.load_checkpoint("before").expect("load"), Some(big));
}

/// Mounts a tmpfs of `bytes` at `path` until dropped.
struct SmallTmpfs<'a>(&'a Path);

impl<'a> SmallTmpfs<'a> {
    fn mount(path: &'a Path, bytes: u64) -> Option<Self> {
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(path)
            .status()
            .ok()?;
        // Not `then_some`: that would build (and drop, unmounting) the guard on failure too.
        if status.success() {
            Some(SmallTmpfs(path))
        } else {
            None
        }
    }
}

impl Drop for SmallTmpfs<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0).status();
    }
}

#[test]
fn a_full_tmpfs_is_a_clear_error_and_pruning_frees_room() {
    let root = TempRoot::new("enospc");
    let Some(_tmpfs) = SmallTmpfs::mount(root.path(), 512 * 1024) else {
        if std::env::var_os("KU0_STORAGE_NO_MOUNT").is_some() {
            eprintln!(
                "SKIPPED (KU0_STORAGE_NO_MOUNT is set): the ENOSPC test needs to mount a tmpfs"
            );
            return;
        }
        panic!(
            "cannot mount a tmpfs on {} (needs root); set KU0_STORAGE_NO_MOUNT=1 to skip this one test",
            root.path().display()
        );
    };
    let store = root.join("store");
    let options = || OpenOptions {
        segment_bytes: 64 * 1024,
    };
    let engine = StorageEngine::open_with(&store, options()).expect("open");
    engine.save_checkpoint("cp", b"kept").expect("save");
    let mut rng = Rng::new(7);
    let mut payloads = Vec::new();
    let error = loop {
        let payload = rng.bytes(10_000);
        match engine.append_event(&payload) {
            Ok(seq) => {
                assert_eq!(seq, payloads.len() as u64);
                payloads.push(payload);
            }
            Err(err) => break err.to_string(),
        }
        assert!(payloads.len() < 200, "a 512 KiB tmpfs never filled up");
    };
    assert!(
        error.contains(store.to_str().expect("UTF-8")) && error.contains("ENOSPC"),
        "the error should name the file and say the disk is full: {error}"
    );
    eprintln!("full tmpfs: {error}");
    let full_at = payloads.len() as u64;
    assert_eq!(engine.next_sequence(), full_at);
    assert_eq!(engine.replay_events(0, None).expect("replay"), payloads);
    assert!(engine.save_checkpoint("cp", &rng.bytes(600_000)).is_err());
    assert_eq!(
        engine.load_checkpoint("cp").expect("load"),
        Some(b"kept".to_vec())
    );
    // Fill the last free bytes too: a prune must still work on a 100% full disk (it moves the
    // mark in place, then deletes segments), and so must deleting a checkpoint.
    let filler = root.join("filler");
    fill_the_disk(&filler);
    assert_eq!(
        engine
            .prune_events(full_at / 2)
            .expect("prune on a full disk"),
        full_at / 2
    );
    assert_eq!(
        engine.replay_events(0, None).expect("replay"),
        &payloads[full_at as usize / 2..]
    );
    fill_the_disk(&filler);
    assert!(engine
        .delete_checkpoint("cp")
        .expect("delete on a full disk"));
    fill_the_disk(&filler);
    assert_eq!(
        engine
            .prune_events(full_at)
            .expect("prune everything on a full disk"),
        full_at - full_at / 2
    );
    // The segments are gone, the active one too: there is room for new events at once.
    let after = rng.bytes(10_000);
    assert_eq!(
        engine.append_event(&after).expect("append after prune"),
        full_at
    );
    engine.close().expect("close");
    let engine = StorageEngine::open_with(&store, options()).expect("reopen");
    assert_eq!(engine.recovery().removed_segments, 0);
    assert_eq!(engine.replay_events(0, None).expect("replay"), [after]);
    assert_eq!(engine.next_sequence(), full_at + 1);
}

/// Appends to `path` until the file system has not one byte left (ENOSPC).
fn fill_the_disk(path: &Path) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open the filler file");
    for chunk in [4096usize, 1] {
        loop {
            match file.write(&vec![0xaa; chunk]) {
                Ok(0) => break,
                Ok(_) => {}
                Err(err) if err.raw_os_error() == Some(libc::ENOSPC) => break,
                Err(err) => panic!("filling {}: {err}", path.display()),
            }
        }
    }
    let error = std::fs::write(path.with_extension("probe"), b"x").expect_err("the disk is full");
    assert_eq!(error.raw_os_error(), Some(libc::ENOSPC), "{error}");
}

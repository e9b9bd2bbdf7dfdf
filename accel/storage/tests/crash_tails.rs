//! Damaged logs, made by editing the files of a closed store: torn tails (the last record cut
//! at a random offset) and garbage tails are truncated on open and reported in `recovery()`;
//! corruption in the middle of the log (a flipped byte in an earlier record, in the last segment
//! or in a sealed one) is an error, never served and never silently truncated away.
//!
//! The tests do not know the file format: payloads are random, so their bytes locate their
//! records. `CRASH_SEED=<n>` replays a failing run.

mod crash_support;

use std::fs::OpenOptions as FileOptions;
use std::io::Write;
use std::path::Path;

use accel_storage::{OpenOptions, Recovery, StorageEngine};
use crash_support::protocol::Rng;
use crash_support::{locate, seed, TempRoot};

/// Small segments: a log of 60 events of up to 300 bytes spans several.
const SEGMENT_BYTES: u64 = 4096;
const CASES: u64 = 24;

fn open(root: &Path) -> Result<StorageEngine, accel_storage::StorageError> {
    let options = OpenOptions {
        segment_bytes: SEGMENT_BYTES,
    };
    StorageEngine::open_with(root, options)
}

/// A closed store holding `count` random payloads of 16..300 bytes; returns them.
fn write_log(root: &Path, rng: &mut Rng, count: usize) -> Vec<Vec<u8>> {
    let engine = open(root).expect("open a fresh store");
    let payloads: Vec<Vec<u8>> = (0..count)
        .map(|_| {
            let len = 16 + rng.below(285) as usize;
            rng.bytes(len)
        })
        .collect();
    let mut written = 0;
    while written < count {
        let batch = (1 + rng.below(4) as usize).min(count - written);
        let refs: Vec<&[u8]> = payloads[written..written + batch]
            .iter()
            .map(Vec::as_slice)
            .collect();
        let first = engine.append_events(&refs).expect("append");
        assert_eq!(first, written as u64);
        written += batch;
    }
    engine.close().expect("close");
    payloads
}

fn replay_all(engine: &StorageEngine) -> Vec<Vec<u8>> {
    engine.replay_events(0, None).expect("replay")
}

fn truncate(path: &Path, len: u64) {
    FileOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| file.set_len(len))
        .unwrap_or_else(|err| panic!("truncating {}: {err}", path.display()));
}

fn append_bytes(path: &Path, bytes: &[u8]) {
    FileOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .unwrap_or_else(|err| panic!("appending to {}: {err}", path.display()));
}

fn flip_byte(path: &Path, offset: u64, rng: &mut Rng) {
    let mut data = std::fs::read(path).expect("read a segment");
    data[offset as usize] ^= 1 << rng.below(8);
    std::fs::write(path, data).expect("write a segment");
}

/// Reopens a store whose last record was damaged and checks the repair: the first `intact`
/// payloads are served, the damage is reported, numbering continues at `intact`, and the store
/// then works and reopens clean.
fn check_repaired(root: &Path, payloads: &[Vec<u8>], intact: usize, context: &str) {
    let engine = open(root).unwrap_or_else(|err| panic!("{context}: open failed: {err}"));
    assert!(
        engine.recovery().truncated_tail.is_some(),
        "{context}: the repair was not reported: {:?}",
        engine.recovery()
    );
    assert_eq!(
        replay_all(&engine),
        payloads[..intact],
        "{context}: the intact events"
    );
    assert_eq!(
        engine.next_sequence(),
        intact as u64,
        "{context}: next sequence"
    );
    assert_eq!(
        engine
            .append_event(b"after repair")
            .expect("append after repair"),
        intact as u64
    );
    engine.close().expect("close");
    let engine = open(root).expect("reopen after repair");
    assert!(
        *engine.recovery() == Recovery::default(),
        "{context}: a second open repaired again: {:?}",
        engine.recovery()
    );
    let events = replay_all(&engine);
    assert_eq!(events.len(), intact + 1, "{context}");
    assert_eq!(events[intact], b"after repair", "{context}");
}

#[test]
fn a_torn_last_record_is_truncated_and_reported() {
    let mut rng = Rng::new(seed(0x7a11));
    for case in 0..CASES {
        let root = TempRoot::new("torn");
        let count = 1 + rng.below(60) as usize;
        let payloads = write_log(root.path(), &mut rng, count);
        let last = payloads.last().expect("at least one event");
        let (segment, start) = locate(root.path(), last);
        // Anywhere from the byte before the payload (inside the record header) to its last byte.
        let cut = start - 1 + rng.below(last.len() as u64 + 1);
        truncate(&segment, cut);
        let context = format!("case {case}: cut {} at {cut}", segment.display());
        check_repaired(root.path(), &payloads, payloads.len() - 1, &context);
    }
}

#[test]
fn garbage_after_the_last_record_is_truncated_and_reported() {
    let mut rng = Rng::new(seed(0x6a7b));
    for case in 0..CASES {
        let root = TempRoot::new("garbage");
        let count = 1 + rng.below(60) as usize;
        let payloads = write_log(root.path(), &mut rng, count);
        let (segment, _) = locate(root.path(), payloads.last().expect("an event"));
        let len = 1 + rng.below(200) as usize;
        // Random bytes, or zeros as a preallocated or half-written tail leaves them.
        let garbage = if case % 3 == 0 {
            vec![0; len]
        } else {
            rng.bytes(len)
        };
        append_bytes(&segment, &garbage);
        let context = format!(
            "case {case}: {len} bytes of garbage after {}",
            segment.display()
        );
        check_repaired(root.path(), &payloads, payloads.len(), &context);
    }
}

/// Flips a byte of an early record: open fails, or the store opens with every event still
/// counted and refuses to serve the damaged one. Returns the error the user sees.
fn check_corruption_detected(
    root: &Path,
    payloads: &[Vec<u8>],
    damaged: usize,
    context: &str,
) -> String {
    let engine = match open(root) {
        Err(err) => return err.to_string(),
        Ok(engine) => engine,
    };
    assert_eq!(
        engine.next_sequence(),
        payloads.len() as u64,
        "{context}: open truncated the log at the corruption instead of reporting it ({:?})",
        engine.recovery()
    );
    for (from, limit) in [(0, None), (damaged as u64, Some(1))] {
        match engine.replay_events(from, limit) {
            Err(err) => assert!(!err.to_string().is_empty()),
            Ok(events) => panic!(
                "{context}: replay({from}, {limit:?}) served {} events over a corrupt record{}",
                events.len(),
                if events.iter().any(|e| e.as_slice() == payloads[damaged]) {
                    ""
                } else {
                    " (the damaged payload among them, mangled)"
                }
            ),
        }
    }
    match engine.replay_events(0, None) {
        Err(err) => err.to_string(),
        Ok(_) => unreachable!("checked above"),
    }
}

#[test]
fn a_flipped_byte_in_an_earlier_record_is_an_error_never_served() {
    let mut rng = Rng::new(seed(0xf11b));
    for case in 0..CASES {
        let root = TempRoot::new("flip");
        let count = 20 + rng.below(40) as usize;
        let payloads = write_log(root.path(), &mut rng, count);
        // Any record but the last: a bad record followed by valid ones is not a torn tail.
        let damaged = rng.below(payloads.len() as u64 - 1) as usize;
        let (segment, start) = locate(root.path(), &payloads[damaged]);
        // In the payload, or in the 8 bytes before it (the record header's checksum or length).
        let offset = if case % 2 == 0 {
            start + rng.below(payloads[damaged].len() as u64)
        } else {
            start - 1 - rng.below(8)
        };
        flip_byte(&segment, offset, &mut rng);
        let context = format!(
            "case {case}: event {damaged} of {}, byte {offset} of {}",
            payloads.len(),
            segment.display()
        );
        let message = check_corruption_detected(root.path(), &payloads, damaged, &context);
        assert!(
            message.contains(&damaged.to_string()) || message.contains("segment"),
            "{context}: the error should name the damaged record or segment: {message}"
        );
    }
}

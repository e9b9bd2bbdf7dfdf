//! A child process for the crash and fault tests of accel-storage (`tests/crash_kill.rs`,
//! `tests/faults.rs`); it reports on stdout in the line protocol of `protocol.rs`.
//!
//! ```text
//! storage-crash-child append <root> <segment bytes> <seed> <threads>
//!     appends random payloads (single events and batches, 0 bytes to 32 KiB) from <threads>
//!     threads until it is killed; the first thread also prunes and saves the checkpoint "crash"
//!     now and then
//! storage-crash-child fill <root> <file size limit> <payload bytes>
//!     lowers RLIMIT_FSIZE (SIGXFSZ ignored, so writes fail with EFBIG), appends until an append
//!     fails, then reports how the store behaves while the limit holds
//! ```

mod protocol;

use std::io::Write;
use std::process::exit;
use std::sync::Arc;
use std::thread;

use accel_storage::{OpenOptions, StorageEngine};
use protocol::{fnv1a64, Line, Rng, CRASH_CHECKPOINT};

fn emit(lines: &[Line]) {
    let text: String = lines.iter().map(Line::to_text).collect();
    let mut stdout = std::io::stdout().lock();
    // The parent may be gone (it killed us, or failed): nothing useful to do then but stop.
    if stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        exit(0);
    }
}

fn fail(context: &str, error: impl std::fmt::Display) -> ! {
    emit(&[Line::Failed(format!("{context}: {error}"))]);
    exit(3);
}

fn usage() -> ! {
    eprintln!(
        "usage: storage-crash-child append <root> <segment bytes> <seed> <threads>\n       \
         storage-crash-child fill <root> <file size limit> <payload bytes>"
    );
    exit(2);
}

fn number(arg: Option<&String>) -> u64 {
    arg.and_then(|a| a.parse().ok()).unwrap_or_else(|| usage())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("append") if args.len() == 5 => append_until_killed(
            &args[1],
            number(args.get(2)),
            number(args.get(3)),
            number(args.get(4)),
        ),
        Some("fill") if args.len() == 4 => {
            fill_until_full(&args[1], number(args.get(2)), number(args.get(3)))
        }
        _ => usage(),
    }
}

fn open(root: &str, segment_bytes: u64) -> StorageEngine {
    let options = OpenOptions { segment_bytes };
    let engine = StorageEngine::open_with(root, options).unwrap_or_else(|err| fail("open", err));
    emit(&[Line::Opened {
        next: engine.next_sequence(),
        low_water_mark: engine.low_water_mark(),
    }]);
    engine
}

/// Mostly small payloads, some of a few KiB, a few up to 32 KiB, some empty.
fn payload_len(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=4 => 0,
        5..=64 => rng.below(256) as usize,
        65..=94 => 256 + rng.below(4096 - 256) as usize,
        _ => 4096 + rng.below(32768 - 4096) as usize,
    }
}

fn append_until_killed(root: &str, segment_bytes: u64, seed: u64, threads: u64) {
    let engine = Arc::new(open(root, segment_bytes));
    let workers: Vec<_> = (0..threads.max(1))
        .map(|worker| {
            let engine = Arc::clone(&engine);
            let mut rng = Rng::new(seed ^ worker.wrapping_mul(0x5851_f42d_4c95_7f2d));
            thread::spawn(move || loop {
                if worker == 0 && rng.below(25) == 0 {
                    prune_somewhere(&engine, &mut rng);
                }
                if worker == 0 && rng.below(25) == 0 {
                    save_checkpoint(&engine, &mut rng);
                }
                let count = if rng.below(3) == 0 {
                    2 + rng.below(7) as usize
                } else {
                    1
                };
                let payloads: Vec<Vec<u8>> = (0..count)
                    .map(|_| {
                        let len = payload_len(&mut rng);
                        rng.bytes(len)
                    })
                    .collect();
                let described: Vec<(u64, u64)> = payloads
                    .iter()
                    .map(|p| (fnv1a64(p), p.len() as u64))
                    .collect();
                emit(
                    &described
                        .iter()
                        .map(|&(hash, len)| Line::Trying { hash, len })
                        .collect::<Vec<_>>(),
                );
                let first = if count == 1 {
                    engine.append_event(&payloads[0])
                } else {
                    let refs: Vec<&[u8]> = payloads.iter().map(Vec::as_slice).collect();
                    engine.append_events(&refs)
                }
                .unwrap_or_else(|err| fail("append", err));
                emit(
                    &described
                        .iter()
                        .zip(first..)
                        .map(|(&(hash, len), seq)| Line::Acked { seq, hash, len })
                        .collect::<Vec<_>>(),
                );
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
}

fn prune_somewhere(engine: &StorageEngine, rng: &mut Rng) {
    let (low, next) = (engine.low_water_mark(), engine.next_sequence());
    let before = low + rng.below(next - low + 1);
    emit(&[Line::Pruning { before }]);
    engine
        .prune_events(before)
        .unwrap_or_else(|err| fail("prune", err));
    emit(&[Line::Pruned { before }]);
}

fn save_checkpoint(engine: &StorageEngine, rng: &mut Rng) {
    let len = rng.below(20_000) as usize;
    let data = rng.bytes(len);
    let (hash, len) = (fnv1a64(&data), len as u64);
    emit(&[Line::Saving { hash, len }]);
    engine
        .save_checkpoint(CRASH_CHECKPOINT, &data)
        .unwrap_or_else(|err| fail("save a checkpoint", err));
    emit(&[Line::Saved { hash, len }]);
}

fn limit_file_size(bytes: u64) {
    // SAFETY: plain libc calls with valid arguments; ignoring SIGXFSZ makes an oversized write
    // fail with EFBIG instead of killing the process.
    unsafe {
        if libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR {
            fail("signal(SIGXFSZ)", std::io::Error::last_os_error());
        }
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit) != 0 {
            fail("getrlimit", std::io::Error::last_os_error());
        }
        limit.rlim_cur = bytes as libc::rlim_t;
        if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
            fail("setrlimit", std::io::Error::last_os_error());
        }
    }
}

fn result(key: &str, value: impl std::fmt::Display) {
    emit(&[Line::Result {
        key: key.to_owned(),
        value: value.to_string(),
    }]);
}

fn outcome<T: std::fmt::Debug, E: std::fmt::Display>(outcome: Result<T, E>) -> String {
    match outcome {
        Ok(value) => format!("ok {value:?}"),
        Err(err) => format!("err {err}"),
    }
}

/// Appends `payload_bytes`-sized events until the file size limit stops one, then reports (as `R`
/// lines) how the store behaves while the limit still holds. The parent checks the rest after
/// reopening without the limit.
fn fill_until_full(root: &str, file_size_limit: u64, payload_bytes: u64) {
    let engine = open(root, 64 << 20);
    let mut rng = Rng::new(file_size_limit ^ payload_bytes);
    let small_checkpoint = rng.bytes(100);
    if let Err(err) = engine.save_checkpoint("before", &small_checkpoint) {
        fail("save a small checkpoint before the limit", err);
    }
    limit_file_size(file_size_limit);
    let mut acked = Vec::new();
    let failure = loop {
        let payload = rng.bytes(payload_bytes as usize);
        let (hash, len) = (fnv1a64(&payload), payload.len() as u64);
        emit(&[Line::Trying { hash, len }]);
        match engine.append_event(&payload) {
            Ok(seq) => {
                emit(&[Line::Acked { seq, hash, len }]);
                acked.push((hash, len));
            }
            Err(err) => break err,
        }
        if acked.len() as u64 * payload_bytes > 4 * file_size_limit {
            fail("fill", "the file size limit never stopped an append");
        }
    };
    result("append_error", &failure);
    result("next_after_failure", engine.next_sequence());
    let replayed = engine.replay_events(0, None).map(|events| {
        events
            .iter()
            .map(|e| (fnv1a64(e), e.len() as u64))
            .collect::<Vec<_>>()
            == acked
    });
    result("replay_matches_acked", outcome(replayed));
    let big: Vec<u8> = rng.bytes(payload_bytes as usize);
    let batch: Vec<&[u8]> = vec![&big, &big];
    result("batch_append", outcome(engine.append_events(&batch)));
    result("next_after_batch", engine.next_sequence());
    let too_big_checkpoint = rng.bytes(file_size_limit as usize + 4096);
    result(
        "big_checkpoint",
        outcome(engine.save_checkpoint("before", &too_big_checkpoint)),
    );
    result(
        "checkpoint_intact",
        outcome(
            engine
                .load_checkpoint("before")
                .map(|data| data.as_deref() == Some(&small_checkpoint[..])),
        ),
    );
    let tiny = [7u8];
    emit(&[Line::Trying {
        hash: fnv1a64(&tiny),
        len: 1,
    }]);
    match engine.append_event(&tiny) {
        Ok(seq) => {
            emit(&[Line::Acked {
                seq,
                hash: fnv1a64(&tiny),
                len: 1,
            }]);
            result("tiny_append", format!("ok {seq}"));
        }
        Err(err) => result("tiny_append", format!("err {err}")),
    }
    result("close", outcome(engine.close()));
}

//! Engine-level time of the storage track (criterion), each measured beside its physical limit
//! on the same disk in the same run:
//! - `storage/append-256b`: a durable 256-byte append vs a bare `write` + `fdatasync`.
//! - `storage/append-8-writers`: durable records/s with 8 threads appending at once (group
//!   commit) vs SQLite (rusqlite, WAL, synchronous=FULL, one insert per transaction, the 8
//!   threads sharing one connection behind a mutex).
//! - `storage/checkpoint-save-{64kb,1mb}`: save vs a bare write + fsync + rename + directory
//!   fsync of the same compressed bytes (and of the uncompressed bytes);
//!   `storage/checkpoint-load-1mb`.
//! - `storage/replay-100k`: 100,000 events of 256 bytes, every checksum verified, as a
//!   `Vec` per event and through the visitor.
//!
//! Files live under the system temp dir (the same disk as target/ here). `KU0_BENCH_QUICK=1`
//! shortens it.

#[path = "storage_inputs/mod.rs"]
mod storage_inputs;

use std::fs::{File, OpenOptions as FileOptions};
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use accel_storage::{encode_checkpoint, OpenOptions, StorageEngine};
use benches::configure;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use storage_inputs::{checkpoint_state, random_bytes};

const WRITERS: usize = 8;
/// Appends per writer per measured round of the concurrent bench.
const APPENDS_PER_WRITER: usize = 25;

/// A fresh directory for one bench, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("ku0-storage-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the bench directory");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn append_256b(c: &mut Criterion) {
    let payload = random_bytes(1, 256);
    let mut group = c.benchmark_group("storage/append-256b");
    configure(&mut group, false);

    let scratch = Scratch::new("append");
    let engine = StorageEngine::open(scratch.0.join("store")).expect("open the store");
    group.bench_function("engine", |bench| {
        bench.iter(|| engine.append_event(black_box(&payload)).expect("append"))
    });
    drop(engine);

    // The physical limit: what an append costs with nothing but the write and the sync.
    let mut bare = FileOptions::new()
        .create(true)
        .append(true)
        .open(scratch.0.join("bare.log"))
        .expect("create the bare file");
    group.bench_function("bare-write-fdatasync", |bench| {
        bench.iter(|| {
            bare.write_all(black_box(&payload)).expect("write");
            bare.sync_data().expect("fdatasync");
        })
    });
    group.finish();
}

/// Runs `append` from `WRITERS` threads, `APPENDS_PER_WRITER` times each; the wall time.
fn concurrent_round(append: &(dyn Fn(&[u8]) + Sync), payload: &[u8]) -> Duration {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..WRITERS {
            scope.spawn(|| {
                for _ in 0..APPENDS_PER_WRITER {
                    append(payload);
                }
            });
        }
    });
    start.elapsed()
}

fn append_8_writers(c: &mut Criterion) {
    let payload = random_bytes(2, 256);
    let mut group = c.benchmark_group("storage/append-8-writers");
    configure(&mut group, true);
    group.throughput(Throughput::Elements((WRITERS * APPENDS_PER_WRITER) as u64));

    let scratch = Scratch::new("concurrent");
    let engine = Arc::new(StorageEngine::open(scratch.0.join("store")).expect("open the store"));
    let append_engine = |data: &[u8]| {
        engine.append_event(data).expect("append");
    };
    group.bench_function("engine", |bench| {
        bench.iter_custom(|rounds| {
            (0..rounds)
                .map(|_| concurrent_round(&append_engine, &payload))
                .sum()
        })
    });

    let sqlite = Mutex::new(open_sqlite(&scratch.0.join("events.sqlite")));
    let append_sqlite = |data: &[u8]| {
        let connection = sqlite.lock().expect("the connection lock");
        connection
            .execute("INSERT INTO events (data) VALUES (?1)", [data])
            .expect("insert");
    };
    group.bench_function("rusqlite-wal-full", |bench| {
        bench.iter_custom(|rounds| {
            (0..rounds)
                .map(|_| concurrent_round(&append_sqlite, &payload))
                .sum()
        })
    });
    group.finish();
}

fn open_sqlite(path: &Path) -> rusqlite::Connection {
    let connection = rusqlite::Connection::open(path).expect("open SQLite");
    connection
        .execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
             CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL);",
        )
        .expect("set up SQLite");
    connection
}

/// What `save_checkpoint` must at least do with the same compressed bytes.
fn bare_atomic_write(dir: &Path, header: &[u8], frame: &[u8]) {
    let temp = dir.join(".bare.tmp");
    let mut file = File::create(&temp).expect("create");
    file.write_all(header).expect("write");
    file.write_all(frame).expect("write");
    file.sync_all().expect("fsync");
    drop(file);
    std::fs::rename(&temp, dir.join("bare.ckpt")).expect("rename");
    File::open(dir)
        .expect("open the directory")
        .sync_all()
        .expect("fsync the directory");
}

fn checkpoints(c: &mut Criterion) {
    let scratch = Scratch::new("checkpoints");
    let engine = StorageEngine::open(scratch.0.join("store")).expect("open the store");
    let bare_dir = scratch.0.join("bare");
    std::fs::create_dir_all(&bare_dir).expect("create the bare directory");
    for (name, len, slow) in [("64kb", 64 << 10, false), ("1mb", 1 << 20, true)] {
        let data = checkpoint_state(3, len);
        let (header, frame) = encode_checkpoint(&data).expect("compress");
        eprintln!(
            "checkpoint {name}: {} bytes compress to {} (zstd level {})",
            data.len(),
            frame.len(),
            accel_storage::CHECKPOINT_ZSTD_LEVEL
        );
        let mut group = c.benchmark_group(format!("storage/checkpoint-save-{name}"));
        configure(&mut group, slow);
        group.bench_function("engine", |bench| {
            bench.iter(|| {
                engine
                    .save_checkpoint("state", black_box(&data))
                    .expect("save")
            })
        });
        group.bench_function("bare-write-fsync-rename-dirsync", |bench| {
            bench.iter(|| bare_atomic_write(&bare_dir, &header, &frame))
        });
        // The same sequence with the uncompressed bytes: what saving without compression costs.
        group.bench_function("bare-uncompressed", |bench| {
            bench.iter(|| bare_atomic_write(&bare_dir, &[], &data))
        });
        group.finish();
        // Compression alone, as a throughput, beside the save: on the 2-core VM this was tuned on
        // it outlasts the whole bare sequence for 1 MB (see accel/storage/src/checkpoint.rs).
        let mut group = c.benchmark_group(format!("storage/checkpoint-encode-{name}"));
        configure(&mut group, slow);
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_function("encode_checkpoint", |bench| {
            bench.iter(|| encode_checkpoint(black_box(&data)).expect("compress"))
        });
        group.finish();
    }

    let data = checkpoint_state(4, 1 << 20);
    engine.save_checkpoint("load-me", &data).expect("save");
    let mut group = c.benchmark_group("storage/checkpoint-load-1mb");
    configure(&mut group, false);
    group.bench_function("engine", |bench| {
        bench.iter(|| engine.load_checkpoint(black_box("load-me")).expect("load"))
    });
    group.finish();
}

fn replay_100k(c: &mut Criterion) {
    let scratch = Scratch::new("replay");
    let engine = StorageEngine::open_with(scratch.0.join("store"), OpenOptions::default())
        .expect("open the store");
    let events: Vec<Vec<u8>> = (0..100_000).map(|i| random_bytes(i, 256)).collect();
    for chunk in events.chunks(10_000) {
        let slices: Vec<&[u8]> = chunk.iter().map(Vec::as_slice).collect();
        engine.append_events(&slices).expect("append");
    }
    let mut group = c.benchmark_group("storage/replay-100k");
    configure(&mut group, false);
    group.throughput(Throughput::Elements(events.len() as u64));
    // One buffer per event, as `replay_events` returns them: on this VM the 100,000 allocations
    // (and first touches of fresh memory) cost more than the replay itself.
    group.bench_function("engine", |bench| {
        bench.iter(|| engine.replay_events(black_box(0), None).expect("replay"))
    });
    // The replay proper: map, verify every checksum, hand each payload over (what the binding
    // uses to pack events into one buffer).
    group.bench_function("engine-visit", |bench| {
        bench.iter(|| {
            let mut bytes = 0usize;
            engine
                .replay_events_with(black_box(0), None, |payload| {
                    bytes += black_box(payload).len()
                })
                .expect("replay");
            bytes
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    append_256b,
    append_8_writers,
    checkpoints,
    replay_100k
);
criterion_main!(benches);

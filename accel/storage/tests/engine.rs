//! The engine's observable behaviour through its public API: numbering, replay ranges, prune,
//! reopen, recovery of torn tails, refusal of mid-log damage, the lock, concurrency, bad input.

mod support;

use std::fs::OpenOptions as FileOptions;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::sync::{mpsc, Arc};

use accel_storage::{OpenOptions, StorageEngine, StorageError};
use support::{as_slices, payloads, segment_files, TestDir};

fn small_segments() -> OpenOptions {
    OpenOptions { segment_bytes: 512 }
}

#[test]
fn numbering_replay_ranges_and_batches() {
    let dir = TestDir::new("basics");
    let engine = StorageEngine::open(dir.path()).unwrap();
    assert_eq!(engine.next_sequence(), 0);
    assert_eq!(engine.append_event(b"a").unwrap(), 0);
    assert_eq!(engine.append_event(b"").unwrap(), 1);
    let batch = payloads(2, 5);
    assert_eq!(engine.append_events(&as_slices(&batch)).unwrap(), 2);
    assert_eq!(engine.append_events(&[]).unwrap(), 7);
    assert_eq!(engine.next_sequence(), 7);
    let all = engine.replay_events(0, None).unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(all[0], b"a");
    assert_eq!(all[1], b"");
    assert_eq!(&all[2..], &batch[..]);
    assert_eq!(engine.replay_events(3, Some(2)).unwrap(), &batch[1..3]);
    assert_eq!(engine.replay_events(6, Some(10)).unwrap(), &batch[4..]);
    assert!(engine.replay_events(7, None).unwrap().is_empty());
    assert!(engine.replay_events(u64::MAX, None).unwrap().is_empty());
    assert!(engine.replay_events(0, Some(0)).unwrap().is_empty());
    engine.close().unwrap();
}

#[test]
fn reopen_keeps_events_and_continues_numbering_across_segments() {
    let dir = TestDir::new("reopen");
    let events = payloads(0, 60);
    {
        let engine = StorageEngine::open_with(dir.path(), small_segments()).unwrap();
        for chunk in events.chunks(7) {
            engine.append_events(&as_slices(chunk)).unwrap();
        }
        engine.close().unwrap();
    }
    assert!(
        segment_files(dir.path()).len() > 3,
        "small segments roll over"
    );
    let engine = StorageEngine::open_with(dir.path(), small_segments()).unwrap();
    assert_eq!(engine.recovery().truncated_tail, None);
    assert_eq!(engine.next_sequence(), 60);
    assert_eq!(engine.replay_events(0, None).unwrap(), events);
    assert_eq!(engine.replay_events(33, Some(9)).unwrap(), &events[33..42]);
    assert_eq!(engine.append_event(b"next").unwrap(), 60);
}

#[test]
fn prune_hides_events_deletes_whole_segments_and_survives_reopen() {
    let dir = TestDir::new("prune");
    let events = payloads(0, 80);
    let engine = StorageEngine::open_with(dir.path(), small_segments()).unwrap();
    for chunk in events.chunks(10) {
        engine.append_events(&as_slices(chunk)).unwrap();
    }
    let segments_before = segment_files(dir.path()).len();
    let error = engine.prune_events(81).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot prune before 81: the log ends at 80"
    );
    assert_eq!(engine.prune_events(45).unwrap(), 45);
    assert_eq!(engine.prune_events(30).unwrap(), 0);
    assert_eq!(engine.low_water_mark(), 45);
    assert!(segment_files(dir.path()).len() < segments_before);
    assert_eq!(engine.replay_events(0, Some(3)).unwrap(), &events[45..48]);
    assert_eq!(engine.replay_events(50, None).unwrap(), &events[50..]);
    engine.close().unwrap();

    let engine = StorageEngine::open_with(dir.path(), small_segments()).unwrap();
    assert_eq!(engine.low_water_mark(), 45);
    assert_eq!(engine.replay_events(0, None).unwrap(), &events[45..]);
    assert_eq!(engine.prune_events(80).unwrap(), 35);
    assert!(engine.replay_events(0, None).unwrap().is_empty());
    engine.close().unwrap();

    let engine = StorageEngine::open_with(dir.path(), small_segments()).unwrap();
    assert_eq!(
        engine.next_sequence(),
        80,
        "numbers are never reused after a full prune"
    );
    assert_eq!(engine.append_event(b"x").unwrap(), 80);
    assert_eq!(engine.replay_events(0, None).unwrap(), vec![b"x".to_vec()]);
}

#[test]
fn a_torn_tail_is_cut_off_and_reported() {
    let dir = TestDir::new("torn");
    let events = payloads(0, 5);
    let engine = StorageEngine::open(dir.path()).unwrap();
    engine.append_events(&as_slices(&events)).unwrap();
    engine.close().unwrap();
    let segment = segment_files(dir.path()).pop().unwrap();
    let good_len = std::fs::metadata(&segment).unwrap().len();
    // Half of a record header and some payload bytes, as a crash mid-write leaves them.
    let mut file = FileOptions::new().append(true).open(&segment).unwrap();
    file.write_all(&[5, 0, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0, 1, 2, 3])
        .unwrap();
    drop(file);

    let engine = StorageEngine::open(dir.path()).unwrap();
    let tail = engine.recovery().truncated_tail.clone().expect("reported");
    assert_eq!(
        (tail.segment, tail.offset, tail.bytes),
        (segment.clone(), good_len, 15)
    );
    assert_eq!(std::fs::metadata(&segment).unwrap().len(), good_len);
    assert_eq!(engine.replay_events(0, None).unwrap(), events);
    assert_eq!(engine.append_event(b"after").unwrap(), 5);
    engine.close().unwrap();
    let engine = StorageEngine::open(dir.path()).unwrap();
    assert_eq!(engine.recovery().truncated_tail, None);
    assert_eq!(
        engine.replay_events(5, None).unwrap(),
        vec![b"after".to_vec()]
    );
}

#[test]
fn a_garbled_last_record_is_cut_off() {
    let dir = TestDir::new("garbled-tail");
    let engine = StorageEngine::open(dir.path()).unwrap();
    engine.append_events(&as_slices(&payloads(0, 3))).unwrap();
    engine.close().unwrap();
    let segment = segment_files(dir.path()).pop().unwrap();
    let len = std::fs::metadata(&segment).unwrap().len();
    flip_byte(&segment, len - 1);
    let engine = StorageEngine::open(dir.path()).unwrap();
    assert!(engine.recovery().truncated_tail.is_some());
    assert_eq!(engine.next_sequence(), 2);
}

fn flip_byte(path: &std::path::Path, offset: u64) {
    let file = FileOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap();
    let mut byte = [0u8];
    file.read_exact_at(&mut byte, offset).unwrap();
    file.write_all_at(&[byte[0] ^ 0x5a], offset).unwrap();
}

#[test]
fn damage_in_the_middle_of_the_last_segment_is_an_error() {
    let dir = TestDir::new("mid-log");
    let engine = StorageEngine::open(dir.path()).unwrap();
    engine.append_events(&as_slices(&payloads(0, 10))).unwrap();
    engine.close().unwrap();
    let segment = segment_files(dir.path()).pop().unwrap();
    flip_byte(&segment, 24 + 20); // inside record 0's payload area or record 1's header
    let error = StorageEngine::open(dir.path()).err().expect("refused");
    let message = error.to_string();
    assert!(
        matches!(error, StorageError::CorruptLog { .. }),
        "{message}"
    );
    assert!(
        message.contains("middle of the log") && message.contains(&segment.display().to_string()),
        "{message}"
    );
}

#[test]
fn damage_in_a_sealed_segment_is_an_error() {
    let dir = TestDir::new("sealed");
    let engine = StorageEngine::open_with(dir.path(), small_segments()).unwrap();
    for chunk in payloads(0, 40).chunks(8) {
        engine.append_events(&as_slices(chunk)).unwrap();
    }
    engine.close().unwrap();
    let first = segment_files(dir.path()).remove(0);
    let len = std::fs::metadata(&first).unwrap().len();
    flip_byte(&first, len - 1);
    let message = StorageEngine::open_with(dir.path(), small_segments())
        .err()
        .expect("refused")
        .to_string();
    assert!(message.contains("sealed segment"), "{message}");
}

#[test]
fn a_missing_middle_segment_is_an_error() {
    let dir = TestDir::new("gap");
    let engine = StorageEngine::open_with(dir.path(), small_segments()).unwrap();
    for chunk in payloads(0, 40).chunks(8) {
        engine.append_events(&as_slices(chunk)).unwrap();
    }
    engine.close().unwrap();
    let segments = segment_files(dir.path());
    assert!(segments.len() >= 3);
    std::fs::remove_file(&segments[1]).unwrap();
    let message = StorageEngine::open_with(dir.path(), small_segments())
        .err()
        .expect("refused")
        .to_string();
    assert!(message.contains("next one starts at"), "{message}");
}

#[test]
fn damage_after_open_is_refused_on_replay() {
    let dir = TestDir::new("bitrot");
    let engine = StorageEngine::open(dir.path()).unwrap();
    engine.append_events(&as_slices(&payloads(0, 4))).unwrap();
    let segment = segment_files(dir.path()).pop().unwrap();
    flip_byte(&segment, 24 + 16 + 3);
    let message = engine.replay_events(0, None).unwrap_err().to_string();
    assert!(message.contains("CRC32C"), "{message}");
}

#[test]
fn one_engine_per_root_and_the_error_names_the_pid() {
    let dir = TestDir::new("lock");
    let engine = StorageEngine::open(dir.path()).unwrap();
    let message = StorageEngine::open(dir.path())
        .err()
        .expect("refused")
        .to_string();
    assert!(
        message.ends_with(&format!(
            "its lock is held by process {}",
            std::process::id()
        )),
        "{message}"
    );
    engine.close().unwrap();
    StorageEngine::open(dir.path()).unwrap();
}

#[test]
fn reopening_right_after_close_works_while_another_thread_spawns_processes() {
    use std::sync::atomic::{AtomicBool, Ordering};

    // A child process holds copies of the parent's descriptors from fork to exec; the lock must
    // not go with them (it did with flock: most of these reopens failed naming our own pid).
    let dir = TestDir::new("fork-race");
    let done = Arc::new(AtomicBool::new(false));
    let spawner = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let mut spawned = 0u32;
            while !done.load(Ordering::SeqCst) {
                std::process::Command::new("/bin/true").status().unwrap();
                spawned += 1;
            }
            spawned
        })
    };
    let failures: Vec<String> = (0..400)
        .filter_map(|_| match StorageEngine::open(dir.path()) {
            Ok(engine) => engine.close().err().map(|e| e.to_string()),
            Err(error) => Some(error.to_string()),
        })
        .collect();
    done.store(true, Ordering::SeqCst);
    let spawned = spawner.join().unwrap();
    assert!(spawned > 0);
    assert!(
        failures.is_empty(),
        "{} of 400 reopens failed (with {spawned} processes spawned meanwhile), first: {}",
        failures.len(),
        failures[0]
    );
}

#[test]
fn replay_serves_only_durable_events() {
    let dir = TestDir::new("durable-replay");
    let engine = StorageEngine::open(dir.path()).unwrap();
    // Park the committer inside the first async append's callback, so nothing syncs the next one.
    let (entered, wait_entered) = mpsc::channel();
    let (release, parked) = mpsc::channel::<()>();
    engine.append_event_then(b"a".to_vec(), move |outcome| {
        entered.send(outcome.unwrap()).unwrap();
        parked.recv().unwrap();
    });
    assert_eq!(wait_entered.recv().unwrap(), 0);
    let (done_b, b_durable) = mpsc::channel();
    engine.append_event_then(b"b".to_vec(), move |outcome| {
        done_b.send(outcome.unwrap()).unwrap()
    });
    assert_eq!(engine.next_sequence(), 2, "b has its number");
    assert_eq!(
        engine.replay_events(0, None).unwrap(),
        [b"a".to_vec()],
        "b is written but not durable: not served"
    );
    assert!(b_durable.try_recv().is_err());
    // A blocking append returns once durable, which covers b too: the next replay sees both.
    assert_eq!(engine.append_event(b"c").unwrap(), 2);
    assert_eq!(b_durable.recv().unwrap(), 1);
    assert_eq!(
        engine.replay_events(1, None).unwrap(),
        [b"b".to_vec(), b"c".to_vec()]
    );
    release.send(()).unwrap();
    engine.close().unwrap();
}

#[test]
fn a_full_prune_deletes_the_active_segment_at_once() {
    let dir = TestDir::new("full-prune");
    let options = || OpenOptions {
        segment_bytes: 1024,
    };
    let engine = StorageEngine::open_with(dir.path(), options()).unwrap();
    engine.append_events(&[&[1; 600], &[2; 300]]).unwrap();
    let old = segment_files(dir.path());
    assert_eq!(old.len(), 1, "both events fit one segment");
    assert_eq!(engine.prune_events(2).unwrap(), 2);
    let after_prune = segment_files(dir.path());
    assert!(!after_prune.contains(&old[0]), "{after_prune:?}");
    assert_eq!(engine.append_event(&[3; 500]).unwrap(), 2);
    engine.close().unwrap();
    let engine = StorageEngine::open_with(dir.path(), options()).unwrap();
    assert_eq!(*engine.recovery(), accel_storage::Recovery::default());
    assert_eq!(engine.replay_events(0, None).unwrap(), [vec![3; 500]]);
    assert_eq!(engine.next_sequence(), 3);
    // Pruning everything of a store that was just opened on such a segment works the same way.
    assert_eq!(engine.prune_events(3).unwrap(), 1);
    assert_eq!(segment_files(dir.path()).len(), 1);
    engine.close().unwrap();
    let engine = StorageEngine::open_with(dir.path(), options()).unwrap();
    assert_eq!(engine.recovery().removed_segments, 0);
    assert_eq!((engine.next_sequence(), engine.low_water_mark()), (3, 3));
    assert!(engine.replay_events(0, None).unwrap().is_empty());
}

#[test]
fn concurrent_appends_get_distinct_numbers_and_their_own_payloads() {
    let dir = TestDir::new("concurrent");
    let engine =
        Arc::new(StorageEngine::open_with(dir.path(), OpenOptions { segment_bytes: 512 }).unwrap());
    let threads: Vec<_> = (0..8u8)
        .map(|thread| {
            let engine = Arc::clone(&engine);
            std::thread::spawn(move || {
                (0..12u8)
                    .map(|i| {
                        (
                            engine.append_event(&[thread, i, 7]).unwrap(),
                            [thread, i, 7],
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut acknowledged: Vec<_> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    acknowledged.sort();
    let replayed = engine.replay_events(0, None).unwrap();
    assert_eq!(replayed.len(), 96);
    for (position, (seq, payload)) in acknowledged.iter().enumerate() {
        assert_eq!(*seq, position as u64);
        assert_eq!(replayed[position], payload);
    }
}

#[test]
fn async_appends_report_once_durable_in_call_order() {
    let dir = TestDir::new("async");
    let engine = StorageEngine::open(dir.path()).unwrap();
    let (sender, receiver) = mpsc::channel();
    for i in 0..20u8 {
        let sender = sender.clone();
        engine.append_event_then(vec![i], move |outcome| {
            sender.send((i, outcome.unwrap())).unwrap()
        });
    }
    let sender_batch = sender.clone();
    engine.append_events_then(vec![vec![1], vec![2]], move |outcome| {
        sender_batch.send((99, outcome.unwrap())).unwrap()
    });
    let empty_sender = sender.clone();
    engine.append_events_then(Vec::new(), move |outcome| {
        empty_sender.send((100, outcome.unwrap())).unwrap()
    });
    drop(sender);
    engine.close().unwrap();
    let mut results: Vec<_> = receiver.iter().collect();
    results.sort();
    let expected: Vec<(u8, u64)> = (0..20u8)
        .map(|i| (i, i as u64))
        .chain([(99, 20), (100, 22)])
        .collect();
    assert_eq!(results, expected);
    let engine = StorageEngine::open(dir.path()).unwrap();
    assert_eq!(engine.next_sequence(), 22);
}

#[test]
fn a_payload_over_4_gib_is_refused_without_touching_the_log() {
    let dir = TestDir::new("too-large");
    let engine = StorageEngine::open(dir.path()).unwrap();
    // An anonymous mapping is not backed by memory until touched, and nothing touches it.
    let huge = memmap2::MmapMut::map_anon(1usize << 32).unwrap();
    let message = engine.append_event(&huge).unwrap_err().to_string();
    assert_eq!(
        message,
        "the event is 4294967296 bytes, over the limit of 4294967295 bytes (4 GiB - 1)"
    );
    assert!(engine.append_events(&[b"ok", &huge]).is_err());
    assert_eq!(engine.next_sequence(), 0);
    assert_eq!(engine.append_event(b"ok").unwrap(), 0);
}

#[test]
fn checkpoints_through_the_engine() {
    let dir = TestDir::new("checkpoints");
    let engine = StorageEngine::open(dir.path().join("nested/deeper")).unwrap();
    let data: Vec<u8> = (0..100_000u32)
        .flat_map(|i| (i % 300).to_le_bytes())
        .collect();
    engine.save_checkpoint("state.v1", &data).unwrap();
    engine.save_checkpoint("empty", b"").unwrap();
    assert_eq!(engine.load_checkpoint("state.v1").unwrap(), Some(data));
    assert_eq!(engine.load_checkpoint("empty").unwrap(), Some(Vec::new()));
    assert_eq!(engine.load_checkpoint("missing").unwrap(), None);
    assert!(engine.delete_checkpoint("empty").unwrap());
    for bad in ["", "../up", "a/b", "aux", ".x", "x.", "nul\0"] {
        let message = engine.save_checkpoint(bad, b"x").unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("invalid checkpoint id \"{bad}\": ")),
            "{message}"
        );
    }
}

#[test]
fn a_root_that_cannot_be_a_directory_is_a_clear_error() {
    let dir = TestDir::new("not-a-dir");
    std::fs::create_dir_all(dir.path()).unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, b"").unwrap();
    let message = StorageEngine::open(file.join("store"))
        .err()
        .expect("refused")
        .to_string();
    assert_eq!(
        message,
        format!(
            "cannot create the directory {}: {} exists and is not a directory",
            file.join("store").display(),
            file.display()
        )
    );
    let message = StorageEngine::open(&file)
        .err()
        .expect("refused")
        .to_string();
    assert_eq!(
        message,
        format!(
            "cannot create the directory {}: it exists and is not a directory",
            file.display()
        )
    );
}

#[test]
fn replays_starting_anywhere_in_a_large_segment_agree_before_and_after_reopen() {
    let dir = TestDir::new("index");
    let events = payloads(0, 1000);
    let engine = StorageEngine::open(dir.path()).unwrap();
    for chunk in events.chunks(333) {
        engine.append_events(&as_slices(chunk)).unwrap();
    }
    let check = |engine: &StorageEngine| {
        for from in [0u64, 1, 127, 128, 129, 255, 256, 500, 767, 768, 998, 999] {
            let limit = from % 7 + 1;
            let expected: Vec<Vec<u8>> = events[from as usize..]
                .iter()
                .take(limit as usize)
                .cloned()
                .collect();
            assert_eq!(
                engine.replay_events(from, Some(limit)).unwrap(),
                expected,
                "from {from}"
            );
        }
        let mut visited = Vec::new();
        let count = engine
            .replay_events_with(700, None, |payload| visited.push(payload.to_vec()))
            .unwrap();
        assert_eq!((count, &visited[..]), (300, &events[700..]));
    };
    check(&engine);
    engine.close().unwrap();
    let engine = StorageEngine::open(dir.path()).unwrap();
    check(&engine);
}

#[test]
fn the_engine_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<StorageEngine>();
    assert_send_sync::<StorageError>();
}

#[test]
fn appends_replays_and_prunes_can_run_at_once() {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicBool, Ordering};

    let dir = TestDir::new("mixed");
    let engine =
        Arc::new(StorageEngine::open_with(dir.path(), OpenOptions { segment_bytes: 600 }).unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let payload = |thread: u8, i: u16| {
        [
            vec![thread],
            i.to_le_bytes().to_vec(),
            vec![thread; (i % 40) as usize],
        ]
        .concat()
    };

    let writers: Vec<_> = (0..3u8)
        .map(|thread| {
            let engine = Arc::clone(&engine);
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for i in 0..60u16 {
                    let data = payload(thread, i);
                    let seq = match thread {
                        0 => engine.append_event(&data).unwrap(),
                        1 => engine.append_events(&[&data]).unwrap(),
                        _ => {
                            let (sender, receiver) = mpsc::channel();
                            engine.append_event_then(data.clone(), move |outcome| {
                                sender.send(outcome).unwrap()
                            });
                            receiver.recv().unwrap().unwrap()
                        }
                    };
                    acknowledged.push((seq, data));
                }
                acknowledged
            })
        })
        .collect();
    let reader = {
        let (engine, done) = (Arc::clone(&engine), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !done.load(Ordering::SeqCst) {
                let from = engine.next_sequence() / 3;
                seen.push(engine.replay_events(from, Some(50)).unwrap());
                let next = engine.next_sequence();
                if next > 20 {
                    engine.prune_events(next / 4).unwrap();
                }
            }
            seen
        })
    };
    let by_seq: HashMap<u64, Vec<u8>> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    done.store(true, Ordering::SeqCst);
    let seen = reader.join().unwrap();
    assert_eq!(by_seq.len(), 180);
    assert!(
        (0..180).all(|seq| by_seq.contains_key(&seq)),
        "sequence numbers are contiguous"
    );
    let seq_of: HashMap<&Vec<u8>, u64> = by_seq.iter().map(|(seq, data)| (data, *seq)).collect();
    for replay in seen.iter().filter(|r| !r.is_empty()) {
        let first = seq_of[&replay[0]];
        for (i, event) in replay.iter().enumerate() {
            assert_eq!(
                seq_of[event],
                first + i as u64,
                "a replay is a contiguous run of the log"
            );
        }
    }
    let mark = engine.low_water_mark();
    let rest = engine.replay_events(0, None).unwrap();
    assert_eq!(rest.len() as u64, 180 - mark);
    for (i, event) in rest.iter().enumerate() {
        assert_eq!(event, &by_seq[&(mark + i as u64)]);
    }
}

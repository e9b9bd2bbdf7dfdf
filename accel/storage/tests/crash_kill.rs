//! Crash safety with real processes: the crash child (`src/bin/storage-crash-child`) appends
//! random payloads (single events and batches, 0 bytes to 32 KiB, from one or four threads) and
//! reports each acknowledged sequence number with its payload's hash, and now and then prunes
//! and saves a checkpoint; the test SIGKILLs it at a random moment (during open and recovery,
//! mid-append, mid-prune, mid-save, between operations), reopens the store and checks that every
//! acknowledged event is present and intact, that nothing is corrupt, invented or reordered, that
//! numbering continues, that a durable prune holds, and that the checkpoint is a whole save. The same store lives through every kill of a
//! test, with small segments so that rollover and the parent's occasional prune cross them.
//!
//! `CRASH_SEED=<n>` replays a failing run; `CRASH_KILLS=<n>` changes the number of kills per test.

mod crash_support;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use accel_storage::{OpenOptions, StorageEngine};
use crash_support::protocol::{fnv1a64, Line, Rng, CRASH_CHECKPOINT};
use crash_support::{child_command, seed, RunningChild, TempRoot};

const SEGMENT_BYTES: u64 = 64 * 1024;
/// Per test; the two tests together kill more than 100 children per run.
const DEFAULT_KILLS: u64 = 100;
const CHILD_TIMEOUT: Duration = Duration::from_secs(20);

fn kills() -> u64 {
    std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_KILLS)
}

fn open(root: &std::path::Path) -> StorageEngine {
    let options = OpenOptions {
        segment_bytes: SEGMENT_BYTES,
    };
    StorageEngine::open_with(root, options)
        .unwrap_or_else(|err| panic!("reopening after a kill failed: {err}"))
}

/// Everything the test knows about the log across kills.
#[derive(Default)]
struct Ledger {
    /// `(hash, len)` of every event known to be in the log (acknowledged by a child, or served by
    /// a reopened store), by sequence number. Entries below the low-water mark are dropped.
    known: BTreeMap<u64, (u64, u64)>,
    /// Sequence numbers a child acknowledged.
    acked: HashSet<u64>,
    /// `(hash, len)` of every payload a child started to append.
    attempted: HashSet<(u64, u64)>,
    next: u64,
    low_water_mark: u64,
    /// Every `before` a child announced since the last reopen, and the highest it saw become
    /// durable: the mark a reopen finds must be the old one or an announced one, and at least
    /// the durable one.
    prunes_announced: HashSet<u64>,
    prune_acked: u64,
    prunes_acked: u64,
    /// `(hash, len)` of the checkpoint last known durable, and of the saves announced since.
    checkpoint: Option<(u64, u64)>,
    checkpoint_candidates: HashSet<(u64, u64)>,
    checkpoints_acked: u64,
    torn_tails_repaired: u64,
}

impl Ledger {
    /// Takes in what a killed child reported.
    fn absorb(&mut self, lines: &[Line], context: &str) {
        for line in lines {
            match *line {
                Line::Opened {
                    next,
                    low_water_mark,
                } => {
                    assert_eq!(
                        (next, low_water_mark),
                        (self.next, self.low_water_mark),
                        "{context}: the child opened the store at (next, low-water mark) = \
                         {:?}, but the last reopen saw {:?}",
                        (next, low_water_mark),
                        (self.next, self.low_water_mark)
                    );
                }
                Line::Trying { hash, len } => {
                    self.attempted.insert((hash, len));
                }
                Line::Acked { seq, hash, len } => {
                    assert!(
                        seq >= self.next,
                        "{context}: sequence number {seq} reused (the log already ended at {})",
                        self.next
                    );
                    assert!(
                        self.acked.insert(seq),
                        "{context}: sequence number {seq} acknowledged twice"
                    );
                    assert!(
                        self.attempted.contains(&(hash, len)),
                        "{context}: an acknowledged payload was never announced"
                    );
                    self.known.insert(seq, (hash, len));
                }
                Line::Pruning { before } => {
                    self.prunes_announced.insert(before);
                }
                Line::Pruned { before } => {
                    self.prune_acked = self.prune_acked.max(before);
                    self.prunes_acked += 1;
                }
                Line::Saving { hash, len } => {
                    self.checkpoint_candidates.insert((hash, len));
                }
                Line::Saved { hash, len } => {
                    self.checkpoint = Some((hash, len));
                    self.checkpoint_candidates.clear();
                    self.checkpoints_acked += 1;
                }
                Line::Failed(ref message) => panic!("{context}: the child failed: {message}"),
                Line::Result { .. } => {}
            }
        }
    }

    /// Reopens the store and checks it against everything known.
    fn verify(&mut self, engine: &StorageEngine, context: &str) {
        let (low_water_mark, next) = (engine.low_water_mark(), engine.next_sequence());
        assert!(
            low_water_mark == self.low_water_mark
                || self.prunes_announced.contains(&low_water_mark),
            "{context}: the low-water mark is {low_water_mark}: neither the old {} nor an \
             announced one ({:?})",
            self.low_water_mark,
            self.prunes_announced
        );
        assert!(
            low_water_mark >= self.prune_acked,
            "{context}: a durable prune before {} was lost (the mark is {low_water_mark})",
            self.prune_acked
        );
        self.low_water_mark = low_water_mark;
        self.prunes_announced.clear();
        self.known = self.known.split_off(&low_water_mark);
        self.verify_checkpoint(engine, context);
        assert!(
            next >= self.next,
            "{context}: the log shrank from {} to {next} events",
            self.next
        );
        let events = engine
            .replay_events(0, None)
            .unwrap_or_else(|err| panic!("{context}: replay after a kill failed: {err}"));
        assert_eq!(
            events.len() as u64,
            next - low_water_mark,
            "{context}: replay(0) served {} events, but the store holds {low_water_mark}..{next}",
            events.len()
        );
        for (seq, event) in (low_water_mark..).zip(&events) {
            let found = (fnv1a64(event), event.len() as u64);
            match self.known.get(&seq) {
                Some(&expected) => assert_eq!(
                    found, expected,
                    "{context}: event {seq} changed (hash, len) since it was acknowledged or served"
                ),
                None => {
                    assert!(
                        self.attempted.contains(&found),
                        "{context}: event {seq} ({} bytes) is no payload any child tried to append",
                        event.len()
                    );
                    self.known.insert(seq, found);
                }
            }
        }
        if let Some((&lost, _)) = self.known.range(next..).next() {
            let how = if self.acked.contains(&lost) {
                "acknowledged"
            } else {
                "served by an earlier reopen"
            };
            panic!("{context}: event {lost} was {how} but is gone (the log ends at {next})");
        }
        self.next = next;
    }

    /// The checkpoint is the last durable save, or one a killed child had started: whole,
    /// never torn or mixed.
    fn verify_checkpoint(&mut self, engine: &StorageEngine, context: &str) {
        let loaded = engine
            .load_checkpoint(CRASH_CHECKPOINT)
            .unwrap_or_else(|err| panic!("{context}: loading the checkpoint failed: {err}"))
            .map(|data| (fnv1a64(&data), data.len() as u64));
        assert!(
            loaded == self.checkpoint
                || loaded.is_some_and(|found| self.checkpoint_candidates.contains(&found)),
            "{context}: the checkpoint is {loaded:?}, neither the durable {:?} nor a save in flight",
            self.checkpoint
        );
        self.checkpoint = loaded;
        self.checkpoint_candidates.clear();
    }

    fn prune(&mut self, engine: &StorageEngine, rng: &mut Rng, context: &str) {
        let before = self.low_water_mark + rng.below(self.next - self.low_water_mark + 1);
        let pruned = engine
            .prune_events(before)
            .unwrap_or_else(|err| panic!("{context}: prune({before}) failed: {err}"));
        assert_eq!(
            pruned,
            before - self.low_water_mark,
            "{context}: prune({before})"
        );
        self.low_water_mark = before;
        self.known = self.known.split_off(&before);
    }
}

/// Runs `kills` children against one store, killing each at a random moment.
fn kill_repeatedly(name: &str, threads: u64, default_seed: u64) {
    let seed = seed(default_seed);
    let root = TempRoot::new(name);
    let root_arg = root.path().to_str().expect("a UTF-8 temp path").to_owned();
    let mut rng = Rng::new(seed);
    let mut ledger = Ledger::default();
    let kills = kills();
    for round in 0..kills {
        let context = format!("{name} round {round} (CRASH_SEED={seed})");
        let child = child_command(&[
            "append".into(),
            root_arg.clone(),
            SEGMENT_BYTES.to_string(),
            rng.next_u64().to_string(),
            threads.to_string(),
        ]);
        let mut running = RunningChild::spawn(child);
        if rng.below(5) == 0 {
            // Anywhere from before open to the first appends: recovery itself gets killed.
            std::thread::sleep(Duration::from_micros(rng.below(4000)));
        } else {
            running.wait_for_acks(1 + rng.below(40) as usize, CHILD_TIMEOUT);
            std::thread::sleep(Duration::from_micros(rng.below(2000)));
        }
        let finished = running.kill();
        assert!(
            finished.status.code().is_none(),
            "{context}: the child exited by itself ({}) before the kill: {:?}\n{}",
            finished.status,
            finished.failure(),
            finished.stderr
        );
        ledger.absorb(&finished.lines, &context);
        let engine = open(root.path());
        if engine.recovery().truncated_tail.is_some() {
            ledger.torn_tails_repaired += 1;
        }
        ledger.verify(&engine, &context);
        if rng.below(8) == 0 {
            ledger.prune(&engine, &mut rng, &context);
        }
        engine
            .close()
            .unwrap_or_else(|err| panic!("{context}: close failed: {err}"));
    }
    assert!(
        ledger.acked.len() as u64 > kills,
        "{name}: only {} events were acknowledged over {kills} kills: the kills came too early to test much",
        ledger.acked.len()
    );
    eprintln!(
        "{name}: {kills} kills, {} events, {} prunes and {} checkpoint saves acknowledged, log ends \
         at {} (low-water mark {}), {} reopens repaired a torn tail",
        ledger.acked.len(),
        ledger.prunes_acked,
        ledger.checkpoints_acked,
        ledger.next,
        ledger.low_water_mark,
        ledger.torn_tails_repaired
    );
}

#[test]
fn acknowledged_events_survive_sigkill_single_writer() {
    kill_repeatedly("kill-single", 1, 0x5eed_0001);
}

#[test]
fn acknowledged_events_survive_sigkill_concurrent_writers() {
    kill_repeatedly("kill-concurrent", 4, 0x5eed_0004);
}

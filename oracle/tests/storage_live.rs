//! Live parity for the storage track: proptest draws sequences of operations (appends of 0 bytes
//! to 4 KiB, batches including empty ones, replays of any range, prunes below, at and past the
//! end, checkpoint saves, loads and deletes under valid and invalid ids, second opens, close and
//! reopen) and runs each on `accel_storage::StorageEngine` in a temporary directory, with 1 KiB
//! segments so that rollover and prune cross segment boundaries, and on the JS reference engine
//! held by the live oracle (`oracle/js/storage-ops.mjs`). Every result must be identical: values,
//! and errors with their messages. Needs Node on PATH: without it these tests fail, they never
//! pass silently.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use accel_storage::{OpenOptions, StorageEngine, StorageError};
use oracle::contracts::storage::{
    checkpoint_id_problem, close_request, handle_from_js, open_request, Observed, StorageOp,
    INVALID_CHECKPOINT_IDS, PID_PLACEHOLDER, TRACK, VALID_CHECKPOINT_IDS,
};
use oracle::live;
use oracle::JsValue;
use proptest::prelude::*;

const SEGMENT_BYTES: u64 = 1024;

fn options() -> OpenOptions {
    OpenOptions {
        segment_bytes: SEGMENT_BYTES,
    }
}

/// A fresh directory for one sequence, removed when dropped.
struct TempRoot(PathBuf);

impl TempRoot {
    fn new() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "oracle-storage-live-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        TempRoot(path)
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A sequence-number argument, resolved against the store when the operation runs so that it
/// lands below, inside or past the log whatever came before.
#[derive(Clone, Debug)]
enum Target {
    /// `percent`% of the way from 0 to the end of the log (below the low-water mark included).
    Within(u8),
    /// `n` past the end of the log.
    PastEnd(u64),
    Max,
}

impl Target {
    fn resolve(&self, next_sequence: u64) -> u64 {
        match *self {
            Target::Within(percent) => next_sequence * u64::from(percent) / 100,
            Target::PastEnd(n) => next_sequence + n,
            Target::Max => u64::MAX,
        }
    }
}

/// An operation as drawn, before its targets are resolved.
#[derive(Clone, Debug)]
enum Draw {
    Append(Vec<u8>),
    AppendBatch(Vec<Vec<u8>>),
    Replay { from: Target, limit: Option<u64> },
    Prune(Target),
    Save { id: String, data: Vec<u8> },
    Load(String),
    Delete(String),
    State,
    OpenAgain,
    Reopen,
}

impl Draw {
    fn resolve(self, engine: &StorageEngine) -> StorageOp {
        let next = engine.next_sequence();
        match self {
            Draw::Append(data) => StorageOp::AppendEvent(data),
            Draw::AppendBatch(events) => StorageOp::AppendEvents(events),
            Draw::Replay { from, limit } => StorageOp::ReplayEvents {
                from: from.resolve(next),
                limit,
            },
            Draw::Prune(before) => StorageOp::PruneEvents {
                before: before.resolve(next),
            },
            Draw::Save { id, data } => StorageOp::SaveCheckpoint { id, data },
            Draw::Load(id) => StorageOp::LoadCheckpoint { id },
            Draw::Delete(id) => StorageOp::DeleteCheckpoint { id },
            Draw::State => StorageOp::State,
            Draw::OpenAgain => StorageOp::OpenAgain,
            Draw::Reopen => StorageOp::Reopen,
        }
    }
}

/// Bytes of length `len` from a seed: cheap to draw, and shrinking shortens them.
fn bytes(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    let len = prop_oneof![
        2 => Just(0usize),
        5 => 1usize..64,
        3 => 64usize..1500,
        1 => 1500..=max_len,
    ];
    (len, any::<u64>()).prop_map(|(len, seed)| {
        let mut state = seed | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    })
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        6 => (0u8..=100).prop_map(Target::Within),
        2 => Just(Target::Within(100)),
        2 => (1u64..4).prop_map(Target::PastEnd),
        1 => Just(Target::Max),
    ]
}

/// Ids the rules accept and reject, reused often so that loads and deletes find saves; plus
/// random short strings over the characters the rules care about.
fn checkpoint_id() -> impl Strategy<Value = String> {
    let fixed: Vec<String> = VALID_CHECKPOINT_IDS
        .iter()
        .chain(INVALID_CHECKPOINT_IDS)
        .map(|s| s.to_string())
        .chain([
            "x".repeat(200),
            "x".repeat(201),
            "é".repeat(100),
            "€".repeat(67),
        ])
        .collect();
    prop_oneof![
        4 => prop::sample::select(fixed),
        1 => "[ab./\\\\: \u{0}\u{1f}é€]{0,5}",
    ]
}

fn draw() -> impl Strategy<Value = Draw> {
    prop_oneof![
        6 => bytes(4096).prop_map(Draw::Append),
        3 => prop::collection::vec(bytes(2048), 0..6).prop_map(Draw::AppendBatch),
        4 => (target(), prop::option::of(prop_oneof![Just(0u64), 1u64..8, Just(u64::MAX)]))
            .prop_map(|(from, limit)| Draw::Replay { from, limit }),
        2 => target().prop_map(Draw::Prune),
        3 => (checkpoint_id(), bytes(3000)).prop_map(|(id, data)| Draw::Save { id, data }),
        3 => checkpoint_id().prop_map(Draw::Load),
        2 => checkpoint_id().prop_map(Draw::Delete),
        1 => Just(Draw::State),
        1 => Just(Draw::OpenAgain),
        1 => Just(Draw::Reopen),
    ]
}

fn failed(err: StorageError) -> Observed {
    Observed::Failed(err.to_string())
}

/// Runs `op` on the engine (replacing it on reopen) and reduces the result to an [`Observed`].
fn run(engine: &mut Option<StorageEngine>, root: &Path, op: &StorageOp) -> Observed {
    let store = engine.as_ref().expect("the store is open");
    match op {
        StorageOp::AppendEvent(data) => store
            .append_event(data)
            .map_or_else(failed, Observed::Sequence),
        StorageOp::AppendEvents(events) => {
            let events: Vec<&[u8]> = events.iter().map(Vec::as_slice).collect();
            store
                .append_events(&events)
                .map_or_else(failed, Observed::Sequence)
        }
        StorageOp::ReplayEvents { from, limit } => store
            .replay_events(*from, *limit)
            .map_or_else(failed, Observed::Events),
        StorageOp::PruneEvents { before } => store
            .prune_events(*before)
            .map_or_else(failed, Observed::Pruned),
        StorageOp::SaveCheckpoint { id, data } => store
            .save_checkpoint(id, data)
            .map_or_else(failed, |()| Observed::Done),
        StorageOp::LoadCheckpoint { id } => store
            .load_checkpoint(id)
            .map_or_else(failed, Observed::Checkpoint),
        StorageOp::DeleteCheckpoint { id } => store
            .delete_checkpoint(id)
            .map_or_else(failed, Observed::Deleted),
        StorageOp::State => Observed::State {
            next_sequence: store.next_sequence(),
            low_water_mark: store.low_water_mark(),
        },
        StorageOp::OpenAgain => match StorageEngine::open_with(root, options()) {
            Err(err) => Observed::Failed(err.to_string().replace(
                &format!("process {}", std::process::id()),
                &format!("process {PID_PLACEHOLDER}"),
            )),
            Ok(second) => {
                let _ = second.close();
                Observed::Done
            }
        },
        StorageOp::Reopen => {
            let closing = engine.take().expect("the store is open");
            if let Err(err) = closing.close() {
                return failed(err);
            }
            match StorageEngine::open_with(root, options()) {
                Ok(reopened) => {
                    *engine = Some(reopened);
                    Observed::Done
                }
                Err(err) => panic!("reopening {} failed: {err}", root.display()),
            }
        }
    }
}

/// The engine's verdict on an id must be the contract's, whatever the reference says.
fn check_id_verdict(op: &StorageOp, observed: &Observed) -> Result<(), String> {
    let id = match op {
        StorageOp::SaveCheckpoint { id, .. }
        | StorageOp::LoadCheckpoint { id }
        | StorageOp::DeleteCheckpoint { id } => id,
        _ => return Ok(()),
    };
    let rejected =
        matches!(observed, Observed::Failed(m) if m.starts_with("invalid checkpoint id"));
    match (checkpoint_id_problem(id), rejected) {
        (Some(_), true) | (None, false) => Ok(()),
        (Some(problem), false) => Err(format!(
            "the id {id:?} ({problem}) was accepted: {observed:?}"
        )),
        (None, true) => Err(format!("the valid id {id:?} was refused: {observed:?}")),
    }
}

fn check_sequence(draws: Vec<Draw>) -> Result<(), TestCaseError> {
    let root = TempRoot::new();
    let root_str = root.0.to_str().expect("a UTF-8 temp path").to_owned();
    let mut engine = Some(
        StorageEngine::open_with(&root.0, options())
            .unwrap_or_else(|err| panic!("opening {root_str}: {err}")),
    );
    let mut ops = Vec::with_capacity(draws.len() + 8);
    let mut observed = Vec::with_capacity(draws.len() + 8);
    let closing_checks = [
        Draw::Reopen,
        Draw::State,
        Draw::Replay {
            from: Target::Within(0),
            limit: None,
        },
        Draw::Load("a".into()),
        Draw::Load("state-1".into()),
    ];
    for draw in draws.into_iter().chain(closing_checks) {
        let op = draw.resolve(engine.as_ref().expect("the store is open"));
        observed.push(run(&mut engine, &root.0, &op));
        ops.push(op);
    }
    if let Some(engine) = engine.take() {
        engine.close().expect("close");
    }

    let mut oracle = live::shared();
    let handle = handle_from_js(
        &oracle
            .call(open_request(&root_str))
            .unwrap_or_else(|err| panic!("{err}")),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let mut requests: Vec<_> = ops.iter().map(|op| op.to_request(handle)).collect();
    requests.push(close_request(handle));
    let answers = oracle
        .call_batch(&requests)
        .unwrap_or_else(|err| panic!("{err}"));
    drop(oracle);

    let history = |upto: usize| {
        ops[..=upto]
            .iter()
            .enumerate()
            .map(|(i, op)| format!("  {i:>3} {}", op.describe()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (i, ((op, answer), actual)) in ops.iter().zip(answers).zip(&observed).enumerate() {
        let expected = op
            .observed_from_js(answer)
            .unwrap_or_else(|err| panic!("{err}"));
        if let Err(difference) = expected.check(actual) {
            return Err(TestCaseError::fail(format!(
                "operation {i} differs: {difference}\nafter:\n{}",
                history(i)
            )));
        }
        if let Err(problem) = check_id_verdict(op, actual) {
            return Err(TestCaseError::fail(format!(
                "operation {i}: {problem}\nafter:\n{}",
                history(i)
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(live::proptest_config(500))]

    #[test]
    fn operation_sequences_match_the_reference_engine(draws in prop::collection::vec(draw(), 1..40)) {
        check_sequence(draws)?;
    }
}

#[test]
fn the_live_oracle_serves_the_storage_track() {
    let description = live::shared()
        .describe()
        .unwrap_or_else(|err| panic!("{err}"));
    let ops = description.get("tracks").and_then(|t| t.get(TRACK));
    let expected = [
        "appendEvent",
        "appendEvents",
        "close",
        "deleteCheckpoint",
        "loadCheckpoint",
        "open",
        "openAgain",
        "pruneEvents",
        "reopen",
        "replayEvents",
        "saveCheckpoint",
        "state",
    ];
    assert_eq!(
        ops,
        Some(&JsValue::Array(
            expected.iter().map(|op| JsValue::string(*op)).collect()
        )),
        "{}",
        description.canonical_json()
    );
}

/// Fixed cases the contract spells out, so a regression names itself before proptest shrinks.
#[test]
fn contract_examples_match_the_reference_engine() {
    let draws = vec![
        Draw::Append(Vec::new()),
        Draw::AppendBatch(vec![vec![1], Vec::new(), vec![2; 3000]]),
        Draw::AppendBatch(Vec::new()),
        Draw::Prune(Target::PastEnd(1)),
        Draw::Prune(Target::Within(50)),
        Draw::Replay {
            from: Target::Within(0),
            limit: Some(0),
        },
        Draw::Replay {
            from: Target::PastEnd(2),
            limit: None,
        },
        Draw::Save {
            id: "a".into(),
            data: Vec::new(),
        },
        Draw::Save {
            id: "a".into(),
            data: vec![9; 10],
        },
        Draw::Save {
            id: "con.txt".into(),
            data: vec![1],
        },
        Draw::Load("a\u{1}".into()),
        Draw::Delete("€".repeat(67)),
        Draw::OpenAgain,
        Draw::Prune(Target::Within(100)),
        Draw::Reopen,
        Draw::Append(vec![7]),
        Draw::Delete("a".into()),
        Draw::Delete("a".into()),
    ];
    check_sequence(draws).unwrap_or_else(|err| panic!("{err}"));
}

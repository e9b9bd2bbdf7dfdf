//! State-machine property test: random operation sequences against a simple in-memory model of
//! the observable semantics (storage-common.md), with segments small enough that rollover and
//! prune hit segment boundaries, and close/reopen in the sequences.

mod support;

use std::collections::BTreeMap;
use std::sync::mpsc;

use accel_storage::{OpenOptions, StorageEngine};
use proptest::prelude::*;
use support::TestDir;

#[derive(Debug, Clone)]
enum Op {
    Append(Vec<u8>),
    AppendBatch(Vec<Vec<u8>>),
    AppendAsync(Vec<u8>),
    Replay { from: u64, limit: Option<u64> },
    Prune { before_offset: i64 },
    Save { id: &'static str, data: Vec<u8> },
    Load(&'static str),
    Delete(&'static str),
    Reopen,
}

const IDS: [&str; 5] = ["a", "b.json", "CON", "../x", "ok id"];

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..70)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => payload().prop_map(Op::Append),
        2 => prop::collection::vec(payload(), 0..6).prop_map(Op::AppendBatch),
        1 => payload().prop_map(Op::AppendAsync),
        3 => (0u64..40, prop::option::of(0u64..8)).prop_map(|(from, limit)| Op::Replay { from, limit }),
        2 => (-6i64..3).prop_map(|before_offset| Op::Prune { before_offset }),
        1 => (prop::sample::select(&IDS[..]), prop::collection::vec(any::<u8>(), 0..100))
            .prop_map(|(id, data)| Op::Save { id, data }),
        1 => prop::sample::select(&IDS[..]).prop_map(Op::Load),
        1 => prop::sample::select(&IDS[..]).prop_map(Op::Delete),
        1 => Just(Op::Reopen),
    ]
}

/// The reference semantics, in memory.
#[derive(Default)]
struct Model {
    /// Every event ever appended, by sequence number (pruned ones included, never served).
    events: Vec<Vec<u8>>,
    low_water_mark: u64,
    checkpoints: BTreeMap<&'static str, Vec<u8>>,
}

impl Model {
    fn next(&self) -> u64 {
        self.events.len() as u64
    }

    fn replay(&self, from: u64, limit: Option<u64>) -> Vec<Vec<u8>> {
        let start = from.max(self.low_water_mark).min(self.next()) as usize;
        let count = limit.unwrap_or(u64::MAX).min(self.next() - start as u64) as usize;
        self.events[start..start + count].to_vec()
    }

    fn prune(&mut self, before: u64) -> Result<u64, String> {
        if before > self.next() {
            return Err(format!(
                "cannot prune before {before}: the log ends at {}",
                self.next()
            ));
        }
        let pruned = before.saturating_sub(self.low_water_mark);
        self.low_water_mark = self.low_water_mark.max(before);
        Ok(pruned)
    }
}

fn id_is_valid(id: &str) -> bool {
    !matches!(id, "CON" | "../x")
}

fn options() -> OpenOptions {
    OpenOptions { segment_bytes: 200 }
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let dir = TestDir::new("model");
    let mut engine = Some(StorageEngine::open_with(dir.path(), options()).unwrap());
    let mut model = Model::default();
    for (step, op) in ops.into_iter().enumerate() {
        let live = engine.as_ref().unwrap();
        let context = format!("step {step}: {op:?}");
        match op {
            Op::Append(data) => {
                prop_assert_eq!(
                    live.append_event(&data).unwrap(),
                    model.next(),
                    "{}",
                    context
                );
                model.events.push(data);
            }
            Op::AppendBatch(batch) => {
                let slices: Vec<&[u8]> = batch.iter().map(Vec::as_slice).collect();
                prop_assert_eq!(
                    live.append_events(&slices).unwrap(),
                    model.next(),
                    "{}",
                    context
                );
                model.events.extend(batch);
            }
            Op::AppendAsync(data) => {
                let (sender, receiver) = mpsc::channel();
                live.append_event_then(data.clone(), move |outcome| sender.send(outcome).unwrap());
                prop_assert_eq!(
                    receiver.recv().unwrap().unwrap(),
                    model.next(),
                    "{}",
                    context
                );
                model.events.push(data);
            }
            Op::Replay { from, limit } => {
                prop_assert_eq!(
                    live.replay_events(from, limit).unwrap(),
                    model.replay(from, limit),
                    "{}",
                    context
                );
            }
            Op::Prune { before_offset } => {
                let before = (model.next() as i64 + before_offset).max(0) as u64;
                let actual = live.prune_events(before).map_err(|e| e.to_string());
                prop_assert_eq!(actual, model.prune(before), "{}", context);
            }
            Op::Save { id, data } => {
                let outcome = live.save_checkpoint(id, &data);
                prop_assert_eq!(outcome.is_ok(), id_is_valid(id), "{}", context);
                if id_is_valid(id) {
                    model.checkpoints.insert(id, data);
                }
            }
            Op::Load(id) => match live.load_checkpoint(id) {
                Ok(data) => {
                    prop_assert_eq!(data.as_ref(), model.checkpoints.get(id), "{}", context)
                }
                Err(error) => prop_assert!(!id_is_valid(id), "{}: {}", context, error),
            },
            Op::Delete(id) => match live.delete_checkpoint(id) {
                Ok(existed) => prop_assert_eq!(
                    existed,
                    model.checkpoints.remove(id).is_some(),
                    "{}",
                    context
                ),
                Err(error) => prop_assert!(!id_is_valid(id), "{}: {}", context, error),
            },
            Op::Reopen => {
                engine.take().unwrap().close().unwrap();
                let reopened = StorageEngine::open_with(dir.path(), options()).unwrap();
                prop_assert_eq!(
                    reopened.recovery().truncated_tail.clone(),
                    None,
                    "{}",
                    context
                );
                engine = Some(reopened);
            }
        }
        let live = engine.as_ref().unwrap();
        prop_assert_eq!(live.next_sequence(), model.next(), "{}", context);
        prop_assert_eq!(live.low_water_mark(), model.low_water_mark, "{}", context);
    }
    let live = engine.take().unwrap();
    prop_assert_eq!(live.replay_events(0, None).unwrap(), model.replay(0, None));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_behaves_like_the_model(ops in prop::collection::vec(op(), 1..30)) {
        run(ops)?;
    }
}

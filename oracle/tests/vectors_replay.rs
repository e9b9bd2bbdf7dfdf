//! Replays every vectors recording (oracle/recordings/vectors, written by `cargo xtask record`)
//! against the accel-vectors engine: each answer must meet the contract of
//! `oracle::contracts::vectors` (within the tolerance; errors, NaN and infinities exact; rankings
//! equal up to ties). Needs no Node.

mod vectors_engine;

use oracle::contracts::vectors::{Output, VectorCall, REFERENCE};
use oracle::recordings::{load_track, Recording};
use oracle::{Expected, JsError};

fn recordings() -> Vec<Recording> {
    load_track("vectors").unwrap_or_else(|err| panic!("{err}"))
}

/// What a recorded entry says the call gives, read into the contract's terms.
fn expected(
    recording: &Recording,
    call: &VectorCall,
    entry: &oracle::recordings::Entry,
) -> Result<Output, JsError> {
    let inputs = Default::default();
    match recording
        .expected(entry, &inputs)
        .unwrap_or_else(|err| panic!("{err}"))
    {
        Expected::Value(value) => Ok(call.output_from_js(&value).unwrap_or_else(|err| {
            panic!(
                "{} / {}: malformed expectation: {err}",
                recording.name(),
                entry.id
            )
        })),
        Expected::Error(error) => Err(error),
        other => panic!(
            "{} / {}: the vectors recordings store values, not {other:?}",
            recording.name(),
            entry.id
        ),
    }
}

#[test]
fn every_recorded_call_meets_the_contract() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for recording in recordings() {
        assert_eq!(recording.reference, REFERENCE, "{}", recording.name());
        for subject in &recording.subjects {
            for entry in &subject.entries {
                let at = format!("{} / {} / {}", recording.name(), subject.id, entry.id);
                let call = VectorCall::from_js(&entry.op, &entry.args)
                    .unwrap_or_else(|err| panic!("{at}: {err}"));
                let expected = expected(&recording, &call, entry);
                let actual = vectors_engine::run(&call);
                if let Err(difference) = call.check(&expected, &actual) {
                    failures.push(format!("{at}: {}: {difference}", call.describe()));
                }
                checked += 1;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} recorded calls differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The four files hold about 180 calls; far fewer means a recording went missing.
    assert!(checked >= 150, "only {checked} recorded calls");
}

#[test]
fn the_recordings_cover_every_op_errors_and_special_values() {
    let mut ops = std::collections::BTreeSet::new();
    let (mut errors, mut nans, mut infinities) = (0, 0, 0);
    for recording in recordings() {
        for entry in recording.subjects.iter().flat_map(|s| &s.entries) {
            ops.insert(entry.op.clone());
            let expect = entry.expect.canonical_json();
            errors += usize::from(expect.starts_with("{\"error\""));
            nans += expect.matches("\"NaN\"").count();
            infinities += expect.matches("Infinity\"").count();
        }
    }
    assert_eq!(
        ops.into_iter().collect::<Vec<_>>(),
        [
            "VectorStore.search",
            "cosineSimilarity",
            "cosineSimilarityBatch",
            "euclideanDistance"
        ]
    );
    assert!(
        errors >= 3 && nans >= 5 && infinities >= 3,
        "{errors} errors, {nans} NaN, {infinities} infinities"
    );
}

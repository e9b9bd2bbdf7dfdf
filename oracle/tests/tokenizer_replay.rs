//! Replays every tokenizer recording (oracle/recordings/tokenizer, written by `cargo xtask
//! record`) against accel-tokenizer: each count must be js-tiktoken's exactly, for every parity
//! case of corpora/tokenizer, the mixed bench texts and the lone-surrogate cases, in all four
//! encodings. Needs no Node, but needs the generated corpora (`cargo xtask setup`).

mod tokenizer_engine;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use oracle::contracts::tokenizer::{CountCall, ENCODINGS, REFERENCE};
use oracle::paths::{repo_root, SETUP_COMMAND};
use oracle::recordings::{load_track, Recording};
use oracle::Expected;

/// A recorded call and the count js-tiktoken gave.
struct RecordedCount {
    at: String,
    call: CountCall,
    expected: usize,
}

fn require_generated_corpora() {
    let manifest = repo_root().join("corpora/tokenizer/generated/manifest.json");
    assert!(
        manifest.is_file(),
        "{} is missing: generate the tokenizer corpora with `{SETUP_COMMAND}` (it runs `node corpora/tokenizer/generate.mjs`)",
        manifest.display()
    );
}

fn recorded_counts() -> Vec<RecordedCount> {
    require_generated_corpora();
    let mut counts = Vec::new();
    for recording in load_track("tokenizer").unwrap_or_else(|err| panic!("{err}")) {
        assert_eq!(recording.reference, REFERENCE, "{}", recording.name());
        for subject in &recording.subjects {
            let inputs = recording
                .load_inputs(subject)
                .unwrap_or_else(|err| panic!("{err}"));
            for entry in &subject.entries {
                counts.push(read_entry(&recording, &subject.id, entry, &inputs));
            }
        }
    }
    counts
}

fn read_entry(
    recording: &Recording,
    subject: &str,
    entry: &oracle::recordings::Entry,
    inputs: &BTreeMap<String, oracle::Text>,
) -> RecordedCount {
    let at = format!("{} / {subject} / {}", recording.name(), entry.id);
    let args = entry
        .resolve_args(inputs, &HashMap::new())
        .unwrap_or_else(|err| panic!("{at}: {err:?}"));
    let call = CountCall::from_js(&entry.op, &args).unwrap_or_else(|err| panic!("{at}: {err}"));
    let expected = match recording
        .expected(entry, inputs)
        .unwrap_or_else(|err| panic!("{err}"))
    {
        Expected::Value(value) => {
            CountCall::count_from_js(&value).unwrap_or_else(|err| panic!("{at}: {err}"))
        }
        other => panic!("{at}: the tokenizer recordings store counts, not {other:?}"),
    };
    RecordedCount { at, call, expected }
}

#[test]
fn every_recorded_count_is_js_tiktokens() {
    let counts = recorded_counts();
    let failures: Vec<String> = counts
        .iter()
        .filter_map(|recorded| {
            let actual = tokenizer_engine::count(&recorded.call);
            (actual != recorded.expected).then(|| {
                format!(
                    "{}: engine {actual}, js-tiktoken {}",
                    recorded.at, recorded.expected
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} recorded counts differ:\n{}",
        failures.len(),
        counts.len(),
        failures.join("\n")
    );
}

#[test]
fn batches_count_as_the_single_calls_do() {
    let counts = recorded_counts();
    for encoding in ENCODINGS {
        let of_encoding: Vec<&RecordedCount> = counts
            .iter()
            .filter(|recorded| recorded.call.encoding == encoding)
            .collect();
        let texts: Vec<String> = of_encoding.iter().map(|r| r.call.engine_text()).collect();
        let engine = tokenizer_engine::encoding(&of_encoding[0].call);
        let batch = accel_tokenizer::count_tokens_batch(engine, &texts);
        let singles: Vec<usize> = of_encoding
            .iter()
            .map(|r| tokenizer_engine::count(&r.call))
            .collect();
        assert_eq!(batch, singles, "{encoding}");
    }
}

#[test]
fn the_recordings_cover_every_case_and_encoding() {
    let counts = recorded_counts();
    let mut subjects: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for recorded in &counts {
        let subject = recorded
            .at
            .split(" / ")
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        subjects
            .entry(subject)
            .or_default()
            .insert(recorded.call.encoding);
    }
    for (subject, encodings) in &subjects {
        assert_eq!(encodings.len(), 4, "{subject} is recorded in {encodings:?}");
    }
    let named = |prefix: &str| subjects.keys().filter(|s| s.starts_with(prefix)).count();
    assert!(subjects.contains_key("empty") && subjects.contains_key("special-tokens"));
    assert!(
        named("repeat-") >= 6 && named("code-") >= 7 && named("lone-") >= 5,
        "{:?}",
        subjects.keys()
    );
    assert!(
        counts
            .iter()
            .any(|r| !r.call.text.is_well_formed() && r.expected > 0),
        "no lone-surrogate case was recorded"
    );
    assert!(counts.len() >= 150, "only {} recorded counts", counts.len());
}

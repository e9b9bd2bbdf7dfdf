//! Replays every diff recording (oracle/recordings/diff, written by `cargo xtask record`) against
//! the accel-diff engine, through both its `&str` path and its UTF-16 path, and demands exact
//! equality. Needs no Node; needs the generated corpora (`cargo xtask setup`).

mod common;

use std::collections::{BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::engine::{self, panic_message};
use oracle::contracts::diff::DiffCall;
use oracle::paths::{diff_corpus_manifest, SETUP_COMMAND};
use oracle::recordings::{load_track, Recording, Subject, Unresolved};
use oracle::{Expected, JsError, JsValue};

fn recordings() -> Vec<Recording> {
    load_track("diff").unwrap_or_else(|err| panic!("{err}"))
}

/// Both engine paths, except that big inputs go through the UTF-16 path only for the primary
/// patch: the two paths share every algorithm, and a debug build needs ~2 s per 10k-line diff.
fn paths_to_check(call: &DiffCall, entry_id: &str) -> Vec<engine::Path> {
    const BIG: usize = 64 * 1024;
    let paths = engine::paths_for(call);
    let big = call.texts().iter().any(|text| text.len() > BIG);
    if big && entry_id != "diffUnified" && paths.contains(&engine::Path::Str) {
        vec![engine::Path::Str]
    } else {
        paths
    }
}

/// Replays one subject's entries; returns how many checks ran and the failures.
fn replay_subject(recording: &Recording, subject: &Subject) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut checks = 0;
    let inputs = recording
        .load_inputs(subject)
        .unwrap_or_else(|err| panic!("{err}"));
    // Values of entries the engine matched, for later entries that take them as input.
    let mut results: HashMap<String, JsValue> = HashMap::new();
    for entry in &subject.entries {
        let at = format!("{} / {} / {}", recording.name(), subject.id, entry.id);
        let args = match entry.resolve_args(&inputs, &results) {
            Ok(args) => args,
            Err(Unresolved::MissingResult(id)) => {
                failures.push(format!(
                    "{at}: not checked: its input is the output of {id}, which did not match"
                ));
                continue;
            }
            Err(Unresolved::Invalid(message)) => panic!("{at}: malformed recording: {message}"),
        };
        let call = DiffCall::from_js(&entry.op, &args).unwrap_or_else(|err| panic!("{at}: {err}"));
        let expected = recording
            .expected(entry, &inputs)
            .unwrap_or_else(|err| panic!("{err}"));
        let mut matched_value = None;
        let mut all_matched = true;
        for path in paths_to_check(&call, &entry.id) {
            checks += 1;
            let actual = catch_unwind(AssertUnwindSafe(|| engine::run(&call, path)))
                .unwrap_or_else(|payload| Err(JsError::new("EnginePanic", panic_message(payload))));
            match expected.check(&actual) {
                Ok(()) => matched_value = actual.ok(),
                Err(message) => {
                    all_matched = false;
                    failures.push(format!(
                        "{at} [{path:?} path]\n  call: {}\n  {message}",
                        call.describe()
                    ));
                }
            }
        }
        if let (true, Some(value)) = (all_matched, matched_value) {
            results.insert(entry.id.clone(), value);
        }
    }
    (checks, failures)
}

#[test]
fn every_diff_recording_replays_exactly_on_the_engine() {
    let recordings = recordings();
    let work: Vec<(&Recording, &Subject)> = recordings
        .iter()
        .flat_map(|recording| {
            recording
                .subjects
                .iter()
                .map(move |subject| (recording, subject))
        })
        .collect();
    // The 10k-line subjects dominate; spread the subjects over the cores.
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    let outcomes: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut checks = 0;
                    let mut failures = Vec::new();
                    while let Some((recording, subject)) =
                        work.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        let (n, mut f) = replay_subject(recording, subject);
                        checks += n;
                        failures.append(&mut f);
                    }
                    (checks, failures)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a replay worker panicked"))
            .collect()
    });
    let checks: usize = outcomes.iter().map(|(n, _)| n).sum();
    let mut failures: Vec<String> = outcomes.into_iter().flat_map(|(_, f)| f).collect();
    failures.sort();
    assert!(
        checks > 1000,
        "only {checks} checks ran: are the recordings complete?"
    );
    assert!(
        failures.is_empty(),
        "{} of {checks} engine results differ from the jsdiff recordings:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_generated_corpus_case_is_recorded() {
    let manifest_path = diff_corpus_manifest();
    let manifest = std::fs::read_to_string(&manifest_path).unwrap_or_else(|err| {
        panic!(
            "cannot read {} ({err}): generate the corpora with `{SETUP_COMMAND}`",
            manifest_path.display()
        )
    });
    let manifest = JsValue::from_json(&manifest).expect("the manifest is JSON");
    let Some(JsValue::Array(cases)) = manifest.get("cases") else {
        panic!("{} has no \"cases\" array", manifest_path.display());
    };
    let generated: BTreeSet<String> = cases
        .iter()
        .filter_map(|case| {
            case.get("name")
                .and_then(JsValue::as_text)
                .map(|name| name.to_string())
        })
        .collect();
    let recorded: BTreeSet<String> = recordings()
        .iter()
        .filter(|recording| recording.name().starts_with("corpus-"))
        .flat_map(|recording| recording.subjects.iter().map(|subject| subject.id.clone()))
        .collect();
    assert_eq!(
        generated, recorded,
        "the generated corpus cases and the recorded ones differ: run `{SETUP_COMMAND}` then `cargo xtask record`"
    );
    for bench_case in [
        "code-2k-1pct",
        "code-2k-30pct",
        "code-10k-1pct",
        "code-10k-30pct",
    ] {
        assert!(
            generated.contains(bench_case),
            "the bench case {bench_case} is missing from the corpora"
        );
    }
}

/// Guards the recorder itself: every op is recorded, both succeeding and failing where it can
/// fail, and the lone-surrogate fixtures are there (so the UTF-16 path is exercised).
#[test]
fn recordings_cover_every_op_and_the_lone_surrogate_cases() {
    let mut kinds: BTreeSet<(String, &'static str)> = BTreeSet::new();
    let mut lone_surrogate_entries = 0;
    for recording in recordings() {
        for subject in &recording.subjects {
            let inputs = recording
                .load_inputs(subject)
                .unwrap_or_else(|err| panic!("{err}"));
            let ill_formed = inputs.values().any(|text| !text.is_well_formed());
            for entry in &subject.entries {
                let expected = recording
                    .expected(entry, &inputs)
                    .unwrap_or_else(|err| panic!("{err}"));
                let kind = if matches!(expected, Expected::Error(_)) {
                    "error"
                } else {
                    "value"
                };
                kinds.insert((entry.op.clone(), kind));
                lone_surrogate_entries += usize::from(ill_formed);
            }
        }
    }
    for (op, kind) in [
        ("diffUnified", "value"),
        ("createTwoFilesPatch", "value"),
        ("diffLines", "value"),
        ("applyPatch", "value"),
        ("applyPatch", "error"),
        ("reversePatch", "value"),
        ("reversePatch", "error"),
    ] {
        assert!(
            kinds.contains(&(op.to_owned(), kind)),
            "no recorded {op} with a {kind}"
        );
    }
    assert!(
        lone_surrogate_entries >= 50,
        "only {lone_surrogate_entries} entries have lone surrogates"
    );
}

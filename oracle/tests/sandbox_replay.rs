//! Replays the sandbox recordings (oracle/recordings/sandbox, written by `cargo xtask record`)
//! against accel-sandbox: every decision and reason of the JS reference, over the fixture tree
//! rebuilt from the recorded layout, policies x paths x intents and manager policies x file
//! operations x URLs x commands, plus the construction errors and the presets. Needs no Node.

mod sandbox_engine;

use std::collections::HashMap;

use oracle::contracts::sandbox::{Fixture, FixtureLayout, REFERENCE};
use oracle::recordings::{load_track, Recording};
use oracle::{Expected, JsValue};

fn recordings() -> Vec<Recording> {
    let recordings = load_track("sandbox").unwrap_or_else(|err| panic!("{err}"));
    for recording in &recordings {
        assert_eq!(recording.reference, REFERENCE, "{}", recording.name());
    }
    recordings
}

/// The recorded values of the `fixture` subject: layout, named configs, named policies.
fn fixture_values(recordings: &[Recording]) -> HashMap<String, JsValue> {
    let subject = recordings
        .iter()
        .flat_map(|recording| recording.subjects.iter().map(move |s| (recording, s)))
        .find(|(_, subject)| subject.id == "fixture")
        .expect("a recording has the fixture subject");
    let (recording, subject) = subject;
    subject
        .entries
        .iter()
        .map(
            |entry| match recording.expected(entry, &Default::default()) {
                Ok(Expected::Value(value)) => (entry.id.clone(), value),
                other => panic!("fixture entry {}: {other:?}", entry.id),
            },
        )
        .collect()
}

/// A config or policy argument given by name, replaced by the recorded object.
fn resolve_named(
    op: &str,
    mut args: Vec<JsValue>,
    named: &HashMap<String, JsValue>,
) -> Vec<JsValue> {
    let table = match op {
        "evaluate" => &named["configs"],
        op if op.starts_with("check") => &named["policies"],
        _ => return args,
    };
    if let Some(JsValue::String(name)) = args.first() {
        let name = name.to_string_lossless_escaped();
        args[0] = table
            .get(&name)
            .unwrap_or_else(|| panic!("no recorded config or policy named {name}"))
            .clone();
    }
    args
}

#[test]
fn every_recorded_decision_and_reason_is_the_references() {
    let recordings = recordings();
    let named = fixture_values(&recordings);
    let layout = FixtureLayout::from_js(&named["layout"]).unwrap_or_else(|err| panic!("{err}"));
    let fixture = Fixture::build(&layout, "replay").expect("build the fixture tree");
    let mut checked = 0;
    let mut failures = Vec::new();
    for recording in &recordings {
        for subject in recording.subjects.iter().filter(|s| s.id != "fixture") {
            for entry in &subject.entries {
                let at = format!("{} / {} / {}", recording.name(), subject.id, entry.id);
                let args = resolve_named(&entry.op, entry.args.clone(), &named);
                let args = match fixture.substitute(&JsValue::Array(args)) {
                    JsValue::Array(args) => args,
                    _ => unreachable!(),
                };
                let actual = sandbox_engine::run(&entry.op, &args)
                    .unwrap_or_else(|err| panic!("{at}: {err}"));
                let actual = actual
                    .map(|value| fixture.unsubstitute(&value))
                    .map_err(|mut err| {
                        err.message = err.message.replace(fixture.root().to_str().unwrap(), "@");
                        err
                    });
                let expected = recording
                    .expected(entry, &Default::default())
                    .unwrap_or_else(|err| panic!("{err}"));
                checked += 1;
                if let Err(difference) = expected.check(&actual) {
                    failures.push(format!("{at}: {difference}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} recorded sandbox answers differ:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(checked >= 5000, "only {checked} recorded answers");
}

//! Live parity: random edit pairs go to the JS fallback (`node oracle/js/serve.mjs`) and to the
//! accel-diff engine, and every answer must be identical: diffUnified, diffLines,
//! createTwoFilesPatch, and applyPatch / reversePatch of the engine's own patch, of its reverse,
//! and of a mutated copy (to reach the error paths). Needs Node on PATH: without it these tests
//! fail, they never pass silently.

mod common;

use common::cases::{
    case, case_of_size, mutate, patch_mutation, Case, PatchMutation, HEADERS, NAMES,
};
use common::engine::{self, Path};
use oracle::contracts::diff::{DiffCall, REFERENCE};
use oracle::live::{self, LiveOracle};
use oracle::{JsValue, Outcome, Text};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Scenario {
    case: Case,
    context: Option<usize>,
    names: (usize, usize),
    headers: (Option<usize>, Option<usize>),
    names_context: Option<usize>,
    mutations: Vec<PatchMutation>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    scenario_of(case(0.08))
}

fn scenario_of(case: impl Strategy<Value = Case>) -> impl Strategy<Value = Scenario> {
    (
        case,
        prop::option::of(0usize..6),
        (0..NAMES.len(), 0..NAMES.len()),
        (
            prop::option::of(0..HEADERS.len()),
            prop::option::of(0..HEADERS.len()),
        ),
        prop::option::of(0usize..4),
        prop::collection::vec(patch_mutation(), 1..=3),
    )
        .prop_map(
            |(case, context, names, headers, names_context, mutations)| Scenario {
                case,
                context,
                names,
                headers,
                names_context,
                mutations,
            },
        )
}

fn text(units: Vec<u16>) -> Text {
    Text::from_units(units)
}

/// The engine's answer on its UTF-16 path (which takes any input), as text.
fn engine_text(call: &DiffCall) -> Option<Text> {
    engine::run(call, Path::Utf16)
        .ok()
        .and_then(|value| value.as_text().cloned())
}

/// One call of a scenario, and the text the oracle must return if the call is a round trip.
struct Planned {
    call: DiffCall,
    round_trip_to: Option<Text>,
}

/// Builds the calls of one scenario. Patches fed to applyPatch / reversePatch are the engine's own.
fn plan(scenario: &Scenario) -> Vec<Planned> {
    let (old, new) = scenario.case.texts();
    let (old, new) = (text(old), text(new));
    let check = |call| Planned {
        call,
        round_trip_to: None,
    };
    let forward = DiffCall::DiffUnified {
        old: old.clone(),
        new: new.clone(),
        context: scenario.context,
    };
    let mut plan = vec![
        check(forward.clone()),
        check(DiffCall::DiffLines {
            old: old.clone(),
            new: new.clone(),
        }),
        check(DiffCall::CreateTwoFilesPatch {
            old_name: Text::from(NAMES[scenario.names.0]),
            new_name: Text::from(NAMES[scenario.names.1]),
            old: old.clone(),
            new: new.clone(),
            old_header: scenario.headers.0.map(|i| Text::from(HEADERS[i])),
            new_header: scenario.headers.1.map(|i| Text::from(HEADERS[i])),
            context: scenario.names_context,
        }),
    ];
    let Some(patch) = engine_text(&forward) else {
        return plan;
    };
    plan.push(Planned {
        call: DiffCall::ApplyPatch {
            original: old.clone(),
            patch: patch.clone(),
        },
        round_trip_to: Some(new.clone()),
    });
    let reverse = DiffCall::ReversePatch {
        patch: patch.clone(),
    };
    if let Some(reversed) = engine_text(&reverse) {
        plan.push(Planned {
            call: DiffCall::ApplyPatch {
                original: new.clone(),
                patch: reversed,
            },
            round_trip_to: Some(old.clone()),
        });
    }
    plan.push(check(reverse));
    plan.push(check(DiffCall::ApplyPatch {
        original: new.clone(),
        patch: patch.clone(),
    }));
    plan.push(check(DiffCall::ApplyPatch {
        original: text(scenario.case.drifted_old()),
        patch: patch.clone(),
    }));
    let mutated = text(mutate(patch.units(), &scenario.mutations));
    plan.push(check(DiffCall::ApplyPatch {
        original: old,
        patch: mutated.clone(),
    }));
    plan.push(check(DiffCall::ReversePatch { patch: mutated }));
    plan
}

/// jsdiff's `applyPatch` rewrites a patch's line endings when the text uses only CRLF and the
/// patch only LF (or the other way round), so its round trip does not hold there; the engine
/// must still match it, which the comparison with the oracle checks.
fn converts_line_endings(original: &Text, patch: &Text) -> bool {
    let units = original.units();
    let (cr, lf) = (u16::from(b'\r'), u16::from(b'\n'));
    let crlf_count = units.windows(2).filter(|w| w == &[cr, lf]).count();
    let lf_count = units.iter().filter(|&&u| u == lf).count();
    let only_crlf = crlf_count > 0 && units.first() != Some(&lf) && crlf_count == lf_count;
    let only_lf = crlf_count == 0 && lf_count > 0;
    let lines: Vec<&[u16]> = patch.units().split(|&u| u == lf).collect();
    let first_hunk = lines
        .iter()
        .position(|line| line.starts_with(&[0x40, 0x40]))
        .unwrap_or(lines.len());
    let hunk_lines: Vec<&[u16]> = lines[first_hunk..]
        .iter()
        .copied()
        .filter(|line| !line.starts_with(&[0x40, 0x40]) && !line.is_empty())
        .collect();
    let is_marker = |line: &[u16]| line.first() == Some(&u16::from(b'\\'));
    let ends_cr = |line: &[u16]| line.last() == Some(&cr);
    let is_unix = !hunk_lines
        .iter()
        .any(|line| !is_marker(line) && ends_cr(line));
    let is_win = hunk_lines.iter().any(|line| ends_cr(line))
        && hunk_lines.iter().enumerate().all(|(i, line)| {
            is_marker(line)
                || ends_cr(line)
                || hunk_lines.get(i + 1).is_some_and(|next| is_marker(next))
        });
    (only_crlf && is_unix) || (only_lf && is_win)
}

fn ask_oracle(calls: &[DiffCall]) -> Vec<Outcome> {
    let requests: Vec<_> = calls.iter().map(DiffCall::to_request).collect();
    live::ask_batch(&requests)
}

proptest! {
    #![proptest_config(live::proptest_config(1000))]

    #[test]
    fn engine_matches_the_live_oracle_on_random_edits(scenario in scenario()) {
        check_scenario(&scenario)?;
    }
}

proptest! {
    #![proptest_config(live::proptest_config(40))]

    /// Longer texts: many more equal lines, so the diff's tie-breaking is tested at scale.
    #[test]
    fn engine_matches_the_live_oracle_on_longer_texts(scenario in scenario_of(case_of_size(0.0, 1500))) {
        check_scenario(&scenario)?;
    }
}

fn check_scenario(scenario: &Scenario) -> Result<(), TestCaseError> {
    let plan = plan(scenario);
    let calls: Vec<DiffCall> = plan.iter().map(|planned| planned.call.clone()).collect();
    let outcomes = ask_oracle(&calls);
    let mut differences: Vec<String> = calls
        .iter()
        .zip(&outcomes)
        .flat_map(|(call, outcome)| engine::differences(call, outcome))
        .collect();
    // jsdiff's own round trip on the engine's patch: old -> new, and back with its reverse.
    for (planned, outcome) in plan.iter().zip(&outcomes) {
        let Some(target) = &planned.round_trip_to else {
            continue;
        };
        let DiffCall::ApplyPatch { original, patch } = &planned.call else {
            continue;
        };
        if converts_line_endings(original, patch) {
            continue;
        }
        if outcome.as_ref().ok().and_then(JsValue::as_text) != Some(target) {
            differences.push(format!(
                "round trip broken: the oracle's {} gives {outcome:?}, expected {target:?}",
                planned.call.describe()
            ));
        }
    }
    prop_assert!(differences.is_empty(), "{}", differences.join("\n\n"));
    Ok(())
}

#[test]
fn the_live_oracle_is_the_pinned_jsdiff() {
    let description = live::shared()
        .describe()
        .unwrap_or_else(|err| panic!("{err}"));
    let reference = description
        .get("references")
        .and_then(|r| r.get("diff"))
        .and_then(JsValue::as_text);
    assert_eq!(
        reference,
        Some(&Text::from(REFERENCE)),
        "{}",
        description.canonical_json()
    );
    let Some(JsValue::Array(ops)) = description.get("tracks").and_then(|t| t.get("diff")) else {
        panic!(
            "the oracle lists no diff ops: {}",
            description.canonical_json()
        );
    };
    let ops: Vec<String> = ops
        .iter()
        .filter_map(JsValue::as_text)
        .map(Text::to_string)
        .collect();
    assert_eq!(
        ops,
        [
            "applyPatch",
            "createTwoFilesPatch",
            "diffLines",
            "diffUnified",
            "reversePatch"
        ]
    );
}

#[test]
fn lone_surrogates_survive_both_transports() {
    let old = Text::from_units(vec![0x61, 0x0a, 0xd800, 0x0a, 0xdc00, 0x62, 0x0a]);
    let new = Text::from_units(vec![0x61, 0x0a, 0xdbff, 0x0a]);
    let call = DiffCall::DiffUnified {
        old,
        new,
        context: None,
    };
    let expected = engine::run(&call, Path::Utf16);
    for utf16 in [false, true] {
        let mut oracle = LiveOracle::spawn().unwrap_or_else(|err| panic!("{err}"));
        oracle.set_utf16_transport(utf16);
        let outcome = oracle
            .call(call.to_request())
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(outcome, expected, "utf16 transport: {utf16}");
        assert!(!outcome.unwrap().as_text().unwrap().is_well_formed());
    }
}

/// Error messages quote bad input exactly, lone surrogates included (`PatchError` keeps UTF-16).
#[test]
fn error_messages_quote_lone_surrogates_exactly() {
    let patch = Text::from_units(
        "@@ -1,2 +1,2 @@\n a\nx\u{fffd}\n"
            .encode_utf16()
            .map(|u| if u == 0xfffd { 0xd800 } else { u })
            .collect(),
    );
    let call = DiffCall::ApplyPatch {
        original: "a\n".into(),
        patch,
    };
    let jsdiff = live::shared()
        .call(call.to_request())
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        jsdiff.as_ref().map_err(|e| e.message.as_str()),
        Err("Hunk at line 1 contained invalid line x\\u{d800}")
    );
    assert_eq!(engine::run(&call, Path::Utf16), jsdiff);
}

#[test]
fn the_oracle_reports_what_the_fallback_throws() {
    let call = DiffCall::ApplyPatch {
        original: "a\n".into(),
        patch: "@@ -1 +1 @@\n-x\n+y\n".into(),
    };
    let outcome = live::shared()
        .call(call.to_request())
        .unwrap_or_else(|err| panic!("{err}"));
    let error = outcome.expect_err("the patch does not apply");
    assert_eq!(error.name, "Error");
    assert!(
        error.message.starts_with("patch does not apply: hunk 1"),
        "{error}"
    );
    assert!(engine::differences(&call, &Err(error)).is_empty());
}

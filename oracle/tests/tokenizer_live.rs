//! Live parity: proptest-generated text (code points from all 17 planes, assigned or not, mixed
//! with ASCII words, whitespace runs, contractions, digits, CJK, emoji, combining marks,
//! punctuation and special-token strings; up to 2,000 characters; and UTF-16 text with lone
//! surrogates) goes to js-tiktoken (`node oracle/js/serve.mjs`) and to accel-tokenizer, in one of
//! the four encodings (drawn per case), and the counts must be equal. Needs Node on PATH: without it these tests fail,
//! they never pass silently.

mod tokenizer_engine;

use oracle::contracts::tokenizer::{CountCall, ENCODINGS, TRACK};
use oracle::live::{self, LiveError};
use oracle::strategies::{tokenizer_text, tokenizer_utf16_text};
use oracle::{JsValue, Text};
use proptest::prelude::*;

fn encoding() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&ENCODINGS[..])
}

/// Asks the oracle for the count of `text` in `encodings` (one batch) and checks the engine's.
fn check(text: Text, encodings: &[&str]) -> Result<(), TestCaseError> {
    let calls: Vec<CountCall> = encodings
        .iter()
        .map(|encoding| CountCall::new(encoding, text.clone()).expect("a known encoding"))
        .collect();
    let requests: Vec<_> = calls.iter().map(CountCall::to_request).collect();
    let answers = live::ask_batch(&requests);
    for (call, answer) in calls.iter().zip(answers) {
        let expected = answer
            .map_err(|err| format!("js-tiktoken threw {err}"))
            .and_then(|value| CountCall::count_from_js(&value))
            .unwrap_or_else(|err| panic!("the oracle's answer to {}: {err}", call.describe()));
        let actual = tokenizer_engine::count(call);
        prop_assert_eq!(
            actual,
            expected,
            "engine vs js-tiktoken on {}",
            call.describe()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(live::proptest_config(1000))]

    #[test]
    fn counts_match_js_tiktoken(text in tokenizer_text(), encoding in encoding()) {
        check(Text::from(text), &[encoding])?;
    }
}

proptest! {
    #![proptest_config(live::proptest_config(200))]

    #[test]
    fn counts_with_lone_surrogates_match_js_tiktoken(units in tokenizer_utf16_text(), encoding in encoding()) {
        check(Text::from_units(units), &[encoding])?;
    }
}

#[test]
fn the_live_oracle_serves_the_tokenizer_track() {
    let description = live::shared()
        .describe()
        .unwrap_or_else(|err| panic!("{err}"));
    let ops = description.get("tracks").and_then(|t| t.get(TRACK));
    assert_eq!(
        ops,
        Some(&JsValue::Array(vec![JsValue::string("count")])),
        "{}",
        description.canonical_json()
    );
}

#[test]
fn an_unknown_encoding_is_a_bad_request() {
    let request = live::Request::new(
        TRACK,
        "count",
        vec![JsValue::string("gpt2"), JsValue::string("x")],
    );
    match live::shared().call(request) {
        Err(LiveError::BadRequest(message)) => {
            assert!(message.contains("cl100k_base"), "{message}")
        }
        other => panic!("expected a BadRequest, got {other:?}"),
    }
}

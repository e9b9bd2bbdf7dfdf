//! Past the step limit the engine stops reproducing jsdiff's search (which would run for many
//! seconds) and answers with imara-diff's script: still a correct patch, but not jsdiff's
//! alignment and not always as short (imara-diff's Myers trades minimality for speed on hard
//! inputs). This is the diff track's one documented divergence (oracle/CONTRACTS.md).

use accel_diff::{apply_patch, FileHeaders, LineDiff};
use proptest::prelude::*;

fn headers() -> FileHeaders<'static> {
    FileHeaders {
        old_file_name: Some("original"),
        new_file_name: Some("modified"),
        old_header: None,
        new_header: None,
    }
}

fn lines(words: &[u8]) -> String {
    words.iter().map(|w| format!("w{w}\n")).collect()
}

#[test]
fn below_the_limit_the_script_is_jsdiffs_and_past_it_imara_diffs() {
    let old = lines(&(0..60).collect::<Vec<_>>());
    let new = lines(&(40..100).collect::<Vec<_>>());
    let exact = LineDiff::new(old.as_bytes(), new.as_bytes());
    assert!(exact.is_exact());
    assert_eq!(
        exact.patch(&headers(), 4),
        accel_diff::diff_unified(&old, &new, 4).into_bytes()
    );

    let limited = LineDiff::with_step_limit(old.as_bytes(), new.as_bytes(), 10);
    assert!(!limited.is_exact());
    let patch = String::from_utf8(limited.patch(&headers(), 4)).unwrap();
    assert_eq!(apply_patch(&old, &patch).unwrap(), new);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the limit, the patch applies to the old text and yields the new one, and it is
    /// exactly jsdiff's whenever the limit is not reached.
    #[test]
    fn past_the_limit_patches_stay_correct(
        old in proptest::collection::vec(0u8..6, 0..40),
        new in proptest::collection::vec(0u8..6, 0..40),
        limit in 0usize..20,
    ) {
        let (old, new) = (lines(&old), lines(&new));
        let limited = LineDiff::with_step_limit(old.as_bytes(), new.as_bytes(), limit);
        let patch = String::from_utf8(limited.patch(&headers(), 3)).unwrap();
        prop_assert_eq!(apply_patch(&old, &patch).unwrap(), new.clone());
        if limited.is_exact() {
            prop_assert_eq!(patch, accel_diff::diff_unified(&old, &new, 3));
        }
    }
}

//! jsdiff's behaviour on hand-picked inputs (expected values recorded from
//! `bindings/diff-rs/fallback.js`), the cases where jsdiff itself never finishes, UTF-16 input
//! with lone surrogates, and large patches.

use accel_diff::patch::{apply_patch, apply_patch_units, reverse_patch, reverse_patch_units};

type Expected = Result<&'static str, &'static str>;

/// `(original, patch, fallback.applyPatch(original, patch))`
const APPLY: &[(&str, &str, Expected)] = &[
    ("x\ny\n", "@@ x\n+a", Ok("a")),
    ("x\ny\n", "@@ -0 +1 @@\n+a", Ok("a\n\nx\ny\n")),
    (
        "a\nb\n",
        "@@ -1,99999999999 +1,1 @@\n-a\n+b\n",
        Err("Hunk at line 1 contained invalid line "),
    ),
    ("a\nb\nc\n", "@@ -3,1 +3,1 @@\n-a\n+A\n", Ok("A\nb\nc\n")),
    (
        "a\r\nb\r\nc\r\n",
        "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n",
        Ok("a\r\nB\r\nc\r\n"),
    ),
    (
        "a\nb\nc\n",
        "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+B\r\n",
        Ok("a\nB\nc\n"),
    ),
    (
        "a\nb",
        "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
        Ok("a\nb\n"),
    ),
    (
        "a\nb\n",
        "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
        Err("patch does not apply: hunk 1 (@@ -1,2 +1,2 @@) does not match the original text"),
    ),
    (
        "a\nb\n",
        "@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n",
        Ok("a\nc"),
    ),
    (
        "a\nb\nc\nd\n",
        "@@ -1,1 +1,1 @@\n-a\n+A\n@@ -3,1 +3,1 @@\n-x\n+X\n",
        Err("patch does not apply: hunk 2 (@@ -3,1 +3,1 @@) does not match the original text"),
    ),
    (
        "a\nb\n",
        "--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n--- c\n+++ d\n@@ -1 +1 @@\n-a\n+b\n",
        Err("applyPatch only works with a single input."),
    ),
    ("a\n", "@@ -1 +1 @@\n-a\n+b\nx", Ok("b\n")),
    (
        "a\n",
        "@@ -1 +1 @@\n-a\n+b\n+c\n",
        Err("Hunk at line 1 has more lines than expected (expected 1 old lines and 1 new lines)"),
    ),
    (
        "a\n",
        "@@ -1,2 +1 @@\n-a\n+b\n",
        Err("Hunk at line 1 contained invalid line "),
    ),
    (
        "a\n",
        "@@ -1 +1 @@\n-a\n",
        Err("Hunk at line 1 contained invalid line "),
    ),
    (
        "a\n",
        "--- x\n@@ -1 +1 @@\n-a\n+b\n",
        Err("Missing \"+++ ...\" file header for x"),
    ),
    (
        "a\n",
        "@@ -1 +1 @@\n-a\n+b\n c\n",
        Err("Hunk at line 1 has more lines than expected (expected 1 old lines and 1 new lines)"),
    ),
    (
        "p\nq\n",
        "@@ -5,0 +6,2 @@\n+a\n+b\n@@ -1,0 +2 @@\n+c\n",
        Ok("p\nq\n\n\n\na\nb\nc\nq\n"),
    ),
];

/// `(patch, fallback.reversePatch(patch))`
const REVERSE: &[(&str, Expected)] = &[
    (
        "",
        Ok("===================================================================\n"),
    ),
    (
        "@@ -1 +0 @@\n-a",
        Ok("===================================================================\n@@ --1,0 +1,1 @@\n+a\n"),
    ),
    (
        "@@ -99999999999999999999999 +1 @@\n-a\n+b\n",
        Ok("===================================================================\n@@ -1,1 +1e+23,1 @@\n+a\n-b\n"),
    ),
    (
        "diff --git a/old name b/new name\nsimilarity index 90%\nrename from old name\nrename to \"new\\tname\"\n",
        Ok("diff --git \"a/new\\tname\" b/old name\nrename from \"new\\tname\"\nrename to old name\n"),
    ),
    (
        "diff --git a/f b/f\nnew file mode 100755\n--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n",
        Ok("diff --git a/f b/f\ndeleted file mode 100755\n--- a/f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n"),
    ),
    (
        "diff --git a/src b/dst\ncopy from src\ncopy to dst\n--- a/src\n+++ b/dst\n@@ -1 +1 @@\n-a\n+b\n",
        Ok("diff --git a/dst b/dst\ndeleted file mode 100644\n"),
    ),
    (
        "diff --git a/m b/m\nold mode 100644\nnew mode 100755\n",
        Ok("diff --git a/m b/m\nold mode 100755\nnew mode 100644\n"),
    ),
    (
        "diff --git x y\n",
        Err("oldFileName must be specified for Git patches"),
    ),
    (
        "diff --git \"a/caf\\303\\251\" \"b/caf\\303\\251\"\n--- \"a/caf\\303\\251\"\n+++ \"b/caf\\303\\251\"\n@@ -1 +1 @@\n-a\n+b\n",
        Ok("diff --git \"a/caf\\303\\251\" \"b/caf\\303\\251\"\n--- \"a/caf\\303\\251\"\n+++ \"b/caf\\303\\251\"\n@@ -1,1 +1,1 @@\n+a\n-b\n"),
    ),
    (
        "--- a\\\\b\t2020-01-01\textra\n+++ \u{a0}c d \u{3000}\n@@ -1,2 +1 @@ fn x\n-a\n \n",
        Ok("===================================================================\n--- c d\n+++ \"a\\\\b\"\t2020-01-01\n@@ -1,1 +1,2 @@\n+a\n \n"),
    ),
    (
        "Index: f\n===================================================================\n--- f\n+++ f\n@@ -1 +1 @@\n-a\n+b\nIndex: g\n===================================================================\n--- g\n+++ g\n@@ -1 +1 @@\n-c\n+d\n",
        Ok("Index: g\n===================================================================\n--- g\n+++ g\n@@ -1,1 +1,1 @@\n+c\n-d\n\nIndex: f\n===================================================================\n--- f\n+++ f\n@@ -1,1 +1,1 @@\n+a\n-b\n"),
    ),
];

fn as_expected(result: Result<String, accel_diff::patch::PatchError>) -> Result<String, String> {
    result.map_err(|err| err.to_string())
}

#[test]
fn apply_matches_recorded_jsdiff_results() {
    for &(original, patch, expected) in APPLY {
        let expected = expected.map(str::to_owned).map_err(str::to_owned);
        assert_eq!(
            as_expected(apply_patch(original, patch)),
            expected,
            "applyPatch({original:?}, {patch:?})"
        );
    }
}

#[test]
fn reverse_matches_recorded_jsdiff_results() {
    for &(patch, expected) in REVERSE {
        let expected = expected.map(str::to_owned).map_err(str::to_owned);
        assert_eq!(
            as_expected(reverse_patch(patch)),
            expected,
            "reversePatch({patch:?})"
        );
    }
}

fn utf16(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

#[test]
fn utf16_lone_surrogates_pass_through_and_quote_as_replacement_characters() {
    // `--- \uD800x\n+++ \uD800x\n@@ -1 +1 @@\n-\uDC00\n+b\n`
    let mut patch = utf16("--- ");
    patch.extend([0xD800, u16::from(b'x')]);
    patch.extend(utf16("\n+++ "));
    patch.extend([0xD800, u16::from(b'x')]);
    patch.extend(utf16("\n@@ -1 +1 @@\n-"));
    patch.push(0xDC00);
    patch.extend(utf16("\n+b\n"));
    // Recorded from the fallback: the Index line keeps the lone surrogate, the quoted names
    // encode it as U+FFFD's UTF-8 bytes.
    let mut expected = utf16("Index: ");
    expected.extend([0xD800, u16::from(b'x')]);
    expected.extend(utf16(&format!(
        "\n{}\n--- \"\\357\\277\\275x\"\n+++ \"\\357\\277\\275x\"\n@@ -1,1 +1,1 @@\n+",
        accel_diff::format::UNDERLINE
    )));
    expected.push(0xDC00);
    expected.extend(utf16("\n-b\n"));
    assert_eq!(reverse_patch_units(&patch).unwrap(), expected);

    let original = [0xD800, 10];
    let mut patch = utf16("@@ -1 +1 @@\n-");
    patch.push(0xD800);
    patch.extend(utf16("\n+"));
    patch.push(0xDC00);
    patch.push(10);
    assert_eq!(
        apply_patch_units(&original, &patch).unwrap(),
        vec![0xDC00, 10]
    );
}

/// Where jsdiff never finishes (it walks towards the text one position at a time from a start
/// past 2^53, where `start - offset` stops changing, or loops on an infinite one) or runs out of
/// array space, we answer at once.
#[test]
fn inputs_jsdiff_cannot_finish_give_errors_quickly() {
    let started = std::time::Instant::now();
    let never_found = apply_patch("a\nb\n", "@@ -100000000000000000,1 +1 @@\n-a\n+b\n");
    assert_eq!(
        never_found.unwrap_err().to_string(),
        "patch does not apply: hunk 1 (@@ -100000000000000000,1 +1,1 @@) does not match the original text"
    );
    let infinite_start = format!("@@ -{},1 +1 @@\n-a\n+b\n", "9".repeat(400));
    assert_eq!(
        apply_patch("a\n", &infinite_start).unwrap_err().to_string(),
        "patch does not apply: hunk 1 (@@ -Infinity,1 +1,1 @@) does not match the original text"
    );
    // An insertion far beyond the end pads with empty lines; this far, V8 gives up.
    let far_insertion = "@@ -300000000,0 +1 @@\n+a\n";
    assert_eq!(
        apply_patch("x\n", far_insertion).unwrap_err().to_string(),
        "Invalid array length"
    );
    let infinite_insertion = format!("@@ -{},0 +1 @@\n+a\n", "9".repeat(400));
    assert_eq!(
        apply_patch("x\n", &infinite_insertion)
            .unwrap_err()
            .to_string(),
        "Invalid array length"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn a_far_but_feasible_start_is_searched_arithmetically() {
    // jsdiff needs 10^12 steps to get from line 10^12 back to line 1; the answer is the same.
    let patch = "@@ -1000000000000,1 +1000000000000,1 @@\n-b\n+B\n";
    assert_eq!(apply_patch("a\nb\nc\n", patch).unwrap(), "a\nB\nc\n");
}

#[test]
fn huge_counts_do_not_allocate() {
    let patch = "@@ -1,99999999999 +1,99999999999 @@\n-a\n+b";
    assert_eq!(
        apply_patch("a\n", patch).unwrap_err().to_string(),
        "Added line count did not match for hunk at line 1"
    );
}

fn numbered_text(lines: usize, changed_every: usize) -> (String, String) {
    let mut old = String::new();
    let mut new = String::new();
    for i in 0..lines {
        old.push_str(&format!("line {i} of the text\n"));
        if i % changed_every == 0 {
            new.push_str(&format!("changed line {i}\n"));
        } else {
            new.push_str(&format!("line {i} of the text\n"));
        }
    }
    (old, new)
}

#[test]
fn large_patches_apply_and_reverse() {
    let (old, new) = numbered_text(20_000, 50);
    let patch = accel_diff::create_two_files_patch("f", "f", &old, &new, None, None, 3);
    let started = std::time::Instant::now();
    assert_eq!(apply_patch(&old, &patch).unwrap(), new);
    let reversed = reverse_patch(&patch).unwrap();
    assert_eq!(apply_patch(&new, &reversed).unwrap(), old);
    // Every hunk after the first fails here; describing the failure must stay linear too.
    let shifted = format!("extra\n{}", old.replace("line 19950 of", "gone"));
    assert!(apply_patch(&shifted, &patch)
        .unwrap_err()
        .to_string()
        .starts_with("patch does not apply: hunk 400 "));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

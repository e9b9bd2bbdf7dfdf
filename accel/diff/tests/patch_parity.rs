//! Property tests against the real jsdiff (through `bindings/diff-rs/fallback.js` in Node):
//! `applyPatch` and `reversePatch` over patches jsdiff writes for random edits, the same
//! patches mutated in the ways real and broken patches differ, and patch-like line soups.

mod patch_support;

use patch_support::{oracle, ours_apply, ours_reverse};
use proptest::prelude::*;
use proptest::sample::select;

/// Lines drawn from a small set, so edits leave matching context and hunks can shift.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => select(vec!["a", "b", "c", "d", "", " ", "x y", "\tz"]).prop_map(str::to_owned),
        1 => select(vec!["é", "日本", "\\", "+", "-", "@@", "--- x", "\u{a0}", "a\r", "\u{1F600}"])
            .prop_map(str::to_owned),
        1 => "[a-c \\t\\r+@-]{0,4}",
    ]
}

#[derive(Debug, Clone, Copy)]
enum Endings {
    Unix,
    Windows,
    Mixed,
}

fn join_text(lines: &[String], endings: Endings, final_newline: bool) -> String {
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        text.push_str(line);
        let last = i + 1 == lines.len();
        if !last || final_newline {
            let windows = match endings {
                Endings::Unix => false,
                Endings::Windows => true,
                Endings::Mixed => i % 3 == 1,
            };
            text.push_str(if windows { "\r\n" } else { "\n" });
        }
    }
    text
}

fn endings() -> impl Strategy<Value = Endings> {
    prop_oneof![4 => Just(Endings::Unix), 3 => Just(Endings::Windows), 1 => Just(Endings::Mixed)]
}

#[derive(Debug, Clone)]
enum Edit {
    Keep,
    Delete,
    Insert(String),
    Replace(String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => Just(Edit::Keep),
        1 => Just(Edit::Delete),
        1 => line().prop_map(Edit::Insert),
        1 => line().prop_map(Edit::Replace),
    ]
}

fn apply_edits(lines: &[String], edits: &[Edit]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match edits.get(i).unwrap_or(&Edit::Keep) {
            Edit::Keep => out.push(line.clone()),
            Edit::Delete => {}
            Edit::Insert(new) => {
                out.push(new.clone());
                out.push(line.clone());
            }
            Edit::Replace(new) => out.push(new.clone()),
        }
    }
    if let Some(Edit::Insert(new)) = edits.get(lines.len()) {
        out.push(new.clone());
    }
    out
}

fn file_name() -> impl Strategy<Value = String> {
    select(vec![
        "file.txt",
        "a/src/lib.rs",
        "b/x",
        "with space.txt",
        "tab\tname",
        "quo\"te",
        "back\\slash",
        "caf\u{e9}",
        "/dev/null",
        "",
    ])
    .prop_map(str::to_owned)
}

fn header() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => select(vec!["2024-01-01 00:00:00", "", " padded\t", "rev 1"]).prop_map(|h| Some(h.to_owned())),
    ]
}

/// A change to a patch's text.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the `k`th `@@` line.
    HunkHeader {
        line: usize,
        header: String,
    },
    DeleteLine(usize),
    DuplicateLine(usize),
    InsertLine(usize, String),
    /// Replace the first unit of a line.
    Marker(usize, String),
    AddCr(usize),
    /// An editor stripped the space of an empty context line.
    BlankContext(usize),
    AllCrlf,
    StripCrs,
    PrependGit(String),
    /// Swap the `Index:`/underline lines for a Git header, as Git writes patches.
    GitHeaderInstead(String),
    Truncate(usize),
    ToggleFinalNewline,
    AppendSecondFile,
}

fn garbage_line() -> impl Strategy<Value = String> {
    select(vec![
        "",
        "garbage",
        "\\ No newline at end of file",
        "+added",
        "-removed",
        " context",
        "a",
        "@@ -1 +1 @@",
        "@@ -0,0 +1 @@",
        "@@ x",
        "@@",
        "--- a",
        "+++ b",
        "---x",
        "Index: f",
        "diff --git a/x b/x",
        "diff -r abc def",
        "===================================================================",
        "\r",
        " \r",
        "+\r",
    ])
    .prop_map(str::to_owned)
}

fn git_header() -> impl Strategy<Value = String> {
    let first = select(vec![
        "diff --git a/f b/f",
        "diff --git a/f b/g",
        "diff --git \"a/t\\tb\" \"b/t\\tb\"",
        "diff --git a/x \"b/q\\303\\251\"",
        "diff --git \"a/unterminated b/x",
        "diff --git a/a b/b b/c",
        "diff --git x y",
    ]);
    let extended = proptest::collection::vec(
        select(vec![
            "new file mode 100644",
            "deleted file mode 100755",
            "old mode 100644",
            "new mode 100755",
            "rename from old name",
            "rename to \"new\\tname\"",
            "copy from src\r",
            "copy to dst",
            "similarity index 90%",
            "index abc..def 100644",
            "Binary files a and b differ",
        ]),
        0..4,
    );
    (first, extended).prop_map(|(first, extended)| {
        let mut text = first.to_owned();
        for line in extended {
            text.push('\n');
            text.push_str(line);
        }
        text.push('\n');
        text
    })
}

/// A hunk start. jsdiff walks from the start towards the text one position at a time, so a
/// huge start with old lines to match would keep Node busy for hours: starts stay small here
/// (huge ones are covered by `patch_examples.rs`).
fn start_number() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (0usize..12).prop_map(|n| n.to_string()),
        1 => select(vec!["00", "3000"]).prop_map(str::to_owned),
    ]
}

/// A hunk line count: huge ones only make the counts mismatch.
fn count_number() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0usize..8).prop_map(|n| n.to_string()),
        1 => select(vec!["99999999999", "123456789012345678901234567890", "00"]).prop_map(str::to_owned),
    ]
}

/// `@@ -a[,b] +c[,d] @@`, sometimes with text after it.
fn hunk_header() -> impl Strategy<Value = String> {
    (
        start_number(),
        prop::option::of(count_number()),
        start_number(),
        prop::option::of(count_number()),
        select(vec!["", "", " fn main()", "\r"]),
    )
        .prop_map(|(a, b, c, d, tail)| {
            let count = |n: Option<String>| n.map(|n| format!(",{n}")).unwrap_or_default();
            format!("@@ -{a}{} +{c}{} @@{tail}", count(b), count(d))
        })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let index = 0usize..40;
    prop_oneof![
        3 => (0usize..3, hunk_header()).prop_map(|(line, header)| Mutation::HunkHeader { line, header }),
        2 => index.clone().prop_map(Mutation::DeleteLine),
        1 => index.clone().prop_map(Mutation::DuplicateLine),
        2 => (index.clone(), garbage_line()).prop_map(|(i, l)| Mutation::InsertLine(i, l)),
        2 => (index.clone(), select(vec![" ", "+", "-", "\\", "x", ""]).prop_map(str::to_owned))
            .prop_map(|(i, m)| Mutation::Marker(i, m)),
        1 => index.clone().prop_map(Mutation::AddCr),
        2 => index.clone().prop_map(Mutation::BlankContext),
        1 => Just(Mutation::AllCrlf),
        1 => Just(Mutation::StripCrs),
        1 => git_header().prop_map(Mutation::PrependGit),
        3 => git_header().prop_map(Mutation::GitHeaderInstead),
        1 => (0usize..400).prop_map(Mutation::Truncate),
        1 => Just(Mutation::ToggleFinalNewline),
        1 => Just(Mutation::AppendSecondFile),
    ]
}

fn mutate(patch: &str, mutation: &Mutation) -> String {
    let mut lines: Vec<String> = patch.split('\n').map(str::to_owned).collect();
    let pick = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match mutation {
        Mutation::HunkHeader { line, header } => {
            let headers: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].starts_with("@@"))
                .collect();
            if let Some(&at) = headers.get(pick(*line, headers.len())) {
                lines[at] = header.clone();
            }
        }
        Mutation::DeleteLine(i) => {
            let at = pick(*i, lines.len());
            lines.remove(at);
        }
        Mutation::DuplicateLine(i) => {
            let at = pick(*i, lines.len());
            lines.insert(at, lines[at].clone());
        }
        Mutation::InsertLine(i, line) => {
            let at = pick(*i, lines.len() + 1);
            lines.insert(at, line.clone());
        }
        Mutation::Marker(i, marker) => {
            let at = pick(*i, lines.len());
            let rest: String = lines[at].chars().skip(1).collect();
            lines[at] = format!("{marker}{rest}");
        }
        Mutation::BlankContext(i) => {
            let blanks: Vec<usize> = (0..lines.len())
                .filter(|&l| lines[l] == " " || lines[l] == " \r")
                .collect();
            if let Some(&at) = blanks.get(pick(*i, blanks.len())) {
                lines[at].clear();
            }
        }
        Mutation::AddCr(i) => {
            let at = pick(*i, lines.len());
            lines[at].push('\r');
        }
        Mutation::AllCrlf => {
            let last = lines.len() - 1;
            for line in &mut lines[..last] {
                line.push('\r');
            }
        }
        Mutation::StripCrs => {
            for line in &mut lines {
                if line.ends_with('\r') {
                    line.pop();
                }
            }
        }
        Mutation::PrependGit(header) => return format!("{header}{patch}"),
        Mutation::GitHeaderInstead(header) => {
            let body = match patch.find("\n--- ") {
                Some(at) => &patch[at + 1..],
                None => patch,
            };
            return format!("{header}{body}");
        }
        Mutation::Truncate(at) => {
            let chars: Vec<char> = patch.chars().collect();
            return chars[..pick(*at, chars.len() + 1).min(chars.len())]
                .iter()
                .collect();
        }
        Mutation::ToggleFinalNewline => {
            return match patch.strip_suffix('\n') {
                Some(stripped) => stripped.to_owned(),
                None => format!("{patch}\n"),
            }
        }
        Mutation::AppendSecondFile => {
            return format!("{patch}--- other\n+++ other\n@@ -1 +1 @@\n-a\n+b\n");
        }
    }
    lines.join("\n")
}

/// Which text to apply the patch to.
#[derive(Debug, Clone)]
enum Target {
    Old,
    New,
    OldWithEdits(Vec<Edit>),
    OldToggledEndings,
    OldWithoutFinalNewline,
    Random(Vec<String>),
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        6 => Just(Target::Old),
        1 => Just(Target::New),
        2 => proptest::collection::vec(edit(), 0..10).prop_map(Target::OldWithEdits),
        1 => Just(Target::OldToggledEndings),
        1 => Just(Target::OldWithoutFinalNewline),
        1 => proptest::collection::vec(line(), 0..6).prop_map(Target::Random),
    ]
}

#[derive(Debug, Clone)]
struct GeneratedCase {
    old_lines: Vec<String>,
    edits: Vec<Edit>,
    old_endings: Endings,
    new_endings: Endings,
    old_final_newline: bool,
    new_final_newline: bool,
    names: (String, String),
    headers: (Option<String>, Option<String>),
    context: usize,
    mutations: Vec<Mutation>,
    target: Target,
}

fn generated_case() -> impl Strategy<Value = GeneratedCase> {
    (
        proptest::collection::vec(line(), 0..14),
        proptest::collection::vec(edit(), 0..15),
        (endings(), endings(), any::<bool>(), any::<bool>()),
        (file_name(), file_name(), header(), header()),
        0usize..5,
        prop_oneof![2 => Just(Vec::new()), 3 => proptest::collection::vec(mutation(), 1..3)],
        target(),
    )
        .prop_map(
            |(
                old_lines,
                edits,
                (old_endings, new_endings, ofn, nfn),
                (on, nn, oh, nh),
                context,
                mutations,
                target,
            )| {
                GeneratedCase {
                    old_lines,
                    edits,
                    old_endings,
                    new_endings,
                    old_final_newline: ofn,
                    new_final_newline: nfn,
                    names: (on, nn),
                    headers: (oh, nh),
                    context,
                    mutations,
                    target,
                }
            },
        )
}

fn check_parity(original: &str, patch: &str) -> Result<(), TestCaseError> {
    let (expected_apply, expected_reverse) = {
        let mut node = oracle();
        (node.apply(original, patch), node.reverse(patch))
    };
    prop_assert_eq!(
        ours_apply(original, patch),
        expected_apply,
        "applyPatch({:?}, {:?})",
        original,
        patch
    );
    prop_assert_eq!(
        ours_reverse(patch),
        expected_reverse,
        "reversePatch({:?})",
        patch
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn generated_and_mutated_patches_match_jsdiff(case in generated_case()) {
        let new_lines = apply_edits(&case.old_lines, &case.edits);
        let old = join_text(&case.old_lines, case.old_endings, case.old_final_newline);
        // Mostly the same endings on both sides, as real edits have.
        let new_endings = if case.context % 2 == 0 { case.old_endings } else { case.new_endings };
        let new = join_text(&new_lines, new_endings, case.new_final_newline);
        let mut patch = oracle().create(
            &case.names.0,
            &case.names.1,
            &old,
            &new,
            case.headers.0.as_deref(),
            case.headers.1.as_deref(),
            case.context,
        );
        for mutation in &case.mutations {
            patch = mutate(&patch, mutation);
        }
        let original = match &case.target {
            Target::Old => old.clone(),
            Target::New => new.clone(),
            Target::OldWithEdits(edits) => join_text(
                &apply_edits(&case.old_lines, edits), case.old_endings, case.old_final_newline),
            Target::OldToggledEndings => {
                let toggled = match case.old_endings { Endings::Unix => Endings::Windows, _ => Endings::Unix };
                join_text(&case.old_lines, toggled, case.old_final_newline)
            }
            Target::OldWithoutFinalNewline => join_text(&case.old_lines, case.old_endings, false),
            Target::Random(lines) => join_text(lines, case.new_endings, case.old_final_newline),
        };
        check_parity(&original, &patch)?;
    }
}

/// Lines that look like parts of patches, in any order.
fn soup_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => garbage_line(),
        2 => git_header().prop_map(|h| h.trim_end_matches('\n').to_owned()),
        2 => hunk_header(),
        4 => (select(vec![" ", "+", "-"]), line()).prop_map(|(m, l)| format!("{m}{l}")),
        1 => select(vec![
            "--- \"q\\tx\"\t2020", "+++ b/with\\\\backslash", "--- a b\tc\td", "+++  \u{a0}x\u{2003} ",
            "--- \"bad\\q\"", "Index: \u{3000}spaced ", "--- \"\\101\\102\"",
        ]).prop_map(str::to_owned),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn patch_like_soup_matches_jsdiff(
        lines in proptest::collection::vec(soup_line(), 0..14),
        final_newline in any::<bool>(),
        original_lines in proptest::collection::vec(line(), 0..6),
        original_endings in endings(),
        original_final_newline in any::<bool>(),
    ) {
        let mut patch = lines.join("\n");
        if final_newline {
            patch.push('\n');
        }
        let original = join_text(&original_lines, original_endings, original_final_newline);
        check_parity(&original, &patch)?;
    }
}

/// Corners the generators reach rarely: blank lines under line-ending conversion, NaN headers,
/// hunks out of order, end-of-file markers, multi-file and Git headers without hunks.
#[test]
fn targeted_corners_match_jsdiff() {
    let cases: &[(&str, &str)] = &[
        ("a\r\n\r\nb\r\n", "@@ -1,3 +1,3 @@\n a\n\n-b\n+B\n"),
        ("a\r\n\r\nb\r\n", "@@ -1,3 +1,3 @@\n a\n\n\\ x\n-b\n+B\n"),
        ("a\r\n\r\nb\r\n", "@@ -1,2 +1,2 @@\n-a\n+A\n\n"),
        ("a\r\n\r\nb\r\n", "@@ -2,2 +2,2 @@\n\n-b\n+B\n"),
        ("a\nb\n", "@@ x\n-a\n+b"),
        ("a\nb\n", "@@ x\n+b"),
        ("a\nb\n", "@@ x\n+b\n@@ -1 +1 @@\n-a\n+c\n"),
        ("a\nb\n", "@@ -1 +1 @@\n-a\n+c\n@@ x\n+b\n"),
        ("a\nb\n", "@@ -0,0 +1 @@\n+z\n@@ -0,0 +1 @@\n+y\n"),
        ("a\nb\n", "@@ -5,0 +1 @@\n+z\n@@ -1,0 +1 @@\n+y\n@@ -1,0 +1 @@\n+w\n"),
        ("a\r\nb\r\n", "@@ -1 +1 @@\r\n-a\r\n+c\r\n\\ No newline\r\n"),
        ("a\nb", "@@ -2 +2 @@\n-b\r\n\\ No newline at end of file\n+c\r\n\\ No newline at end of file\r\n"),
        ("a\r\nb", "@@ -2 +2 @@\n-b\n\\ No newline at end of file\n+c\n"),
        ("a\r\nb\r\n", "@@ -2 +2 @@\n-b\n+c\n\\ No newline at end of file\n"),
        ("", "@@ -0,0 +1 @@\n+a\n"),
        ("", "@@ -1 +1 @@\n-\n+a\n"),
        ("\n", "@@ -1 +1 @@\n-\n+a\n"),
        ("x\n", "@@ -1,2 +1,2 @@\n x\n-\n+y\n\\ No newline at end of file\n"),
        ("a\nb\nc\nd\ne\n", "@@ -4,2 +4,2 @@\n d\n-e\n+E\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n"),
        ("a\nb\nc\nd\ne\n", "@@ -1,2 +1,2 @@\n-a\n+A\n b\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n"),
        ("a\nb\n", "--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n\n\n--- c\n"),
        ("a\nb\n", "Index: x\nIndex: y\n"),
        ("a\nb\n", "diff --git a/x b/x\ndiff --git a/y b/y\n"),
        ("a\nb\n", "diff -r 1 x\n--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n"),
        ("a\nb\n", "--- \"a\\tb\"\t\t\n+++ \"unterminated\n@@ -1 +1 @@\n-a\n+b\n"),
        ("a\nb\n", "diff --git \"a/x\" b/y z\nrename from \"r\\101\"\nrename to s\u{2028}t\n"),
        ("a\nb\n", "diff --git a/x \"b/y\"\ncopy from \"bad\\z\"\ncopy to q\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n"),
        ("a\nb\n", "diff --git a/a b/c b/d b/e\nnew file mode 12\ndeleted file mode 7\n"),
        ("a\nb\n", "diff --git a/f b/f\nnew file mode 100644\n--- a/f\n+++ b/f\n"),
        ("a\nb\n", "diff --git a/f b/f\n--- a/f\n+++ /dev/null\ndeleted file mode 100644\n"),
        ("a\nb\n", "diff --git a/f /dev/null\ndeleted file mode 100644\n--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n"),
    ];
    for &(original, patch) in cases {
        let (expected_apply, expected_reverse) = {
            let mut node = oracle();
            (node.apply(original, patch), node.reverse(patch))
        };
        assert_eq!(
            ours_apply(original, patch),
            expected_apply,
            "applyPatch({original:?}, {patch:?})"
        );
        assert_eq!(
            ours_reverse(patch),
            expected_reverse,
            "reversePatch({patch:?})"
        );
    }
}

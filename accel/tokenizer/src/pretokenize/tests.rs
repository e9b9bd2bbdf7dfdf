//! The pieces of tricky inputs per pattern, as V8 splits them: each expected list is what
//! `text.match(new RegExp(pat_str, "ug"))` returned under Node 20 (Unicode 17). They cover the
//! `\s+(?!\S)` backoff, `\s*[\r\n]+`, `[\r\n]*` and o200k's `[\r\n/]*`, digit triples,
//! contractions (ASCII case variants only, not `ſ`), o200k's case classes with marks, and JS `\s`
//! (U+FEFF is whitespace, U+0085 is not).

use super::Pattern;

const GPT2_CASES: &[(&str, &[&str])] = &[
    ("a   b", &["a", "  ", " b"]),
    ("a \tb", &["a", " ", "\t", "b"]),
    ("a   ", &["a", "   "]),
    ("x  1", &["x", " ", " 1"]),
    ("x \n\n  y", &["x", " \n\n ", " y"]),
    ("a\r\n\r\n", &["a", "\r\n\r\n"]),
    ("\n \n  ", &["\n \n  "]),
    (
        "it's THEY'RE we'Ll I'M don'\u{17f}",
        &[
            "it", "'s", " THEY", "'", "RE", " we", "'", "Ll", " I", "'", "M", " don", "'",
            "\u{17f}",
        ],
    ),
    (
        "12345 \u{661}\u{662}\u{663}\u{664}",
        &["12345", " \u{661}\u{662}\u{663}\u{664}"],
    ),
    (
        "HTTPServer helloWorld \u{1c5}ungla \u{c0}\u{c9}\u{ce}",
        &[
            "HTTPServer",
            " helloWorld",
            " \u{1c5}ungla",
            " \u{c0}\u{c9}\u{ce}",
        ],
    ),
    (
        "a\u{301}b \u{301}\u{301} x\u{301}Y",
        &["a", "\u{301}", "b", " \u{301}\u{301}", " x", "\u{301}", "Y"],
    ),
    (
        "end.\n\n// c//\n/x",
        &["end", ".", "\n", "\n", "//", " c", "//", "\n", "/", "x"],
    ),
    ("!!! ?? 'x", &["!!!", " ??", " '", "x"]),
    (
        "\u{3000}\u{65e5}\u{672c}\u{8a9e}\u{a0}word",
        &["\u{3000}", "\u{65e5}\u{672c}\u{8a9e}", "\u{a0}", "word"],
    ),
    ("ab'sCD'S", &["ab", "'s", "CD", "'", "S"]),
    ("\u{301}A", &["\u{301}", "A"]),
    ("x\u{85}y\u{feff}z", &["x", "\u{85}", "y", "\u{feff}", "z"]),
    ("\u{2b0}\u{2b0}A1", &["\u{2b0}\u{2b0}A", "1"]),
];

const CL100K_CASES: &[(&str, &[&str])] = &[
    ("a   b", &["a", "  ", " b"]),
    ("a \tb", &["a", " ", "\tb"]),
    ("a   ", &["a", "   "]),
    ("x  1", &["x", " ", " ", "1"]),
    ("x \n\n  y", &["x", " \n\n", " ", " y"]),
    ("a\r\n\r\n", &["a", "\r\n\r\n"]),
    ("\n \n  ", &["\n \n", "  "]),
    (
        "it's THEY'RE we'Ll I'M don'\u{17f}",
        &[
            "it", "'s", " THEY", "'RE", " we", "'Ll", " I", "'M", " don", "'\u{17f}",
        ],
    ),
    (
        "12345 \u{661}\u{662}\u{663}\u{664}",
        &["123", "45", " ", "\u{661}\u{662}\u{663}", "\u{664}"],
    ),
    (
        "HTTPServer helloWorld \u{1c5}ungla \u{c0}\u{c9}\u{ce}",
        &[
            "HTTPServer",
            " helloWorld",
            " \u{1c5}ungla",
            " \u{c0}\u{c9}\u{ce}",
        ],
    ),
    (
        "a\u{301}b \u{301}\u{301} x\u{301}Y",
        &["a", "\u{301}b", " \u{301}\u{301}", " x", "\u{301}Y"],
    ),
    (
        "end.\n\n// c//\n/x",
        &["end", ".\n\n", "//", " c", "//\n", "/x"],
    ),
    ("!!! ?? 'x", &["!!!", " ??", " '", "x"]),
    (
        "\u{3000}\u{65e5}\u{672c}\u{8a9e}\u{a0}word",
        &["\u{3000}\u{65e5}\u{672c}\u{8a9e}", "\u{a0}word"],
    ),
    ("ab'sCD'S", &["ab", "'s", "CD", "'S"]),
    ("\u{301}A", &["\u{301}A"]),
    ("x\u{85}y\u{feff}z", &["x", "\u{85}y", "\u{feff}z"]),
    ("\u{2b0}\u{2b0}A1", &["\u{2b0}\u{2b0}A", "1"]),
];

const O200K_CASES: &[(&str, &[&str])] = &[
    ("a   b", &["a", "  ", " b"]),
    ("a \tb", &["a", " ", "\tb"]),
    ("a   ", &["a", "   "]),
    ("x  1", &["x", " ", " ", "1"]),
    ("x \n\n  y", &["x", " \n\n", " ", " y"]),
    ("a\r\n\r\n", &["a", "\r\n\r\n"]),
    ("\n \n  ", &["\n \n", "  "]),
    (
        "it's THEY'RE we'Ll I'M don'\u{17f}",
        &["it's", " THEY'RE", " we'Ll", " I'M", " don", "'\u{17f}"],
    ),
    (
        "12345 \u{661}\u{662}\u{663}\u{664}",
        &["123", "45", " ", "\u{661}\u{662}\u{663}", "\u{664}"],
    ),
    (
        "HTTPServer helloWorld \u{1c5}ungla \u{c0}\u{c9}\u{ce}",
        &[
            "HTTPServer",
            " hello",
            "World",
            " \u{1c5}ungla",
            " \u{c0}\u{c9}\u{ce}",
        ],
    ),
    (
        "a\u{301}b \u{301}\u{301} x\u{301}Y",
        &["a\u{301}b", " \u{301}\u{301}", " x\u{301}", "Y"],
    ),
    (
        "end.\n\n// c//\n/x",
        &["end", ".\n\n//", " c", "//\n/", "x"],
    ),
    ("!!! ?? 'x", &["!!!", " ??", " '", "x"]),
    (
        "\u{3000}\u{65e5}\u{672c}\u{8a9e}\u{a0}word",
        &["\u{3000}\u{65e5}\u{672c}\u{8a9e}", "\u{a0}word"],
    ),
    ("ab'sCD'S", &["ab's", "CD'S"]),
    ("\u{301}A", &["\u{301}", "A"]),
    ("x\u{85}y\u{feff}z", &["x", "\u{85}y", "\u{feff}z"]),
    ("\u{2b0}\u{2b0}A1", &["\u{2b0}\u{2b0}", "A", "1"]),
];

fn assert_cases(pattern: Pattern, cases: &[(&str, &[&str])]) {
    for (text, expected) in cases {
        assert_eq!(&pattern.pieces(text), expected, "{pattern:?} on {text:?}");
    }
}

#[test]
fn gpt2_pattern_splits_as_v8() {
    assert_cases(Pattern::Gpt2, GPT2_CASES);
}

#[test]
fn cl100k_pattern_splits_as_v8() {
    assert_cases(Pattern::Cl100k, CL100K_CASES);
}

#[test]
fn o200k_pattern_splits_as_v8() {
    assert_cases(Pattern::O200k, O200K_CASES);
}

#[test]
fn pieces_cover_the_text_exactly() {
    let text = "mixed: héllo\u{3000}世界 123456 \r\n\t x'S 😀\u{0301}";
    for pattern in [Pattern::Gpt2, Pattern::Cl100k, Pattern::O200k] {
        assert_eq!(pattern.pieces(text).concat(), text);
    }
}

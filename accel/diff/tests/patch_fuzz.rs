//! Nothing may panic or hang, whatever the input: random text, random UTF-16 units (lone
//! surrogates included) and patch-shaped text with absurd numbers.

use accel_diff::patch::{apply_patch, apply_patch_units, reverse_patch, reverse_patch_units};
use proptest::prelude::*;
use proptest::sample::select;

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "@@ -",
            " +",
            ",",
            " @@",
            "\n",
            "\r\n",
            "\\ No newline at end of file",
            "--- ",
            "+++ ",
            "diff --git ",
            "a/",
            " b/",
            "\"",
            "\\",
            "\\303",
            "\\7",
            "rename from ",
            "copy to ",
            "new file mode ",
            "deleted file mode 1",
            "Index: ",
            "diff -r x ",
            "/dev/null",
            "\t",
            "\u{a0}",
            "\u{2028}",
            "=================================================================== ",
            "+",
            "-",
            " ",
            "x",
            "0",
            "1",
            "99999999999999999999999",
            "9007199254740993",
        ])
        .prop_map(str::to_owned),
        "[0-9]{1,400}",
        any::<String>(),
    ]
}

fn patch_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat())
}

fn units() -> impl Strategy<Value = Vec<u16>> {
    proptest::collection::vec(
        prop_oneof![
            4 => select(b"@@ -+,0123\\\n\r\"abt/".to_vec()).prop_map(u16::from),
            1 => 0xD800u16..0xE000,
            1 => any::<u16>(),
        ],
        0..200,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(original in any::<String>(), patch in any::<String>()) {
        let _ = apply_patch(&original, &patch);
        let _ = reverse_patch(&patch);
    }

    #[test]
    fn patch_shaped_text_never_panics(original in patch_like(), patch in patch_like()) {
        let _ = apply_patch(&original, &patch);
        let _ = apply_patch("a\nb\nc\n", &patch);
        let _ = reverse_patch(&patch);
    }

    #[test]
    fn random_units_never_panic(original in units(), patch in units()) {
        let _ = apply_patch_units(&original, &patch);
        let _ = reverse_patch_units(&patch);
        let bytes: Vec<u8> = patch.iter().map(|&u| u as u8).collect();
        let _ = apply_patch_units(&bytes, &bytes);
        let _ = reverse_patch_units(&bytes);
    }
}

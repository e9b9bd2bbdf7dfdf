//! Random inputs shared by the engines' own property tests and the live-oracle tests, so both
//! draw from the inputs the contracts name (`oracle/CONTRACTS.md`).

use proptest::prelude::*;

/// A float32 of any magnitude, subnormal through the largest finite, either sign.
pub fn any_magnitude_f32() -> impl Strategy<Value = f32> {
    (any::<bool>(), 0u32..=254, 0u32..(1 << 23)).prop_map(|(negative, exponent, mantissa)| {
        f32::from_bits(u32::from(negative) << 31 | exponent << 23 | mantissa)
    })
}

/// Mostly ordinary values, with every magnitude, zeros and the float32 edges mixed in.
pub fn vector_element() -> impl Strategy<Value = f32> {
    prop_oneof![
        8 => -1.0f32..1.0,
        2 => any_magnitude_f32(),
        1 => Just(0.0f32),
        1 => prop::sample::select(vec![1e-45f32, -1e-45, f32::MIN_POSITIVE, f32::MAX, -f32::MAX, 1e-30, 1e30]),
    ]
}

/// A vector in one of the contract's styles: ordinary, every magnitude, subnormal only, huge
/// only, all zeros, or with rare NaN and infinities.
pub fn f32_vector(n: usize) -> impl Strategy<Value = Vec<f32>> {
    prop_oneof![
        4 => prop::collection::vec(vector_element(), n),
        1 => prop::collection::vec(-1e-40f32..1e-40, n),
        1 => prop::collection::vec(-3e38f32..3e38, n),
        1 => Just(vec![0.0; n]),
        1 => prop::collection::vec(
            prop_oneof![20 => vector_element(), 1 => prop::sample::select(vec![f32::NAN, f32::INFINITY, f32::NEG_INFINITY])],
            n,
        ),
    ]
}

/// A dimension: mostly small, one in four anywhere up to 4,096.
pub fn vector_dimension() -> impl Strategy<Value = usize> {
    prop_oneof![3 => 0usize..80, 1 => 0usize..=4096]
}

/// A code point from any of the 17 planes, assigned or not; the surrogate block (which `char`
/// cannot hold) maps onto the Hangul and unassigned block just below it.
pub fn any_plane_char() -> impl Strategy<Value = char> {
    (0u32..=16, 0u32..=0xffff).prop_map(|(plane, offset)| {
        let code_point = plane << 16 | offset;
        let code_point = if (0xd800..=0xdfff).contains(&code_point) {
            code_point - 0x800
        } else {
            code_point
        };
        char::from_u32(code_point).expect("surrogates were moved out")
    })
}

fn chars_from(pool: &'static str, run: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    let chars: Vec<char> = pool.chars().collect();
    prop::collection::vec(prop::sample::select(chars), run).prop_map(String::from_iter)
}

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(items).prop_map(str::to_owned)
}

/// Whitespace as the tiktoken regexes see it, including U+0085 and U+FEFF, on which JavaScript's
/// `\s` and Unicode's White_Space disagree.
const WHITESPACE: &str =
    " \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{feff}\u{1680}\u{2000}\u{2007}\u{200a}\u{2028}\u{2029}\u{202f}\u{3000}\u{180e}\u{200b}";
const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡¿«»—–…‘’“”„•·、。，！？【】《》";
const LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÉßſıİǅǈʰˆΣσςЖжﬁＡａ";
const DIGITS: &str = "0123456789٠١٢٣۴०१২３𝟘²½Ⅻ①";
const KANA_HANGUL: &str = "あいうえおかきくけこアイウエオカキクケコー한국어토큰문장안녕하세요";
const COMBINING: &str = "\u{300}\u{301}\u{302}\u{303}\u{308}\u{323}\u{327}\u{34f}\u{35c}\u{361}\u{489}\u{5b8}\u{64e}\u{94d}\u{e48}\u{200d}\u{20dd}\u{fe0f}\u{1f3fb}";
const CONTRACTION_TAILS: &[&str] = &[
    "s", "S", "t", "T", "re", "RE", "rE", "Re", "ve", "VE", "vE", "m", "M", "ll", "LL", "lL", "Ll",
    "d", "D", "ſ", "ſt", "K", "x", "", "'",
];
const EMOJI: &[&str] = &[
    "😀",
    "🎉",
    "❤️",
    "👍🏽",
    "👋🏿",
    "🧑‍💻",
    "👩‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇯🇵",
    "🇺🇸🇩🇪",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "1️⃣",
    "©️",
    "🫠",
];
const SPECIAL_TOKENS: &[&str] = &[
    "<|endoftext|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|endofprompt|>",
    "<|im_start|>",
    "<|endoftext",
];

/// One stretch of tokenizer input, in one of the styles the regexes treat differently.
pub fn tokenizer_segment() -> impl Strategy<Value = String> {
    let word = (
        prop::option::of(pick(&[" ", "\n", "\t", "\u{a0}", "_", "$"])),
        chars_from(LETTERS, 1..14),
    )
        .prop_map(|(lead, word)| lead.unwrap_or_default() + &word);
    let ascii_word = "[ ]?[A-Za-z]{1,10}";
    let whitespace = prop_oneof![
        6 => chars_from(WHITESPACE, 1..12),
        2 => chars_from(" \t\n\r", 1..60),
        1 => chars_from(" \n", 60..250),
    ];
    let contraction = pick(CONTRACTION_TAILS).prop_map(|tail| format!("'{tail}"));
    let digits = prop_oneof![
        3 => "[0-9]{1,25}",
        1 => chars_from(DIGITS, 1..10),
    ];
    let cjk = prop_oneof![
        2 => prop::collection::vec(0x4e00u32..0x9fff, 1..24)
            .prop_map(|cps| cps.into_iter().filter_map(char::from_u32).collect::<String>()),
        1 => chars_from(KANA_HANGUL, 1..12),
        1 => prop::collection::vec(0x323b0u32..0x33470, 1..8) // CJK Extension J (Unicode 17)
            .prop_map(|cps| cps.into_iter().filter_map(char::from_u32).collect::<String>()),
    ];
    let emoji = prop::collection::vec(pick(EMOJI), 1..5).prop_map(|e| e.concat());
    let combining = (chars_from(LETTERS, 0..3), chars_from(COMBINING, 1..5))
        .prop_map(|(base, marks)| base + &marks);
    let punctuation = chars_from(PUNCTUATION, 1..30);
    let any_plane = prop::collection::vec(any_plane_char(), 1..24).prop_map(String::from_iter);
    prop_oneof![
        6 => ascii_word,
        3 => word,
        4 => whitespace,
        2 => contraction,
        3 => digits,
        2 => cjk,
        2 => emoji,
        2 => combining,
        2 => punctuation,
        4 => any_plane,
        1 => pick(SPECIAL_TOKENS),
    ]
}

/// Tokenizer input up to 2,000 characters: stretches of [`tokenizer_segment`] back to back, so
/// that every pair of styles meets; mostly short, one in five up to the limit.
pub fn tokenizer_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(tokenizer_segment(), 0..12),
        1 => prop::collection::vec(tokenizer_segment(), 12..200),
    ]
    .prop_map(|segments| segments.concat().chars().take(2000).collect())
}

/// [`tokenizer_text`] as UTF-16 with 1-4 lone surrogates inserted anywhere (which may also split
/// a pair the text had), as JavaScript strings can hold.
pub fn tokenizer_utf16_text() -> impl Strategy<Value = Vec<u16>> {
    (
        tokenizer_text(),
        prop::collection::vec((any::<prop::sample::Index>(), 0xd800u16..=0xdfff), 1..5),
    )
        .prop_map(|(text, surrogates)| {
            let mut units: Vec<u16> = text.encode_utf16().collect();
            for (at, surrogate) in surrogates {
                let at = at.index(units.len() + 1);
                units.insert(at, surrogate);
            }
            units
        })
}

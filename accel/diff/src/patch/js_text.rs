//! The JavaScript string operations jsdiff's patch code relies on, over code units: prefix tests,
//! `split('\n')`, and the ECMAScript notion of white space that `\s` and `trim()` share
//! (WhiteSpace + LineTerminator, which is not Rust's `char::is_whitespace`: U+FEFF is in, U+0085
//! is out).

use crate::unit::Unit;

pub fn units<T: Unit>(ascii: &str) -> Vec<T> {
    ascii.bytes().map(T::from_ascii).collect()
}

pub fn starts_with<T: Unit>(text: &[T], ascii: &str) -> bool {
    text.len() >= ascii.len() && text.iter().zip(ascii.bytes()).all(|(&u, b)| u.is(b))
}

pub fn strip_prefix<'a, T: Unit>(text: &'a [T], ascii: &str) -> Option<&'a [T]> {
    starts_with(text, ascii).then(|| &text[ascii.len()..])
}

pub fn first_is<T: Unit>(text: &[T], ascii: u8) -> bool {
    text.first().is_some_and(|u| u.is(ascii))
}

pub fn last_is<T: Unit>(text: &[T], ascii: u8) -> bool {
    text.last().is_some_and(|u| u.is(ascii))
}

pub fn eq_ascii<T: Unit>(text: &[T], ascii: &str) -> bool {
    text.len() == ascii.len() && starts_with(text, ascii)
}

/// Position of the first `ascii` at or after `from`.
pub fn find<T: Unit>(text: &[T], ascii: &str, from: usize) -> Option<usize> {
    let needle_len = ascii.len();
    if needle_len == 0 || text.len() < needle_len {
        return None;
    }
    (from..=text.len() - needle_len).find(|&i| starts_with(&text[i..], ascii))
}

/// `text.split('\n')`: one more piece than there are newlines.
pub fn split_lines<T: Unit>(text: &[T]) -> Vec<&[T]> {
    let mut lines = Vec::with_capacity(text.len() / 32 + 2);
    let mut start = 0;
    T::for_each_line_end(text, |end| {
        let terminated = last_is(&text[..end], b'\n');
        lines.push(&text[start..if terminated { end - 1 } else { end }]);
        start = end;
    });
    // An empty text, or one ending in `\n`, ends with an empty piece.
    if text.is_empty() || last_is(text, b'\n') {
        lines.push(&text[text.len()..]);
    }
    lines
}

/// The character that starts at `index` when it is not ASCII, with its length in units.
///
/// `Unit` only exposes ASCII, so the character is decoded from the shortest window of units that
/// forms exactly one valid character (one unit of UTF-16, two to four bytes of UTF-8).
fn non_ascii_char_at<T: Unit>(text: &[T], index: usize) -> Option<(char, usize)> {
    (1..=4)
        .take_while(|&len| index + len <= text.len())
        .find_map(|len| single_char(&text[index..index + len]).map(|c| (c, len)))
}

/// Same as [`non_ascii_char_at`], for the character that ends at `end`.
fn non_ascii_char_before<T: Unit>(text: &[T], end: usize) -> Option<(char, usize)> {
    (1..=4)
        .take_while(|&len| len <= end)
        .find_map(|len| single_char(&text[end - len..end]).map(|c| (c, len)))
}

fn single_char<T: Unit>(window: &[T]) -> Option<char> {
    let decoded = T::to_string_lossy(window);
    let mut chars = decoded.chars();
    match (chars.next(), chars.next()) {
        // A lone surrogate or a broken sequence decodes to U+FFFD, which is never white space
        // or a line terminator, so a genuine U+FFFD needs no special care.
        (Some(c), None) if c != char::REPLACEMENT_CHARACTER => Some(c),
        _ => None,
    }
}

fn is_js_whitespace_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// Length of the `\s` character at `index`, if there is one.
pub fn whitespace_len_at<T: Unit>(text: &[T], index: usize) -> Option<usize> {
    let unit = *text.get(index)?;
    match unit.to_ascii() {
        Some(b) => is_js_whitespace_char(char::from(b)).then_some(1),
        None => non_ascii_char_at(text, index)
            .filter(|&(c, _)| is_js_whitespace_char(c))
            .map(|(_, len)| len),
    }
}

fn whitespace_len_before<T: Unit>(text: &[T], end: usize) -> Option<usize> {
    let unit = *text.get(end.checked_sub(1)?)?;
    match unit.to_ascii() {
        Some(b) => is_js_whitespace_char(char::from(b)).then_some(1),
        None => non_ascii_char_before(text, end)
            .filter(|&(c, _)| is_js_whitespace_char(c))
            .map(|(_, len)| len),
    }
}

/// `String.prototype.trim`.
pub fn trim<T: Unit>(text: &[T]) -> &[T] {
    let mut start = 0;
    while let Some(len) = whitespace_len_at(text, start) {
        start += len;
    }
    let mut end = text.len();
    while end > start {
        match whitespace_len_before(text, end) {
            Some(len) if end - len >= start => end -= len,
            _ => break,
        }
    }
    &text[start..end]
}

/// What `(.*)` captures: everything before the first line terminator (`.` matches neither
/// `\n`, `\r`, U+2028 nor U+2029).
pub fn up_to_line_terminator<T: Unit>(text: &[T]) -> &[T] {
    let mut i = 0;
    while i < text.len() {
        match text[i].to_ascii() {
            Some(b'\n' | b'\r') => break,
            Some(_) => i += 1,
            None => match non_ascii_char_at(text, i) {
                Some(('\u{2028}' | '\u{2029}', _)) => break,
                Some((_, len)) => i += len,
                None => i += 1,
            },
        }
    }
    &text[..i]
}

/// `\w` (ASCII letters, digits, underscore).
pub fn is_word_unit<T: Unit>(unit: T) -> bool {
    unit.to_ascii()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
}

pub fn is_digit<T: Unit>(unit: T) -> bool {
    unit.to_ascii().is_some_and(|b| b.is_ascii_digit())
}

/// The run of ASCII digits at the start of `text`.
pub fn leading_digits<T: Unit>(text: &[T]) -> &[T] {
    let len = text.iter().take_while(|&&u| is_digit(u)).count();
    &text[..len]
}

/// `+digits`: the JavaScript number a string of ASCII digits converts to (correctly rounded,
/// `Infinity` past `f64::MAX`).
pub fn digits_to_number<T: Unit>(digits: &[T]) -> f64 {
    let text: String = digits
        .iter()
        .filter_map(|u| u.to_ascii())
        .map(char::from)
        .collect();
    text.parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn splits_like_javascript() {
        for text in ["", "\n", "a", "a\n", "a\nb", "\n\n", "a\n\nb\n"] {
            let expected: Vec<&[u8]> = text.as_bytes().split(|&b| b == b'\n').collect();
            assert_eq!(split_lines(text.as_bytes()), expected, "{text:?}");
            let wide = utf16(text);
            let expected: Vec<&[u16]> = wide.split(|&u| u == 10).collect();
            assert_eq!(split_lines(&wide), expected, "{text:?}");
        }
    }

    #[test]
    fn trim_uses_the_ecmascript_white_space_set() {
        let text = "\u{FEFF}\u{A0} a\u{85}b \u{2029}\u{3000}\t";
        assert_eq!(trim(text.as_bytes()), "a\u{85}b".as_bytes());
        assert_eq!(trim(&utf16(text)), &utf16("a\u{85}b")[..]);
        assert_eq!(trim("\u{85}".as_bytes()), "\u{85}".as_bytes());
        assert_eq!(trim(" \u{2000} ".as_bytes()), b"");
    }

    #[test]
    fn lone_surrogates_are_not_white_space() {
        let text = [0xD800u16, 0x20, 0x41, 0x20, 0xDC00];
        assert_eq!(trim(&text), &text[..]);
    }

    #[test]
    fn dot_star_stops_at_any_line_terminator() {
        assert_eq!(up_to_line_terminator("ab\u{2028}c".as_bytes()), b"ab");
        assert_eq!(
            up_to_line_terminator(&utf16("a\u{e9}b\rc")),
            &utf16("a\u{e9}b")[..]
        );
        assert_eq!(up_to_line_terminator("abc".as_bytes()), b"abc");
    }

    #[test]
    fn digits_convert_like_unary_plus() {
        assert_eq!(digits_to_number(b"007"), 7.0);
        assert_eq!(digits_to_number(b"99999999999999999999999"), 1e23);
        assert_eq!(digits_to_number("9".repeat(400).as_bytes()), f64::INFINITY);
    }
}

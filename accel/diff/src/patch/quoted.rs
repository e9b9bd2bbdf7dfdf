//! Git's C-style quoted file names, as jsdiff's `parseQuotedFileName` reads them.

use crate::unit::Unit;

use super::js_text::first_is;

/// A quoted name at the start of `text`: the unescaped name and how many units the quoted form
/// spans (both quotes included). `None` when `text` does not start with a quote, the quote is
/// not closed, or an escape is unknown or a short octal escape.
pub fn parse_quoted_file_name<T: Unit>(text: &[T]) -> Option<(Vec<T>, usize)> {
    if !first_is(text, b'"') {
        return None;
    }
    let mut name = Vec::new();
    let mut j = 1;
    while j < text.len() {
        let unit = text[j];
        if unit.is(b'"') {
            return Some((name, j + 1));
        }
        if unit.is(b'\\') && j + 1 < text.len() {
            j += 1;
            let escaped = match text[j].to_ascii() {
                Some(b'a') => 0x07,
                Some(b'b') => 0x08,
                Some(b'f') => 0x0c,
                Some(b'n') => b'\n',
                Some(b'r') => b'\r',
                Some(b't') => b'\t',
                Some(b'v') => 0x0b,
                Some(b'\\') => b'\\',
                Some(b'"') => b'"',
                Some(b'0'..=b'7') => {
                    j = push_octal_run(text, j, &mut name)?;
                    continue;
                }
                _ => return None,
            };
            name.push(T::from_ascii(escaped));
        } else {
            name.push(unit);
        }
        j += 1;
    }
    None
}

/// Reads the run of octal escapes whose first digit is at `j` (its backslash already consumed),
/// decodes the bytes as UTF-8 and returns the position after the run.
fn push_octal_run<T: Unit>(text: &[T], mut j: usize, name: &mut Vec<T>) -> Option<usize> {
    if j + 2 >= text.len() || !is_octal(text[j + 1]) || !is_octal(text[j + 2]) {
        return None;
    }
    let mut bytes = vec![octal_byte(&text[j..j + 3])];
    j += 3;
    while j + 1 < text.len() && text[j].is(b'\\') && is_octal(text[j + 1]) {
        if j + 3 >= text.len() || !is_octal(text[j + 2]) || !is_octal(text[j + 3]) {
            return None;
        }
        bytes.push(octal_byte(&text[j + 1..j + 4]));
        j += 4;
    }
    T::extend_from_str(name, &decode_utf8_like_text_decoder(&bytes));
    Some(j)
}

fn is_octal<T: Unit>(unit: T) -> bool {
    unit.to_ascii().is_some_and(|b| (b'0'..=b'7').contains(&b))
}

/// Three octal digits as a `Uint8Array` element stores them (modulo 256: `\777` is 0xff).
fn octal_byte<T: Unit>(digits: &[T]) -> u8 {
    let value = digits
        .iter()
        .filter_map(|u| u.to_ascii())
        .fold(0u32, |acc, d| acc * 8 + u32::from(d - b'0'));
    (value & 0xff) as u8
}

/// `new TextDecoder('utf-8').decode(bytes)`: a leading byte-order mark is dropped and each
/// maximal invalid subsequence becomes U+FFFD (Rust's lossy decoding follows the same rule).
fn decode_utf8_like_text_decoder(bytes: &[u8]) -> String {
    let without_bom = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    String::from_utf8_lossy(without_bom).into_owned()
}

/// jsdiff's `unquoteIfQuoted`: the unquoted name, or `text` itself when it is not a valid
/// quoted name.
pub fn unquote_if_quoted<T: Unit>(text: &[T]) -> Vec<T> {
    match parse_quoted_file_name(text) {
        Some((name, _)) => name,
        None => text.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<(String, usize)> {
        parse_quoted_file_name(s.as_bytes()).map(|(n, len)| (String::from_utf8(n).unwrap(), len))
    }

    #[test]
    fn unescapes_c_escapes_and_octal_utf8() {
        assert_eq!(
            parse(r#""a\tb\\c\"d" rest"#),
            Some(("a\tb\\c\"d".into(), 12))
        );
        assert_eq!(parse(r#""caf\303\251""#), Some(("café".into(), 13)));
        assert_eq!(parse(r#""\357\273\277x""#), Some(("x".into(), 15)));
        assert_eq!(parse(r#""\303""#), Some(("\u{FFFD}".into(), 6)));
        assert_eq!(parse(r#""\777""#), Some(("\u{FFFD}".into(), 6)));
    }

    #[test]
    fn rejects_bad_quotes() {
        assert_eq!(parse(r#""abc"#), None);
        assert_eq!(parse(r#""\x41""#), None);
        assert_eq!(parse(r#""\12""#), None);
        assert_eq!(parse(r#""\101\1""#), None);
        assert_eq!(parse("abc"), None);
    }
}

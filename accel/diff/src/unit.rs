//! Text is handled as slices of code units so that one engine serves both Rust `&str` (UTF-8
//! bytes) and JavaScript strings (UTF-16 units, which may hold lone surrogates that UTF-8 cannot
//! represent). Every character the algorithms look at (`\n`, `\r`, patch markers, digits) is
//! ASCII, so a code unit is all they need.

use std::fmt::Debug;
use std::hash::Hash;

pub trait Unit: Copy + Eq + Ord + Hash + Debug + Send + Sync + LineScan + 'static {
    fn from_ascii(byte: u8) -> Self;
    /// The unit as an ASCII byte, or `None` when it is not ASCII.
    fn to_ascii(self) -> Option<u8>;

    fn is(self, ascii: u8) -> bool {
        self.to_ascii() == Some(ascii)
    }

    /// The unit's bits, for fingerprints.
    fn to_bits(self) -> u64;

    /// Appends Rust text in this unit's encoding.
    fn extend_from_str(out: &mut Vec<Self>, text: &str);

    /// The units as UTF-16, exactly (UTF-8 input is valid, so nothing is lost).
    fn to_utf16(units: &[Self]) -> Vec<u16>;

    /// Decodes units to Rust text; what cannot be decoded (a lone surrogate, invalid UTF-8)
    /// becomes U+FFFD, as `TextEncoder` does with lone surrogates in JavaScript.
    fn to_string_lossy(units: &[Self]) -> String;
}

impl Unit for u8 {
    #[inline]
    fn from_ascii(byte: u8) -> Self {
        byte
    }
    #[inline]
    fn to_ascii(self) -> Option<u8> {
        self.is_ascii().then_some(self)
    }
    #[inline]
    fn to_bits(self) -> u64 {
        u64::from(self)
    }
    fn extend_from_str(out: &mut Vec<Self>, text: &str) {
        out.extend_from_slice(text.as_bytes());
    }
    fn to_string_lossy(units: &[Self]) -> String {
        String::from_utf8_lossy(units).into_owned()
    }
    fn to_utf16(units: &[Self]) -> Vec<u16> {
        String::from_utf8_lossy(units).encode_utf16().collect()
    }
}

impl Unit for u16 {
    #[inline]
    fn from_ascii(byte: u8) -> Self {
        u16::from(byte)
    }
    #[inline]
    fn to_ascii(self) -> Option<u8> {
        u8::try_from(self).ok().filter(u8::is_ascii)
    }
    #[inline]
    fn to_bits(self) -> u64 {
        u64::from(self)
    }
    fn extend_from_str(out: &mut Vec<Self>, text: &str) {
        out.extend(text.encode_utf16());
    }
    fn to_string_lossy(units: &[Self]) -> String {
        String::from_utf16_lossy(units)
    }
    fn to_utf16(units: &[Self]) -> Vec<u16> {
        units.to_vec()
    }
}

/// Appends ASCII text to a code-unit buffer.
pub fn push_ascii<T: Unit>(out: &mut Vec<T>, text: &str) {
    out.extend(text.bytes().map(T::from_ascii));
}

/// Appends the decimal form of `n`.
pub fn push_decimal<T: Unit>(out: &mut Vec<T>, n: usize) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[..len].iter().rev().map(|&d| T::from_ascii(d)));
}

/// Line splitting and hashing, specialised per unit width for speed.
pub trait LineScan: Sized {
    /// Calls `line_end` with one past the end of every line, in order: after each `\n`, and the
    /// end of a final unterminated line.
    fn for_each_line_end(text: &[Self], line_end: impl FnMut(usize));
}

impl LineScan for u8 {
    fn for_each_line_end(text: &[u8], mut line_end: impl FnMut(usize)) {
        let mut last = 0;
        for newline in memchr::memchr_iter(b'\n', text) {
            last = newline + 1;
            line_end(last);
        }
        if last < text.len() {
            line_end(text.len());
        }
    }
}

impl LineScan for u16 {
    /// Searches the units' bytes with memchr (vectorised) and keeps the hits that are a whole
    /// `\n` unit, whatever the byte order: a `0x0A` byte can also belong to another character.
    fn for_each_line_end(text: &[u16], mut line_end: impl FnMut(usize)) {
        let bytes: &[u8] = bytemuck::cast_slice(text);
        let mut last = 0;
        for byte_index in memchr::memchr_iter(b'\n', bytes) {
            let unit_index = byte_index / 2;
            if text[unit_index] == 0x0A && last != unit_index + 1 {
                last = unit_index + 1;
                line_end(last);
            }
        }
        if last < text.len() {
            line_end(text.len());
        }
    }
}

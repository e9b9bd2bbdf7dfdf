//! o200k_base:
//! `[^\r\n\p{L}\p{N}]?[UP]*[LO]+(C)?|[^\r\n\p{L}\p{N}]?[UP]+[LO]*(C)?|\p{N}{1,3}|
//! ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+` with UP = `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`,
//! LO = `[\p{Ll}\p{Lm}\p{Lo}\p{M}]` and C the ASCII-case contractions. Marks (`\p{M}`) are
//! neither letters nor numbers, so they can be the optional prefix and also UP and LO.

use super::classes::{class_at, is_other, LETTER, LOWERISH, NUMBER, UPPERISH};
use super::{
    contraction_end, other_run_end, run_end, up_to_three_numbers_end, whitespace_run_end,
    whitespace_through_last_newline,
};

pub(super) fn piece_end(bytes: &[u8], at: usize) -> usize {
    if let Some(end) = ascii_piece_end(bytes, at) {
        return end;
    }
    let byte = bytes[at];
    let (class, len) = class_at(bytes, at);
    let can_prefix = class & (LETTER | NUMBER) == 0 && byte != b'\r' && byte != b'\n';
    let prefixed = (can_prefix && at + len < bytes.len()).then_some(at + len);
    // Each cased alternative is tried with its optional prefix first, then without.
    let cased = [
        (
            prefixed,
            upper_then_lower_end as fn(&[u8], usize) -> Option<usize>,
        ),
        (Some(at), upper_then_lower_end),
        (prefixed, upper_then_optional_lower_end),
        (Some(at), upper_then_optional_lower_end),
    ];
    for (start, alternative) in cased {
        if let Some(end) = start.and_then(|start| alternative(bytes, start)) {
            return contraction_end(bytes, end, true).unwrap_or(end);
        }
    }
    if class & NUMBER != 0 {
        return up_to_three_numbers_end(bytes, at);
    }
    let others_start = if is_other(class) {
        Some(at)
    } else if byte == b' ' && prefixed.is_some_and(|next| is_other(class_at(bytes, next).0)) {
        Some(at + 1)
    } else {
        None
    };
    if let Some(start) = others_start {
        let mut end = other_run_end(bytes, start);
        while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n' | b'/') {
            end += 1;
        }
        return end;
    }
    whitespace_through_last_newline(bytes, at).unwrap_or_else(|| whitespace_run_end(bytes, at))
}

/// `[UP]*[LO]+` at `start`, with V8's backtracking: when the UP run is not followed by LO, the
/// match ends just after the run's last character that is LO as well (Lm, Lo, M).
fn upper_then_lower_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut end = start;
    let mut after_last_lowerish = None;
    while end < bytes.len() {
        let (class, len) = class_at(bytes, end);
        if class & UPPERISH == 0 {
            break;
        }
        end += len;
        if class & LOWERISH != 0 {
            after_last_lowerish = Some(end);
        }
    }
    if end < bytes.len() && class_at(bytes, end).0 & LOWERISH != 0 {
        return Some(run_end(bytes, end, LOWERISH));
    }
    after_last_lowerish
}

/// `[UP]+[LO]*` at `start`.
fn upper_then_optional_lower_end(bytes: &[u8], start: usize) -> Option<usize> {
    if class_at(bytes, start).0 & UPPERISH == 0 {
        return None;
    }
    let upper_end = run_end(bytes, start, UPPERISH);
    Some(run_end(bytes, upper_end, LOWERISH))
}

/// The common case in short: an optionally prefixed ASCII word, or ASCII digits, followed by
/// ASCII (or the end), where the general alternatives below reduce to counting: `[A-Z]*[a-z]+`
/// or else `[A-Z]+`, since no ASCII capital is also lower-ish. `None` when a character that
/// needs the general path is involved.
#[inline]
fn ascii_piece_end(bytes: &[u8], at: usize) -> Option<usize> {
    let byte = bytes[at];
    if byte.is_ascii_digit() {
        let digits = bytes[at..]
            .iter()
            .take(3)
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = at + digits;
        return (digits == 3 || bytes.get(end).is_none_or(u8::is_ascii)).then_some(end);
    }
    let start = if byte.is_ascii_alphabetic() {
        at
    } else if byte.is_ascii() && byte != b'\r' && byte != b'\n' {
        bytes.get(at + 1).filter(|b| b.is_ascii_alphabetic())?;
        at + 1
    } else {
        return None;
    };
    let uppers = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_uppercase())
        .count();
    let lowers = bytes[start + uppers..]
        .iter()
        .take_while(|b| b.is_ascii_lowercase())
        .count();
    let end = start + uppers + lowers;
    if !bytes.get(end).is_none_or(u8::is_ascii) {
        return None;
    }
    Some(contraction_end(bytes, end, true).unwrap_or(end))
}

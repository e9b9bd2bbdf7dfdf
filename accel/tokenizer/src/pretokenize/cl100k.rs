//! cl100k_base: `('s|'S|'t|...|'d|'D)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//! ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+` (contractions in ASCII case variants only).

use super::classes::{class_at, is_other, LETTER, NUMBER};
use super::{
    contraction_end, other_run_end, run_end, up_to_three_numbers_end, whitespace_run_end,
    whitespace_through_last_newline,
};

pub(super) fn piece_end(bytes: &[u8], at: usize) -> usize {
    if let Some(end) = contraction_end(bytes, at, true) {
        return end;
    }
    let byte = bytes[at];
    let (class, len) = class_at(bytes, at);
    if class & LETTER != 0 {
        return run_end(bytes, at, LETTER);
    }
    let next = (at + len < bytes.len()).then(|| class_at(bytes, at + len).0);
    let is_newline = byte == b'\r' || byte == b'\n';
    if class & NUMBER == 0 && !is_newline && next.is_some_and(|next| next & LETTER != 0) {
        return run_end(bytes, at + len, LETTER);
    }
    if class & NUMBER != 0 {
        return up_to_three_numbers_end(bytes, at);
    }
    let others_start = if is_other(class) {
        Some(at)
    } else if byte == b' ' && next.is_some_and(is_other) {
        Some(at + 1)
    } else {
        None
    };
    if let Some(start) = others_start {
        let mut end = other_run_end(bytes, start);
        while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
            end += 1;
        }
        return end;
    }
    whitespace_through_last_newline(bytes, at).unwrap_or_else(|| whitespace_run_end(bytes, at))
}

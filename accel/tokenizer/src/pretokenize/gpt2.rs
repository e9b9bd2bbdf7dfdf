//! r50k_base / p50k_base:
//! `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`

use super::classes::{class_at, is_other, LETTER, NUMBER};
use super::{contraction_end, other_run_end, run_end, whitespace_run_end};

pub(super) fn piece_end(bytes: &[u8], at: usize) -> usize {
    if let Some(end) = contraction_end(bytes, at, false) {
        return end;
    }
    // ` ?X+`: a space joins the run of letters, numbers or others that follows it.
    let (class, _) = class_at(bytes, at);
    let (start, class) = if bytes[at] == b' ' && at + 1 < bytes.len() {
        let (next, _) = class_at(bytes, at + 1);
        if next & (LETTER | NUMBER) != 0 || is_other(next) {
            (at + 1, next)
        } else {
            (at, class)
        }
    } else {
        (at, class)
    };
    if class & LETTER != 0 {
        run_end(bytes, start, LETTER)
    } else if class & NUMBER != 0 {
        run_end(bytes, start, NUMBER)
    } else if is_other(class) {
        other_run_end(bytes, start)
    } else {
        whitespace_run_end(bytes, at)
    }
}

//! Prints a line diff as jsdiff's `formatPatch` prints `structuredPatch`'s result.

use crate::format::{push_file_headers, push_hunk_header, FileHeaders};
use crate::hunks::{Hunk, LineKind};
use crate::lines::{has_newline, without_newline};
use crate::unit::{push_ascii, Unit};
use crate::LineDiff;

const NO_NEWLINE_MARKER: &str = "\\ No newline at end of file\n";

pub fn push_patch<T: Unit>(
    out: &mut Vec<T>,
    headers: &FileHeaders<'_>,
    diff: &LineDiff<'_, T>,
    hunks: &[Hunk],
) {
    push_file_headers(out, headers);
    for hunk in hunks {
        push_hunk_header(
            out,
            hunk.old_start,
            hunk.old_lines,
            hunk.new_start,
            hunk.new_lines,
        );
        for line in &hunk.lines {
            let (marker, text) = match line.kind {
                LineKind::Context => (b' ', diff.new_line(line.index)),
                LineKind::Remove => (b'-', diff.old_line(line.index)),
                LineKind::Add => (b'+', diff.new_line(line.index)),
            };
            out.push(T::from_ascii(marker));
            out.extend_from_slice(without_newline(text));
            out.push(T::from_ascii(b'\n'));
            if !has_newline(text) {
                push_ascii(out, NO_NEWLINE_MARKER);
            }
        }
    }
}

/// A capacity guess for the printed patch, so that large patches are built without re-allocating.
pub fn estimated_len<T: Unit>(diff: &LineDiff<'_, T>, hunks: &[Hunk]) -> usize {
    let lines: usize = hunks.iter().map(|hunk| hunk.lines.len()).sum();
    let average_line = (diff.old_text_len() + diff.new_text_len()) / (diff.line_count().max(1));
    256 + hunks.len() * 32 + lines * (average_line + 2)
}

//! jsdiff's `parsePatch`: a unified diff (possibly several files, possibly Git's dialect) into
//! [`StructuredPatch`]es, with the same errors for the same malformed input.

use crate::unit::Unit;

use super::error::PatchError;
use super::git_header::{parse_git_diff_header, parse_git_extended_header};
use super::js_number::js_number_to_string;
use super::js_text::{digits_to_number, first_is, split_lines, trim};
use super::line_types::{
    hunk_header_digits, is_diff_header, is_file_header, is_git_diff_header, is_hunk_header,
    is_underline,
};
use super::model::{PatchHunk, PatchLine, PatchLineKind, StructuredPatch};
use super::quoted::unquote_if_quoted;

pub fn parse_patch<T: Unit>(patch: &[T]) -> Result<Vec<StructuredPatch<'_, T>>, PatchError> {
    let mut parser = Parser {
        lines: split_lines(patch),
        i: 0,
    };
    let mut list = Vec::new();
    // `split` always yields at least one line, so there is always at least one index.
    while parser.i < parser.lines.len() {
        list.push(parser.parse_index()?);
    }
    Ok(list)
}

struct Parser<'a, T> {
    lines: Vec<&'a [T]>,
    i: usize,
}

impl<'a, T: Unit> Parser<'a, T> {
    fn current(&self) -> Option<&'a [T]> {
        self.lines.get(self.i).copied()
    }

    fn parse_index(&mut self) -> Result<StructuredPatch<'a, T>, PatchError> {
        let mut index = StructuredPatch::default();
        if self.parse_metadata(&mut index) == Metadata::EndsAtNextFile {
            return Ok(index);
        }
        self.parse_file_header(&mut index);
        self.parse_file_header(&mut index);
        check_both_file_names(&index)?;
        while let Some(line) = self.current() {
            if is_diff_header(line) || is_file_header(line) || is_underline(line) {
                break;
            } else if is_hunk_header(line) {
                let hunk = self.parse_hunk()?;
                index.hunks.push(hunk);
            } else {
                // Prose, `Only in ...`, blank lines: skipped, as GNU patch does.
                self.i += 1;
            }
        }
        Ok(index)
    }

    /// The lines before `---`/`+++`/`@@`: `Index:`, `diff -r`, `diff --git` and Git's extended
    /// headers. A second diff header belongs to the next file.
    fn parse_metadata(&mut self, index: &mut StructuredPatch<'a, T>) -> Metadata {
        let mut seen_diff_header = false;
        while let Some(line) = self.current() {
            if is_file_header(line) || is_hunk_header(line) {
                break;
            }
            if is_git_diff_header(line) {
                if seen_diff_header {
                    return Metadata::EndsAtNextFile;
                }
                seen_diff_header = true;
                index.is_git = true;
                if let Some((old, new)) = parse_git_diff_header(line) {
                    index.old_file_name = Some(old);
                    index.new_file_name = Some(new);
                }
                self.i += 1;
                while let Some(ext) = self.current() {
                    if is_file_header(ext) || is_hunk_header(ext) || is_diff_header(ext) {
                        break;
                    }
                    parse_git_extended_header(ext, index);
                    self.i += 1;
                }
                continue;
            } else if is_diff_header(line) {
                if seen_diff_header {
                    return Metadata::EndsAtNextFile;
                }
                seen_diff_header = true;
            }
            self.i += 1;
        }
        Metadata::Complete
    }

    /// A `---` or `+++` line, if the current line is one.
    fn parse_file_header(&mut self, index: &mut StructuredPatch<'a, T>) {
        let Some(line) = self.current().filter(|line| is_file_header(line)) else {
            return;
        };
        let data = trim(&line[3..]);
        // `split('\t', 2)`: the name, and the header up to a second tab.
        let (name, header) = match data.iter().position(|u| u.is(b'\t')) {
            Some(tab) => {
                let after = &data[tab + 1..];
                let end = after
                    .iter()
                    .position(|u| u.is(b'\t'))
                    .unwrap_or(after.len());
                (&data[..tab], trim(&after[..end]))
            }
            None => (data, &data[data.len()..]),
        };
        let name = if first_is(name, b'"') {
            unquote_if_quoted(name)
        } else {
            collapse_double_backslashes(name)
        };
        if line[0].is(b'-') {
            index.old_file_name = Some(name);
            index.old_header = header.to_vec();
        } else {
            index.new_file_name = Some(name);
            index.new_header = header.to_vec();
        }
        self.i += 1;
    }

    fn parse_hunk(&mut self) -> Result<PatchHunk<'a, T>, PatchError> {
        let header_index = self.i;
        let header_line_no = header_index + 1;
        let header = self.lines[header_index];
        self.i += 1;

        // `+chunkHeader[n]` of `split(regex)`: without a match every start is NaN and every
        // count defaults to 1.
        let digits = hunk_header_digits(header);
        let number = |d: Option<&[T]>, default: f64| d.map(digits_to_number).unwrap_or(default);
        let mut old_start = number(digits.map(|d| d.0), f64::NAN);
        let mut old_lines = number(digits.and_then(|d| d.1), 1.0);
        let mut new_start = number(digits.map(|d| d.2), f64::NAN);
        let mut new_lines = number(digits.and_then(|d| d.3), 1.0);
        if old_lines == 0.0 {
            old_start += 1.0;
        }
        if new_lines == 0.0 {
            new_start += 1.0;
        }

        let mut lines = Vec::new();
        let (mut add_count, mut remove_count) = (0usize, 0usize);
        while let Some(line) = self.current() {
            let wants_more = (remove_count as f64) < old_lines
                || (add_count as f64) < new_lines
                || first_is(line, b'\\');
            if !wants_more {
                break;
            }
            let is_last = self.i == self.lines.len() - 1;
            let kind = if line.is_empty() && !is_last {
                PatchLineKind::Blank
            } else {
                match line.first().and_then(|u| u.to_ascii()) {
                    Some(b'+') => PatchLineKind::Added,
                    Some(b'-') => PatchLineKind::Removed,
                    Some(b' ') => PatchLineKind::Context,
                    Some(b'\\') => PatchLineKind::NoNewlineMarker,
                    _ => {
                        return Err(PatchError::quoting(
                            &format!("Hunk at line {header_line_no} contained invalid line "),
                            line,
                            "",
                        ))
                    }
                }
            };
            match kind {
                PatchLineKind::Added => add_count += 1,
                PatchLineKind::Removed => remove_count += 1,
                PatchLineKind::Context | PatchLineKind::Blank => {
                    add_count += 1;
                    remove_count += 1;
                }
                PatchLineKind::NoNewlineMarker => {}
            }
            let rest = if line.is_empty() { line } else { &line[1..] };
            lines.push(PatchLine { kind, rest });
            self.i += 1;
        }

        // A count of 1 is the default when the header omits it; with no such lines it means 0.
        if add_count == 0 && new_lines == 1.0 {
            new_lines = 0.0;
        }
        if remove_count == 0 && old_lines == 1.0 {
            old_lines = 0.0;
        }
        if add_count as f64 != new_lines {
            return Err(PatchError::new(format!(
                "Added line count did not match for hunk at line {header_line_no}"
            )));
        }
        if remove_count as f64 != old_lines {
            return Err(PatchError::new(format!(
                "Removed line count did not match for hunk at line {header_line_no}"
            )));
        }
        if let Some(next) = self.current() {
            let looks_like_hunk_line = next
                .first()
                .is_some_and(|u| u.is(b'+') || u.is(b' ') || u.is(b'-'));
            if looks_like_hunk_line && !is_file_header(next) {
                return Err(PatchError::new(format!(
                    "Hunk at line {header_line_no} has more lines than expected (expected {} old lines and {} new lines)",
                    js_number_to_string(old_lines),
                    js_number_to_string(new_lines)
                )));
            }
        }
        Ok(PatchHunk {
            old_start,
            old_lines: remove_count,
            new_start,
            new_lines: add_count,
            lines,
        })
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Metadata {
    /// File headers and hunks may follow.
    Complete,
    /// A second diff header started the next file: this index is done.
    EndsAtNextFile,
}

fn check_both_file_names<T: Unit>(index: &StructuredPatch<'_, T>) -> Result<(), PatchError> {
    match (&index.old_file_name, &index.new_file_name) {
        (Some(old), None) => Err(PatchError::quoting(
            "Missing \"+++ ...\" file header for ",
            old,
            "",
        )),
        (None, Some(new)) => Err(PatchError::quoting(
            "Missing \"--- ...\" file header for ",
            new,
            "",
        )),
        _ => Ok(()),
    }
}

/// `name.replace(/\\\\/g, '\\')`
fn collapse_double_backslashes<T: Unit>(name: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(name.len());
    let mut i = 0;
    while i < name.len() {
        out.push(name[i]);
        let pair = name[i].is(b'\\') && name.get(i + 1).is_some_and(|u| u.is(b'\\'));
        i += if pair { 2 } else { 1 };
    }
    out
}

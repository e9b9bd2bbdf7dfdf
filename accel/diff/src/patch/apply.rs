//! jsdiff's `applyPatch` with its default options (fuzz factor 0, line endings converted
//! automatically), and the failure message of the fallback's `applyPatch`.
//!
//! With fuzz factor 0 a hunk fits at a position exactly when its old-side lines (context and
//! removed lines) equal the text's lines from there, so jsdiff's recursive `applyHunk` reduces
//! to a comparison. Positions are JavaScript numbers (a malformed header makes them NaN or
//! huge), so the bookkeeping between hunks stays in `f64` exactly as jsdiff computes it.

use std::collections::HashMap;

use crate::unit::Unit;

use super::error::PatchError;
use super::format_parsed::hunk_header_string;
use super::js_text::split_lines;
use super::line_endings::{
    convert_line, Conversion, ConvertedLine, EndOfFileNewline, EofAdjustment, HunkEndings,
    Operation, PatchEndings, SourceEndings,
};
use super::model::{PatchHunk, StructuredPatch};
use super::search::first_fit;

/// V8 cannot hold arrays much longer than this (jsdiff collects the result's lines in one):
/// past it the fallback throws "Invalid array length" or aborts.
const MAX_RESULT_LINES: u64 = 1 << 27;
/// V8's longest string, in UTF-16 units: past it `join` throws "Invalid string length".
const MAX_RESULT_UNITS: u64 = (1 << 29) - 24;

pub fn apply_structured_patch<T: Unit>(
    source: &[T],
    patch: &StructuredPatch<'_, T>,
) -> Result<Vec<T>, PatchError> {
    if patch.hunks.is_empty() {
        return Ok(source.to_vec());
    }
    let applier = Applier::new(source, &patch.hunks);
    let (conversion, adjustment) = applier.setup(patch.hunks.len());
    if adjustment != EofAdjustment::Fail {
        let lines = applier.adjusted_lines(adjustment);
        if let Ok(fitted) = fit_hunks(&lines, &patch.hunks, conversion) {
            return assemble(&lines, &fitted);
        }
    }
    Err(PatchError::new(format!(
        "patch does not apply: {}",
        applier.describe_first_failing_hunk()
    )))
}

struct Applier<'p, 'a, T> {
    source_lines: Vec<&'p [T]>,
    source_endings: SourceEndings,
    hunks: &'p [PatchHunk<'a, T>],
    hunk_endings: Vec<HunkEndings>,
}

impl<'p, 'a, T: Unit> Applier<'p, 'a, T> {
    fn new(source: &'p [T], hunks: &'p [PatchHunk<'a, T>]) -> Self {
        Applier {
            source_lines: split_lines(source),
            source_endings: SourceEndings::of(source),
            hunks,
            hunk_endings: hunks.iter().map(HunkEndings::of).collect(),
        }
    }

    /// The conversion and end-of-file adjustment `applyPatch` makes for the first `count` hunks.
    fn setup(&self, count: usize) -> (Conversion, EofAdjustment) {
        let mut endings = PatchEndings::default();
        for &hunk in &self.hunk_endings[..count] {
            endings.add(hunk);
        }
        (
            endings.conversion(self.source_endings),
            self.eof_adjustment(count),
        )
    }

    fn eof_adjustment(&self, count: usize) -> EofAdjustment {
        let ends_with_empty_line = self.source_lines.last().is_some_and(|l| l.is_empty());
        EndOfFileNewline::of(&self.hunks[count - 1]).adjustment(ends_with_empty_line)
    }

    fn adjusted_lines(&self, adjustment: EofAdjustment) -> Vec<&'p [T]> {
        let mut lines = self.source_lines.clone();
        match adjustment {
            EofAdjustment::Pop => {
                lines.pop();
            }
            EofAdjustment::Push => lines.push(&[]),
            EofAdjustment::Keep | EofAdjustment::Fail => {}
        }
        lines
    }

    /// The fallback only learns `false` from jsdiff, so it applies growing prefixes of the
    /// hunks and names the first prefix that fails. Each prefix may convert line endings and
    /// adjust the final newline differently, but hunk `k` fits or not depending only on those
    /// two choices and the hunks before it, so one run per combination answers every prefix.
    fn describe_first_failing_hunk(&self) -> String {
        let mut first_failures: HashMap<(Conversion, EofAdjustment), Option<usize>> =
            HashMap::new();
        let mut endings = PatchEndings::default();
        for count in 1..=self.hunks.len() {
            endings.add(self.hunk_endings[count - 1]);
            let conversion = endings.conversion(self.source_endings);
            let adjustment = self.eof_adjustment(count);
            let fails = adjustment == EofAdjustment::Fail || {
                let first_failure = *first_failures
                    .entry((conversion, adjustment))
                    .or_insert_with(|| {
                        fit_hunks(&self.adjusted_lines(adjustment), self.hunks, conversion).err()
                    });
                first_failure.is_some_and(|failed| failed < count)
            };
            if fails {
                return format!(
                    "hunk {count} ({}) does not match the original text",
                    hunk_header_string(&self.hunks[count - 1])
                );
            }
        }
        "the end-of-file newline markers do not match the original text".to_owned()
    }
}

/// Text for one line of the result: `text`, then `\r` when `cr` is set.
#[derive(Debug, Clone, Copy)]
struct Piece<'a, T> {
    text: &'a [T],
    cr: bool,
}

impl<T> Piece<'_, T> {
    fn len(&self) -> u64 {
        self.text.len() as u64 + u64::from(self.cr)
    }
}

/// One fitted hunk: the text's lines `copy_from..to_pos` (jsdiff's `for (i = minLine; i <
/// toPos; i++)`, so any bounds) come before it, then its new lines.
struct Placement<'a, T> {
    copy_from: f64,
    to_pos: f64,
    pieces: Vec<Piece<'a, T>>,
}

struct Fitted<'a, T> {
    placements: Vec<Placement<'a, T>>,
    /// Where copying the rest of the text resumes.
    min_line: f64,
}

/// Fits every hunk in turn; `Err(k)` when hunk `k` (0-based) fits nowhere.
fn fit_hunks<'a, T: Unit>(
    lines: &[&'a [T]],
    hunks: &[PatchHunk<'a, T>],
    conversion: Conversion,
) -> Result<Fitted<'a, T>, usize> {
    let mut placements = Vec::with_capacity(hunks.len());
    let mut min_line = 0.0f64;
    let mut prev_hunk_offset = 0.0f64;
    let text_len = lines.len() as i64;
    for (k, hunk) in hunks.iter().enumerate() {
        let converted: Vec<ConvertedLine<'a, T>> = (0..hunk.lines.len())
            .map(|i| convert_line(&hunk.lines, i, conversion))
            .collect();
        let old_side: Vec<&ConvertedLine<'a, T>> = converted
            .iter()
            .filter(|l| matches!(l.operation, Operation::Remove | Operation::Context))
            .collect();
        let start = hunk.old_start + prev_hunk_offset - 1.0;
        let to_pos = if old_side.is_empty() {
            // Nothing to compare: jsdiff's first try, at `start` whatever it is, succeeds.
            start
        } else {
            let max_line = text_len - hunk.old_lines as i64;
            let last_fit = text_len - old_side.len() as i64;
            let fits = |p: i64| {
                let p = p as usize;
                old_side
                    .iter()
                    .zip(&lines[p..])
                    .all(|(line, text_line)| line.content_equals(text_line))
            };
            match first_fit(start, min_line, max_line, last_fit, fits) {
                Some(p) => p as f64,
                None => return Err(k),
            }
        };
        let (pieces, end_pos) = patched_lines(&converted, to_pos);
        placements.push(Placement {
            copy_from: min_line,
            to_pos,
            pieces,
        });
        min_line = end_pos;
        prev_hunk_offset = to_pos + 1.0 - hunk.old_start;
    }
    Ok(Fitted {
        placements,
        min_line,
    })
}

/// The lines a hunk fitted at `to_pos` produces, and the position after its last changed line
/// (trailing context stays in the text, so the next hunk may start inside it).
fn patched_lines<'a, T: Unit>(
    converted: &[ConvertedLine<'a, T>],
    to_pos: f64,
) -> (Vec<Piece<'a, T>>, f64) {
    let mut pieces = Vec::with_capacity(converted.len());
    let mut pos = to_pos;
    let mut trailing_context = 0usize;
    for line in converted {
        let piece = Piece {
            text: line.text,
            cr: line.cr,
        };
        match line.operation {
            Operation::Remove => {
                pos += 1.0;
                trailing_context = 0;
            }
            Operation::Add => {
                pieces.push(piece);
                trailing_context = 0;
            }
            Operation::Context => {
                // The text's line equals the context line, so either can be copied.
                pieces.push(piece);
                pos += 1.0;
                trailing_context += 1;
            }
            Operation::Skip => {}
        }
    }
    pieces.truncate(pieces.len() - trailing_context);
    (pieces, pos - trailing_context as f64)
}

/// A run of jsdiff's result array: the text's lines over a range of positions (positions
/// outside the text contribute `undefined`, which `join` prints as nothing), or new lines.
enum Segment<'s, 'a, T> {
    TextLines { from: i64, count: u64 },
    Pieces(&'s [Piece<'a, T>]),
}

fn assemble<T: Unit>(lines: &[&[T]], fitted: &Fitted<'_, T>) -> Result<Vec<T>, PatchError> {
    let text_len = lines.len() as f64;
    let mut segments = Vec::with_capacity(fitted.placements.len() * 2 + 1);
    for placement in &fitted.placements {
        segments.push(text_range(placement.copy_from, placement.to_pos)?);
        segments.push(Segment::Pieces(&placement.pieces));
    }
    segments.push(text_range(fitted.min_line, text_len)?);

    let mut prefix_units = Vec::with_capacity(lines.len() + 1);
    prefix_units.push(0u64);
    for line in lines {
        prefix_units.push(prefix_units.last().copied().unwrap_or(0) + line.len() as u64);
    }
    let (mut count, mut units) = (0u64, 0u64);
    for segment in &segments {
        match *segment {
            Segment::TextLines { from, count: n } => {
                count += n;
                let (lo, hi) = in_text(from, n, lines.len());
                units += prefix_units[hi] - prefix_units[lo];
            }
            Segment::Pieces(pieces) => {
                count += pieces.len() as u64;
                units += pieces.iter().map(Piece::len).sum::<u64>();
            }
        }
        if count > MAX_RESULT_LINES {
            return Err(PatchError::new("Invalid array length"));
        }
    }
    units += count.saturating_sub(1);
    if units > MAX_RESULT_UNITS {
        return Err(PatchError::new("Invalid string length"));
    }

    let mut out = Vec::with_capacity(units as usize);
    let mut first = true;
    let mut separate = |out: &mut Vec<T>| {
        if !std::mem::take(&mut first) {
            out.push(T::from_ascii(b'\n'));
        }
    };
    for segment in &segments {
        match *segment {
            Segment::TextLines { from, count: n } => {
                for i in 0..n as i64 {
                    separate(&mut out);
                    let position = from + i;
                    if let Some(line) = usize::try_from(position).ok().and_then(|p| lines.get(p)) {
                        out.extend_from_slice(line);
                    }
                }
            }
            Segment::Pieces(pieces) => {
                for piece in pieces {
                    separate(&mut out);
                    out.extend_from_slice(piece.text);
                    if piece.cr {
                        out.push(T::from_ascii(b'\r'));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// `for (let i = from; i < to; i++)` as a start and a count. A loop JavaScript cannot finish
/// (an infinite bound, or counting past 2^53 where `i++` stops changing `i`) is an error here.
fn text_range<'s, 'a, T>(from: f64, to: f64) -> Result<Segment<'s, 'a, T>, PatchError> {
    const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
    // NaN bounds run no iteration, like an empty range.
    if from.partial_cmp(&to) != Some(std::cmp::Ordering::Less) {
        return Ok(Segment::TextLines { from: 0, count: 0 });
    }
    if !(from.abs() <= MAX_EXACT && to.abs() <= MAX_EXACT) || to - from > MAX_RESULT_LINES as f64 {
        return Err(PatchError::new("Invalid array length"));
    }
    Ok(Segment::TextLines {
        from: from as i64,
        count: (to - from).ceil() as u64,
    })
}

/// The part of positions `from..from + count` that lies inside a text of `len` lines.
fn in_text(from: i64, count: u64, len: usize) -> (usize, usize) {
    let clamp = |p: i64| p.clamp(0, len as i64) as usize;
    (clamp(from), clamp(from.saturating_add(count as i64)))
}

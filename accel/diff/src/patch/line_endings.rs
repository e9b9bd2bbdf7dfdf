//! `applyPatch`'s automatic line-ending conversion (jsdiff's `patch/line-endings.js` and
//! `util/string.js`): a Unix patch applied to a Windows text gains `\r`s and the reverse, so the
//! patch is seen through a [`Conversion`] rather than copied.

use crate::unit::Unit;

use super::js_text::last_is;
use super::model::{PatchHunk, PatchLine, PatchLineKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Conversion {
    None,
    /// `unixToWin`: `\r` appended to each line that lacks it, except `\` lines and the lines
    /// just before them.
    UnixToWin,
    /// `winToUnix`: a trailing `\r` removed from every line.
    WinToUnix,
}

/// `hasOnlyWinLineEndings`: some `\r\n`, and every `\n` preceded by `\r`.
pub fn has_only_win_line_endings<T: Unit>(text: &[T]) -> bool {
    let mut has_crlf = false;
    for (i, unit) in text.iter().enumerate() {
        if unit.is(b'\n') {
            if i == 0 || !text[i - 1].is(b'\r') {
                return false;
            }
            has_crlf = true;
        }
    }
    has_crlf
}

/// `hasOnlyUnixLineEndings`: some `\n`, and no `\r\n`.
pub fn has_only_unix_line_endings<T: Unit>(text: &[T]) -> bool {
    let mut has_newline = false;
    for (i, unit) in text.iter().enumerate() {
        if unit.is(b'\n') {
            if i > 0 && text[i - 1].is(b'\r') {
                return false;
            }
            has_newline = true;
        }
    }
    has_newline
}

/// What `isUnix` and `isWin` need to know about one hunk.
#[derive(Debug, Clone, Copy)]
pub struct HunkEndings {
    /// Some line ends in `\r`.
    any_cr: bool,
    /// Some line other than a `\` line ends in `\r`.
    any_cr_outside_markers: bool,
    /// Every line ends in `\r`, is a `\` line or precedes one.
    all_windows: bool,
}

impl HunkEndings {
    pub fn of<T: Unit>(hunk: &PatchHunk<'_, T>) -> Self {
        let mut endings = HunkEndings {
            any_cr: false,
            any_cr_outside_markers: false,
            all_windows: true,
        };
        for (i, line) in hunk.lines.iter().enumerate() {
            let is_marker = line.kind == PatchLineKind::NoNewlineMarker;
            let ends_in_cr = last_is(line.rest, b'\r');
            endings.any_cr |= ends_in_cr;
            endings.any_cr_outside_markers |= ends_in_cr && !is_marker;
            if !(is_marker || ends_in_cr || precedes_marker(&hunk.lines, i)) {
                endings.all_windows = false;
            }
        }
        endings
    }
}

fn precedes_marker<T>(lines: &[PatchLine<'_, T>], i: usize) -> bool {
    lines
        .get(i + 1)
        .is_some_and(|next| next.kind == PatchLineKind::NoNewlineMarker)
}

/// Accumulates `isUnix`/`isWin` over a growing prefix of the hunks.
#[derive(Debug, Clone, Copy)]
pub struct PatchEndings {
    any_cr: bool,
    any_cr_outside_markers: bool,
    all_windows: bool,
}

impl Default for PatchEndings {
    fn default() -> Self {
        PatchEndings {
            any_cr: false,
            any_cr_outside_markers: false,
            all_windows: true,
        }
    }
}

impl PatchEndings {
    pub fn add(&mut self, hunk: HunkEndings) {
        self.any_cr |= hunk.any_cr;
        self.any_cr_outside_markers |= hunk.any_cr_outside_markers;
        self.all_windows &= hunk.all_windows;
    }

    fn is_unix(&self) -> bool {
        !self.any_cr_outside_markers
    }

    fn is_win(&self) -> bool {
        self.any_cr && self.all_windows
    }

    /// The conversion `applyPatch` (with `autoConvertLineEndings` on) applies to these hunks.
    pub fn conversion(&self, source: SourceEndings) -> Conversion {
        if source.only_win && self.is_unix() {
            Conversion::UnixToWin
        } else if source.only_unix && self.is_win() {
            Conversion::WinToUnix
        } else {
            Conversion::None
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SourceEndings {
    only_win: bool,
    only_unix: bool,
}

impl SourceEndings {
    pub fn of<T: Unit>(source: &[T]) -> Self {
        SourceEndings {
            only_win: has_only_win_line_endings(source),
            only_unix: has_only_unix_line_endings(source),
        }
    }
}

/// What `applyHunk` does with a converted hunk line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Remove,
    Add,
    Context,
    /// `\` lines, and an empty line that became `"\r"`: `applyHunk` skips both.
    Skip,
}

/// A hunk line after conversion: the operation and the content after the marker, which is
/// `text` followed by `\r` when `cr` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvertedLine<'a, T> {
    pub operation: Operation,
    pub text: &'a [T],
    pub cr: bool,
}

impl<T: Unit> ConvertedLine<'_, T> {
    /// `line === content` for a line of the text being patched.
    pub fn content_equals(&self, line: &[T]) -> bool {
        if self.cr {
            line.len() == self.text.len() + 1
                && line[..self.text.len()] == *self.text
                && last_is(line, b'\r')
        } else {
            line == self.text
        }
    }
}

pub fn convert_line<'a, T: Unit>(
    lines: &[PatchLine<'a, T>],
    i: usize,
    conversion: Conversion,
) -> ConvertedLine<'a, T> {
    let line = lines[i];
    let operation = match line.kind {
        PatchLineKind::Added => Operation::Add,
        PatchLineKind::Removed => Operation::Remove,
        PatchLineKind::Context | PatchLineKind::Blank => Operation::Context,
        PatchLineKind::NoNewlineMarker => Operation::Skip,
    };
    let plain = ConvertedLine {
        operation,
        text: line.rest,
        cr: false,
    };
    match conversion {
        Conversion::None => plain,
        Conversion::UnixToWin => {
            let keeps = line.kind == PatchLineKind::NoNewlineMarker
                || last_is(line.rest, b'\r')
                || precedes_marker(lines, i);
            if keeps {
                plain
            } else if line.kind == PatchLineKind::Blank {
                // "" + "\r" is a line whose first unit, `\r`, is no operation at all.
                ConvertedLine {
                    operation: Operation::Skip,
                    text: line.rest,
                    cr: false,
                }
            } else {
                ConvertedLine { cr: true, ..plain }
            }
        }
        Conversion::WinToUnix => {
            let text = match line.rest.split_last() {
                Some((last, rest)) if last.is(b'\r') => rest,
                _ => line.rest,
            };
            ConvertedLine { text, ..plain }
        }
    }
}

/// Whether the marker of a `\` line in a patch's last hunk follows an added or a removed line:
/// the patch then removes or adds the text's final newline.
#[derive(Debug, Clone, Copy, Default)]
pub struct EndOfFileNewline {
    pub remove: bool,
    pub add: bool,
}

impl EndOfFileNewline {
    pub fn of<T: Unit>(last_hunk: &PatchHunk<'_, T>) -> Self {
        let mut eof = EndOfFileNewline::default();
        let mut previous: Option<PatchLineKind> = None;
        for line in &last_hunk.lines {
            if line.kind == PatchLineKind::NoNewlineMarker {
                match previous {
                    Some(PatchLineKind::Added) => eof.remove = true,
                    Some(PatchLineKind::Removed) => eof.add = true,
                    _ => {}
                }
            }
            previous = Some(line.kind);
        }
        eof
    }
}

/// How the text's lines change before any hunk applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EofAdjustment {
    Keep,
    /// Drop the empty last line (the text loses its final newline).
    Pop,
    /// Append an empty line (the text gains a final newline).
    Push,
    /// The markers contradict the text: the patch does not apply.
    Fail,
}

impl EndOfFileNewline {
    /// With fuzz factor 0. `ends_with_empty_line` is `lines[lines.length - 1] == ''`.
    pub fn adjustment(self, ends_with_empty_line: bool) -> EofAdjustment {
        match (self.remove, self.add, ends_with_empty_line) {
            (true, true, true) => EofAdjustment::Fail,
            (true, true, false) => EofAdjustment::Keep,
            (true, false, true) => EofAdjustment::Pop,
            (true, false, false) => EofAdjustment::Fail,
            (false, true, false) => EofAdjustment::Push,
            (false, true, true) => EofAdjustment::Fail,
            (false, false, _) => EofAdjustment::Keep,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_source_endings() {
        assert!(has_only_win_line_endings(b"a\r\nb"));
        assert!(!has_only_win_line_endings(b"\r\na\n"));
        assert!(!has_only_win_line_endings(b"\na\r\n"));
        assert!(!has_only_win_line_endings(b"abc"));
        assert!(has_only_unix_line_endings(b"a\nb\r"));
        assert!(!has_only_unix_line_endings(b"a\r\nb\n"));
        assert!(!has_only_unix_line_endings(b"a"));
    }

    #[test]
    fn a_lone_first_newline_is_not_windows() {
        assert!(!has_only_win_line_endings(b"\n\r\n"));
        assert!(has_only_win_line_endings(b"x\r\n\r\n"));
    }
}

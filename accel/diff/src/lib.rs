//! Line diffs, unified patches, patch application and reversal whose output is identical, character
//! for character, to jsdiff 9 (the `diff` npm package) — see `oracle/CONTRACTS.md`.
//!
//! Text is processed as code units ([`unit::Unit`]): `u8` for Rust strings, `u16` for JavaScript
//! strings, which may hold lone surrogates. imara-diff interns the lines; the diff itself
//! reproduces jsdiff's Myers variant so that ties between equally short scripts break the same way.

pub mod format;
mod hunks;
mod lines;
mod myers;
pub mod patch;
mod print;
pub mod unit;

pub use format::FileHeaders;
pub use hunks::{Hunk, HunkLine, LineKind};
use lines::LineTable;
pub use myers::{ChangeKind, Component, MAX_STEPS};
pub use patch::{apply_patch, apply_patch_units, reverse_patch, reverse_patch_units, PatchError};
use unit::Unit;

/// jsdiff's default number of context lines.
pub const DEFAULT_CONTEXT: usize = 4;

/// Two texts split into jsdiff's line tokens, interned, and the edit script between them.
pub struct LineDiff<'a, T: Unit> {
    old: LineTable<'a, T>,
    new: LineTable<'a, T>,
    components: Vec<Component>,
    is_exact: bool,
}

impl<'a, T: Unit> LineDiff<'a, T> {
    /// Diffs `old` against `new` as jsdiff's `diffLines` does.
    ///
    /// Texts that share almost nothing across hundreds of thousands of lines would make jsdiff's
    /// algorithm run for minutes; past [`MAX_STEPS`] the script comes from imara-diff's Myers
    /// instead: just as short, but ties may break differently ([`LineDiff::is_exact`] says which).
    pub fn new(old: &'a [T], new: &'a [T]) -> Self {
        Self::with_step_limit(old, new, MAX_STEPS)
    }

    /// [`LineDiff::new`] with another limit on jsdiff's search, so tests can reach it cheaply.
    #[doc(hidden)]
    pub fn with_step_limit(old: &'a [T], new: &'a [T], max_steps: usize) -> Self {
        let old = LineTable::new(old);
        let new = LineTable::new(new);
        let exact = myers::diff(&old, &new, max_steps);
        let is_exact = exact.is_some();
        let components = exact.unwrap_or_else(|| myers::imara_components(&old, &new));
        LineDiff {
            old,
            new,
            components,
            is_exact,
        }
    }

    /// Whether the edit script is jsdiff's own (always, below [`MAX_STEPS`]).
    pub fn is_exact(&self) -> bool {
        self.is_exact
    }

    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// The hunks of jsdiff's `structuredPatch` with `context` lines of context.
    pub fn hunks(&self, context: usize) -> Vec<Hunk> {
        hunks::hunks(&self.components, context)
    }

    /// Where the old text's line `index` (0-based) lies in it, terminator included.
    pub fn old_line_span(&self, index: usize) -> std::ops::Range<usize> {
        self.old.span(index)
    }

    /// Where the new text's line `index` (0-based) lies in it, terminator included.
    pub fn new_line_span(&self, index: usize) -> std::ops::Range<usize> {
        self.new.span(index)
    }

    /// The old text's line `index` (0-based), with its terminator.
    pub fn old_line(&self, index: usize) -> &'a [T] {
        self.old.line(index)
    }

    /// The new text's line `index` (0-based), with its terminator.
    pub fn new_line(&self, index: usize) -> &'a [T] {
        self.new.line(index)
    }

    fn old_text_len(&self) -> usize {
        self.old.text_len()
    }

    fn new_text_len(&self) -> usize {
        self.new.text_len()
    }

    fn line_count(&self) -> usize {
        self.old.len() + self.new.len()
    }

    /// The unified patch text jsdiff's `createTwoFilesPatch` prints for this diff.
    pub fn patch(&self, headers: &FileHeaders<'_>, context: usize) -> Vec<T> {
        let hunks = self.hunks(context);
        let mut out = Vec::with_capacity(print::estimated_len(self, &hunks));
        print::push_patch(&mut out, headers, self, &hunks);
        out
    }
}

/// jsdiff's `createTwoFilesPatch(oldName, newName, old, new, oldHeader, newHeader, { context })`.
pub fn create_two_files_patch(
    old_name: &str,
    new_name: &str,
    old: &str,
    new: &str,
    old_header: Option<&str>,
    new_header: Option<&str>,
    context: usize,
) -> String {
    let headers = FileHeaders {
        old_file_name: Some(old_name),
        new_file_name: Some(new_name),
        old_header,
        new_header,
    };
    utf8(LineDiff::new(old.as_bytes(), new.as_bytes()).patch(&headers, context))
}

/// `createTwoFilesPatch("original", "modified", old, new, undefined, undefined, { context })`.
pub fn diff_unified(old: &str, new: &str, context: usize) -> String {
    create_two_files_patch("original", "modified", old, new, None, None, context)
}

/// A hunk as `@ku0/diff-rs`'s `diffLines` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffHunk<S> {
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
    /// `@@ -a,b +c,d @@`
    pub header: String,
    pub lines: Vec<DiffLine<S>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine<S> {
    pub kind: LineKind,
    /// The line without its `\n` (a `\r` stays).
    pub content: S,
    pub old_line_no: Option<usize>,
    pub new_line_no: Option<usize>,
}

impl<'a, T: Unit> LineDiff<'a, T> {
    /// The hunks with 1-based line numbers on every line, as `diffLines` returns them.
    pub fn diff_hunks(&self, context: usize) -> Vec<DiffHunk<&'a [T]>> {
        self.hunks(context)
            .iter()
            .map(|hunk| self.diff_hunk(hunk))
            .collect()
    }

    fn diff_hunk(&self, hunk: &Hunk) -> DiffHunk<&'a [T]> {
        let mut header: Vec<u8> = Vec::with_capacity(32);
        format::push_hunk_header(
            &mut header,
            hunk.old_start,
            hunk.old_lines,
            hunk.new_start,
            hunk.new_lines,
        );
        header.pop(); // the header line's `\n`
                      // Line numbers count up from the hunk's starts, as jsdiff's hunk lines are read.
        let (mut old_line_no, mut new_line_no) = (hunk.old_start, hunk.new_start);
        let next = |counter: &mut usize| {
            *counter += 1;
            Some(*counter - 1)
        };
        let lines = hunk
            .lines
            .iter()
            .map(|line| {
                let (text, old_no, new_no) = match line.kind {
                    LineKind::Context => (
                        self.new_line(line.index),
                        next(&mut old_line_no),
                        next(&mut new_line_no),
                    ),
                    LineKind::Remove => (self.old_line(line.index), next(&mut old_line_no), None),
                    LineKind::Add => (self.new_line(line.index), None, next(&mut new_line_no)),
                };
                DiffLine {
                    kind: line.kind,
                    content: lines::without_newline(text),
                    old_line_no: old_no,
                    new_line_no: new_no,
                }
            })
            .collect();
        DiffHunk {
            old_start: hunk.old_start,
            old_lines: hunk.old_lines,
            new_start: hunk.new_start,
            new_lines: hunk.new_lines,
            header: String::from_utf8_lossy(&header).into_owned(),
            lines,
        }
    }
}

/// `diffLines(old, new)` of `@ku0/diff-rs`: jsdiff's hunks with `context` lines of context.
pub fn diff_hunks(old: &str, new: &str, context: usize) -> Vec<DiffHunk<String>> {
    let diff = LineDiff::new(old.as_bytes(), new.as_bytes());
    diff.diff_hunks(context)
        .into_iter()
        .map(|hunk| DiffHunk {
            old_start: hunk.old_start,
            old_lines: hunk.old_lines,
            new_start: hunk.new_start,
            new_lines: hunk.new_lines,
            header: hunk.header,
            lines: hunk
                .lines
                .into_iter()
                .map(|line| DiffLine {
                    kind: line.kind,
                    content: String::from_utf8_lossy(line.content).into_owned(),
                    old_line_no: line.old_line_no,
                    new_line_no: line.new_line_no,
                })
                .collect(),
        })
        .collect()
}

/// Lines are cut after ASCII `\n`, so text assembled from a `&str`'s lines is valid UTF-8.
fn utf8(units: Vec<u8>) -> String {
    String::from_utf8(units)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

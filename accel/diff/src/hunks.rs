//! Groups an edit script into hunks with `context` lines around each change, exactly as jsdiff's
//! `structuredPatch` does (`diffLinesResultToPatch` in jsdiff's `patch/create.js`): changes closer
//! than twice the context share a hunk, and line numbers are 1-based.

use crate::myers::{ChangeKind, Component};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Remove,
    Add,
}

/// A hunk line by reference: context and added lines index the new text's lines, removed lines
/// the old text's (jsdiff prints common lines from the new text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HunkLine {
    pub kind: LineKind,
    pub index: usize,
}

/// jsdiff's hunk fields: for an empty side, `*_start` names the line after the gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
    pub lines: Vec<HunkLine>,
}

struct OpenHunk {
    old_start: usize,
    new_start: usize,
    lines: Vec<HunkLine>,
}

pub fn hunks(components: &[Component], context: usize) -> Vec<Hunk> {
    let mut hunks = Vec::new();
    let mut open: Option<OpenHunk> = None;
    // 1-based line numbers of the next old and new line, and 0-based indices of the same lines.
    let (mut old_line, mut new_line) = (1, 1);
    for (i, component) in components.iter().enumerate() {
        let (old_index, new_index) = (old_line - 1, new_line - 1);
        match component.kind {
            ChangeKind::Removed | ChangeKind::Added => {
                let hunk = open.get_or_insert_with(|| {
                    // A change always follows an equal run or starts the text.
                    let leading = if i > 0 {
                        components[i - 1].count.min(context)
                    } else {
                        0
                    };
                    OpenHunk {
                        old_start: old_line - leading,
                        new_start: new_line - leading,
                        lines: context_lines(new_index - leading, leading),
                    }
                });
                if component.kind == ChangeKind::Removed {
                    hunk.lines
                        .extend(
                            (old_index..old_index + component.count).map(|index| HunkLine {
                                kind: LineKind::Remove,
                                index,
                            }),
                        );
                    old_line += component.count;
                } else {
                    hunk.lines
                        .extend(
                            (new_index..new_index + component.count).map(|index| HunkLine {
                                kind: LineKind::Add,
                                index,
                            }),
                        );
                    new_line += component.count;
                }
            }
            ChangeKind::Equal => {
                let is_last = i + 1 == components.len();
                if let Some(hunk) = open.as_mut() {
                    if component.count <= context.saturating_mul(2) && !is_last {
                        // Close enough to the next change: the run joins the hunk.
                        hunk.lines.extend(context_lines(new_index, component.count));
                    } else if let Some(hunk) = open.take() {
                        let trailing = component.count.min(context);
                        hunks.push(close(hunk, old_line, new_line, new_index, trailing));
                    }
                }
                old_line += component.count;
                new_line += component.count;
            }
        }
    }
    // A change at the very end closes with no trailing context (jsdiff's empty sentinel).
    if let Some(hunk) = open.take() {
        hunks.push(close(hunk, old_line, new_line, new_line - 1, 0));
    }
    hunks
}

fn close(
    mut hunk: OpenHunk,
    old_line: usize,
    new_line: usize,
    new_index: usize,
    trailing: usize,
) -> Hunk {
    hunk.lines.extend(context_lines(new_index, trailing));
    Hunk {
        old_start: hunk.old_start,
        old_lines: old_line - hunk.old_start + trailing,
        new_start: hunk.new_start,
        new_lines: new_line - hunk.new_start + trailing,
        lines: hunk.lines,
    }
}

fn context_lines(first_new_index: usize, count: usize) -> Vec<HunkLine> {
    (first_new_index..first_new_index + count)
        .map(|index| HunkLine {
            kind: LineKind::Context,
            index,
        })
        .collect()
}

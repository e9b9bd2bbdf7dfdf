//! jsdiff's `reversePatch`: a patch that undoes the given one.

use crate::unit::Unit;

use super::js_text::{eq_ascii, starts_with, units};
use super::model::{PatchHunk, PatchLine, PatchLineKind, StructuredPatch};

/// Reverses each file's patch; the files come out in reverse order too.
pub fn reverse_patches<'a, T: Unit>(
    patches: Vec<StructuredPatch<'a, T>>,
) -> Vec<StructuredPatch<'a, T>> {
    patches.into_iter().rev().map(reverse_patch).collect()
}

pub fn reverse_patch<T: Unit>(patch: StructuredPatch<'_, T>) -> StructuredPatch<'_, T> {
    let swap_names = |name: Option<Vec<T>>| {
        if patch.is_git {
            name.map(swap_prefix)
        } else {
            name
        }
    };
    let mut reversed = StructuredPatch {
        old_file_name: swap_names(patch.new_file_name),
        new_file_name: swap_names(patch.old_file_name),
        old_header: patch.new_header,
        new_header: patch.old_header,
        old_mode: patch.new_mode,
        new_mode: patch.old_mode,
        is_create: patch.is_delete,
        is_delete: patch.is_create,
        hunks: patch.hunks.into_iter().map(reverse_hunk).collect(),
        ..patch
    };
    if reversed.is_copy {
        // Undoing a copy deletes the copy. The hunks described the copy's changes, not its
        // whole content, so no hunk can express that deletion: jsdiff drops them.
        reversed.new_file_name = Some(units("/dev/null"));
        reversed.new_header = Vec::new();
        reversed.is_delete = true;
        reversed.is_create = false;
        reversed.is_copy = false;
        reversed.is_rename = false;
        reversed.hunks = Vec::new();
    }
    reversed
}

/// `a/x` and `b/x` trade places; `/dev/null` and other names stay.
fn swap_prefix<T: Unit>(name: Vec<T>) -> Vec<T> {
    if eq_ascii(&name, "/dev/null") {
        return name;
    }
    let swapped = if starts_with(&name, "a/") {
        "b/"
    } else if starts_with(&name, "b/") {
        "a/"
    } else {
        return name;
    };
    let mut out = units(swapped);
    out.extend_from_slice(&name[2..]);
    out
}

fn reverse_hunk<T: Unit>(hunk: PatchHunk<'_, T>) -> PatchHunk<'_, T> {
    PatchHunk {
        old_start: hunk.new_start,
        old_lines: hunk.new_lines,
        new_start: hunk.old_start,
        new_lines: hunk.old_lines,
        lines: hunk
            .lines
            .into_iter()
            .map(|line| PatchLine {
                kind: match line.kind {
                    PatchLineKind::Added => PatchLineKind::Removed,
                    PatchLineKind::Removed => PatchLineKind::Added,
                    other => other,
                },
                rest: line.rest,
            })
            .collect(),
    }
}

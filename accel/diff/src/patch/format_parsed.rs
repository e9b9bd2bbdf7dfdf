//! jsdiff's `formatPatch` for parsed (or reversed) patches, Git's dialect included.

use crate::format::{
    push_git_diff_line, push_git_mode_line, push_git_path_line, push_quoted_file_name, UNDERLINE,
};
use crate::unit::{push_ascii, Unit};

use super::error::PatchError;
use super::js_number::push_js_number;
use super::js_text::{eq_ascii, strip_prefix, units};
use super::model::{PatchHunk, StructuredPatch};

/// `formatPatch(list)`: each file's patch, separated by an empty line.
pub fn format_patches<T: Unit>(patches: &[StructuredPatch<'_, T>]) -> Result<Vec<T>, PatchError> {
    let mut out = Vec::new();
    for (i, patch) in patches.iter().enumerate() {
        if i > 0 {
            out.push(T::from_ascii(b'\n'));
        }
        push_patch(&mut out, patch)?;
    }
    Ok(out)
}

fn push_patch<T: Unit>(out: &mut Vec<T>, patch: &StructuredPatch<'_, T>) -> Result<(), PatchError> {
    let old_name = patch.old_file_name.as_deref();
    let new_name = patch.new_file_name.as_deref();
    if patch.is_git {
        push_git_headers(out, patch)?;
    } else {
        if let (Some(old), Some(new)) = (old_name, new_name) {
            if old == new {
                push_ascii(out, "Index: ");
                out.extend_from_slice(old);
                out.push(T::from_ascii(b'\n'));
            }
        }
        push_ascii(out, UNDERLINE);
        out.push(T::from_ascii(b'\n'));
    }
    // Git omits `---`/`+++` when there are no hunks (pure renames, mode changes).
    if let (Some(old), Some(new)) = (old_name, new_name) {
        if !patch.is_git || !patch.hunks.is_empty() {
            push_file_line(out, "--- ", old, &patch.old_header);
            push_file_line(out, "+++ ", new, &patch.new_header);
        }
    }
    for hunk in &patch.hunks {
        push_parsed_hunk_header(out, hunk);
        out.push(T::from_ascii(b'\n'));
        for line in &hunk.lines {
            if let Some(marker) = line.kind.marker() {
                out.push(T::from_ascii(marker));
            }
            out.extend_from_slice(line.rest);
            out.push(T::from_ascii(b'\n'));
        }
    }
    Ok(())
}

fn push_git_headers<T: Unit>(
    out: &mut Vec<T>,
    patch: &StructuredPatch<'_, T>,
) -> Result<(), PatchError> {
    let old_name = patch
        .old_file_name
        .as_deref()
        .filter(|name| !name.is_empty())
        .ok_or_else(|| PatchError::new("oldFileName must be specified for Git patches"))?;
    let new_name = patch
        .new_file_name
        .as_deref()
        .filter(|name| !name.is_empty())
        .ok_or_else(|| PatchError::new("newFileName must be specified for Git patches"))?;
    // Git never names /dev/null on the `diff --git` line: both sides name the real file.
    let (mut git_old, mut git_new) = (old_name.to_vec(), new_name.to_vec());
    if patch.is_create && eq_ascii(old_name, "/dev/null") {
        git_old = replace_prefix(new_name, "b/", "a/");
    } else if patch.is_delete && eq_ascii(new_name, "/dev/null") {
        git_new = replace_prefix(old_name, "a/", "b/");
    }
    push_git_diff_line(out, &git_old, &git_new);
    let default_mode = units("100644");
    if patch.is_delete {
        let mode = patch.old_mode.as_ref().unwrap_or(&default_mode);
        push_git_mode_line(out, "deleted file mode", mode);
    }
    if patch.is_create {
        let mode = patch.new_mode.as_ref().unwrap_or(&default_mode);
        push_git_mode_line(out, "new file mode", mode);
    }
    if let (Some(old_mode), Some(new_mode)) = (&patch.old_mode, &patch.new_mode) {
        if !patch.is_delete && !patch.is_create {
            push_git_mode_line(out, "old mode", old_mode);
            push_git_mode_line(out, "new mode", new_mode);
        }
    }
    if patch.is_rename {
        push_git_path_line(out, "rename from", &replace_prefix(old_name, "a/", ""));
        push_git_path_line(out, "rename to", &replace_prefix(new_name, "b/", ""));
    }
    if patch.is_copy {
        push_git_path_line(out, "copy from", &replace_prefix(old_name, "a/", ""));
        push_git_path_line(out, "copy to", &replace_prefix(new_name, "b/", ""));
    }
    Ok(())
}

/// `name.replace(/^from/, to)`
fn replace_prefix<T: Unit>(name: &[T], from: &str, to: &str) -> Vec<T> {
    match strip_prefix(name, from) {
        Some(rest) => {
            let mut out = units(to);
            out.extend_from_slice(rest);
            out
        }
        None => name.to_vec(),
    }
}

fn push_file_line<T: Unit>(out: &mut Vec<T>, marker: &str, name: &[T], header: &[T]) {
    push_ascii(out, marker);
    push_quoted_file_name(out, name);
    if !header.is_empty() {
        out.push(T::from_ascii(b'\t'));
        out.extend_from_slice(header);
    }
    out.push(T::from_ascii(b'\n'));
}

/// `@@ -a,b +c,d @@` (no newline). An empty side prints the line before it, as in
/// `formatPatch`; the numbers print as JavaScript prints them (NaN included).
pub fn push_parsed_hunk_header<T: Unit>(out: &mut Vec<T>, hunk: &PatchHunk<'_, T>) {
    let header_start = |start: f64, lines: usize| if lines == 0 { start - 1.0 } else { start };
    push_ascii(out, "@@ -");
    push_js_number(out, header_start(hunk.old_start, hunk.old_lines));
    out.push(T::from_ascii(b','));
    push_js_number(out, hunk.old_lines as f64);
    push_ascii(out, " +");
    push_js_number(out, header_start(hunk.new_start, hunk.new_lines));
    out.push(T::from_ascii(b','));
    push_js_number(out, hunk.new_lines as f64);
    push_ascii(out, " @@");
}

pub fn hunk_header_string<T: Unit>(hunk: &PatchHunk<'_, T>) -> String {
    let mut header: Vec<u8> = Vec::new();
    let hunk_as_bytes = PatchHunk::<u8> {
        old_start: hunk.old_start,
        old_lines: hunk.old_lines,
        new_start: hunk.new_start,
        new_lines: hunk.new_lines,
        lines: Vec::new(),
    };
    push_parsed_hunk_header(&mut header, &hunk_as_bytes);
    String::from_utf8_lossy(&header).into_owned()
}

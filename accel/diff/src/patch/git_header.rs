//! Git's `diff --git` line and the extended header lines after it.

use crate::unit::Unit;

use super::js_text::{find, first_is, leading_digits, strip_prefix, units, up_to_line_terminator};
use super::model::StructuredPatch;
use super::quoted::{parse_quoted_file_name, unquote_if_quoted};

/// The old and new names of `diff --git a/x b/y`, quoted or not, or `None` when the line cannot
/// be read (an unterminated quote, a bad escape, or no ` b/` to split on).
pub fn parse_git_diff_header<T: Unit>(line: &[T]) -> Option<(Vec<T>, Vec<T>)> {
    let rest = &line["diff --git ".len()..];
    if first_is(rest, b'"') {
        let (old, raw_len) = parse_quoted_file_name(rest)?;
        // The unit after the closing quote is taken to be the separating space, whatever it is.
        let after_old = rest.get(raw_len + 1..).unwrap_or(&[]);
        let new = if first_is(after_old, b'"') {
            parse_quoted_file_name(after_old)?.0
        } else {
            after_old.to_vec()
        };
        return Some((old, new));
    }
    if let Some(quote) = rest.iter().position(|u| u.is(b'"')) {
        // `quote > 0` here: a leading quote took the branch above.
        let old = rest[..quote - 1].to_vec();
        let (new, _) = parse_quoted_file_name(&rest[quote..])?;
        return Some((old, new));
    }
    if !first_is(rest, b'a') || !rest.get(1).is_some_and(|u| u.is(b'/')) {
        return None;
    }
    // Unquoted names may contain ` b/` themselves; the middle occurrence is right whenever both
    // names are equal, the one case with no rename/copy lines to settle it.
    let mut splits = Vec::new();
    let mut from = 1;
    while let Some(at) = find(rest, " b/", from) {
        splits.push(at);
        from = at + 1;
    }
    let middle = *splits.get(splits.len() / 2)?;
    Some((rest[..middle].to_vec(), rest[middle + 1..].to_vec()))
}

/// Records what one extended header line (`rename from`, `new file mode`, ...) says.
pub fn parse_git_extended_header<T: Unit>(line: &[T], index: &mut StructuredPatch<'_, T>) {
    let renamed_or_copied = |prefix: &str, side: &str| -> Option<Vec<T>> {
        let captured = up_to_line_terminator(strip_prefix(line, prefix)?);
        let mut name = units(side);
        name.extend(unquote_if_quoted(captured));
        Some(name)
    };
    if let Some(name) = renamed_or_copied("rename from ", "a/") {
        index.old_file_name = Some(name);
        index.is_rename = true;
    }
    if let Some(name) = renamed_or_copied("rename to ", "b/") {
        index.new_file_name = Some(name);
        index.is_rename = true;
    }
    if let Some(name) = renamed_or_copied("copy from ", "a/") {
        index.old_file_name = Some(name);
        index.is_copy = true;
    }
    if let Some(name) = renamed_or_copied("copy to ", "b/") {
        index.new_file_name = Some(name);
        index.is_copy = true;
    }
    let mode = |prefix: &str| -> Option<Vec<T>> {
        let digits = leading_digits(strip_prefix(line, prefix)?);
        (!digits.is_empty()).then(|| digits.to_vec())
    };
    if let Some(mode) = mode("new file mode ") {
        index.is_create = true;
        index.new_mode = Some(mode);
    }
    if let Some(mode) = mode("deleted file mode ") {
        index.is_delete = true;
        index.old_mode = Some(mode);
    }
    if let Some(mode) = mode("old mode ") {
        index.old_mode = Some(mode);
    }
    if let Some(mode) = mode("new mode ") {
        index.new_mode = Some(mode);
    }
    if strip_prefix(line, "Binary files ").is_some() {
        index.is_binary = true;
    }
}

//! The regexes jsdiff's `parsePatch` uses to classify a line.

use crate::unit::Unit;

use super::js_text::{is_word_unit, starts_with, whitespace_len_at};

/// `/^diff --git /`
pub fn is_git_diff_header<T: Unit>(line: &[T]) -> bool {
    starts_with(line, "diff --git ")
}

/// `diff --git`, `/^Index:\s/` or `/^diff(?: -r \w+)+\s/`.
pub fn is_diff_header<T: Unit>(line: &[T]) -> bool {
    is_git_diff_header(line)
        || (starts_with(line, "Index:") && whitespace_len_at(line, 6).is_some())
        || is_revision_diff_header(line)
}

/// `/^diff(?: -r \w+)+\s/`: after one ` -r word` the next unit must be white space, and a
/// further ` -r` starts with a space, so one repetition decides.
fn is_revision_diff_header<T: Unit>(line: &[T]) -> bool {
    if !starts_with(line, "diff -r ") {
        return false;
    }
    let word_len = line[8..].iter().take_while(|&&u| is_word_unit(u)).count();
    word_len > 0 && whitespace_len_at(line, 8 + word_len).is_some()
}

/// `/^(---|\+\+\+)\s/`
pub fn is_file_header<T: Unit>(line: &[T]) -> bool {
    (starts_with(line, "---") || starts_with(line, "+++")) && whitespace_len_at(line, 3).is_some()
}

/// `/^@@\s/`
pub fn is_hunk_header<T: Unit>(line: &[T]) -> bool {
    starts_with(line, "@@") && whitespace_len_at(line, 2).is_some()
}

/// `/^={67}/`, the underline `formatPatch` prints between files.
pub fn is_underline<T: Unit>(line: &[T]) -> bool {
    starts_with(line, crate::format::UNDERLINE)
}

/// The numbers of the first match of `/@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/` anywhere in
/// the line, as digit strings: old start, old count, new start, new count.
pub type HunkHeaderDigits<'a, T> = (&'a [T], Option<&'a [T]>, &'a [T], Option<&'a [T]>);

pub fn hunk_header_digits<T: Unit>(line: &[T]) -> Option<HunkHeaderDigits<'_, T>> {
    // Every part of the pattern after `@@ -` is digits or fixed punctuation, so greedy matching
    // never needs to backtrack: at each start the match either succeeds greedily or not at all.
    (0..line.len()).find_map(|start| match_hunk_header_at(&line[start..]))
}

fn match_hunk_header_at<T: Unit>(text: &[T]) -> Option<HunkHeaderDigits<'_, T>> {
    let mut cursor = Cursor { text, pos: 0 };
    cursor.literal("@@ -")?;
    let old_start = cursor.digits()?;
    let old_count = cursor.optional_count();
    cursor.literal(" +")?;
    let new_start = cursor.digits()?;
    let new_count = cursor.optional_count();
    cursor.literal(" @@")?;
    Some((old_start, old_count, new_start, new_count))
}

struct Cursor<'a, T> {
    text: &'a [T],
    pos: usize,
}

impl<'a, T: Unit> Cursor<'a, T> {
    fn literal(&mut self, ascii: &str) -> Option<()> {
        starts_with(&self.text[self.pos..], ascii).then(|| self.pos += ascii.len())
    }

    fn digits(&mut self) -> Option<&'a [T]> {
        let digits = super::js_text::leading_digits(&self.text[self.pos..]);
        if digits.is_empty() {
            return None;
        }
        self.pos += digits.len();
        Some(digits)
    }

    /// `(?:,(\d+))?`
    fn optional_count(&mut self) -> Option<&'a [T]> {
        let saved = self.pos;
        if self.literal(",").is_some() {
            if let Some(digits) = self.digits() {
                return Some(digits);
            }
        }
        self.pos = saved;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(line: &str) -> Option<(String, Option<String>, String, Option<String>)> {
        let s = |d: &[u8]| String::from_utf8(d.to_vec()).unwrap();
        hunk_header_digits(line.as_bytes()).map(|(a, b, c, d)| (s(a), b.map(s), s(c), d.map(s)))
    }

    #[test]
    fn finds_the_first_match_anywhere() {
        assert_eq!(
            digits("@@ -1,2 +3 @@"),
            Some(("1".into(), Some("2".into()), "3".into(), None))
        );
        assert_eq!(
            digits("@@ x @@ -1,2 +3 @@ -4 +5 @@"),
            Some(("1".into(), Some("2".into()), "3".into(), None))
        );
        assert_eq!(digits("@@ -1, +3 @@"), None);
        assert_eq!(digits("@@ -1 +3@@"), None);
    }

    #[test]
    fn classifies_header_lines() {
        assert!(is_file_header(b"--- a"));
        assert!(is_file_header("---\u{A0}a".as_bytes()));
        assert!(!is_file_header(b"---a"));
        assert!(is_diff_header(b"diff -r abc file"));
        assert!(is_diff_header(b"diff -r abc\tfile"));
        assert!(!is_diff_header(b"diff -r  abc file"));
        assert!(!is_diff_header(b"diff -u a b"));
        assert!(is_diff_header(b"Index:\tx"));
        assert!(!is_diff_header(b"Index:x"));
        assert!(is_hunk_header(b"@@\r"));
    }
}

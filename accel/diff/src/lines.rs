//! jsdiff's line tokens, indexed once per text. Each line keeps its terminator (`\n`, so a
//! `\r\n` line keeps both) and a last line without one is a token of its own: jsdiff splits on
//! `/(\n|\r\n)/` and glues each separator back onto its line, which is the same as cutting after
//! every `\n` (empty tokens are dropped, and only a final empty remainder can be empty).
//!
//! Lines are compared in place, never interned: a diff mostly compares lines that differ, which a
//! per-line fingerprint (the length and a few sampled units) usually tells at once, or long runs
//! of equal lines, which [`common_run`] compares as one block of text. A fingerprint match is
//! always confirmed on the text, so a collision costs a comparison, never a wrong answer.

use imara_diff::TokenSource;

use crate::unit::Unit;

pub struct LineTable<'a, T> {
    text: &'a [T],
    /// `ends[i]` is one past the last unit of line `i`; line `i` starts at `ends[i - 1]` (or 0).
    ends: Vec<usize>,
    fingerprints: Vec<u64>,
}

impl<'a, T: Unit> LineTable<'a, T> {
    pub fn new(text: &'a [T]) -> Self {
        // One pass: each line is fingerprinted while the scan that found its end has it in cache.
        let capacity = text.len() / 32 + 1;
        let mut ends = Vec::with_capacity(capacity);
        let mut fingerprints = Vec::with_capacity(capacity);
        let mut start = 0;
        T::for_each_line_end(text, |end| {
            ends.push(end);
            fingerprints.push(fingerprint(&text[start..end]));
            start = end;
        });
        LineTable {
            text,
            ends,
            fingerprints,
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    #[inline]
    fn start(&self, index: usize) -> usize {
        if index == 0 {
            0
        } else {
            self.ends[index - 1]
        }
    }

    /// One fingerprint per line: equal lines have equal fingerprints.
    pub fn fingerprints(&self) -> &[u64] {
        &self.fingerprints
    }

    /// Where line `index` (0-based) lies in the text, terminator included.
    pub fn span(&self, index: usize) -> std::ops::Range<usize> {
        self.start(index)..self.ends[index]
    }

    /// Line `index` (0-based) with its terminator.
    #[inline]
    pub fn line(&self, index: usize) -> &'a [T] {
        &self.text[self.start(index)..self.ends[index]]
    }
}

/// How many lines are equal from old line `old_start` and new line `new_start` on.
///
/// Equal lines are equal text, so past the first line pair the run is measured as the common
/// prefix of the two remaining texts, then converted back to whole lines.
#[inline]
pub fn common_run<T: Unit>(
    old: &LineTable<'_, T>,
    old_start: usize,
    new: &LineTable<'_, T>,
    new_start: usize,
) -> usize {
    if old_start >= old.len()
        || new_start >= new.len()
        || old.fingerprints[old_start] != new.fingerprints[new_start]
        || old.line(old_start) != new.line(new_start)
    {
        return 0;
    }
    let old_offset = old.start(old_start);
    let new_offset = new.start(new_start);
    let equal_units = common_prefix_len(&old.text[old_offset..], &new.text[new_offset..]);
    // Lines of the old text that end inside the equal block; the new text has its `\n`s at
    // the same places there. Only a text's last line can lack a `\n`, so only the last counted
    // line can differ (`abc` against `abc\n`): check it on its own.
    let limit = (old.len() - old_start).min(new.len() - new_start);
    let ends = &old.ends[old_start..old_start + limit];
    let mut count = ends.partition_point(|&end| end - old_offset <= equal_units);
    while count > 1 && old.line(old_start + count - 1) != new.line(new_start + count - 1) {
        count -= 1;
    }
    count
}

/// Equal lines get equal fingerprints; lines that differ mostly differ in length or in one of
/// the sampled units (a quarter in, the middle, and the last before the terminator).
#[inline]
fn fingerprint<T: Unit>(line: &[T]) -> u64 {
    let len = line.len();
    let sample = |at: usize| line.get(at).map_or(0, |&unit| unit.to_bits());
    (len as u64
        | sample(len / 4) << 16
        | sample(len / 2) << 32
        | sample(len.saturating_sub(2)) << 48)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn common_prefix_len<T: Unit>(a: &[T], b: &[T]) -> usize {
    const BLOCK: usize = 32;
    let len = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= len && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < len && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The lines of a table as imara-diff tokens, for interning.
pub struct TableLines<'t, 'a, T>(pub &'t LineTable<'a, T>);

impl<'t, 'a, T: Unit> TokenSource for TableLines<'t, 'a, T> {
    type Token = &'a [T];
    type Tokenizer = std::vec::IntoIter<&'a [T]>;

    fn tokenize(&self) -> Self::Tokenizer {
        (0..self.0.len())
            .map(|i| self.0.line(i))
            .collect::<Vec<_>>()
            .into_iter()
    }

    fn estimate_tokens(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }
}

/// Whether a line token ends with its terminator (only the last line of a text may not).
pub fn has_newline<T: Unit>(line: &[T]) -> bool {
    line.last().is_some_and(|unit| unit.is(b'\n'))
}

/// The line without its final `\n` (a `\r` before it stays, as in jsdiff's patch lines).
pub fn without_newline<T: Unit>(line: &[T]) -> &[T] {
    if has_newline(line) {
        &line[..line.len() - 1]
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let table = LineTable::new(text.as_bytes());
        (0..table.len())
            .map(|i| std::str::from_utf8(table.line(i)).unwrap())
            .collect()
    }

    #[test]
    fn keeps_terminators_and_a_final_unterminated_line() {
        assert_eq!(split("a\nb\r\nc"), ["a\n", "b\r\n", "c"]);
        assert_eq!(split("\n\n"), ["\n", "\n"]);
        assert_eq!(split("x\r"), ["x\r"]);
        assert!(split("").is_empty());
    }

    #[test]
    fn utf16_lines_split_alike() {
        let units: Vec<u16> = "a\nb\r\n\u{1F600}".encode_utf16().collect();
        let table = LineTable::new(&units[..]);
        assert_eq!(table.len(), 3);
        assert_eq!(table.line(2), &units[5..]);
    }

    fn run(old: &str, old_start: usize, new: &str, new_start: usize) -> usize {
        let old = LineTable::new(old.as_bytes());
        let new = LineTable::new(new.as_bytes());
        common_run(&old, old_start, &new, new_start)
    }

    #[test]
    fn common_runs_count_whole_equal_lines() {
        assert_eq!(run("x\ny\nx\n", 0, "y\nx\n", 0), 0);
        assert_eq!(run("x\ny\nx\n", 1, "y\nx\n", 0), 2);
        assert_eq!(run("a\nb\nc", 0, "a\nb\ncd", 0), 2);
        assert_eq!(run("a\nb\nc", 0, "a\nb\nc\n", 0), 2);
        assert_eq!(run("a\nb\nc\n", 0, "a\nb\nc", 0), 2);
        assert_eq!(run("a\nb\nc", 0, "a\nb\nc", 0), 3);
        assert_eq!(run("a\n", 1, "a\n", 0), 0);
        let long: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let mut changed = long.clone();
        changed.insert(long.len() - 3, 'x');
        assert_eq!(run(&long, 0, &changed, 0), 199);
        assert_eq!(run(&long, 5, &long, 5), 195);
    }

    #[test]
    fn strips_only_the_newline() {
        assert_eq!(without_newline(b"a\r\n"), b"a\r");
        assert_eq!(without_newline(b"a"), b"a");
    }
}

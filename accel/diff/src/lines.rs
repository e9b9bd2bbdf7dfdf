//! jsdiff's line tokens: each line keeps its terminator (`\n`, so a `\r\n` line keeps both), and
//! a last line without a terminator is a token of its own. jsdiff splits on `/(\n|\r\n)/` and
//! glues each separator back onto its line, which is the same as cutting after every `\n`;
//! empty tokens are dropped, and only a final empty remainder can be empty.

use imara_diff::TokenSource;

use crate::unit::Unit;

/// A text seen as jsdiff's line tokens, ready for imara-diff's interner.
#[derive(Clone, Copy)]
pub struct Lines<'a, T>(pub &'a [T]);

impl<'a, T: Unit> TokenSource for Lines<'a, T> {
    type Token = &'a [T];
    type Tokenizer = LineIter<'a, T>;

    fn tokenize(&self) -> Self::Tokenizer {
        LineIter { rest: self.0 }
    }

    fn estimate_tokens(&self) -> u32 {
        // Code averages well over 16 units a line; a low guess only costs a re-allocation.
        u32::try_from(self.0.len() / 16 + 1).unwrap_or(u32::MAX)
    }
}

pub struct LineIter<'a, T> {
    rest: &'a [T],
}

impl<'a, T: Unit> Iterator for LineIter<'a, T> {
    type Item = &'a [T];

    fn next(&mut self) -> Option<&'a [T]> {
        if self.rest.is_empty() {
            return None;
        }
        let newline = T::from_ascii(b'\n');
        let end = self
            .rest
            .iter()
            .position(|&unit| unit == newline)
            .map_or(self.rest.len(), |i| i + 1);
        let (line, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(line)
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
        Lines(text.as_bytes())
            .tokenize()
            .map(|line| std::str::from_utf8(line).unwrap())
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
    fn strips_only_the_newline() {
        assert_eq!(without_newline(b"a\r\n"), b"a\r");
        assert_eq!(without_newline(b"a"), b"a");
    }
}

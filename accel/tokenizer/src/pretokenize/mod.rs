//! Hand-written equivalents of the tiktoken split patterns, as V8 runs them (`ug` flags, with
//! backtracking). Each pattern family is a function returning where the piece starting at `at`
//! ends; the alternatives are tried in the pattern's order, so the first that matches wins.

mod cl100k;
mod classes;
mod gpt2;
mod o200k;

pub(crate) use classes::class_at;

/// The split pattern of an encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// r50k_base and p50k_base.
    Gpt2,
    Cl100k,
    O200k,
}

impl Pattern {
    /// Calls `on_piece` with every piece of `text`, in order.
    #[inline]
    pub(crate) fn for_each_piece(self, text: &str, mut on_piece: impl FnMut(&[u8])) {
        match self {
            Pattern::Gpt2 => split(text.as_bytes(), gpt2::piece_end, &mut on_piece),
            Pattern::Cl100k => split(text.as_bytes(), cl100k::piece_end, &mut on_piece),
            Pattern::O200k => split(text.as_bytes(), o200k::piece_end, &mut on_piece),
        }
    }

    /// The pieces of `text`.
    #[cfg(test)]
    pub(crate) fn pieces(self, text: &str) -> Vec<&str> {
        let mut pieces = Vec::new();
        let mut at = 0;
        self.for_each_piece(text, |piece| {
            pieces.push(&text[at..at + piece.len()]);
            at += piece.len();
        });
        pieces
    }
}

#[inline(always)]
fn split(bytes: &[u8], piece_end: fn(&[u8], usize) -> usize, on_piece: &mut impl FnMut(&[u8])) {
    let mut at = 0;
    while at < bytes.len() {
        let end = piece_end(bytes, at);
        debug_assert!(end > at && end <= bytes.len());
        on_piece(&bytes[at..end]);
        at = end;
    }
}

/// Shared by the patterns: `\s+(?!\S)|\s+` at `at`, which holds whitespace. A run followed by
/// non-whitespace gives back its last character (which then prefixes the next piece), unless
/// the run is a single character.
#[inline]
fn whitespace_run_end(bytes: &[u8], at: usize) -> usize {
    let mut end = at;
    let mut last_start = at;
    while end < bytes.len() {
        if ascii_whitespace_word(bytes, end).is_some() {
            last_start = end + 7;
            end += 8;
            continue;
        }
        if is_ascii_space(bytes[end]) {
            last_start = end;
            end += 1;
            continue;
        }
        let (class, len) = class_at(bytes, end);
        if class & classes::WHITESPACE == 0 {
            return if last_start > at { last_start } else { end };
        }
        last_start = end;
        end += len;
    }
    end
}

/// When the eight bytes at `at` are all ASCII whitespace: which of them are CR or LF (the high
/// bit of each such byte). Long whitespace runs are scanned a word at a time.
#[inline(always)]
fn ascii_whitespace_word(bytes: &[u8], at: usize) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?);
    if word & HIGH != 0 {
        return None;
    }
    // With every byte below 0x80, adding `0x80 - k` to each sets its high bit exactly when the
    // byte is at least `k`, and carries into no other byte.
    let at_least = |k: u64| (word + (0x80 - k) * ONES) & HIGH;
    let zero_of = |x: u64| !(x + 0x7F * ONES) & HIGH;
    let control_space = at_least(0x09) & !at_least(0x0E);
    let space = zero_of(word ^ (0x20 * ONES));
    if control_space | space != HIGH {
        return None;
    }
    Some(zero_of(word ^ (0x0A * ONES)) | zero_of(word ^ (0x0D * ONES)))
}

/// The ASCII bytes of `\s`, tested before the class tables on whitespace runs.
#[inline(always)]
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// `\s*[\r\n]+` at `at`, which holds whitespace: up to the last CR or LF of the whitespace run,
/// or `None` when the run has none.
#[inline]
fn whitespace_through_last_newline(bytes: &[u8], at: usize) -> Option<usize> {
    let mut end = at;
    let mut through_newline = None;
    while end < bytes.len() {
        if let Some(newlines) = ascii_whitespace_word(bytes, end) {
            if newlines != 0 {
                through_newline = Some(end + (63 - newlines.leading_zeros() as usize) / 8 + 1);
            }
            end += 8;
            continue;
        }
        match ASCII_SPACE[usize::from(bytes[end])] {
            NEWLINE => {
                end += 1;
                through_newline = Some(end);
                continue;
            }
            SPACE => {
                end += 1;
                continue;
            }
            _ => {}
        }
        let (class, len) = class_at(bytes, end);
        if class & classes::WHITESPACE == 0 {
            break;
        }
        end += len;
    }
    through_newline
}

const NEWLINE: u8 = 2;
const SPACE: u8 = 1;

/// `NEWLINE` for CR and LF, `SPACE` for the other ASCII bytes of `\s`, else 0.
static ASCII_SPACE: [u8; 256] = {
    let mut kinds = [0u8; 256];
    kinds[b'\r' as usize] = NEWLINE;
    kinds[b'\n' as usize] = NEWLINE;
    kinds[b' ' as usize] = SPACE;
    kinds[b'\t' as usize] = SPACE;
    kinds[0x0B] = SPACE;
    kinds[0x0C] = SPACE;
    kinds
};

/// `'s|'t|'re|'ve|'m|'ll|'d` after the apostrophe at `at`, in ASCII case variants when
/// `any_case` (cl100k, o200k), lower case only otherwise (gpt2). Returns the end.
#[inline]
fn contraction_end(bytes: &[u8], at: usize, any_case: bool) -> Option<usize> {
    if bytes.get(at) != Some(&b'\'') {
        return None;
    }
    let letter = |offset: usize| {
        bytes
            .get(at + offset)
            .map(|&b| if any_case { b.to_ascii_lowercase() } else { b })
    };
    match letter(1)? {
        b's' | b't' | b'm' | b'd' => Some(at + 2),
        b'r' | b'v' if letter(2) == Some(b'e') => Some(at + 3),
        b'l' if letter(2) == Some(b'l') => Some(at + 3),
        _ => None,
    }
}

/// End of the run of characters whose class has any of `bits`, starting at `at`.
#[inline]
fn run_end(bytes: &[u8], mut at: usize, bits: u8) -> usize {
    while at < bytes.len() {
        let (class, len) = class_at(bytes, at);
        if class & bits == 0 {
            break;
        }
        at += len;
    }
    at
}

/// End of the run of `[^\s\p{L}\p{N}]` characters starting at `at`.
#[inline]
fn other_run_end(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        let (class, len) = class_at(bytes, at);
        if !classes::is_other(class) {
            break;
        }
        at += len;
    }
    at
}

/// `\p{N}{1,3}` at `at`, which holds a number.
#[inline]
fn up_to_three_numbers_end(bytes: &[u8], mut at: usize) -> usize {
    for _ in 0..3 {
        if at >= bytes.len() {
            break;
        }
        let (class, len) = class_at(bytes, at);
        if class & classes::NUMBER == 0 {
            break;
        }
        at += len;
    }
    at
}

#[cfg(test)]
mod tests;

//! Long parts of ASCII whitespace (blank lines, indentation, whitespace-only documents), counted
//! as a chain of periodic segments whose encodings are remembered.
//!
//! The BPE encoding of a text is the one token sequence covering it whose adjacent pairs are
//! all stable (see `backtrack`). So where the encodings of two neighbouring texts meet in a
//! stable pair, together they are the encoding of both texts; and where the encoding of a unit
//! repeated `m` times (a chunk) ends stably before its own start, the chunk's encoding repeated
//! is the encoding of the chunk repeated. A segment is one unit of up to `LONGEST_UNIT` bytes
//! repeated (a run of spaces, CRLFs, blank indented lines); such segments recur, so most cost
//! a memo hit and one stable-pair check. Where two segments do not meet stably, the later one
//! is re-encoded together with its left neighbour (or, when both start a long stretch of a
//! longer unit, such as two spaces before many `  \r\n`, taken as that segment), and so on
//! leftwards; should that re-encode more than half the part's length in all, the part is left
//! to the backtracking encoder whole, so the cost stays linear.

use super::backtrack::{Encoder, Summary};
use super::cache::PieceCache;
use super::stable::is_stable_pair;
use crate::tables::RankTables;

/// The longest repeated unit a segment is made of.
const LONGEST_UNIT: usize = 16;
/// Segments of at least two samples are encoded as a chunk repeated, cut from the encoding of
/// their first sample (this many bytes, at least four longest tokens).
const SAMPLE_BYTES: usize = 512;
/// Merged spans up to this length are remembered; longer ones are encoded each time.
const REMEMBERED_SPAN: usize = 256;
/// Remembered merged spans (at most 256 bytes each) before that memo starts over.
const REMEMBERED_SPANS: usize = 1 << 12;
/// Re-encoding more than this share of a part's length (the whitespace bench text needs an
/// eighth) gives the part to the backtracking encoder whole: at most half again its cost.
const REENCODED_SHARE: usize = 2;
/// The span stack is kept for the next part while it holds at most this many spans (1.5 MiB).
const KEPT_SPANS: usize = 1 << 16;

/// The encoded summary of `part[start..]` up to the next span's start.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    summary: Summary,
}

/// The memos (segments: 192 KiB; merged spans: about 1 MiB at most) and the reused span stack.
#[derive(Default)]
pub(crate) struct WhitespaceRuns {
    segments: SegmentSummaries,
    merged: PieceCache<Summary, REMEMBERED_SPANS>,
    spans: Vec<Span>,
}

impl WhitespaceRuns {
    /// The token count of `part`, or `None` when it is not all ASCII whitespace or its
    /// segments do not meet stably often enough to be worth it.
    pub(crate) fn count(
        &mut self,
        tables: &RankTables,
        encoder: &mut Encoder,
        part: &[u8],
    ) -> Option<usize> {
        self.count_within(tables, encoder, part, part.len() / REENCODED_SHARE)
    }

    /// `count`, giving up once more than `reencoding_budget` bytes would be re-encoded.
    pub(crate) fn count_within(
        &mut self,
        tables: &RankTables,
        encoder: &mut Encoder,
        part: &[u8],
        reencoding_budget: usize,
    ) -> Option<usize> {
        if !is_ascii_whitespace(part[0]) {
            return None;
        }
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        let counted = self.count_segments(tables, encoder, part, reencoding_budget, &mut spans);
        if spans.capacity() <= KEPT_SPANS {
            self.spans = spans;
        }
        counted
    }

    fn count_segments(
        &mut self,
        tables: &RankTables,
        encoder: &mut Encoder,
        part: &[u8],
        mut reencoding_budget: usize,
        spans: &mut Vec<Span>,
    ) -> Option<usize> {
        let mut count = 0;
        let mut start = 0;
        while start < part.len() {
            let segment = Segment::at(part, start)?;
            let mut end = start + segment.len;
            let mut span = Span {
                start,
                summary: self
                    .segments
                    .summary(tables, encoder, &part[start..], segment),
            };
            while let Some(&previous) = spans.last() {
                if encoder.follows_stably(tables, previous.summary.last, span.summary.first) {
                    break;
                }
                spans.pop();
                count -= previous.summary.count as usize;
                let merged_len = end - previous.start;
                let longer = (merged_len > REMEMBERED_SPAN)
                    .then(|| Segment::longest_at(part, previous.start))
                    .flatten()
                    .filter(|longer| longer.len >= merged_len);
                let summary = if let Some(longer) = longer {
                    end = previous.start + longer.len;
                    let rest = &part[previous.start..];
                    self.segments.summary(tables, encoder, rest, longer)
                } else {
                    reencoding_budget = reencoding_budget.checked_sub(merged_len)?;
                    self.merged_summary(tables, encoder, &part[previous.start..end])
                };
                span = Span {
                    start: previous.start,
                    summary,
                };
            }
            count += span.summary.count as usize;
            spans.push(span);
            start = end;
        }
        Some(count)
    }

    fn merged_summary(
        &mut self,
        tables: &RankTables,
        encoder: &mut Encoder,
        bytes: &[u8],
    ) -> Summary {
        if bytes.len() > REMEMBERED_SPAN {
            return encoder.summary(tables, bytes);
        }
        self.merged
            .get_or_insert_with(bytes, || encoder.summary(tables, bytes))
    }
}

/// A unit of 1 to `LONGEST_UNIT` bytes of ASCII whitespace repeated, the last time perhaps in
/// part: the unit packed in a word (little-endian), its length and the segment's length.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Segment {
    unit: u128,
    unit_len: usize,
    len: usize,
}

impl Segment {
    /// The segment starting at `start`, which holds ASCII whitespace: the shortest unit that
    /// repeats at least twice there (runs of one byte recur more than longer units), failing
    /// that a lone CRLF, else a lone byte. `None` when the part holds a byte that is not ASCII
    /// whitespace there.
    #[inline]
    fn at(part: &[u8], start: usize) -> Option<Segment> {
        let rest = &part[start..];
        let periodic = (1..=LONGEST_UNIT.min(rest.len() / 2))
            .find(|&unit_len| repeats_at_start(rest, unit_len))
            .map(|unit_len| (unit_len, periodic_len(rest, unit_len)));
        Self::from_periodic(rest, periodic)
    }

    /// Like `at`, but with the unit that repeats furthest (the shortest of those): a long
    /// stretch of a longer unit may start with a short run (`  ` before many `  \r\n`).
    fn longest_at(part: &[u8], start: usize) -> Option<Segment> {
        let rest = &part[start..];
        let periodic = (1..=LONGEST_UNIT.min(rest.len() / 2))
            .filter(|&unit_len| repeats_at_start(rest, unit_len))
            .map(|unit_len| (unit_len, periodic_len(rest, unit_len)))
            .reduce(|longest, next| if next.1 > longest.1 { next } else { longest });
        Self::from_periodic(rest, periodic)
    }

    /// The segment of `rest` with the unit length and length of `periodic`, if any, else a
    /// lone CRLF or byte.
    #[inline]
    fn from_periodic(rest: &[u8], periodic: Option<(usize, usize)>) -> Option<Segment> {
        let (unit_len, len) = periodic.unwrap_or_else(|| {
            let unit_len = if rest.starts_with(b"\r\n") { 2 } else { 1 };
            (unit_len, periodic_len(rest, unit_len))
        });
        let unit = &rest[..unit_len];
        if !unit.iter().all(|&byte| is_ascii_whitespace(byte)) {
            return None;
        }
        Some(Segment {
            unit: unit
                .iter()
                .rev()
                .fold(0, |word, &byte| (word << 8) | u128::from(byte)),
            unit_len,
            len,
        })
    }
}

/// Whether `bytes` starts with its first `unit_len` bytes twice.
#[inline]
fn repeats_at_start(bytes: &[u8], unit_len: usize) -> bool {
    (0..unit_len).all(|i| bytes[i] == bytes[unit_len + i])
}

/// How far `bytes` repeats its first `unit_len` bytes (at least `unit_len`), compared eight
/// bytes at a time.
#[inline]
fn periodic_len(bytes: &[u8], unit_len: usize) -> usize {
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let mut end = unit_len;
    while end + 8 <= bytes.len() {
        let differing = word(end) ^ word(end - unit_len);
        if differing != 0 {
            return end + (differing.trailing_zeros() / 8) as usize;
        }
        end += 8;
    }
    while end < bytes.len() && bytes[end] == bytes[end - unit_len] {
        end += 1;
    }
    end
}

/// A direct-mapped memo of the summaries of recent segments (4,096 entries: 192 KiB).
#[derive(Default)]
struct SegmentSummaries {
    slots: Vec<(Segment, Summary)>,
}

impl SegmentSummaries {
    const BITS: u32 = 12;

    /// The summary of `segment`, which starts `rest`.
    fn summary(
        &mut self,
        tables: &RankTables,
        encoder: &mut Encoder,
        rest: &[u8],
        segment: Segment,
    ) -> Summary {
        if let Some(known) = self.find(segment) {
            return known;
        }
        let summary = self.encode(tables, encoder, rest, segment);
        let slot = Self::slot(segment);
        self.slots[slot] = (segment, summary);
        summary
    }

    /// A long segment as a head, a chunk repeated and a tail, when they meet stably; else (or
    /// when short) straight from the encoder.
    fn encode(
        &mut self,
        tables: &RankTables,
        encoder: &mut Encoder,
        rest: &[u8],
        segment: Segment,
    ) -> Summary {
        let bytes = &rest[..segment.len];
        let sample_len = SAMPLE_BYTES.max(4 * tables.longest_token);
        if bytes.len() < 2 * sample_len {
            return encoder.summary(tables, bytes);
        }
        as_repeated_chunk(tables, encoder, bytes, segment.unit_len, sample_len)
            .unwrap_or_else(|| encoder.summary(tables, bytes))
    }

    #[inline]
    fn find(&mut self, segment: Segment) -> Option<Summary> {
        if self.slots.is_empty() {
            let empty = Segment {
                unit: 0,
                unit_len: 0,
                len: 0,
            };
            let nothing = Summary {
                count: 0,
                first: 0,
                last: 0,
            };
            self.slots = vec![(empty, nothing); 1 << Self::BITS];
        }
        let (known, summary) = self.slots[Self::slot(segment)];
        (known == segment).then_some(summary)
    }

    #[inline]
    fn slot(segment: Segment) -> usize {
        let unit = (segment.unit as u64) ^ ((segment.unit >> 64) as u64).rotate_left(29);
        let key = (unit.rotate_left(17) ^ (segment.len as u64) << 4) ^ segment.unit_len as u64;
        super::memo_slot(key, Self::BITS)
    }
}

/// The summary of `periodic` (a unit of `unit_len` bytes repeated, the last time perhaps in
/// part; at least `sample_len` bytes) as the encoding of a head, then of a chunk repeated, then
/// of a tail, when each meets the next stably. Head and chunk are cut from the encoding of the
/// first `sample_len` bytes (neighbours there, so they meet stably):
/// the head is its tokens up to a quarter in, the chunk its next tokens up to the first token
/// end a whole number of units on that ends stably before the chunk's own first token.
fn as_repeated_chunk(
    tables: &RankTables,
    encoder: &mut Encoder,
    periodic: &[u8],
    unit_len: usize,
    sample_len: usize,
) -> Option<Summary> {
    let (head, chunk_start, chunk) =
        encoder.with_tokens(tables, &periodic[..sample_len], |tokens| {
            let mut token_ends = tokens.iter().scan(0, |end, &token| {
                *end += tables.token_len(token);
                Some((*end, token))
            });
            let head_len = token_ends
                .by_ref()
                .position(|(end, _)| end >= sample_len / 4)?
                + 1;
            let head = Summary {
                count: head_len as u32,
                first: tokens[0],
                last: tokens[head_len - 1],
            };
            let chunk_start: usize = tokens[..head_len]
                .iter()
                .map(|&token| tables.token_len(token))
                .sum();
            let first = *tokens.get(head_len)?;
            let (chunk_len, last) = token_ends.enumerate().find_map(|(index, (end, last))| {
                let whole_units = (end - chunk_start).is_multiple_of(unit_len);
                (whole_units && is_stable_pair(tables, last, first))
                    .then_some((index + 1, (end, last)))
            })?;
            let chunk = Summary {
                count: chunk_len as u32,
                first,
                last: last.1,
            };
            Some((head, chunk_start, (chunk, last.0 - chunk_start)))
        })?;
    let (chunk, chunk_len) = chunk;
    let whole_chunks = (periodic.len() - chunk_start) / chunk_len;
    // The tail's encoding may reach back into the last chunks (a partial unit at the end).
    (0..=TAIL_CHUNKS.min(whole_chunks)).find_map(|tail_chunks| {
        let chunks = whole_chunks - tail_chunks;
        let mut summary = Summary {
            count: head.count + chunk.count * chunks as u32,
            first: head.first,
            last: chunk.last,
        };
        let tail = &periodic[chunk_start + chunks * chunk_len..];
        if !tail.is_empty() {
            let tail = encoder.summary(tables, tail);
            let previous = if chunks > 0 { chunk.last } else { head.last };
            if !encoder.follows_stably(tables, previous, tail.first) {
                return None;
            }
            summary.count += tail.count;
            summary.last = tail.last;
        }
        Some(summary)
    })
}

/// How many of the last chunks the tail may be re-encoded with.
const TAIL_CHUNKS: usize = 2;

/// The ASCII bytes of `\s`.
#[inline(always)]
fn is_ascii_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

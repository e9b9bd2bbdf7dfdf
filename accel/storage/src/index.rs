//! A sparse in-memory index of one segment: the file offset of every `INDEX_EVERY`-th record,
//! so a replay from the middle or the end of a large segment starts near its first record
//! instead of walking (and mapping) everything before it.

use crate::segment::SEGMENT_HEADER_BYTES;

pub(crate) const INDEX_EVERY: u64 = 128;

#[derive(Debug, Clone, Default)]
pub(crate) struct SparseIndex {
    /// `offsets[k]` is where record `base + k * INDEX_EVERY` starts.
    offsets: Vec<u64>,
}

impl SparseIndex {
    /// Records that record `seq` of the segment starting at `base` starts at `offset`. Called for
    /// every record in order; keeps one in `INDEX_EVERY`.
    #[inline]
    pub(crate) fn note(&mut self, base: u64, seq: u64, offset: u64) {
        if (seq - base).is_multiple_of(INDEX_EVERY) {
            self.offsets.push(offset);
        }
    }

    /// Forgets the records from `offset` on (they were cut off the file).
    pub(crate) fn forget_from(&mut self, offset: u64) {
        while self.offsets.last().is_some_and(|&last| last >= offset) {
            self.offsets.pop();
        }
    }

    /// The latest indexed record at or before `seq`: its sequence number and offset.
    pub(crate) fn seek(&self, base: u64, seq: u64) -> (u64, u64) {
        let wanted = seq.saturating_sub(base) / INDEX_EVERY;
        match self.offsets.len() as u64 {
            0 => (base, SEGMENT_HEADER_BYTES as u64),
            known => {
                let k = wanted.min(known - 1);
                (base + k * INDEX_EVERY, self.offsets[k as usize])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeks_to_the_latest_indexed_record_and_forgets_cut_ones() {
        let mut index = SparseIndex::default();
        let base = 1000;
        assert_eq!(index.seek(base, 5000), (base, 24));
        for i in 0..300u64 {
            index.note(base, base + i, 24 + i * 10);
        }
        assert_eq!(index.seek(base, base), (base, 24));
        assert_eq!(index.seek(base, base + 127), (base, 24));
        assert_eq!(index.seek(base, base + 128), (base + 128, 24 + 1280));
        assert_eq!(index.seek(base, base + 299), (base + 256, 24 + 2560));
        assert_eq!(index.seek(base, u64::MAX), (base + 256, 24 + 2560));
        index.forget_from(24 + 2000);
        assert_eq!(index.seek(base, base + 299), (base + 128, 24 + 1280));
        for i in 256..260u64 {
            index.note(base, base + i, 24 + i * 10);
        }
        assert_eq!(index.seek(base, base + 299), (base + 256, 24 + 2560));
    }
}

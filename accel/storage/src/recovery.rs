//! What `open` does to the event log: read the low-water mark, finish an interrupted prune, verify
//! every segment record by record, truncate a torn tail of the last segment (reported in
//! `Recovery`), and refuse (an error, never served) damage a crash cannot explain: a bad record
//! followed by valid ones, a bad sealed segment, a gap between segments.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;

use memmap2::Mmap;

use crate::error::StorageError;
use crate::fsutil::Dir;
use crate::index::SparseIndex;
use crate::record::{any_valid_record_after, read_record, RecordFault, RECORD_HEADER_BYTES};
use crate::segment::{check_header, create_segment, parse_segment_file_name, SEGMENT_HEADER_BYTES};
use crate::watermark::LowWaterMark;

/// What `open` found and repaired.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// The torn or garbled end of the last segment that was cut off, if any.
    pub truncated_tail: Option<TruncatedTail>,
    /// Segments wholly below the low-water mark left by an interrupted prune, now deleted.
    pub removed_segments: usize,
    /// Temp files of interrupted atomic writes (low-water mark, checkpoints), now deleted.
    pub removed_temp_files: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruncatedTail {
    pub segment: PathBuf,
    /// Where the segment now ends.
    pub offset: u64,
    /// How many bytes were cut off.
    pub bytes: u64,
}

/// A segment file and how many of its bytes hold verified records.
#[derive(Debug, Clone)]
pub(crate) struct SegmentMeta {
    pub base: u64,
    pub path: PathBuf,
    pub len: u64,
    pub index: SparseIndex,
}

pub(crate) struct RecoveredLog {
    pub sealed: Vec<SegmentMeta>,
    pub active: SegmentMeta,
    pub active_file: File,
    pub next_seq: u64,
    pub mark_file: LowWaterMark,
    pub recovery: Recovery,
}

pub(crate) fn recover(dir: &Dir) -> Result<RecoveredLog, StorageError> {
    let mut recovery = Recovery {
        removed_temp_files: dir.remove_temp_files(|name| name.starts_with('.'))?,
        ..Recovery::default()
    };
    let mark_file = LowWaterMark::open(dir)?;
    let low_water_mark = mark_file.get();
    let mut bases: Vec<u64> = dir
        .file_names()?
        .iter()
        .filter_map(|name| parse_segment_file_name(name))
        .collect();
    bases.sort_unstable();

    // A prune records the mark first, then deletes; finish what a crash interrupted.
    let below_mark = bases
        .windows(2)
        .take_while(|pair| pair[1] <= low_water_mark)
        .count();
    for &base in &bases[..below_mark] {
        remove_segment(dir, base)?;
    }
    recovery.removed_segments = below_mark;
    bases.drain(..below_mark);

    let mut sealed = Vec::with_capacity(bases.len());
    let mut next_seq = low_water_mark;
    let Some((&last_base, sealed_bases)) = bases.split_last() else {
        return start_log(dir, mark_file, recovery);
    };
    if bases[0] > low_water_mark {
        return Err(StorageError::CorruptLog {
            path: dir.join(&crate::segment::segment_file_name(bases[0])),
            offset: 0,
            reason: format!(
                "the log should hold records from {low_water_mark} (the low-water mark) but its first segment starts at {}",
                bases[0]
            ),
        });
    }
    for (position, &base) in sealed_bases.iter().enumerate() {
        let path = dir.join(&crate::segment::segment_file_name(base));
        let (len, end, index) = verify_sealed(&path, base)?;
        let next_base = bases[position + 1];
        if end != next_base {
            return Err(StorageError::CorruptLog {
                path,
                offset: len,
                reason: format!(
                    "the segment ends at record {end} but the next one starts at {next_base}"
                ),
            });
        }
        sealed.push(SegmentMeta {
            base,
            path,
            len,
            index,
        });
        next_seq = end;
    }
    let last_path = dir.join(&crate::segment::segment_file_name(last_base));
    let tail = recover_last(dir, &last_path, last_base)?;
    recovery.truncated_tail = tail.truncated;
    next_seq = next_seq.max(tail.end);
    if tail.end < low_water_mark {
        // Records after the last sync were lost but a prune had already moved the mark past
        // them: every segment is below the mark, start over at the mark so numbers are not reused.
        for meta in &sealed {
            remove_segment(dir, meta.base)?;
        }
        remove_segment(dir, last_base)?;
        return start_log(dir, mark_file, recovery);
    }
    Ok(RecoveredLog {
        sealed,
        active: SegmentMeta {
            base: last_base,
            path: last_path,
            len: tail.len,
            index: tail.index,
        },
        active_file: tail.file,
        next_seq,
        mark_file,
        recovery,
    })
}

/// A log with no segment yet (new, or everything lost below the mark): one empty segment at the
/// mark.
fn start_log(
    dir: &Dir,
    mark_file: LowWaterMark,
    recovery: Recovery,
) -> Result<RecoveredLog, StorageError> {
    let base = mark_file.get();
    let (path, file) = create_segment(dir, base)?;
    Ok(RecoveredLog {
        sealed: Vec::new(),
        active: SegmentMeta {
            base,
            path,
            len: SEGMENT_HEADER_BYTES as u64,
            index: SparseIndex::default(),
        },
        active_file: file,
        next_seq: base,
        mark_file,
        recovery,
    })
}

fn remove_segment(dir: &Dir, base: u64) -> Result<(), StorageError> {
    let path = dir.join(&crate::segment::segment_file_name(base));
    std::fs::remove_file(&path)
        .map_err(|e| StorageError::io("remove the pruned segment", &path, e))?;
    dir.sync()
}

fn map(file: &File, path: &PathBuf) -> Result<Option<Mmap>, StorageError> {
    let len = file
        .metadata()
        .map_err(|e| StorageError::io("stat", path, e))?
        .len();
    if len == 0 {
        return Ok(None);
    }
    // SAFETY: the engine holds rootDir's lock, so no other writer changes the file while mapped.
    unsafe { Mmap::map(file) }
        .map(Some)
        .map_err(|e| StorageError::io("map", path, e))
}

/// Verifies a sealed segment end to end; its length, the sequence number after its last record
/// and its index.
fn verify_sealed(path: &PathBuf, base: u64) -> Result<(u64, u64, SparseIndex), StorageError> {
    let file = File::open(path).map_err(|e| StorageError::io("open the segment", path, e))?;
    let map = map(&file, path)?;
    let data: &[u8] = map.as_deref().unwrap_or(&[]);
    let corrupt = |offset: usize, reason: String| StorageError::CorruptLog {
        path: path.clone(),
        offset: offset as u64,
        reason,
    };
    check_header(data, base).map_err(|reason| corrupt(0, reason))?;
    let walked = walk(data, base);
    if let Some(fault) = walked.fault {
        return Err(corrupt(
            walked.end_offset,
            format!("{} in a sealed segment", fault.describe(walked.end_seq)),
        ));
    }
    Ok((data.len() as u64, walked.end_seq, walked.index))
}

struct Walked {
    /// Where the valid records end.
    end_offset: usize,
    /// The sequence number after them.
    end_seq: u64,
    /// What stopped the walk before the end of the data, if anything.
    fault: Option<RecordFault>,
    index: SparseIndex,
}

/// Walks the verified records from the header on.
fn walk(data: &[u8], base: u64) -> Walked {
    let mut offset = SEGMENT_HEADER_BYTES;
    let mut seq = base;
    let mut index = SparseIndex::default();
    let mut fault = None;
    while offset < data.len() {
        match read_record(data, offset, seq, true) {
            Ok(record) => {
                index.note(base, seq, offset as u64);
                offset = record.end;
                seq += 1;
            }
            Err(found) => {
                fault = Some(found);
                break;
            }
        }
    }
    Walked {
        end_offset: offset,
        end_seq: seq,
        fault,
        index,
    }
}

struct LastSegment {
    file: File,
    len: u64,
    end: u64,
    index: SparseIndex,
    truncated: Option<TruncatedTail>,
}

/// Verifies the last segment, cutting off a torn tail (a crash mid-append) and refusing damage
/// with valid records after it.
fn recover_last(dir: &Dir, path: &PathBuf, base: u64) -> Result<LastSegment, StorageError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| StorageError::io("open the segment", path, e))?;
    let map = map(&file, path)?;
    let data: &[u8] = map.as_deref().unwrap_or(&[]);
    if let Err(reason) = check_header(data, base) {
        if data.len() > SEGMENT_HEADER_BYTES {
            return Err(StorageError::CorruptLog {
                path: path.clone(),
                offset: 0,
                reason,
            });
        }
        // A crash while the segment was being created: it holds no record, write it again.
        let torn_bytes = data.len() as u64;
        drop(map);
        drop(file);
        let (_, file) = create_segment(dir, base)?;
        return Ok(LastSegment {
            file,
            len: SEGMENT_HEADER_BYTES as u64,
            end: base,
            index: SparseIndex::default(),
            truncated: Some(TruncatedTail {
                segment: path.clone(),
                offset: 0,
                bytes: torn_bytes,
            }),
        });
    }
    let Walked {
        end_offset: valid_len,
        end_seq: end,
        fault,
        index,
    } = walk(data, base);
    let Some(fault) = fault else {
        return Ok(LastSegment {
            file,
            len: valid_len as u64,
            end,
            index,
            truncated: None,
        });
    };
    let later = match fault {
        RecordFault::Sequence { found } => Some((valid_len, found)),
        _ => {
            let most_records = ((data.len() - valid_len) / RECORD_HEADER_BYTES) as u64;
            any_valid_record_after(data, valid_len + 1, end..=end.saturating_add(most_records))
        }
    };
    if let Some((offset, seq)) = later {
        return Err(StorageError::CorruptLog {
            path: path.clone(),
            offset: valid_len as u64,
            reason: format!(
                "{}, yet a valid record ({seq}) follows at byte {offset}: damage in the middle of the log",
                fault.describe(end)
            ),
        });
    }
    let cut = (data.len() - valid_len) as u64;
    drop(map);
    file.set_len(valid_len as u64)
        .and_then(|()| file.sync_data())
        .map_err(|e| StorageError::io("truncate the torn tail of", path, e))?;
    Ok(LastSegment {
        file,
        len: valid_len as u64,
        end,
        index,
        truncated: Some(TruncatedTail {
            segment: path.clone(),
            offset: valid_len as u64,
            bytes: cut,
        }),
    })
}

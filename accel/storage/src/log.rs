//! The event log at run time: appends with group commit, replay, prune.
//!
//! Group commit, leader/follower: an append writes its records under the state lock (a `pwrite`
//! into the page cache), then waits until a sync covers them. If no sync is running, the appender
//! itself becomes the leader: it releases the lock, runs `fdatasync`, and on return marks
//! everything written before the sync began as durable, waking the followers. Appends arriving
//! while a sync runs write and wait; the next leader covers them all with one sync. A lone append
//! therefore does exactly one write and one fdatasync on its own thread.
//!
//! Async appends (`append_then`) write the same way on the caller's thread but never wait: their
//! callbacks queue here and run from whichever thread completes the covering sync (a leader, or
//! the committer thread, which leads a sync whenever callbacks are queued and none is running).
//!
//! Gathering: when other threads are inside `append` but have not written into the coming sync's
//! batch yet (typically followers just woken by the previous sync, about to append again), the
//! leader yields briefly (at most `MAX_GATHER`) so they can join it; otherwise the leader's own
//! next append would start a sync of one record while the others queue behind it. A lone
//! appender never waits here.
//!
//! Replay serves durable records only: an async append's event shows once its callback could
//! run, never while a crash could still take it away. Every blocking append has returned only
//! once durable, so its caller's next replay sees it.
//!
//! A failed sync leaves the unsynced records in doubt, so they are cut off (truncate back to the
//! last durable offset), their appends fail, and numbering resumes after the last durable record.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use memmap2::MmapOptions;

use crate::error::StorageError;
use crate::fsutil::Dir;
use crate::index::SparseIndex;
use crate::record::{encode_record, read_record, record_bytes, MAX_EVENT_BYTES};
use crate::recovery::{RecoveredLog, SegmentMeta};
use crate::segment::{create_segment, SEGMENT_HEADER_BYTES};
use crate::watermark::LowWaterMark;

/// Called once with the outcome of an async append: its first sequence number once durable.
pub type AppendDone = Box<dyn FnOnce(Result<u64, StorageError>) + Send + 'static>;

/// The encode buffer is kept between appends unless a big batch grew it past this.
const KEPT_SCRATCH_BYTES: usize = 1 << 20;
/// Memory maps start at page boundaries (4 KiB on the platforms this runs on; larger pages are
/// multiples of it, and mapping offsets need only be multiples of the base page size).
const PAGE_BYTES: u64 = 4096;
/// The longest a leader waits for other appenders to join its sync (about one fdatasync).
const MAX_GATHER: Duration = Duration::from_micros(200);

struct ActiveSegment {
    base: u64,
    path: PathBuf,
    file: Arc<File>,
    /// Bytes written (header included); records past `durable_len` may not be on disk yet.
    len: u64,
    index: SparseIndex,
}

/// An append's records: `first..end`, written in `epoch`.
#[derive(Clone, Copy)]
struct Ticket {
    first: u64,
    end: u64,
    epoch: u64,
}

struct QueuedCallback {
    ticket: Ticket,
    done: AppendDone,
}

/// A failed sync that cut off every record from `durable` on and started epoch `epoch_after`.
struct Discard {
    epoch_after: u64,
    durable: u64,
    error: StorageError,
}

struct LogState {
    sealed: Vec<SegmentMeta>,
    active: ActiveSegment,
    next_seq: u64,
    durable_seq: u64,
    durable_len: u64,
    syncing: bool,
    epoch: u64,
    discards: Vec<Discard>,
    /// Set when a repair failed: the file no longer matches the state, so appends are refused.
    broken: Option<StorageError>,
    low_water_mark: u64,
    callbacks: Vec<QueuedCallback>,
    /// Blocking appends that wrote into the batch the next sync will cover.
    batch_writers: usize,
    /// Appenders waiting for a sync before they can write (a roll-over): a gathering leader
    /// must not wait for them.
    stalled_appenders: usize,
    scratch: Vec<u8>,
    shutdown: bool,
}

impl LogState {
    /// Whether the active segment holds records and every one of them is below the low-water
    /// mark (after a prune of everything): then it is deleted rather than sealed.
    fn active_is_pruned(&self) -> bool {
        self.active.base < self.next_seq && self.low_water_mark >= self.next_seq
    }

    /// The outcome of the append behind `ticket`, once known.
    fn outcome(&self, ticket: Ticket) -> Option<Result<u64, StorageError>> {
        if ticket.epoch != self.epoch {
            let discard = self
                .discards
                .iter()
                .find(|d| d.epoch_after > ticket.epoch)
                .expect("an epoch only changes with a recorded discard");
            return Some(if ticket.end <= discard.durable {
                Ok(ticket.first)
            } else {
                Err(discard.error.clone())
            });
        }
        (self.durable_seq >= ticket.end).then_some(Ok(ticket.first))
    }
}

pub(crate) struct EventLog {
    dir: Dir,
    segment_bytes: u64,
    state: Mutex<LogState>,
    /// Woken whenever a sync ends.
    synced: Condvar,
    /// Wakes the committer thread: callbacks queued, or shutdown.
    committer_wake: Condvar,
    /// Replays hold it shared while they read files; cutting or deleting files holds it exclusive.
    /// Taken while holding `state`, never the other way round.
    files: RwLock<()>,
    /// Held for a whole prune, so prunes run one at a time.
    mark_file: Mutex<LowWaterMark>,
    /// Threads inside a blocking `append` (from entry to return).
    in_append: AtomicUsize,
    /// Set while a leader gathers: appenders then signal `joined` when they write or leave.
    gathering: AtomicBool,
    joined: Condvar,
    syncs: AtomicU64,
}

/// Counts a thread in `EventLog::in_append` while it lives.
struct InAppend<'a>(&'a EventLog);

impl<'a> InAppend<'a> {
    fn enter(log: &'a EventLog) -> InAppend<'a> {
        log.in_append.fetch_add(1, Ordering::SeqCst);
        InAppend(log)
    }
}

impl Drop for InAppend<'_> {
    fn drop(&mut self) {
        let log = self.0;
        log.in_append.fetch_sub(1, Ordering::SeqCst);
        if log.gathering.load(Ordering::SeqCst) {
            // Under the lock, so the gatherer cannot miss it between its check and its wait.
            let _state = log.lock();
            log.joined.notify_one();
        }
    }
}

fn check_sizes(events: &[&[u8]]) -> Result<(), StorageError> {
    match events.iter().find(|e| e.len() as u64 > MAX_EVENT_BYTES) {
        Some(big) => Err(StorageError::EventTooLarge {
            bytes: big.len() as u64,
        }),
        None => Ok(()),
    }
}

impl EventLog {
    pub(crate) fn new(dir: Dir, recovered: RecoveredLog, segment_bytes: u64) -> EventLog {
        let low_water_mark = recovered.mark_file.get();
        let active = ActiveSegment {
            base: recovered.active.base,
            path: recovered.active.path,
            file: Arc::new(recovered.active_file),
            len: recovered.active.len,
            index: recovered.active.index,
        };
        let state = LogState {
            sealed: recovered.sealed,
            durable_len: active.len,
            active,
            next_seq: recovered.next_seq,
            durable_seq: recovered.next_seq,
            syncing: false,
            epoch: 0,
            discards: Vec::new(),
            broken: None,
            low_water_mark,
            callbacks: Vec::new(),
            batch_writers: 0,
            stalled_appenders: 0,
            scratch: Vec::new(),
            shutdown: false,
        };
        EventLog {
            dir,
            segment_bytes,
            state: Mutex::new(state),
            synced: Condvar::new(),
            committer_wake: Condvar::new(),
            files: RwLock::new(()),
            mark_file: Mutex::new(recovered.mark_file),
            in_append: AtomicUsize::new(0),
            gathering: AtomicBool::new(false),
            joined: Condvar::new(),
            syncs: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, LogState> {
        // A panic while holding the lock cannot leave the state half-updated in a way that
        // matters more than refusing service would; keep going.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn next_sequence(&self) -> u64 {
        self.lock().next_seq
    }

    /// How many fdatasyncs of segments appends have run so far.
    pub(crate) fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }

    pub(crate) fn low_water_mark(&self) -> u64 {
        self.lock().low_water_mark
    }

    /// Appends `events` durably; the first one's sequence number.
    pub(crate) fn append(&self, events: &[&[u8]]) -> Result<u64, StorageError> {
        check_sizes(events)?;
        let _counted = InAppend::enter(self);
        let state = self.lock();
        if events.is_empty() {
            return Ok(state.next_seq);
        }
        let (mut state, ticket) = self.write(state, events)?;
        state.batch_writers += 1;
        if self.gathering.load(Ordering::SeqCst) {
            self.joined.notify_one();
        }
        loop {
            if let Some(outcome) = state.outcome(ticket) {
                return outcome;
            }
            state = if state.syncing {
                self.wait_for_sync(state)
            } else {
                self.lead_sync(state, true)
            };
        }
    }

    /// Writes `events` now (so their numbers follow every earlier call's) and calls `done` once
    /// they are durable, from the thread that completes the sync.
    pub(crate) fn append_then(&self, events: &[&[u8]], done: AppendDone) {
        if let Err(error) = check_sizes(events) {
            return done(Err(error));
        }
        let state = self.lock();
        if events.is_empty() {
            let next = state.next_seq;
            drop(state);
            return done(Ok(next));
        }
        match self.write(state, events) {
            Ok((mut state, ticket)) => {
                state.callbacks.push(QueuedCallback { ticket, done });
                if !state.syncing {
                    self.committer_wake.notify_one();
                }
            }
            Err(error) => done(Err(error)),
        }
    }

    /// Writes the records of `events` at the end of the active segment (rolling over first when it
    /// is full). On failure nothing of them remains in the file.
    fn write<'a>(
        &'a self,
        mut state: MutexGuard<'a, LogState>,
        events: &[&[u8]],
    ) -> Result<(MutexGuard<'a, LogState>, Ticket), StorageError> {
        if let Some(error) = &state.broken {
            return Err(error.clone());
        }
        let bytes: u64 = events.iter().map(|e| record_bytes(e.len()) as u64).sum();
        let full = state.active.len > SEGMENT_HEADER_BYTES as u64
            && state.active.len + bytes > self.segment_bytes;
        if full || state.active_is_pruned() {
            state = self.roll_over(state)?;
        }
        let first = state.next_seq;
        let mut buffer = std::mem::take(&mut state.scratch);
        buffer.clear();
        let offset = state.active.len;
        let base = state.active.base;
        for (i, event) in events.iter().enumerate() {
            let seq = first + i as u64;
            state
                .active
                .index
                .note(base, seq, offset + buffer.len() as u64);
            encode_record(&mut buffer, seq, event);
        }
        let written = state.active.file.write_all_at(&buffer, offset);
        if buffer.capacity() <= KEPT_SCRATCH_BYTES {
            state.scratch = buffer;
        }
        if let Err(error) = written {
            state.active.index.forget_from(offset);
            // Cut off whatever part of the records reached the file, so the next append starts
            // at a record boundary.
            if let Err(cut) = state.active.file.set_len(offset) {
                state.broken = Some(StorageError::Unusable {
                    reason: format!(
                        "after a failed append, {} could not be cut back to {offset} bytes ({cut}); reopen the store to repair it",
                        state.active.path.display()
                    ),
                });
            }
            return Err(StorageError::io("append to", &state.active.path, error));
        }
        state.active.len += bytes;
        state.next_seq += events.len() as u64;
        let ticket = Ticket {
            first,
            end: state.next_seq,
            epoch: state.epoch,
        };
        Ok((state, ticket))
    }

    /// Seals the active segment (once everything in it is durable) and starts the next one. An
    /// active segment wholly below the low-water mark is deleted instead, before the next one is
    /// created (on a full disk that frees the room the new one needs).
    fn roll_over<'a>(
        &'a self,
        mut state: MutexGuard<'a, LogState>,
    ) -> Result<MutexGuard<'a, LogState>, StorageError> {
        state.stalled_appenders += 1;
        if self.gathering.load(Ordering::SeqCst) {
            self.joined.notify_one();
        }
        let waited = self.wait_all_durable(state);
        let mut state = match waited {
            Ok(state) => state,
            Err(error) => {
                self.lock().stalled_appenders -= 1;
                return Err(error);
            }
        };
        state.stalled_appenders -= 1;
        let retire = state.active_is_pruned();
        if retire {
            remove_pruned_segment(&self.dir, &state.active.path)?;
        }
        let base = state.next_seq;
        let (path, file) = create_segment(&self.dir, base)?;
        let new_active = ActiveSegment {
            base,
            path,
            file: Arc::new(file),
            len: SEGMENT_HEADER_BYTES as u64,
            index: SparseIndex::default(),
        };
        let old = std::mem::replace(&mut state.active, new_active);
        if !retire {
            state.sealed.push(SegmentMeta {
                base: old.base,
                path: old.path,
                len: old.len,
                index: old.index,
            });
        }
        state.durable_len = SEGMENT_HEADER_BYTES as u64;
        Ok(state)
    }

    fn wait_all_durable<'a>(
        &'a self,
        mut state: MutexGuard<'a, LogState>,
    ) -> Result<MutexGuard<'a, LogState>, StorageError> {
        loop {
            if let Some(error) = &state.broken {
                return Err(error.clone());
            }
            if state.durable_seq >= state.next_seq && !state.syncing {
                return Ok(state);
            }
            state = self.sync_or_wait(state);
        }
    }

    /// Leads a sync when none runs, else waits for the running one to end.
    fn sync_or_wait<'a>(&'a self, state: MutexGuard<'a, LogState>) -> MutexGuard<'a, LogState> {
        if state.syncing {
            self.wait_for_sync(state)
        } else {
            self.lead_sync(state, false)
        }
    }

    fn wait_for_sync<'a>(&'a self, state: MutexGuard<'a, LogState>) -> MutexGuard<'a, LogState> {
        self.synced
            .wait(state)
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Lets appenders that are about to write join the coming sync (see the module comment).
    fn gather<'a>(&'a self, mut state: MutexGuard<'a, LogState>) -> MutexGuard<'a, LogState> {
        let joined = |state: &LogState| state.batch_writers + state.stalled_appenders;
        if self.in_append.load(Ordering::SeqCst) <= joined(&state) {
            return state;
        }
        let deadline = Instant::now() + MAX_GATHER;
        self.gathering.store(true, Ordering::SeqCst);
        while self.in_append.load(Ordering::SeqCst) > joined(&state) {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            state = self
                .joined
                .wait_timeout(state, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        self.gathering.store(false, Ordering::SeqCst);
        state
    }

    /// One fdatasync of the active segment, covering everything written before it starts; with
    /// `gather`, first lets other appenders join.
    fn lead_sync<'a>(
        &'a self,
        mut state: MutexGuard<'a, LogState>,
        gather: bool,
    ) -> MutexGuard<'a, LogState> {
        state.syncing = true;
        if gather {
            state = self.gather(state);
        }
        state.batch_writers = 0;
        let file = Arc::clone(&state.active.file);
        let (target_seq, target_len, epoch) = (state.next_seq, state.active.len, state.epoch);
        drop(state);
        let result = file.sync_data();
        self.syncs.fetch_add(1, Ordering::Relaxed);
        let mut state = self.lock();
        state.syncing = false;
        // A roll-over waits for syncs to end, so the active file is still the one synced.
        let covers_new_records = state.epoch == epoch && target_seq > state.durable_seq;
        match result {
            Ok(()) if covers_new_records => {
                state.durable_seq = target_seq;
                state.durable_len = target_len;
            }
            Err(error) if covers_new_records => {
                let error = StorageError::io("fdatasync", &state.active.path, error);
                self.discard_unsynced(&mut state, error);
            }
            _ => {}
        }
        self.synced.notify_all();
        let ready = take_ready_callbacks(&mut state);
        if !state.callbacks.is_empty() {
            self.committer_wake.notify_one();
        }
        if ready.is_empty() {
            return state;
        }
        drop(state);
        for (done, outcome) in ready {
            // A panicking callback must not take the committer (or a leader's caller) down.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| done(outcome)));
        }
        self.lock()
    }

    /// Cuts off every record written after the last successful sync (see the module comment).
    fn discard_unsynced(&self, state: &mut LogState, error: StorageError) {
        let _exclusive = self.files.write().unwrap_or_else(|p| p.into_inner());
        let durable_len = state.durable_len;
        if let Err(cut) = state.active.file.set_len(durable_len) {
            state.broken = Some(StorageError::Unusable {
                reason: format!(
                    "after a failed fdatasync ({error}), {} could not be cut back to {durable_len} bytes ({cut}); reopen the store to repair it",
                    state.active.path.display()
                ),
            });
        }
        state.active.len = durable_len;
        state.active.index.forget_from(durable_len);
        state.next_seq = state.durable_seq;
        state.epoch += 1;
        let (epoch_after, durable) = (state.epoch, state.durable_seq);
        state.discards.push(Discard {
            epoch_after,
            durable,
            error,
        });
    }

    /// The committer thread's loop: lead a sync whenever async callbacks wait and none runs.
    pub(crate) fn run_committer(&self) {
        let mut state = self.lock();
        loop {
            if !state.callbacks.is_empty() && !state.syncing {
                state = self.lead_sync(state, false);
                continue;
            }
            if state.shutdown && state.callbacks.is_empty() {
                return;
            }
            state = self
                .committer_wake
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Asks the committer thread to finish once every queued callback has run.
    pub(crate) fn stop_committer(&self) {
        self.lock().shutdown = true;
        self.committer_wake.notify_all();
    }

    /// Makes every written record durable (used by close).
    pub(crate) fn flush(&self) -> Result<(), StorageError> {
        self.wait_all_durable(self.lock()).map(drop)
    }

    /// Calls `visit` with each durable event from `max(from, low-water mark)` on, in order, at
    /// most `limit`, each checksum verified first; how many it visited.
    pub(crate) fn replay_with(
        &self,
        from: u64,
        limit: Option<u64>,
        visit: &mut dyn FnMut(&[u8]),
    ) -> Result<u64, StorageError> {
        let state = self.lock();
        let start = from.max(state.low_water_mark);
        // Never an event that is not durable yet (an async append in flight): a crash could still
        // take it away after the caller acted on it.
        let end = state.durable_seq;
        if start >= end || limit == Some(0) {
            return Ok(0);
        }
        let stop = start + limit.unwrap_or(u64::MAX).min(end - start);
        let pieces = pieces_covering(&state, start, stop);
        let _shared = self.files.read().unwrap_or_else(|p| p.into_inner());
        drop(state);
        let mut visited = 0;
        let mut last_path = PathBuf::new();
        for piece in pieces {
            visited += piece.visit(start, stop, visit)?;
            last_path = piece.path;
        }
        if visited != stop - start {
            return Err(StorageError::CorruptLog {
                path: last_path,
                offset: 0,
                reason: format!(
                    "records {start}..{stop} should be in the log, but only {visited} were found"
                ),
            });
        }
        Ok(visited)
    }

    /// Makes every sequence number below `before` unavailable, durably; how many became so.
    /// The mark is stored first (in place: no new disk space needed), then the segments wholly
    /// below it are deleted, the active one included (it is replaced by an empty one).
    pub(crate) fn prune(&self, before: u64) -> Result<u64, StorageError> {
        let mut mark_file = self.mark_file.lock().unwrap_or_else(|p| p.into_inner());
        let (old_mark, end) = {
            let state = self.lock();
            (state.low_water_mark, state.next_seq)
        };
        if before > end {
            return Err(StorageError::PruneBeyondEnd { before, end });
        }
        if before <= old_mark {
            return Ok(0);
        }
        mark_file.set(before)?;
        let doomed = {
            let mut state = self.lock();
            state.low_water_mark = before;
            let successor_bases = state
                .sealed
                .iter()
                .skip(1)
                .map(|s| s.base)
                .chain([state.active.base])
                .take(state.sealed.len());
            let below = successor_bases.take_while(|&next| next <= before).count();
            state.sealed.drain(..below).collect::<Vec<_>>()
        };
        if !doomed.is_empty() {
            let _exclusive = self.files.write().unwrap_or_else(|p| p.into_inner());
            for segment in &doomed {
                std::fs::remove_file(&segment.path)
                    .map_err(|e| StorageError::io("remove the pruned segment", &segment.path, e))?;
            }
            self.dir.sync()?;
        }
        let state = self.lock();
        if state.active_is_pruned() {
            drop(self.roll_over(state)?);
        }
        Ok(before - old_mark)
    }
}

/// Deletes the file of a segment wholly below the low-water mark (already gone is fine: an
/// earlier attempt deleted it but could not create its successor).
fn remove_pruned_segment(dir: &Dir, path: &Path) -> Result<(), StorageError> {
    match std::fs::remove_file(path) {
        Ok(()) => dir.sync(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StorageError::io("remove the pruned segment", path, e)),
    }
}

fn take_ready_callbacks(state: &mut LogState) -> Vec<(AppendDone, Result<u64, StorageError>)> {
    if state.callbacks.is_empty() {
        return Vec::new();
    }
    let mut ready = Vec::new();
    let mut still_waiting = Vec::new();
    for queued in std::mem::take(&mut state.callbacks) {
        match state.outcome(queued.ticket) {
            Some(outcome) => ready.push((queued.done, outcome)),
            None => still_waiting.push(queued),
        }
    }
    state.callbacks = still_waiting;
    ready
}

/// The part of one segment a replay reads.
struct ReplayPiece {
    path: PathBuf,
    /// The first record to read (at or before the replay's start) and its offset.
    from_seq: u64,
    from_offset: u64,
    len: u64,
    /// The active segment's open file; sealed ones are opened by path.
    file: Option<Arc<File>>,
}

fn pieces_covering(state: &LogState, start: u64, stop: u64) -> Vec<ReplayPiece> {
    let sealed = state
        .sealed
        .iter()
        .map(|s| (s.base, &s.path, s.len, &s.index, None));
    let active = &state.active;
    let all: Vec<_> = sealed
        .chain([(
            active.base,
            &active.path,
            active.len,
            &active.index,
            Some(&active.file),
        )])
        .collect();
    let first = all
        .partition_point(|piece| piece.0 <= start)
        .saturating_sub(1);
    all[first..]
        .iter()
        .take_while(|piece| piece.0 < stop)
        .map(|&(base, path, len, index, file)| {
            let (from_seq, from_offset) = index.seek(base, start);
            ReplayPiece {
                path: path.clone(),
                from_seq,
                from_offset,
                len,
                file: file.cloned(),
            }
        })
        .collect()
}

impl ReplayPiece {
    /// Visits this segment's events in `start..stop`, verifying each one's checksum; how many.
    fn visit(
        &self,
        start: u64,
        stop: u64,
        visit: &mut dyn FnMut(&[u8]),
    ) -> Result<u64, StorageError> {
        let opened;
        let file = match &self.file {
            Some(file) => file.as_ref(),
            None => {
                opened = File::open(&self.path)
                    .map_err(|e| StorageError::io("open the segment", &self.path, e))?;
                &opened
            }
        };
        // Map from the page holding the first record to read.
        let map_start = self.from_offset & !(PAGE_BYTES - 1);
        // SAFETY: only bytes the engine wrote and no longer changes are mapped; cutting a file
        // back (failed sync) or deleting it waits for the shared `files` lock replays hold.
        let map = unsafe {
            MmapOptions::new()
                .offset(map_start)
                .len((self.len - map_start) as usize)
                .map(file)
        }
        .map_err(|e| StorageError::io("map the segment", &self.path, e))?;
        let data = &map[..];
        let corrupt = |offset: usize, reason: String| StorageError::CorruptLog {
            path: self.path.clone(),
            offset: map_start + offset as u64,
            reason,
        };
        let mut offset = (self.from_offset - map_start) as usize;
        let mut seq = self.from_seq;
        let mut visited = 0;
        while seq < stop && offset < data.len() {
            let wanted = seq >= start;
            let record = read_record(data, offset, seq, wanted)
                .map_err(|fault| corrupt(offset, fault.describe(seq)))?;
            if wanted {
                visit(record.payload);
                visited += 1;
            }
            offset = record.end;
            seq += 1;
        }
        Ok(visited)
    }
}

/**
 * A sequence number or count: a bigint from 0 to 2^64 - 1, or a non-negative safe-integer number
 * (up to 2^53 - 1; anything else is a RangeError). Results are always bigints.
 */
export type Sequence = bigint | number;

/** A torn or garbled tail the engine cut off when it opened the log. */
export interface TruncatedTail {
  /** The segment file it was in. */
  segment: string;
  /** The byte offset the segment was truncated to. */
  offset: number;
  /** How many bytes were cut off. */
  bytes: number;
}

/** What opening the store found and repaired. */
export interface Recovery {
  truncatedTail: TruncatedTail | null;
  /** Segments wholly below the low-water mark, left by an interrupted prune, now deleted. */
  removedSegments: number;
  /** Temp files of interrupted atomic writes, now deleted. */
  removedTempFiles: number;
}

export interface OpenOptions {
  /** The size at which the log starts a new segment file (default: the engine's, 64 MiB). */
  segmentBytes?: number;
}

/**
 * An append-only event log and a checkpoint store in `rootDir`, on the native engine.
 *
 * - Sequence numbers start at 0, grow by 1 per event and are never reused (not after prune, nor
 *   after close and reopen).
 * - Every append is durable when it returns (or its promise resolves); concurrent appends share
 *   one sync (group commit).
 * - One StorageEngine per rootDir at a time, across processes (an OS file lock): a second opener,
 *   in this process or another, gets an error naming the holder's pid.
 *
 * Bad arguments throw a TypeError (wrong type) or RangeError (a number out of range, an event of
 * 4 GiB or more); what the engine refuses (an invalid checkpoint id, pruning the future, disk
 * errors) is an Error whose message names the problem. The async variants reject instead.
 */
export class StorageEngine {
  /**
   * Opens (creating it, parents too, when missing) the store in `rootDir`, repairing a torn tail.
   * @throws Error when no native binding loads (the message lists every path checked), when
   *   another StorageEngine holds rootDir, or when rootDir cannot be created or written.
   */
  constructor(rootDir: string, options?: OpenOptions);
  /** The absolute rootDir. */
  readonly rootDir: string;
  /** What opening found and repaired. */
  readonly recovery: Recovery;
  /** The sequence number the next append gets. */
  readonly nextSequence: bigint;
  /** The first sequence number not pruned. */
  readonly lowWaterMark: bigint;

  /** Appends one event (empty allowed, at most 4 GiB - 1 bytes); returns its sequence number once durable. */
  appendEvent(data: Uint8Array): bigint;
  /** Appends the events in order with one sync; returns the first one's sequence number (the next one for []). */
  appendEvents(events: readonly Uint8Array[]): bigint;
  /**
   * The available events with sequence number >= `from`, in order, at most `limit` of them
   * (all when absent or null; none for 0). `from` beyond the end gives []. Pruned events are
   * skipped. The arrays of one call are views of one shared ArrayBuffer.
   */
  replayEvents(from: Sequence, limit?: Sequence | null): Uint8Array[];
  /**
   * Makes every event before `before` unavailable, durably; returns how many became unavailable
   * (0 when they already were). Pruning past the end of the log is an error.
   */
  pruneEvents(before: Sequence): bigint;
  /**
   * Stores `data` (zstd-compressed, checksummed, atomically replacing any checkpoint of that id).
   * Ids are 1 to 200 UTF-8 bytes without '/', '\\', ':' or control characters, not starting with
   * '.', not ending with '.' or ' ', and not a Windows device name (CON, NUL, COM1, ...).
   */
  saveCheckpoint(id: string, data: Uint8Array): void;
  /** The checkpoint's bytes, or null when there is none of that id. */
  loadCheckpoint(id: string): Uint8Array | null;
  /** Removes the checkpoint; false when there was none. */
  deleteCheckpoint(id: string): boolean;

  /** `appendEvent` without blocking the JS thread; pending appends share syncs. */
  appendEventAsync(data: Uint8Array): Promise<bigint>;
  /** `appendEvents` without blocking the JS thread. */
  appendEventsAsync(events: readonly Uint8Array[]): Promise<bigint>;
  /** `replayEvents` on the thread pool; it sees at least every append that completed before the call. */
  replayEventsAsync(from: Sequence, limit?: Sequence | null): Promise<Uint8Array[]>;
  /** `saveCheckpoint` on the thread pool. */
  saveCheckpointAsync(id: string, data: Uint8Array): Promise<void>;
  /** `loadCheckpoint` on the thread pool. */
  loadCheckpointAsync(id: string): Promise<Uint8Array | null>;

  /**
   * Waits for operations in flight, then releases rootDir and its lock. Every later call throws
   * (async ones reject). Closing twice does nothing.
   */
  close(): void;
}

/** Whether the native binding loaded (so that `new StorageEngine()` can work). */
export function isNativeStorageEngineAvailable(): boolean;

/** Which implementation runs, from where, and why. */
export function describeBinding(): {
  implementation: 'native' | 'unavailable';
  path: string | null;
  /** Every path the loader probed. */
  checked: string[];
  reason: string;
};

import type { Recovery, StorageEngine as NativeBackedStorageEngine } from './index.js';

/**
 * The in-memory reference engine: the same API and observable results as the native engine, the
 * oracle the tests compare it with. State lives per resolved rootDir for the life of the process
 * (close and reopen find it again); nothing touches the file system. Not a fallback.
 */
export declare class StorageEngine extends NativeBackedStorageEngine {}

/** What the reference reports as repaired on open: nothing. */
export declare const NOTHING_REPAIRED: Recovery;

/** Why `id` cannot name a checkpoint, or null when it can. */
export declare function checkpointIdProblem(id: string): string | null;

/** The engine's error for an id `checkpointIdProblem` rejects. */
export declare function invalidIdError(id: string, problem: string): Error;

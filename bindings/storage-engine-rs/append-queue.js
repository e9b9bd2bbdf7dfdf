// Async appends made in one turn of the event loop reach the engine as one batch: one write, one
// completion crossing back to JavaScript, and all of them in the same group commit. Without this,
// the engine's committer starts a sync on the first append of a turn, and the others (still being
// made on the JS thread) wait for the next one: about half the throughput with 8 writers.

export class AppendQueue {
  #submit;
  #batch = null;

  /** `submit(events)` hands a batch to the engine and returns a promise of its first number. */
  constructor(submit) {
    this.#submit = submit;
  }

  /**
   * Queues `events` (already checked; copied here, so that later changes to them do not matter)
   * and returns a promise of the first one's sequence number.
   */
  add(events) {
    let batch = this.#batch;
    if (batch === null) {
      batch = this.#batch = newBatch();
      queueMicrotask(() => this.flush());
    }
    const offset = BigInt(batch.events.length);
    for (const event of events) batch.events.push(event.slice());
    return batch.first.then((first) => first + offset);
  }

  /** Hands the queued batch to the engine now: before any call that must come after it. */
  flush() {
    const batch = this.#batch;
    if (batch === null) return;
    this.#batch = null;
    let submitted;
    try {
      submitted = this.#submit(batch.events);
    } catch (error) {
      batch.reject(error);
      return;
    }
    submitted.then(batch.resolve, batch.reject);
  }
}

function newBatch() {
  const batch = { events: [] };
  batch.first = new Promise((resolve, reject) => {
    batch.resolve = resolve;
    batch.reject = reject;
  });
  return batch;
}

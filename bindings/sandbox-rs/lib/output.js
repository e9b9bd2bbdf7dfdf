// Output capture shared by the JS executors (process, docker): keeps at most `limit` bytes of a
// stream, drains the rest (so the child never blocks on a full pipe), and says whether it cut.

export class CappedOutput {
  #chunks = [];
  #kept = 0;
  #limit;
  truncated = false;

  /** `limit`: bytes to keep, or null for no cap. */
  constructor(limit) {
    this.#limit = limit;
  }

  push(chunk) {
    if (this.#limit === null) {
      this.#chunks.push(chunk);
      return;
    }
    const room = this.#limit - this.#kept;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(kept);
    this.#kept += kept.length;
  }

  bytes() {
    return Buffer.concat(this.#chunks);
  }
}

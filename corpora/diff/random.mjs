// A small seeded PRNG (sfc32, seeded through a string hash) so the corpora are identical on every
// machine and every Node version: Math.random is never used.

/** FNV-1a over the UTF-16 code units of `text`, used only to turn a seed name into 32 bits. */
function hashSeed(text, salt) {
  let hash = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class Random {
  /** @param {string} seed any string; the same seed always yields the same sequence */
  constructor(seed) {
    this.a = hashSeed(seed, 0x1);
    this.b = hashSeed(seed, 0x2);
    this.c = hashSeed(seed, 0x3);
    this.d = 1;
    for (let i = 0; i < 16; i++) this.nextUint32();
  }

  nextUint32() {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** An integer in [min, max], both inclusive. */
  int(min, max) {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`Random.int: bad range [${min}, ${max}]`);
    }
    const span = max - min + 1;
    // Rejection sampling keeps the distribution exact for any span up to 2^32.
    const limit = Math.floor(0x100000000 / span) * span;
    let value;
    do {
      value = this.nextUint32();
    } while (value >= limit);
    return min + (value % span);
  }

  /** True with probability `p`. */
  chance(p) {
    return this.nextUint32() < p * 0x100000000;
  }

  pick(items) {
    if (items.length === 0) throw new RangeError('Random.pick: no items');
    return items[this.int(0, items.length - 1)];
  }

  /** A Fisher-Yates shuffled copy. */
  shuffled(items) {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

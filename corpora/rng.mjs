// A small deterministic PRNG (mulberry32) for tests and benches, so that every random input can
// be replayed from its seed: `random()` in [0, 1), `random.int(n)`, `random.pick(items)`.
// (The diff corpora keep their own sfc32 generator in corpora/diff/random.mjs: their recordings
// depend on its exact sequence.)
export function rng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (items) => items[next.int(items.length)];
  return next;
}

/** Seeded PRNG for tests (mulberry32): reproducible data without Math.random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box-Muller from a uniform source. */
export function normal(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** A categorical draw with the given probabilities. */
export function categorical(
  rand: () => number,
  labels: readonly string[],
  probs: readonly number[],
): () => string {
  return () => {
    let u = rand();
    for (let i = 0; i < labels.length; i++) {
      u -= probs[i] ?? 0;
      if (u < 0) return labels[i] ?? '';
    }
    return labels[labels.length - 1] ?? '';
  };
}

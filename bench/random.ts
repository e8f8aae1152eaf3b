/** Seeded uniform PRNG on [0, 1) (mulberry32): the generated data is reproducible without Math.random. */
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

/** Standard normal draws by Box-Muller (cosine branch) from a uniform source. */
export function normal(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/**
 * Index i drawn with probability (cumulative[i] - cumulative[i - 1]) / cumulative[last], by binary search for the
 * first cumulative weight above a uniform draw scaled to the total.
 */
export function weightedIndex(rand: () => number, cumulative: Float64Array): number {
  const total = cumulative[cumulative.length - 1] ?? 0;
  const u = rand() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < (cumulative[mid] ?? total)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

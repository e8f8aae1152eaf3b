import type { KllSketch } from '../../../functions/core/sketch/kll.js';

/** mulberry32 PRNG: uniform doubles in [0, 1) with 32 random bits; scripts/reference/kll-ks-2samp.py ports it. */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Every named test distribution, in the order the sketch suites run them. */
export const DISTRIBUTIONS = [
  'uniform',
  'normal',
  'cauchy',
  'duplicates',
  'sorted',
  'reverse-sorted',
] as const;

/** Named test distributions. */
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** n values of `distribution` from a seeded PRNG (normal via Box-Muller). */
export function generate(distribution: Distribution, n: number, seed: number): Float64Array {
  const rnd = mulberry32(seed);
  const out = new Float64Array(n);
  switch (distribution) {
    case 'uniform':
      for (let i = 0; i < n; i++) out[i] = rnd();
      return out;
    case 'normal':
      for (let i = 0; i < n; i += 2) {
        // 1 - u keeps the log argument in (0, 1].
        const radius = Math.sqrt(-2 * Math.log(1 - rnd()));
        const angle = 2 * Math.PI * rnd();
        out[i] = radius * Math.cos(angle);
        if (i + 1 < n) out[i + 1] = radius * Math.sin(angle);
      }
      return out;
    case 'cauchy':
      // Heavy tails on both sides: no mean, no variance.
      for (let i = 0; i < n; i++) out[i] = Math.tan(Math.PI * (rnd() - 0.5));
      return out;
    case 'duplicates':
      for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 7);
      return out;
    case 'sorted':
      for (let i = 0; i < n; i++) out[i] = rnd();
      return out.sort();
    case 'reverse-sorted':
      for (let i = 0; i < n; i++) out[i] = rnd();
      return out.sort().reverse();
  }
}

/** Number of elements <= x in ascending `sorted`. */
export function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Exact sup over all x of |sketch.rank(x) - F(x)|, F the empirical CDF of `sorted` (the reference, counted
 * directly from the data). Both are right-continuous steps that jump only at data values or retained items,
 * so checking every one of those points gives the supremum.
 */
export function supRankError(sketch: KllSketch, sorted: Float64Array): number {
  const n = sorted.length;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i] ?? 0;
    if (i + 1 < n && sorted[i + 1] === v) continue;
    worst = Math.max(worst, Math.abs(sketch.rank(v) - (i + 1) / n));
  }
  const { values, cumulative } = sketch.cdf();
  values.forEach((v, i) => {
    worst = Math.max(worst, Math.abs((cumulative[i] ?? 0) - countAtMost(sorted, v) / n));
  });
  return worst;
}

/** KS statistic between two step CDFs: max over the union of jump points of |F_a(x) - F_b(x)|. */
export function ksFromCdfs(
  a: { values: Float64Array; cumulative: Float64Array },
  b: { values: Float64Array; cumulative: Float64Array },
): number {
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let worst = 0;
  while (i < a.values.length || j < b.values.length) {
    const x = Math.min(a.values[i] ?? Number.POSITIVE_INFINITY, b.values[j] ?? Number.POSITIVE_INFINITY);
    while (i < a.values.length && a.values[i] === x) fa = a.cumulative[i++] ?? 1;
    while (j < b.values.length && b.values[j] === x) fb = b.cumulative[j++] ?? 1;
    worst = Math.max(worst, Math.abs(fa - fb));
  }
  return worst;
}

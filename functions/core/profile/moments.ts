/**
 * Streaming count, sum, mean and M2 (sum of squared deviations from the mean), with min and max.
 * Updates use Welford's algorithm; merges use Chan, Golub and LeVeque's pairwise formula, so the
 * merged mean and variance equal those of the concatenated data up to floating-point rounding.
 */
export interface MomentsState {
  n: number;
  sum: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/** An empty moments accumulator (min/max are +/-Infinity until the first value). */
export function emptyMoments(): MomentsState {
  return { n: 0, sum: 0, mean: 0, m2: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
}

/** Adds one finite value in place (Welford). */
export function addMoment(m: MomentsState, x: number): void {
  m.n += 1;
  m.sum += x;
  const delta = x - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (x - m.mean);
  if (x < m.min) m.min = x;
  if (x > m.max) m.max = x;
}

/** Returns the moments of the union of a and b (Chan et al. pairwise update); inputs are not modified. */
export function mergeMoments(a: MomentsState, b: MomentsState): MomentsState {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return {
    n,
    sum: a.sum + b.sum,
    mean: a.mean + (delta * b.n) / n,
    m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

/** Population variance M2/n (Model Monitor's `std_dev` is the population standard deviation); NaN when empty. */
export function populationVariance(m: MomentsState): number {
  return m.n === 0 ? Number.NaN : Math.max(0, m.m2 / m.n);
}

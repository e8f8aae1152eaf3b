import { type Cdf, empiricalCdf, requireCdf, weightedEmpiricalCdf } from './ecdf.js';
import { StatisticInputError } from './errors.js';

/**
 * First Wasserstein (earth mover's) distance between two step CDFs:
 *   W1 = integral over x of |Fa(x) - Fb(x)| dx,
 * exact for step CDFs: the sum over consecutive jump points x_k of the union of both CDFs' values of
 * |Fa(x_k) - Fb(x_k)| (x_{k+1} - x_k). Equals scipy.stats.wasserstein_distance on the samples behind
 * empirical CDFs; in the units of the feature.
 * @throws StatisticInputError when a CDF is empty or malformed, or values are infinite (the integral is not
 * finite then).
 */
export function wasserstein1(a: Cdf, b: Cdf): number {
  requireCdf('a', a);
  requireCdf('b', b);
  const na = a.values.length;
  const nb = b.values.length;
  for (const [name, cdf, n] of [
    ['a', a, na],
    ['b', b, nb],
  ] as const) {
    const first = cdf.values[0] as number;
    const last = cdf.values[n - 1] as number;
    if (!Number.isFinite(first) || !Number.isFinite(last)) {
      throw new StatisticInputError(`${name}.values: expected finite values, got ${first} .. ${last}`);
    }
  }
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let x = Number.NaN;
  let sum = 0;
  while (i < na || j < nb) {
    const va = a.values[i];
    const vb = b.values[j];
    const next = va !== undefined && (vb === undefined || va <= vb) ? va : (vb as number);
    // The difference held on [x, next) is the one read after the previous jump.
    if (!Number.isNaN(x)) sum += Math.abs(fa - fb) * (next - x);
    if (va === next) fa = a.cumulative[i++] as number;
    if (vb === next) fb = b.cumulative[j++] as number;
    x = next;
  }
  return sum;
}

/**
 * First Wasserstein distance between two samples, scipy.stats.wasserstein_distance(a, b, aWeights,
 * bWeights): the integral of |Fa - Fb| of their (optionally weighted) empirical CDFs; see {@link wasserstein1}.
 * @throws StatisticInputError when a sample is empty or holds NaN or infinite values, or weights are invalid
 * (length differs from the sample, negative, not finite, or summing to 0).
 */
export function wasserstein1FromSamples(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  aWeights?: ArrayLike<number>,
  bWeights?: ArrayLike<number>,
): number {
  const ca = aWeights === undefined ? empiricalCdf(a) : weightedEmpiricalCdf(a, aWeights);
  const cb = bWeights === undefined ? empiricalCdf(b) : weightedEmpiricalCdf(b, bWeights);
  return wasserstein1(ca, cb);
}

/**
 * Wasserstein distance normalised by the baseline's spread, Evidently's "wasserstein" stattest:
 * W1(baseline, current) / max(baselineStdDev, 0.001), with baselineStdDev the population standard deviation
 * of the baseline (numpy's np.std, ddof = 0). Unit-free, so one threshold (Evidently: 0.1) fits all features.
 * @throws StatisticInputError when baselineStdDev is negative or not finite, or as {@link wasserstein1}.
 */
export function wasserstein1Normed(baseline: Cdf, current: Cdf, baselineStdDev: number): number {
  if (!(baselineStdDev >= 0 && Number.isFinite(baselineStdDev))) {
    throw new StatisticInputError(`baselineStdDev: expected a finite number >= 0, got ${baselineStdDev}`);
  }
  return wasserstein1(baseline, current) / Math.max(baselineStdDev, 0.001);
}

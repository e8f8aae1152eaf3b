import { StatisticInputError } from './errors.js';
import { requireSameLength, requireSample } from './validate.js';

/**
 * A step CDF: `values` sorted ascending and distinct, `cumulative[i]` = F(values[i]) = fraction of the
 * (weighted) sample that is <= values[i]; non-decreasing, the last entry is 1. F(x) = 0 below values[0].
 */
export interface Cdf {
  values: ArrayLike<number>;
  cumulative: ArrayLike<number>;
}

/** How far the last cumulative fraction of a sketch-derived CDF may be from 1 (rounding of count/total). */
const LAST_CUMULATIVE_TOLERANCE = 1e-9;

/**
 * The empirical CDF of a sample: F(x) = #{i : sample[i] <= x} / n, stored at each distinct value.
 * Fractions are computed as count / n, as scipy's `searchsorted(..., side='right') / n` does.
 * @throws StatisticInputError when the sample is empty or holds NaN.
 */
export function empiricalCdf(sample: ArrayLike<number>): Cdf {
  requireSample('sample', sample);
  const sorted = Float64Array.from(sample).sort();
  const n = sorted.length;
  const values: number[] = [];
  const cumulative: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    // Record the step only after the last copy of a tied value, so the fraction counts all ties.
    if (i + 1 < n && sorted[i + 1] === v) continue;
    values.push(v);
    cumulative.push((i + 1) / n);
  }
  return { values: Float64Array.from(values), cumulative: Float64Array.from(cumulative) };
}

/**
 * The weighted empirical CDF: F(x) = sum of weights[i] with sample[i] <= x, divided by the total weight
 * (the CDF scipy.stats.wasserstein_distance builds from `u_weights`).
 * @throws StatisticInputError when the sample is empty or holds NaN, lengths differ, a weight is negative or
 * not finite, or the weights sum to 0.
 */
export function weightedEmpiricalCdf(sample: ArrayLike<number>, weights: ArrayLike<number>): Cdf {
  requireSample('sample', sample);
  requireSameLength('sample', sample, 'weights', weights);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new StatisticInputError(`weights[${i}]: expected a finite weight >= 0, got ${String(w)}`);
    }
    total += w;
  }
  if (!(total > 0)) throw new StatisticInputError(`weights: expected a total > 0, got ${total}`);
  const order = Array.from({ length: sample.length }, (_, i) => i);
  // A comparison, not a subtraction: Infinity - Infinity would be NaN.
  order.sort((i, j) => {
    const x = sample[i] as number;
    const y = sample[j] as number;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const values: number[] = [];
  const cumulative: number[] = [];
  let running = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    running += weights[i] as number;
    const v = sample[i] as number;
    const next = order[k + 1];
    if (next !== undefined && sample[next] === v) continue;
    values.push(v);
    cumulative.push(running);
  }
  // Divide by the total summed in sorted order (as scipy does), so the last fraction is exactly 1.
  return { values: Float64Array.from(values), cumulative: Float64Array.from(cumulative, (c) => c / running) };
}

/** F(x) of a step CDF: the cumulative fraction at the largest value <= x, 0 below the first value. */
export function cdfAt(cdf: Cdf, x: number): number {
  let lo = 0;
  let hi = cdf.values.length;
  // Binary search for the number of values <= x.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf.values[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : (cdf.cumulative[lo - 1] as number);
}

/**
 * Throws unless `cdf` is a usable step CDF: same-length non-empty arrays, values strictly increasing and not
 * NaN, cumulative fractions non-decreasing in [0, 1] with the last within 1e-9 of 1 (sketch rounding).
 */
export function requireCdf(name: string, cdf: Cdf): void {
  const { values, cumulative } = cdf;
  requireSameLength(`${name}.values`, values, `${name}.cumulative`, cumulative);
  if (values.length === 0) throw new StatisticInputError(`${name}: expected at least one value, got none`);
  let prevValue = Number.NEGATIVE_INFINITY;
  let prevCumulative = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const c = cumulative[i] as number;
    if (Number.isNaN(v) || (i > 0 && !(v > prevValue))) {
      throw new StatisticInputError(`${name}.values[${i}]: expected a value > ${prevValue}, got ${v}`);
    }
    if (!(c >= prevCumulative && c <= 1 + LAST_CUMULATIVE_TOLERANCE)) {
      throw new StatisticInputError(
        `${name}.cumulative[${i}]: expected a fraction in [${prevCumulative}, 1], got ${c}`,
      );
    }
    prevValue = v;
    prevCumulative = c;
  }
  if (Math.abs(prevCumulative - 1) > LAST_CUMULATIVE_TOLERANCE) {
    throw new StatisticInputError(
      `${name}.cumulative[${values.length - 1}]: expected the last fraction to be 1, got ${prevCumulative}`,
    );
  }
}

import { StatisticInputError } from './errors.js';
import { requireCounts, requireSameLength } from './validate.js';

/** Proportions c_i / sum(c) after validating the counts. */
function proportions(name: string, counts: readonly number[]): number[] {
  const total = requireCounts(name, counts);
  return counts.map((c) => c / total);
}

/**
 * Population Stability Index over matching bins or categories:
 *   PSI = sum_i (a_i - e_i) ln(a_i / e_i),
 * with e_i = expectedCounts[i] / sum(expectedCounts) (baseline) and a_i = actualCounts[i] / sum(actualCounts)
 * (current), each proportion below `epsilon` first raised to `epsilon` so empty bins stay finite. This is
 * Evidently's 1e-4 zero-fill; unlike Evidently, small non-zero proportions are raised too (and Evidently uses
 * min_nonzero / 1e6 instead when some non-zero proportion is itself <= 1e-4).
 * @default epsilon 1e-4
 * @throws StatisticInputError when lengths differ or are 0, a count is negative or not finite, a side has no
 * counts, or epsilon is not in (0, 1).
 */
export function psi(
  expectedCounts: readonly number[],
  actualCounts: readonly number[],
  epsilon = 1e-4,
): number {
  requireSameLength('expectedCounts', expectedCounts, 'actualCounts', actualCounts);
  if (!(epsilon > 0 && epsilon < 1))
    throw new StatisticInputError(`epsilon: expected a number in (0, 1), got ${epsilon}`);
  const e = proportions('expectedCounts', expectedCounts);
  const a = proportions('actualCounts', actualCounts);
  let sum = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = Math.max(e[i] as number, epsilon);
    const ai = Math.max(a[i] as number, epsilon);
    sum += (ai - ei) * Math.log(ai / ei);
  }
  return sum;
}

/** x ln(x / y) with the convention 0 ln(0 / y) = 0 (scipy.special.rel_entr for y > 0). */
function relativeEntropyTerm(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}

/**
 * Jensen-Shannon distance, as scipy.spatial.distance.jensenshannon(p, q, base): with p and q normalised to
 * sum 1 and m = (p + q) / 2,
 *   JS = sqrt((KL(p || m) + KL(q || m)) / (2 ln(base))),  KL(p || m) = sum_i p_i ln(p_i / m_i),
 * with 0 ln 0 = 0 and no clipping. In [0, 1] for base 2; symmetric; 0 for identical distributions.
 * @default base 2
 * @throws StatisticInputError when lengths differ or are 0, a count is negative or not finite, a side sums
 * to 0, or base is not > 0 and != 1.
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[], base = 2): number {
  requireSameLength('p', p, 'q', q);
  if (!(base > 0 && base !== 1 && Number.isFinite(base))) {
    throw new StatisticInputError(`base: expected a finite number > 0 other than 1, got ${base}`);
  }
  const pn = proportions('p', p);
  const qn = proportions('q', q);
  let divergence = 0;
  for (let i = 0; i < pn.length; i++) {
    const pi = pn[i] as number;
    const qi = qn[i] as number;
    const mi = (pi + qi) / 2;
    divergence += relativeEntropyTerm(pi, mi) + relativeEntropyTerm(qi, mi);
  }
  // Rounding can leave a tiny negative sum for (nearly) identical inputs.
  return Math.sqrt(Math.max(0, divergence / Math.log(base)) / 2);
}

/**
 * L-infinity distance between categorical frequency vectors, Model Monitor's categorical LInfinity method:
 * max_i |p_i / sum(p) - q_i / sum(q)|, over categories in the same order (absent categories as 0).
 * @throws StatisticInputError when lengths differ or are 0, a count is negative or not finite, or a side
 * sums to 0.
 */
export function lInfinityCategorical(p: readonly number[], q: readonly number[]): number {
  requireSameLength('p', p, 'q', q);
  const pn = proportions('p', p);
  const qn = proportions('q', q);
  let max = 0;
  for (let i = 0; i < pn.length; i++) max = Math.max(max, Math.abs((pn[i] as number) - (qn[i] as number)));
  return max;
}

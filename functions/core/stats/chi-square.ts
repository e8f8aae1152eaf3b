import jStat from 'jstat';
import { StatisticInputError } from './errors.js';
import type { TestResult } from './ks.js';
import { requireCounts, requireSameLength } from './validate.js';

/** A chi-square test's statistic, p-value and degrees of freedom. */
export interface ChiSquareResult extends TestResult {
  dof: number;
}

/** scipy.stats.chisquare's tolerance on sum(observed) vs sum(expected): sqrt(machine epsilon). */
const SUM_RELATIVE_TOLERANCE = Math.sqrt(Number.EPSILON);

/**
 * Upper tail P(X >= x) of the chi-square distribution with `dof` degrees of freedom, as 1 - jstat's CDF.
 * Accurate to about 1e-10 relative for p-values above 1e-6 and to about 1e-15 absolute below that (tiny
 * p-values can come out as 0).
 */
export function chiSquareSf(x: number, dof: number): number {
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x <= 0) return 1;
  return Math.min(1, Math.max(0, 1 - jStat.chisquare.cdf(x, dof)));
}

/**
 * Pearson's chi-square goodness-of-fit test, scipy.stats.chisquare(observed, expected, ddof):
 * statistic = sum_i (o_i - e_i)^2 / e_i, dof = k - 1 - ddof, pvalue = P(chi2_dof >= statistic).
 * A category with e_i = 0 and o_i > 0 makes the statistic Infinity and the p-value 0 (as scipy); one with
 * e_i = o_i = 0 adds nothing (scipy gives NaN) but still counts in k.
 * @default ddof 0
 * @throws StatisticInputError when lengths differ or are 0, a count is negative or not finite, a side sums
 * to 0, the sums differ by more than scipy's relative tolerance sqrt(eps), or dof < 1.
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  expected: readonly number[],
  ddof = 0,
): ChiSquareResult {
  requireSameLength('observed', observed, 'expected', expected);
  const observedSum = requireCounts('observed', observed);
  const expectedSum = requireCounts('expected', expected);
  const relativeDiff = Math.abs(observedSum - expectedSum) / Math.min(observedSum, expectedSum);
  if (relativeDiff > SUM_RELATIVE_TOLERANCE) {
    throw new StatisticInputError(
      `observed and expected: expected equal sums (relative tolerance ${SUM_RELATIVE_TOLERANCE}), got ${observedSum} and ${expectedSum}`,
    );
  }
  const dof = observed.length - 1 - ddof;
  if (!(Number.isInteger(ddof) && dof >= 1)) {
    throw new StatisticInputError(
      `ddof: expected an integer with k - 1 - ddof >= 1 (k = ${observed.length}), got ${ddof}`,
    );
  }
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i] as number;
    const e = expected[i] as number;
    if (e === 0) {
      if (o > 0) statistic = Number.POSITIVE_INFINITY;
      continue;
    }
    statistic += ((o - e) * (o - e)) / e;
  }
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof };
}

/**
 * Pearson's chi-square test of homogeneity on the 2 x k table [baseline; current] of category counts (same
 * category order), scipy.stats.chi2_contingency(table) with its default correction: all-zero columns are
 * dropped first (scipy would reject their zero expected counts); with k' columns left, E_rc = row_r col_c / N,
 * dof = k' - 1 and statistic = sum (|O - E| - y)^2 / E, where y = min(0.5, |O - E|) (Yates) when dof = 1 and
 * y = 0 otherwise; pvalue = P(chi2_dof >= statistic). When one column is left, dof = 0, statistic 0, pvalue 1.
 * @throws StatisticInputError when lengths differ or are 0, a count is negative or not finite, or a row sums
 * to 0.
 */
export function chiSquareContingency(a: readonly number[], b: readonly number[]): ChiSquareResult {
  requireSameLength('a', a, 'b', b);
  const totalA = requireCounts('a', a);
  const totalB = requireCounts('b', b);
  const total = totalA + totalB;
  const columns: Array<[number, number]> = [];
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    const bi = b[i] as number;
    if (ai + bi > 0) columns.push([ai, bi]);
  }
  const dof = columns.length - 1;
  if (dof === 0) return { statistic: 0, pvalue: 1, dof };
  let statistic = 0;
  for (const [ai, bi] of columns) {
    const column = ai + bi;
    for (const [observed, rowTotal] of [
      [ai, totalA],
      [bi, totalB],
    ] as const) {
      const expected = (rowTotal * column) / total;
      const gap = Math.abs(observed - expected);
      const corrected = dof === 1 ? gap - Math.min(0.5, gap) : gap;
      statistic += (corrected * corrected) / expected;
    }
  }
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof };
}

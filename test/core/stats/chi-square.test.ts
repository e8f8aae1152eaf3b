import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chiSquareContingency,
  chiSquareGoodnessOfFit,
  chiSquareSf,
} from '../../../functions/core/stats/chi-square.js';
import { expectClose, loadReference } from './reference.js';

interface PowerDivergenceCase {
  id: string;
  inputs: { f_obs: number[]; f_exp: number[] | number | null; ddof: number };
  expected: { chi2: { statistic: number; pvalue: number } };
  tolerance: { rtol: number };
}

interface EvidentlyCase {
  id: string;
  evidently_stattest: string;
  inputs: { reference: Array<number | string | null>; current: Array<number | string | null> };
  expected: { score: number; tolerance_abs: number };
  local_check: { value: number };
}

interface ChiSquareExpectation {
  statistic: number;
  pvalue: number;
  dof: number;
}

interface GeneratedChiSquare {
  contingency: Array<{ id: string; a: number[]; b: number[]; expected: ChiSquareExpectation }>;
  goodness_of_fit: Array<{
    id: string;
    observed: number[];
    expected_counts: number[];
    ddof: number;
    expected: ChiSquareExpectation;
  }>;
}

// Source: scipy/stats/tests/test_stats.py power_div_1d_cases, Pearson (lambda_ = 1) entries only; the
// G-test and Cressie-Read entries of the same cases are other statistics.
const powerDivergence = loadReference<{ cases: PowerDivergenceCase[] }>(
  'scipy-chisquare-power-divergence.json',
).cases;
// Source: evidently tests/stattests/test_stattests.py (chisquare stattest); other stattests in the file
// (Hellinger, Z, Fisher, Mann-Whitney, t-test, energy) are not driftwatch methods.
const evidentlyChi = loadReference<{ cases: EvidentlyCase[] }>('evidently-stattests.json').cases.filter(
  (c) => c.evidently_stattest === 'chisquare',
);
// Source: scipy 1.17.1, `python3 scripts/reference/drift-stats.py` (generated-chi-square.json).
const generated = loadReference<GeneratedChiSquare>('generated-chi-square.json');

// The upper tail is 1 - jstat's CDF: ~1e-10 relative for moderate p-values, ~1e-16 absolute in the far tail.
const PVALUE = { rtol: 1e-9, atol: 1e-15 };

/** scipy's f_exp rules: None -> the mean of f_obs in every cell; a scalar is broadcast. */
function expectedCounts(c: PowerDivergenceCase): number[] {
  const { f_obs, f_exp } = c.inputs;
  if (Array.isArray(f_exp)) return f_exp;
  const fill = f_exp ?? f_obs.reduce((s, v) => s + v, 0) / f_obs.length;
  return f_obs.map(() => fill);
}

describe('chiSquareGoodnessOfFit', () => {
  it.each(powerDivergence)('computes scipy chisquare reference $id', (c) => {
    // Given the observed counts and scipy's expected counts
    const expected = expectedCounts(c);
    // When
    const result = chiSquareGoodnessOfFit(c.inputs.f_obs, expected, c.inputs.ddof);
    // Then
    expectClose(result.statistic, c.expected.chi2.statistic, { rtol: c.tolerance.rtol });
    expectClose(result.pvalue, c.expected.chi2.pvalue, { rtol: c.tolerance.rtol });
    expect(result.dof).toBe(c.inputs.f_obs.length - 1 - c.inputs.ddof);
  });

  it.each(evidentlyChi)('computes Evidently chisquare reference $id', (c) => {
    // Given Evidently's rule: observed = current counts, expected = reference counts scaled to the current
    // total, over the union of non-null categories
    const keys = [...new Set([...c.inputs.reference, ...c.inputs.current].filter((v) => v !== null))];
    const count = (xs: ReadonlyArray<number | string | null>) =>
      keys.map((k) => xs.filter((x) => x === k).length);
    const reference = count(c.inputs.reference);
    const current = count(c.inputs.current);
    const scale = current.reduce((s, v) => s + v, 0) / reference.reduce((s, v) => s + v, 0);
    // When
    const result = chiSquareGoodnessOfFit(
      current,
      reference.map((v) => v * scale),
    );
    // Then
    expectClose(result.pvalue, c.expected.score, { atol: c.expected.tolerance_abs }, 'Evidently score');
    expectClose(result.pvalue, c.local_check.value, PVALUE, 'local scipy check');
  });

  it.each(generated.goodness_of_fit)('computes scipy chisquare(ddof) for $id', (c) => {
    const result = chiSquareGoodnessOfFit(c.observed, c.expected_counts, c.ddof);
    expectClose(result.statistic, c.expected.statistic, { rtol: 1e-12 });
    expectClose(result.pvalue, c.expected.pvalue, PVALUE);
    expect(result.dof).toBe(c.expected.dof);
  });

  it('computes an infinite statistic and p-value 0 when a category expected to be empty is not', () => {
    // scipy.stats.chisquare([5, 5], [10, 0]) -> (inf, 0.0)
    expect(chiSquareGoodnessOfFit([5, 5], [10, 0])).toEqual({
      statistic: Number.POSITIVE_INFINITY,
      pvalue: 0,
      dof: 1,
    });
  });

  it('throws when the lengths differ', () => {
    expect(() => chiSquareGoodnessOfFit([1, 2], [3])).toThrow(
      /observed and expected: expected the same length/,
    );
  });

  it('throws when a count is negative', () => {
    expect(() => chiSquareGoodnessOfFit([1, -2], [1, 2])).toThrow(
      /observed\[1\]: expected a finite count >= 0/,
    );
  });

  it('throws when the sums differ beyond scipy tolerance', () => {
    expect(() => chiSquareGoodnessOfFit([10, 10], [10, 11])).toThrow(/expected equal sums/);
  });

  it('throws when no degree of freedom is left', () => {
    expect(() => chiSquareGoodnessOfFit([5], [5])).toThrow(
      /ddof: expected an integer with k - 1 - ddof >= 1/,
    );
    expect(() => chiSquareGoodnessOfFit([5, 5, 5], [5, 5, 5], 2)).toThrow(/ddof/);
    expect(() => chiSquareGoodnessOfFit([5, 5, 5], [5, 5, 5], 0.5)).toThrow(/ddof/);
  });
});

describe('chiSquareContingency', () => {
  it.each(generated.contingency)('computes scipy chi2_contingency for $id', (c) => {
    // Given a baseline row and a current row of category counts
    // When
    const result = chiSquareContingency(c.a, c.b);
    // Then
    expectClose(result.statistic, c.expected.statistic, { rtol: 1e-12, atol: 1e-15 });
    expectClose(result.pvalue, c.expected.pvalue, PVALUE);
    expect(result.dof).toBe(c.expected.dof);
  });

  it('computes the same result with the rows swapped and 0 for proportional rows', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((k) =>
            fc.tuple(
              fc.array(fc.integer({ min: 0, max: 40 }), { minLength: k, maxLength: k }),
              fc.array(fc.integer({ min: 0, max: 40 }), { minLength: k, maxLength: k }),
              fc.integer({ min: 1, max: 5 }),
            ),
          )
          .filter(([a, b]) => a.some((v) => v > 0) && b.some((v) => v > 0)),
        ([a, b, factor]) => {
          const ab = chiSquareContingency(a, b);
          const ba = chiSquareContingency(b, a);
          expectClose(ba.statistic, ab.statistic, { rtol: 1e-12, atol: 1e-12 });
          expect(ba.dof).toBe(ab.dof);
          const proportional = chiSquareContingency(
            a,
            a.map((v) => v * factor),
          );
          expectClose(proportional.statistic, 0, { atol: 1e-9 });
        },
      ),
    );
  });

  it('throws when the lengths differ or are 0', () => {
    expect(() => chiSquareContingency([1, 2], [1])).toThrow(/a and b: expected the same length/);
    expect(() => chiSquareContingency([], [])).toThrow(/a: expected at least one count/);
  });

  it('throws when a count is negative or not finite', () => {
    expect(() => chiSquareContingency([1, 2], [1, -1])).toThrow(
      /b\[1\]: expected a finite count >= 0, got -1/,
    );
    expect(() => chiSquareContingency([Number.POSITIVE_INFINITY], [1])).toThrow(/a\[0\]/);
  });

  it('throws when a row has no counts', () => {
    expect(() => chiSquareContingency([0, 0], [1, 2])).toThrow(/a: expected a total > 0, got 0/);
  });
});

describe('chiSquareSf', () => {
  it('computes scipy chi2.sf reference values', () => {
    // scipy.stats.chi2.sf(10, 5) = 0.07523524614651217; chi2.sf(3.84, 1) = 0.05004352124870519
    expectClose(chiSquareSf(10, 5), 0.07523524614651217, PVALUE);
    expectClose(chiSquareSf(3.84, 1), 0.05004352124870519, PVALUE);
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(Number.POSITIVE_INFINITY, 3)).toBe(0);
  });
});

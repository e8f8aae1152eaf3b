import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { empiricalCdf } from '../../../functions/core/stats/ecdf.js';
import { StatisticInputError } from '../../../functions/core/stats/errors.js';
import {
  type KsAlternative,
  ksPValue,
  ksStatistic,
  ksTwoSample,
  linfRobust,
} from '../../../functions/core/stats/ks.js';
import { expectClose, gridSample, loadReference } from './reference.js';

interface ScipyKsCase {
  id: string;
  inputs: { data1: number[]; data2: number[]; alternative: KsAlternative };
  expected: { statistic: number; pvalue: number };
  tolerance: { statistic: { rtol: number }; pvalue: { rtol: number; atol: number } };
}

interface GridSpec {
  n: number;
  scale: number;
  shift: number;
  bins: number;
}

interface GeneratedKs {
  two_sample: Array<{
    id: string;
    a: GridSpec;
    b: GridSpec;
    alternative: KsAlternative;
    expected: { statistic: number; pvalue: number };
    scipy_mode: 'exact' | 'asymp';
  }>;
  linf_robust: Array<{
    id: string;
    a: number[];
    b: number[];
    expected: { d: number; robust: Array<{ c: number; value: number }> };
  }>;
}

// Source: scipy/stats/tests/test_stats.py::TestKSTwoSamples (scipy-ks-2samp.json, tolerances from the test).
const scipyCases = loadReference<{ cases: ScipyKsCase[] }>('scipy-ks-2samp.json').cases;
// Source: scipy 1.17.1, `python3 scripts/reference/drift-stats.py` (generated-ks.json).
const generated = loadReference<GeneratedKs>('generated-ks.json');

// Generated p-values: exact paths agree to rounding, the asymptotic kstwo path to ~2e-11 relative (log-space
// Birnbaum-Tingey sum vs scipy's double-double); 1e-9 leaves margin. atol covers p-values that underflow.
const GENERATED_PVALUE = { rtol: 1e-9, atol: 1e-15 };
const GENERATED_STATISTIC = { rtol: 1e-12 };

/** sup_x |Fa(x) - Fb(x)| by brute force: every data point, counting with a full scan (independent of ks.ts). */
function naiveKs(a: number[], b: number[]): number {
  let d = 0;
  for (const x of [...a, ...b]) {
    const fa = a.filter((v) => v <= x).length / a.length;
    const fb = b.filter((v) => v <= x).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}

describe('ksTwoSample', () => {
  it.each(scipyCases)('computes scipy ks_2samp reference $id', (c) => {
    // Given the samples of the scipy test
    const { data1, data2, alternative } = c.inputs;
    // When
    const result = ksTwoSample(data1, data2, alternative);
    // Then
    expectClose(result.statistic, c.expected.statistic, c.tolerance.statistic, 'statistic');
    expectClose(result.pvalue, c.expected.pvalue, c.tolerance.pvalue, 'pvalue');
  });

  it.each(generated.two_sample)('computes scipy ks_2samp(method=auto) on grid samples $id', (c) => {
    // Given the grid samples the generator used
    const a = gridSample(c.a);
    const b = gridSample(c.b);
    // When
    const result = ksTwoSample(a, b, c.alternative);
    // Then
    expectClose(result.statistic, c.expected.statistic, GENERATED_STATISTIC, 'statistic');
    expectClose(result.pvalue, c.expected.pvalue, GENERATED_PVALUE, 'pvalue');
  });

  it('computes a statistic of 0 and a p-value of 1 for identical samples', () => {
    // Given
    const sample = [3, 1, 4, 1, 5, 9, 2, 6];
    // When
    const result = ksTwoSample(sample, [...sample].reverse());
    // Then
    expect(result).toEqual({ statistic: 0, pvalue: 1 });
  });

  it('computes the same result for (a, b, greater) as for (b, a, less)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 30 }),
        (a, b) => {
          // Given two samples
          // When
          const greater = ksTwoSample(a, b, 'greater');
          const less = ksTwoSample(b, a, 'less');
          // Then
          expect(less.statistic).toBe(greater.statistic);
          expectClose(less.pvalue, greater.pvalue, { rtol: 1e-12, atol: 1e-15 });
        },
      ),
    );
  });

  it('computes a two-sided p-value that does not depend on the order of the samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (a, b) => {
          // Given two samples
          // When
          const ab = ksTwoSample(a, b);
          const ba = ksTwoSample(b, a);
          // Then
          expect(ba.statistic).toBe(ab.statistic);
          expectClose(ba.pvalue, ab.pvalue, { rtol: 1e-12, atol: 1e-15 });
        },
      ),
    );
  });

  it('throws when a sample is empty', () => {
    expect(() => ksTwoSample([], [1])).toThrow(StatisticInputError);
    expect(() => ksTwoSample([1], [])).toThrow(/b: expected at least one value/);
  });

  it('throws when a sample holds NaN', () => {
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(/a\[1\]: expected a number, got NaN/);
  });

  it('throws when the alternative is unknown', () => {
    expect(() => ksTwoSample([1], [2], 'sideways' as KsAlternative)).toThrow(/alternative: expected/);
  });
});

describe('ksStatistic', () => {
  it('computes sup |Fa - Fb| equal to a brute-force scan over every data point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10, max: 10 }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 25 }),
        (a, b) => {
          // Given two samples (ties within and across them)
          // When
          const d = ksStatistic(empiricalCdf(a), empiricalCdf(b));
          // Then
          expect(d).toBe(naiveKs(a, b));
        },
      ),
    );
  });

  it('computes the same value in both argument orders and 0 for identical CDFs', () => {
    // Given
    const a = empiricalCdf([1, 2, 2, 3]);
    const b = empiricalCdf([2, 4]);
    // When / Then: Fa(2) = 0.75, Fb(2) = 0.5; Fa(3) = 1, Fb(3) = 0.5 -> D = 0.5
    expect(ksStatistic(a, b)).toBe(0.5);
    expect(ksStatistic(b, a)).toBe(0.5);
    expect(ksStatistic(a, a)).toBe(0);
  });

  it('computes the statistic of sketch-like CDFs whose last fraction is 1 up to rounding', () => {
    // Given a CDF read from a sketch, cumulative counts / total
    const sketch = { values: [1, 2, 3], cumulative: [1 / 3, 2 / 3, 0.9999999999999999] };
    // When / Then
    expect(ksStatistic(sketch, empiricalCdf([1, 2, 3]))).toBeLessThan(1e-15);
  });

  it('throws when a CDF is malformed', () => {
    const good = empiricalCdf([1, 2]);
    expect(() => ksStatistic({ values: [], cumulative: [] }, good)).toThrow(/a: expected at least one value/);
    expect(() => ksStatistic({ values: [2, 1], cumulative: [0.5, 1] }, good)).toThrow(/a.values\[1\]/);
    expect(() => ksStatistic(good, { values: [1, 2], cumulative: [0.7, 0.5] })).toThrow(/b.cumulative\[1\]/);
    expect(() => ksStatistic(good, { values: [1, 2], cumulative: [0.5, 0.9] })).toThrow(
      /last fraction to be 1/,
    );
    expect(() => ksStatistic(good, { values: [1, 2], cumulative: [1] })).toThrow(/same length/);
  });
});

describe('ksPValue', () => {
  const twoSided = generated.two_sample.filter((c) => c.alternative === 'two-sided');

  it.each(twoSided)('computes the two-sided p-value of scipy ks_2samp for the statistic of $id', (c) => {
    // Given the statistic scipy reported and the sample sizes
    // When
    const p = ksPValue(c.expected.statistic, c.a.n, c.b.n);
    // Then
    expectClose(p, c.expected.pvalue, GENERATED_PVALUE);
  });

  it('computes p-values that do not increase with d', () => {
    // Given sizes on both sides of the exact/asymptotic switch
    for (const [n, m] of [
      [40, 60],
      [300, 300],
      [20000, 150],
      [30000, 30000],
    ] as const) {
      // When
      const ps = Array.from({ length: 60 }, (_, i) => ksPValue(i / 60, n, m));
      // Then
      for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeLessThanOrEqual((ps[i - 1] as number) + 1e-12);
    }
  });

  it('throws when d is outside [0, 1]', () => {
    expect(() => ksPValue(1.5, 10, 10)).toThrow(/d: expected a number in \[0, 1\], got 1.5/);
    expect(() => ksPValue(Number.NaN, 10, 10)).toThrow(StatisticInputError);
  });

  it('throws when a sample size is not a positive integer', () => {
    expect(() => ksPValue(0.1, 0, 10)).toThrow(/n: expected an integer >= 1, got 0/);
    expect(() => ksPValue(0.1, 10, 2.5)).toThrow(/m: expected an integer >= 1, got 2.5/);
  });
});

describe('linfRobust', () => {
  it.each(generated.linf_robust)('computes Model Monitor robust L-infinity for $id', (c) => {
    // Given the samples and the KS distance scipy computed for them
    const d = ksStatistic(empiricalCdf(c.a), empiricalCdf(c.b));
    expectClose(d, c.expected.d, { rtol: 1e-12 }, 'd');
    for (const { c: constant, value } of c.expected.robust) {
      // When
      const robust = linfRobust(d, c.a.length, c.b.length, constant);
      // Then
      expectClose(robust, value, { rtol: 1e-12, atol: 1e-15 }, `c=${constant}`);
    }
  });

  it('computes max(0, d - 1.8 sqrt((n+m)/(nm))) with the default c', () => {
    // Given n = m = 100: 1.8 * sqrt(200 / 10000) = 0.254558441227157 (by hand)
    // When / Then
    expectClose(linfRobust(0.3, 100, 100), 0.3 - 0.254558441227157, { rtol: 1e-12 });
    expect(linfRobust(0.2, 100, 100)).toBe(0);
  });

  it('throws when an argument is out of range', () => {
    expect(() => linfRobust(-0.1, 10, 10)).toThrow(/d: expected a distance >= 0/);
    expect(() => linfRobust(0.1, 0, 10)).toThrow(/n: expected a count > 0/);
    expect(() => linfRobust(0.1, 10, Number.POSITIVE_INFINITY)).toThrow(/m: expected a count > 0/);
    expect(() => linfRobust(0.1, 10, 10, -1)).toThrow(/c: expected a finite c >= 0/);
  });
});

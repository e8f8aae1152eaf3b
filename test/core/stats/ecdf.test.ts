import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cdfAt, empiricalCdf, requireCdf, weightedEmpiricalCdf } from '../../../functions/core/stats/ecdf.js';
import { StatisticInputError } from '../../../functions/core/stats/errors.js';

describe('empiricalCdf', () => {
  it('computes distinct sorted values with the fraction of the sample <= each', () => {
    // Given 3, 1, 2, 2 (by definition: F(1) = 1/4, F(2) = 3/4, F(3) = 4/4)
    // When
    const cdf = empiricalCdf([3, 1, 2, 2]);
    // Then
    expect(Array.from(cdf.values)).toEqual([1, 2, 3]);
    expect(Array.from(cdf.cumulative)).toEqual([0.25, 0.75, 1]);
  });

  it('computes a CDF over infinite values and merges -0 with 0', () => {
    const cdf = empiricalCdf([Number.POSITIVE_INFINITY, 0, -0, Number.NEGATIVE_INFINITY]);
    expect(Array.from(cdf.values)).toEqual([Number.NEGATIVE_INFINITY, 0, Number.POSITIVE_INFINITY]);
    expect(Array.from(cdf.cumulative)).toEqual([0.25, 0.75, 1]);
  });

  it('computes a CDF whose F(x) counts the values <= x', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: -7, max: 7 }),
        (sample, x) => {
          // Given a sample with ties, When reading F(x), Then it is #{v <= x} / n
          const expected = sample.filter((v) => v <= x).length / sample.length;
          expect(cdfAt(empiricalCdf(sample), x)).toBe(expected);
        },
      ),
    );
  });

  it('throws when the sample is empty', () => {
    expect(() => empiricalCdf([])).toThrow(StatisticInputError);
    expect(() => empiricalCdf([])).toThrow(/sample: expected at least one value, got none/);
  });

  it('throws when the sample holds NaN', () => {
    expect(() => empiricalCdf([1, 2, Number.NaN])).toThrow(/sample\[2\]: expected a number, got NaN/);
  });
});

describe('weightedEmpiricalCdf', () => {
  it('computes cumulative weight fractions at each distinct value', () => {
    // Given values 2, 1, 2 with weights 1, 2, 1 (by definition: F(1) = 2/4, F(2) = 4/4)
    const cdf = weightedEmpiricalCdf([2, 1, 2], [1, 2, 1]);
    expect(Array.from(cdf.values)).toEqual([1, 2]);
    expect(Array.from(cdf.cumulative)).toEqual([0.5, 1]);
  });

  it('throws when weights do not match the sample', () => {
    expect(() => weightedEmpiricalCdf([1, 2], [1])).toThrow(
      /sample and weights: expected the same length, got 2 and 1/,
    );
  });

  it('throws when a weight is negative or not finite', () => {
    expect(() => weightedEmpiricalCdf([1, 2], [1, -1])).toThrow(
      /weights\[1\]: expected a finite weight >= 0/,
    );
    expect(() => weightedEmpiricalCdf([1, 2], [Number.POSITIVE_INFINITY, 1])).toThrow(/weights\[0\]/);
  });

  it('throws when the weights sum to 0', () => {
    expect(() => weightedEmpiricalCdf([1, 2], [0, 0])).toThrow(/weights: expected a total > 0, got 0/);
  });
});

describe('cdfAt', () => {
  it('computes 0 below the first value and the step value at and after each jump', () => {
    const cdf = empiricalCdf([1, 2, 2, 4]);
    expect(cdfAt(cdf, 0.5)).toBe(0);
    expect(cdfAt(cdf, 1)).toBe(0.25);
    expect(cdfAt(cdf, 3.9)).toBe(0.75);
    expect(cdfAt(cdf, 100)).toBe(1);
  });
});

describe('requireCdf', () => {
  it('computes no error for a valid CDF', () => {
    expect(() => requireCdf('c', { values: [1, 2], cumulative: [0.5, 1] })).not.toThrow();
  });

  it('throws when values are not strictly increasing', () => {
    expect(() => requireCdf('c', { values: [1, 1], cumulative: [0.5, 1] })).toThrow(
      /c.values\[1\]: expected a value > 1/,
    );
  });

  it('throws when cumulative fractions decrease, exceed 1 or do not end at 1', () => {
    expect(() => requireCdf('c', { values: [1, 2], cumulative: [0.6, 0.5] })).toThrow(/c.cumulative\[1\]/);
    expect(() => requireCdf('c', { values: [1, 2], cumulative: [0.5, 1.1] })).toThrow(/c.cumulative\[1\]/);
    expect(() => requireCdf('c', { values: [1, 2], cumulative: [0.2, 0.5] })).toThrow(
      /last fraction to be 1/,
    );
  });

  it('throws when the arrays are empty or differ in length', () => {
    expect(() => requireCdf('c', { values: [], cumulative: [] })).toThrow(/c: expected at least one value/);
    expect(() => requireCdf('c', { values: [1], cumulative: [0.5, 1] })).toThrow(/same length/);
  });
});

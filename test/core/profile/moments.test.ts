import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMoment,
  emptyMoments,
  type MomentsState,
  mergeMoments,
  populationVariance,
} from '../../../functions/core/profile/moments.js';

function fromValues(xs: readonly number[]): MomentsState {
  const m = emptyMoments();
  for (const x of xs) addMoment(m, x);
  return m;
}

/** Two-pass reference: mean, then the sum of squared deviations. */
function twoPass(xs: readonly number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const m2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, variance: m2 / xs.length };
}

const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 });

describe('moments', () => {
  it('computes the population variance of the sdk-quality-check _c0 column as Model Monitor did', () => {
    // Given: column _c0 of sdk-quality-check-data-quality/baseline_dataset.csv (24 ones, 21 twos, 55 threes ...)
    // Model Monitor's statistics.json says mean 2.31 and std_dev 0.8330066026148891 for it.
    const xs = [...Array(24).fill(1), ...Array(21).fill(2), ...Array(55).fill(3)];
    // When
    const m = fromValues(xs);
    // Then
    expect(m.mean).toBeCloseTo(2.31, 12);
    expect(Math.sqrt(populationVariance(m))).toBeCloseTo(0.8330066026148891, 12);
    expect([m.min, m.max, m.n, m.sum]).toEqual([1, 3, 100, 231]);
  });

  it('computes the same mean and variance as a two-pass computation', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const m = fromValues(xs);
        const ref = twoPass(xs);
        const scale = Math.max(1, ...xs.map(Math.abs));
        expect(Math.abs(m.mean - ref.mean)).toBeLessThanOrEqual(1e-9 * scale);
        expect(Math.abs(populationVariance(m) - ref.variance)).toBeLessThanOrEqual(1e-7 * scale * scale);
      }),
    );
  });

  it('merges exactly: any split gives the moments of the whole', () => {
    fc.assert(
      fc.property(values, fc.nat(), fc.nat(), (xs, i, j) => {
        const [a, b] = [i % (xs.length + 1), j % (xs.length + 1)].sort((x, y) => x - y) as [number, number];
        const parts = [xs.slice(0, a), xs.slice(a, b), xs.slice(b)].map(fromValues);
        const [p0, p1, p2] = parts as [MomentsState, MomentsState, MomentsState];
        const left = mergeMoments(mergeMoments(p0, p1), p2);
        const right = mergeMoments(p2, mergeMoments(p1, p0));
        const whole = fromValues(xs);
        const scale = Math.max(1, ...xs.map(Math.abs));
        for (const merged of [left, right]) {
          expect(merged.n).toBe(whole.n);
          expect([merged.min, merged.max]).toEqual([whole.min, whole.max]);
          expect(Math.abs(merged.mean - whole.mean)).toBeLessThanOrEqual(1e-9 * scale);
          expect(Math.abs(merged.m2 - whole.m2)).toBeLessThanOrEqual(1e-7 * scale * scale * xs.length);
        }
      }),
    );
  });

  it('treats an empty accumulator as the identity of merge', () => {
    const m = fromValues([1, 2, 3]);
    expect(mergeMoments(emptyMoments(), m)).toEqual(m);
    expect(mergeMoments(m, emptyMoments())).toEqual(m);
    expect(populationVariance(emptyMoments())).toBeNaN();
  });
});

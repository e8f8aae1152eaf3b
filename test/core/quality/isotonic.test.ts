import { describe, expect, it } from 'vitest';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import { applyIsotonic, fitIsotonic } from '../../../functions/core/quality/isotonic.js';
import { close, REFERENCE } from './support.js';

describe('fitIsotonic and applyIsotonic', () => {
  it.each(REFERENCE.isotonic.map((c, i) => [i, c] as const))(
    "computes sklearn IsotonicRegression(out_of_bounds='clip') predictions, case %d",
    (_, c) => {
      // Given: data with ties (and weights in case 1) from scripts/reference/model-quality.py
      const fit = fitIsotonic(c.x, c.y, c.weights);
      // When
      const predicted = c.grid.map((g) => applyIsotonic(fit, g));
      // Then
      predicted.forEach((p, i) => {
        expect(close(p, c.predicted[i]), `at ${c.grid[i]}: ${p} vs ${c.predicted[i]}`).toBe(true);
      });
    },
  );

  it('computes a non-decreasing fit', () => {
    const fit = fitIsotonic([1, 2, 3, 4], [4, 3, 2, 1]);
    expect(fit.y).toEqual([2.5, 2.5, 2.5, 2.5]);
  });

  it('throws when inputs are empty, of different lengths or not finite', () => {
    expect(() => fitIsotonic([], [])).toThrow(QualityInputError);
    expect(() => fitIsotonic([1, 2], [1])).toThrow(/equal, non-zero lengths/);
    expect(() => fitIsotonic([1, Number.NaN], [1, 2])).toThrow(/value 2 is not finite/);
  });
});

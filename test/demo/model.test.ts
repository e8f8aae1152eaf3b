import { describe, expect, it } from 'vitest';
import { fitLogistic, predictProbability } from '../../scripts/demo/model.js';

// The demo's logistic regression, checked against cases whose answer is known without the code.

describe('fitLogistic', () => {
  it('computes the base rate when the feature carries no information', () => {
    // Given a constant feature and 3 positives in 4 rows
    const model = fitLogistic(['x'], [[1], [1], [1], [1]], [1, 1, 1, 0], { epochs: 2000 });
    // When / Then the probability is the base rate 0.75 (the maximum-likelihood intercept is logit(0.75))
    expect(predictProbability(model, [1])).toBeCloseTo(0.75, 2);
  });

  it('computes a probability that rises with the feature on separable data', () => {
    // Given labels 1 exactly when x > 5
    const rows = Array.from({ length: 11 }, (_, i) => [i]);
    const labels = rows.map(([x]) => ((x as number) > 5 ? 1 : 0));
    const model = fitLogistic(['x'], rows, labels);
    // When / Then every row is classified correctly at 0.5, and the probability is monotone in x
    for (const [i, row] of rows.entries()) expect(predictProbability(model, row) > 0.5).toBe(labels[i] === 1);
    expect(predictProbability(model, [0])).toBeLessThan(predictProbability(model, [10]));
  });

  it('throws when rows and labels differ in number', () => {
    expect(() => fitLogistic(['x'], [[1]], [])).toThrow(RangeError);
  });
});

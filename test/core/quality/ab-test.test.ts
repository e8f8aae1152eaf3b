import { describe, expect, it } from 'vitest';
import { compareVariants } from '../../../functions/core/quality/ab-test.js';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import { twoProportionZTest, welchTTest } from '../../../functions/core/quality/inference.js';
import { mulberry32 } from '../../support/random.js';
import { binarySet, labelOnlySet, regressionSet } from './support.js';

function variant(n: number, accuracy: number, seed: number, scoreShift = 0) {
  const rand = mulberry32(seed);
  const labels = Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
  const scores = labels.map((y) => {
    const right = rand() < accuracy;
    const s = (y === 1) === right ? 0.5 + 0.5 * rand() : 0.49 * rand();
    return Math.min(1, s + scoreShift * rand());
  });
  return binarySet(labels, scores);
}

describe('compareVariants', () => {
  it('computes a significant accuracy difference with its interval, test and sample size', () => {
    // Given: variant A right 80% of 3000 requests, B 86%
    const a = variant(3000, 0.8, 1);
    const b = variant(3000, 0.86, 2);
    // When
    const result = compareVariants(
      { name: 'A', set: a },
      { name: 'B', set: b },
      { bootstrap: { samples: 300 } },
    );
    // Then
    expect(result.primary.metric).toBe('accuracy');
    expect(result.primary.significant).toBe(true);
    expect(result.primary.better).toBe('B');
    expect(result.primary.lower).toBeGreaterThan(0);
    const correct = (s: typeof a) => Array.from(s.labels).filter((y, i) => y === s.predicted[i]).length;
    expect(result.primary.test).toEqual(twoProportionZTest(correct(a), 3000, correct(b), 3000));
    expect(result.sampleSize).toMatchObject({
      metric: 'accuracy',
      minDetectableEffect: 0.02,
      reached: false,
    });
    expect(result.comparisons.map((c) => c.metric)).toEqual(['accuracy', 'precision', 'recall', 'f1', 'auc']);
  });

  it('computes no significant difference and "not reached" for small equal variants', () => {
    const result = compareVariants(
      { name: 'A', set: variant(200, 0.8, 3) },
      { name: 'B', set: variant(200, 0.8, 4) },
      { bootstrap: { samples: 200 } },
    );
    expect(result.primary.significant).toBe(false);
    expect(result.primary.better).toBeNull();
    expect(result.sampleSize.reached).toBe(false);
    expect(result.primary.lower).toBeLessThan(0);
    expect(result.primary.upper).toBeGreaterThan(0);
  });

  it('computes prediction drift between variants from their probabilities (KS)', () => {
    const same = compareVariants(
      { name: 'A', set: variant(1000, 0.8, 5) },
      { name: 'B', set: variant(1000, 0.8, 6) },
      { bootstrap: { samples: 100 } },
    );
    const shifted = compareVariants(
      { name: 'A', set: variant(1000, 0.8, 5) },
      { name: 'B', set: variant(1000, 0.8, 6, 0.4) },
      { bootstrap: { samples: 100 } },
    );
    expect(same.predictionDrift).toMatchObject({ method: 'ks', of: 'probabilities', drift: false });
    expect(shifted.predictionDrift).toMatchObject({ method: 'ks', drift: true });
  });

  it('computes the chi-square test of predicted classes without probabilities', () => {
    const rand = mulberry32(7);
    const labels = Array.from({ length: 400 }, () => (rand() < 0.5 ? 1 : 0));
    const a = labelOnlySet(
      labels,
      labels.map(() => (rand() < 0.5 ? 1 : 0)),
    );
    const b = labelOnlySet(
      labels,
      labels.map(() => (rand() < 0.8 ? 1 : 0)),
    );
    const result = compareVariants(
      { name: 'A', set: a },
      { name: 'B', set: b },
      { bootstrap: { samples: 100 } },
    );
    expect(result.predictionDrift).toMatchObject({ method: 'chi2', of: 'predicted classes', drift: true });
  });

  it("computes MAE with Welch's t-test on absolute errors for regression", () => {
    const rand = mulberry32(9);
    const y = Array.from({ length: 500 }, () => 10 * rand());
    const a = regressionSet(
      y,
      y.map((v) => v + 2 * (rand() - 0.5)),
    );
    const b = regressionSet(
      y,
      y.map((v) => v + 1.2 * (rand() - 0.5)),
    );
    const result = compareVariants(
      { name: 'A', set: a },
      { name: 'B', set: b },
      { bootstrap: { samples: 200 } },
    );
    const errors = (s: typeof a) => Array.from(s.labels, (v, i) => Math.abs(v - (s.predicted[i] as number)));
    expect(result.primary.metric).toBe('mae');
    expect(result.primary.test).toEqual(welchTTest(errors(a), errors(b)));
    expect(result.primary.better).toBe('B');
    expect(result.sampleSize.minDetectableEffect).toBeCloseTo(0.1 * result.primary.a, 15);
  });

  it('throws when the variants differ in problem type or a metric is unknown', () => {
    const a = variant(50, 0.8, 1);
    expect(() =>
      compareVariants({ name: 'A', set: a }, { name: 'B', set: regressionSet([1, 2], [1, 2]) }),
    ).toThrow(/variant A is BinaryClassification but B is Regression/);
    expect(() => compareVariants({ name: 'A', set: a }, { name: 'B', set: a }, { metrics: ['mae'] })).toThrow(
      QualityInputError,
    );
    expect(() => compareVariants({ name: 'A', set: a }, { name: 'B', set: a }, { alpha: 2 })).toThrow(
      /alpha/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { calibrateCbpe, estimatePerformance } from '../../../functions/core/quality/cbpe.js';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import { binaryMetrics } from '../../../functions/core/quality/metrics.js';
import { mulberry32 } from '../../support/random.js';
import { binarySet, labelOnlySet } from './support.js';

/**
 * Generated data with known labels: each row has a true probability p, uniform on [0, 1] ('uniform') or mostly
 * high (1 - (1 - u)^2 with u the mean of two uniforms); the label is Bernoulli(truth(p)) and the model's score
 * is score(p).
 */
function generate(
  n: number,
  seed: number,
  options: { shape: 'uniform' | 'high'; truth?: (p: number) => number; score?: (p: number) => number },
) {
  const rand = mulberry32(seed);
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = (rand() + rand()) / 2;
    const p = options.shape === 'uniform' ? rand() : 1 - (1 - u) * (1 - u);
    labels.push(rand() < (options.truth ?? ((x) => x))(p) ? 1 : 0);
    scores.push((options.score ?? ((x) => x))(p));
  }
  return { labels, scores };
}

// Tolerance: with n = 20000 the realised accuracy has a standard deviation of at most 0.0035 around its
// expectation, and the isotonic calibration fitted on 20000 baseline rows adds its own error; over 10 seeds of
// this set-up the largest error of any of the five metrics was 0.010. 0.02 leaves room for both.
const TOLERANCE = 0.02;
const N = 20_000;

describe('calibrateCbpe and estimatePerformance', () => {
  it('estimates the realised metrics under covariate shift within the tolerance', () => {
    // Given: calibrated scores; the baseline's probabilities are uniform, the window's mostly high
    const base = generate(N, 1, { shape: 'uniform' });
    const window = generate(N, 2, { shape: 'high' });
    const calibration = calibrateCbpe(binarySet(base.labels, base.scores));
    // When
    const estimate = estimatePerformance(calibration, window.scores);
    const realised = binaryMetrics(binarySet(window.labels, window.scores));
    // Then
    for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const) {
      expect(Math.abs(estimate.estimates[metric] - (realised[metric] ?? 0)), metric).toBeLessThan(TOLERANCE);
    }
    expect(estimate).toMatchObject({ kind: 'estimate', method: 'CBPE', calibration: 'isotonic', rows: N });
    expect(estimate.accuracyStandardError).toBeLessThan(0.005);
  });

  it('estimates correctly when the baseline scores are miscalibrated, because calibration repairs them', () => {
    // Given: the model's score is p^0.4 (overconfident), the truth is p
    const base = generate(N, 3, { shape: 'uniform', score: (p) => p ** 0.4 });
    const window = generate(N, 4, { shape: 'high', score: (p) => p ** 0.4 });
    const calibration = calibrateCbpe(binarySet(base.labels, base.scores));
    // When
    const estimate = estimatePerformance(calibration, window.scores);
    const realised = binaryMetrics(binarySet(window.labels, window.scores));
    // Then: calibrated, the estimate holds; taking the raw scores as probabilities would be far off
    expect(Math.abs(estimate.estimates.accuracy - (realised.accuracy ?? 0))).toBeLessThan(TOLERANCE);
    const rawAccuracy = window.scores.reduce((sum, s) => sum + (s >= 0.5 ? s : 1 - s), 0) / N;
    expect(Math.abs(rawAccuracy - (realised.accuracy ?? 0))).toBeGreaterThan(0.05);
    expect(calibration.baseline.brierCalibrated).toBeLessThan(calibration.baseline.brierRaw);
  });

  it('computes a wrong estimate when calibration is broken in the window (concept shift), as documented', () => {
    // Given: in the window the labels follow p^3 instead of p, which no label-free method can see
    const base = generate(N, 5, { shape: 'uniform' });
    const window = generate(N, 6, { shape: 'high', truth: (p) => p ** 3 });
    const calibration = calibrateCbpe(binarySet(base.labels, base.scores));
    // When
    const estimate = estimatePerformance(calibration, window.scores);
    const realised = binaryMetrics(binarySet(window.labels, window.scores));
    // Then: the estimate misses by far more than the tolerance
    expect(Math.abs(estimate.estimates.accuracy - (realised.accuracy ?? 0))).toBeGreaterThan(0.1);
    expect(estimate.assumption).toMatch(/concept shift is not/);
  });

  it('computes warnings for few rows and scores outside the calibration range', () => {
    const base = generate(2000, 7, { shape: 'uniform', score: (p) => 0.5 * p });
    const calibration = calibrateCbpe(binarySet(base.labels, base.scores));
    const estimate = estimatePerformance(calibration, [0.1, 0.7, 0.9]);
    expect(estimate.warnings).toEqual([
      'only 3 rows: the realised metrics will vary a lot around the estimate',
      expect.stringMatching(/^66\.7% of scores are outside the calibration range/),
    ]);
  });

  it('throws when the baseline has no probabilities or a single class', () => {
    expect(() => calibrateCbpe(labelOnlySet([0, 1], [0, 1]))).toThrow(/needs predicted probabilities/);
    expect(() => calibrateCbpe(binarySet([1, 1], [0.2, 0.9]))).toThrow(/needs both classes/);
  });

  it('throws when a window score is not a probability or there are none', () => {
    const calibration = calibrateCbpe(binarySet([0, 1], [0.2, 0.9]));
    expect(() => estimatePerformance(calibration, [])).toThrow(QualityInputError);
    expect(() => estimatePerformance(calibration, [0.5, 2])).toThrow(/score 2 is 2, expected a probability/);
  });
});

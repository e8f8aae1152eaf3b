import { describe, expect, it } from 'vitest';
import type { BinaryEvaluationSet } from '../../../functions/core/quality/dataset.js';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import { evaluateGate, type GateModel, type GateRules } from '../../../functions/core/quality/gate.js';
import { mulberry32 } from '../../support/random.js';
import { binarySet, regressionSet } from './support.js';

/** Labels, and a model that is right with probability `accuracy` on each row, with scores on the right side of 0.5. */
function scoredModels(n: number, accuracies: readonly number[], seed: number): BinaryEvaluationSet[] {
  const rand = mulberry32(seed);
  const labels = Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0));
  return accuracies.map((accuracy) =>
    binarySet(
      labels,
      labels.map((y) => {
        const right = rand() < accuracy;
        const high = 0.5 + 0.5 * rand();
        const low = 0.49 * rand();
        return (y === 1) === right ? high : low;
      }),
    ),
  );
}

const predictions = (set: BinaryEvaluationSet): GateModel => ({ kind: 'predictions', set });
const RULES: GateRules = {
  floors: { accuracy: 0.7 },
  maxRegression: { auc: 0.01 },
  minImprovement: { accuracy: 0.01 },
  bootstrap: { samples: 400, seed: 42, confidence: 0.95 },
};

describe('evaluateGate', () => {
  it('computes PROMOTE for a clear win', () => {
    // Given: champion right on 75% of 2000 rows, challenger on 90%
    const [champion, challenger] = scoredModels(2000, [0.75, 0.9], 1) as [
      BinaryEvaluationSet,
      BinaryEvaluationSet,
    ];
    // When
    const result = evaluateGate(predictions(champion), predictions(challenger), RULES);
    // Then
    expect(result.verdict).toBe('PROMOTE');
    expect(result.checks.map((c) => [c.rule, c.outcome])).toEqual([
      ['floor', 'pass'],
      ['max_regression', 'pass'],
      ['min_improvement', 'pass'],
      ['mcnemar', 'pass'],
    ]);
    expect(result.reasons[0]).toBe('all 4 checks passed');
    const accuracy = result.comparisons.find((c) => c.metric === 'accuracy');
    expect(accuracy?.interval.lower).toBeGreaterThan(0.1);
    expect(result).toMatchObject({ paired: true, rows: 2000, bootstrap: { samples: 400, seed: 42 } });
  });

  it('computes REJECT for a clear loss, with each failed rule as a reason', () => {
    // Given: champion 88%, challenger 72%
    const [champion, challenger] = scoredModels(2000, [0.88, 0.72], 2) as [
      BinaryEvaluationSet,
      BinaryEvaluationSet,
    ];
    // When
    const result = evaluateGate(predictions(champion), predictions(challenger), RULES);
    // Then
    expect(result.verdict).toBe('REJECT');
    expect(result.checks.filter((c) => c.outcome === 'fail').map((c) => c.rule)).toEqual([
      'max_regression',
      'min_improvement',
      'mcnemar',
    ]);
    expect(result.reasons).toHaveLength(3);
    expect(result.reasons[2]).toMatch(/McNemar: .* p = .* < 0.05: the challenger is less accurate/);
    expect(result.mcnemar?.pvalue).toBeLessThan(1e-10);
  });

  it('computes INCONCLUSIVE when the difference is too close to call', () => {
    // Given: 300 rows, the same model twice with a few rows changed (true accuracy 80% vs about 81%)
    const [champion, challenger] = scoredModels(300, [0.8, 0.81], 3) as [
      BinaryEvaluationSet,
      BinaryEvaluationSet,
    ];
    // When
    const result = evaluateGate(predictions(champion), predictions(challenger), {
      minImprovement: { accuracy: 0.005 },
      bootstrap: { samples: 400, seed: 42 },
    });
    // Then
    expect(result.verdict).toBe('INCONCLUSIVE');
    expect(result.reasons[0]).toMatch(
      /^accuracy may not improve enough: improvement .* \[-.*, .*\], required > 0.005$/,
    );
  });

  it('computes REJECT when a floor is missed even though the challenger is better', () => {
    const [champion, challenger] = scoredModels(2000, [0.6, 0.68], 4) as [
      BinaryEvaluationSet,
      BinaryEvaluationSet,
    ];
    const result = evaluateGate(predictions(champion), predictions(challenger), RULES);
    expect(result.verdict).toBe('REJECT');
    expect(result.reasons).toEqual([
      expect.stringMatching(/^accuracy 0\.6\d+ misses the floor \(>= 0\.7\)$/),
    ]);
  });

  it('computes the same result every time for the same seed', () => {
    const [champion, challenger] = scoredModels(500, [0.8, 0.82], 5) as [
      BinaryEvaluationSet,
      BinaryEvaluationSet,
    ];
    const run = () => evaluateGate(predictions(champion), predictions(challenger), RULES);
    expect(run()).toEqual(run());
  });

  it('computes improvements of error metrics as champion minus challenger (regression)', () => {
    // Given: the challenger's errors are half the champion's
    const rand = mulberry32(6);
    const y = Array.from({ length: 400 }, () => 10 * rand());
    const champion = regressionSet(
      y,
      y.map((v) => v + 2 * (rand() - 0.5)),
    );
    const challenger = regressionSet(
      y,
      y.map((v) => v + (rand() - 0.5)),
    );
    // When
    const result = evaluateGate(
      { kind: 'predictions', set: champion },
      { kind: 'predictions', set: challenger },
      { maxRegression: { rmse: 0.05 }, minImprovement: { mae: 0.1 }, floors: { r2: 0.9 } },
    );
    // Then
    expect(result.verdict).toBe('PROMOTE');
    expect(result.mcnemar).toBeNull();
    const rmse = result.comparisons.find((c) => c.metric === 'rmse');
    expect(rmse?.improvement).toBeCloseTo((rmse?.champion ?? 0) - (rmse?.challenger ?? 0), 15);
    expect(rmse?.better).toBe('lower');
  });

  it('computes the verdict from metrics files with a normal approximation from their standard deviations', () => {
    // Given: two statistics.json-like metric sets
    const metrics = (auc: number, sd: number): GateModel => ({
      kind: 'metrics',
      metrics: {
        problemType: 'BinaryClassification',
        itemCount: 1000,
        values: { auc },
        standardDeviations: { auc: sd },
      },
    });
    // When
    const clear = evaluateGate(metrics(0.8, 0.005), metrics(0.85, 0.005), { minImprovement: { auc: 0.01 } });
    const close = evaluateGate(metrics(0.8, 0.01), metrics(0.815, 0.01), { minImprovement: { auc: 0.01 } });
    const point = evaluateGate(metrics(0.8, Number.NaN), metrics(0.815, Number.NaN), {
      minImprovement: { auc: 0.01 },
    });
    // Then: 0.05 +/- 1.96 * sqrt(2) * 0.005 = [0.036, 0.064]
    expect(clear.verdict).toBe('PROMOTE');
    expect(clear.comparisons[0]?.interval.lower).toBeCloseTo(
      0.05 - 1.959963984540054 * Math.SQRT2 * 0.005,
      12,
    );
    expect(clear.comparisons[0]?.interval.method).toBe('normal-approximation');
    expect(close.verdict).toBe('INCONCLUSIVE');
    expect(point.verdict).toBe('PROMOTE');
    expect(point.comparisons[0]?.interval.method).toBe('point');
    expect(point.paired).toBe(false);
  });

  it('computes a McNemar rejection when the challenger is slightly but significantly less accurate', () => {
    // Given: the challenger copies the champion but is wrong on 60 more rows of 5000 (and right on 20 more)
    const rand = mulberry32(8);
    const labels = Array.from({ length: 5000 }, () => (rand() < 0.5 ? 1 : 0));
    const champ = labels.map((y) => (rand() < 0.9 ? y : 1 - y));
    const chall = champ.map(
      (p, i) => (i < 60 ? 1 - (labels[i] as number) : i < 80 ? labels[i] : p) as number,
    );
    const champion = binarySet(
      labels,
      champ.map((p) => (p === 1 ? 0.9 : 0.1)),
    );
    const challenger = binarySet(
      labels,
      chall.map((p) => (p === 1 ? 0.9 : 0.1)),
    );
    // When
    const result = evaluateGate(predictions(champion), predictions(challenger), {
      maxRegression: { accuracy: 0.02 },
      bootstrap: { samples: 200 },
    });
    // Then
    expect(result.checks.find((c) => c.rule === 'max_regression')?.outcome).toBe('pass');
    expect(result.checks.find((c) => c.rule === 'mcnemar')?.outcome).toBe('fail');
    expect(result.verdict).toBe('REJECT');
  });

  it('throws when the models were not scored on the same evaluation set', () => {
    const [a] = scoredModels(100, [0.8], 9) as [BinaryEvaluationSet];
    const [b] = scoredModels(100, [0.8], 10) as [BinaryEvaluationSet];
    const [c] = scoredModels(99, [0.8], 9) as [BinaryEvaluationSet];
    expect(() => evaluateGate(predictions(a), predictions(b), RULES)).toThrow(
      /labels differ at usable row \d+/,
    );
    expect(() => evaluateGate(predictions(a), predictions(c), RULES)).toThrow(
      /they have 100 and 99 usable rows/,
    );
  });

  it('throws when the problem types differ or do not match the configuration', () => {
    const [a] = scoredModels(10, [0.8], 1) as [BinaryEvaluationSet];
    const r = regressionSet([1, 2], [1, 2]);
    expect(() => evaluateGate(predictions(a), { kind: 'predictions', set: r }, RULES)).toThrow(
      /champion is BinaryClassification but challenger is Regression/,
    );
    expect(() => evaluateGate(predictions(a), predictions(a), RULES, 'Regression')).toThrow(
      QualityInputError,
    );
  });

  it('throws when a rule names an unknown metric or there is no rule', () => {
    const [a] = scoredModels(10, [0.8], 1) as [BinaryEvaluationSet];
    expect(() => evaluateGate(predictions(a), predictions(a), { floors: { rmse: 1 } })).toThrow(
      /"rmse" is not a BinaryClassification metric/,
    );
    expect(() => evaluateGate(predictions(a), predictions(a), {})).toThrow(/expected at least one rule/);
  });
});

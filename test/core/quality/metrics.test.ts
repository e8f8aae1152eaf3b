import { describe, expect, it } from 'vitest';
import {
  binaryConfusion,
  binaryMetrics,
  binaryRanking,
  fBeta,
  multiclassConfusion,
  multiclassMetrics,
  regressionMetrics,
} from '../../../functions/core/quality/metrics.js';
import { precisionRecallCurve, rocCurve } from '../../../functions/core/quality/ranking.js';
import {
  type BinaryCase,
  binarySet,
  close,
  labelOnlySet,
  multiclassSet,
  REFERENCE,
  regressionSet,
  repeatRows,
} from './support.js';

// Expected values: test/fixtures/quality/reference-values.json, computed with scikit-learn 1.2 by
// `/usr/bin/python3 scripts/reference/model-quality.py` (the conventions are in that script's docstring).

function setOf(c: BinaryCase) {
  const hasScores = c.scores.some((s, i) => s !== c.predicted[i]);
  return hasScores ? binarySet(c.labels, c.scores, c.threshold) : labelOnlySet(c.labels, c.predicted);
}

describe('binaryMetrics', () => {
  it.each(REFERENCE.binary.map((c) => [c.name, c] as const))('computes the sklearn values for %s', (_, c) => {
    // Given
    const set = setOf(c);
    // When
    const m = binaryMetrics(set, c.weights);
    const confusion = binaryConfusion(set, c.weights);
    // Then
    const e = c.expected;
    expect(confusion).toEqual(e.confusion);
    for (const key of [
      'accuracy',
      'precision',
      'recall',
      'f0_5',
      'f1',
      'f2',
      'false_positive_rate',
      'auc',
      'au_prc',
    ]) {
      expect(close(m[key], e[key] as number | undefined), `${key}: ${m[key]} vs ${e[key]}`).toBe(true);
    }
    expect(close(m.true_positive_rate, e.recall as number)).toBe(true);
    expect(close(m.true_negative_rate, e.true_negative_rate_sklearn as number | null)).toBe(true);
    expect(close(m.false_negative_rate, e.false_negative_rate_sklearn as number | null)).toBe(true);
    for (const key of ['precision', 'recall', 'accuracy', 'f0_5', 'f1', 'f2']) {
      expect(close(m[`${key}_best_constant_classifier`], e.best_constant[key])).toBe(true);
    }
  });

  it("computes Model Monitor's documented binary example exactly", () => {
    // Given: the example in the Model Monitor developer guide (model-monitor-model-quality-metrics): TN 1, FP 2,
    // FN 0, TP 1
    const set = binarySet([0, 0, 0, 1], [0.1, 0.6, 0.7, 0.9]);
    // When
    const m = binaryMetrics(set);
    // Then: the documented values, digit for digit
    expect(m).toMatchObject({
      recall: 1.0,
      precision: 0.3333333333333333,
      accuracy: 0.5,
      recall_best_constant_classifier: 1.0,
      precision_best_constant_classifier: 0.25,
      accuracy_best_constant_classifier: 0.25,
      true_positive_rate: 1.0,
      true_negative_rate: 0.33333333333333337,
      false_positive_rate: 0.6666666666666666,
      false_negative_rate: 0.0,
      f0_5: 0.3846153846153846,
      f1: 0.5,
      f2: 0.7142857142857143,
      f0_5_best_constant_classifier: 0.29411764705882354,
      f1_best_constant_classifier: 0.4,
      f2_best_constant_classifier: 0.625,
    });
  });

  it('computes weighted metrics equal to the metrics of the repeated rows', () => {
    // Given: integer weights, as a bootstrap resample produces
    const c = REFERENCE.binary.find((x) => x.weights !== undefined) as BinaryCase;
    const weights = c.weights as number[];
    const repeated = binarySet(repeatRows(c.labels, weights), repeatRows(c.scores, weights), c.threshold);
    // When
    const weighted = binaryMetrics(setOf(c), weights);
    const expanded = binaryMetrics(repeated);
    // Then
    for (const [key, value] of Object.entries(expanded)) expect(close(weighted[key], value)).toBe(true);
  });

  it('computes NaN AUC and AU-PRC when a class is missing', () => {
    const m = binaryMetrics(binarySet([0, 0, 0], [0.2, 0.4, 0.9]));
    expect(m.auc).toBeNaN();
    expect(m.au_prc).toBeNaN();
    expect(m.precision).toBe(0);
    expect(m.recall).toBe(0);
  });
});

describe('rocCurve and precisionRecallCurve', () => {
  it('computes the ROC curve of sklearn.metrics.roc_curve(drop_intermediate=False)', () => {
    for (const c of REFERENCE.binary.filter((x) => x.expected.roc !== undefined && x.weights === undefined)) {
      const roc = rocCurve(binaryRanking(setOf(c)), 100_000);
      const e = c.expected.roc as { false_positive_rates: number[]; true_positive_rates: number[] };
      expect(roc.false_positive_rates.length, c.name).toBe(e.false_positive_rates.length);
      roc.false_positive_rates.forEach((v, i) => {
        expect(close(v, e.false_positive_rates[i])).toBe(true);
      });
      roc.true_positive_rates.forEach((v, i) => {
        expect(close(v, e.true_positive_rates[i])).toBe(true);
      });
    }
  });

  it("computes Spark's precision-recall curve", () => {
    const c = REFERENCE.binary.find((x) => x.expected.pr_curve !== undefined) as BinaryCase;
    const pr = precisionRecallCurve(binaryRanking(setOf(c)), 100_000);
    const e = c.expected.pr_curve as { precisions: number[]; recalls: number[] };
    expect(pr.precisions.length).toBe(e.precisions.length);
    pr.precisions.forEach((v, i) => {
      expect(close(v, e.precisions[i])).toBe(true);
    });
    pr.recalls.forEach((v, i) => {
      expect(close(v, e.recalls[i])).toBe(true);
    });
  });

  it('computes at most maxPoints points plus the start, keeping the last', () => {
    const c = REFERENCE.binary[1] as BinaryCase;
    const ranking = binaryRanking(setOf(c));
    const roc = rocCurve(ranking, 10);
    expect(roc.false_positive_rates).toHaveLength(11);
    expect(roc.false_positive_rates.at(-1)).toBe(1);
    expect(roc.true_positive_rates.at(-1)).toBe(1);
    expect(precisionRecallCurve(ranking, 10).recalls).toHaveLength(11);
  });
});

describe('fBeta', () => {
  it('computes (1 + b^2) P R / (b^2 P + R) and 0 when both are 0', () => {
    expect(fBeta(0.5, 1, 1)).toBeCloseTo(2 / 3, 15);
    expect(fBeta(0, 0, 2)).toBe(0);
  });
});

describe('multiclassMetrics', () => {
  it.each(REFERENCE.multiclass.map((c) => [c.name, c] as const))(
    'computes the sklearn values for %s',
    (_, c) => {
      // Given
      const set = multiclassSet(c.labels, c.predicted);
      // When
      const m = multiclassMetrics(set, c.weights);
      const matrix = multiclassConfusion(set, c.weights);
      // Then
      const e = c.expected;
      expect(set.classes).toEqual(e.classes);
      expect(Array.from(matrix)).toEqual(e.confusion.flat());
      for (const key of [
        'accuracy',
        'weighted_precision',
        'weighted_recall',
        'weighted_f0_5',
        'weighted_f1',
        'weighted_f2',
      ]) {
        expect(close(m[key], e[key]), `${key}: ${m[key]} vs ${e[key]}`).toBe(true);
        expect(close(m[`${key}_best_constant_classifier`], e[`best_constant_${key}`])).toBe(true);
      }
    },
  );

  it("computes Model Monitor's documented multiclass example", () => {
    // Given: the documented confusion matrix {"0":{"0":1180,"1":510},"1":{"0":268,"1":138}} (actual -> predicted)
    const c = REFERENCE.multiclass.find((x) => x.name === 'model-monitor-doc-example');
    const set = multiclassSet(c?.labels ?? [], c?.predicted ?? []);
    // When
    const m = multiclassMetrics(set);
    // Then: the documented values (the doc's *_best_constant_classifier values are not self-consistent)
    expect(m.accuracy).toBeCloseTo(0.6288167938931297, 15);
    expect(m.weighted_recall).toBeCloseTo(0.6288167938931297, 15);
    expect(m.weighted_precision).toBeCloseTo(0.6983172269629505, 15);
    expect(m.weighted_f0_5).toBeCloseTo(0.6803947317178771, 15);
    expect(m.weighted_f1).toBeCloseTo(0.6571162346664904, 15);
    expect(m.weighted_f2).toBeCloseTo(0.6384024354394601, 15);
  });
});

describe('regressionMetrics', () => {
  it.each(REFERENCE.regression.map((c) => [c.name, c] as const))(
    'computes the sklearn values for %s',
    (_, c) => {
      const m = regressionMetrics(regressionSet(c.labels, c.predicted), c.weights);
      for (const key of ['mae', 'mse', 'rmse', 'r2']) {
        expect(close(m[key], c.expected[key]), `${key}: ${m[key]} vs ${c.expected[key]}`).toBe(true);
      }
    },
  );
});

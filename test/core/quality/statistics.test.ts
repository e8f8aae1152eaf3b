import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEvaluationSet } from '../../../functions/core/quality/dataset.js';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import {
  modelQualityStatistics,
  readMetricValues,
  sampleStd,
  subsampleStandardDeviations,
} from '../../../functions/core/quality/statistics.js';
import { binarySet, close, multiclassSet, REFERENCE, regressionSet } from './support.js';

const CHURN_CSV = 'test/fixtures/model-monitor-outputs/churn-model-quality/validation_with_predictions.csv';
const REGRESSION_FILE =
  'test/fixtures/model-monitor-outputs/model-card-metrics/model_monitor_model_quality_regression.json';

function churnSet(threshold = 0.8) {
  const [, ...rows] = readFileSync(CHURN_CSV, 'utf8').trim().split('\n');
  const pairs = rows.map((line) => {
    const [probability, prediction, label] = line.split(',');
    return { probability: probability ?? null, prediction: prediction ?? null, label: label ?? null };
  });
  return buildEvaluationSet(pairs, { problemType: 'BinaryClassification', probabilityThreshold: threshold })
    .set;
}

describe('modelQualityStatistics', () => {
  it("computes the churn baseline's metrics as sklearn does (AWS's churn model-quality CSV, threshold 0.8)", () => {
    // Given: the notebook's validation_with_predictions.csv; its prediction column is probability >= 0.8
    expect(REFERENCE.churn.prediction_column_matches).toBe(true);
    const set = churnSet();
    // When
    const stats = modelQualityStatistics(set, { evaluationTime: '2026-11-26T00:00:00Z' });
    // Then
    const m = stats.binary_classification_metrics as Record<string, { value: number }>;
    const e = REFERENCE.churn.expected;
    expect(stats.dataset).toEqual({ item_count: 201, evaluation_time: '2026-11-26T00:00:00Z' });
    expect(stats.binary_classification_metrics?.confusion_matrix).toEqual({
      '0': { '0': e.confusion.tn, '1': e.confusion.fp },
      '1': { '0': e.confusion.fn, '1': e.confusion.tp },
    });
    for (const key of ['accuracy', 'precision', 'recall', 'f0_5', 'f1', 'f2', 'auc', 'au_prc']) {
      expect(close(m[key]?.value, e[key] as number), key).toBe(true);
    }
  });

  it("computes Model Monitor's key order with the curves before auc", () => {
    const stats = modelQualityStatistics(churnSet());
    expect(Object.keys(stats)).toEqual(['version', 'dataset', 'binary_classification_metrics']);
    expect(Object.keys(stats.binary_classification_metrics ?? {})).toEqual([
      'confusion_matrix',
      'recall',
      'precision',
      'accuracy',
      'recall_best_constant_classifier',
      'precision_best_constant_classifier',
      'accuracy_best_constant_classifier',
      'true_positive_rate',
      'true_negative_rate',
      'false_positive_rate',
      'false_negative_rate',
      'receiver_operating_characteristic_curve',
      'precision_recall_curve',
      'auc',
      'au_prc',
      'f0_5',
      'f1',
      'f2',
      'f0_5_best_constant_classifier',
      'f1_best_constant_classifier',
      'f2_best_constant_classifier',
    ]);
  });

  it('computes "NaN" standard deviations below 200 rows and numbers from 200', () => {
    // Given
    const small = binarySet([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.1]);
    // When
    const smallStats = modelQualityStatistics(small);
    const churnStats = modelQualityStatistics(churnSet());
    // Then
    const s = smallStats.binary_classification_metrics as Record<string, { standard_deviation: unknown }>;
    const c = churnStats.binary_classification_metrics as Record<string, { standard_deviation: unknown }>;
    expect(s.accuracy?.standard_deviation).toBe('NaN');
    expect(typeof c.accuracy?.standard_deviation).toBe('number');
    expect(c.accuracy?.standard_deviation).toBeGreaterThan(0);
    expect(JSON.stringify(smallStats)).not.toContain('null');
  });

  it('computes the same standard deviations for the same seed and different ones for another seed', () => {
    const set = churnSet();
    const a = subsampleStandardDeviations(set, { seed: 1 });
    expect(subsampleStandardDeviations(set, { seed: 1 })).toEqual(a);
    expect(subsampleStandardDeviations(set, { seed: 2 }).accuracy).not.toBe(a.accuracy);
  });

  it('computes the multiclass and regression files', () => {
    const multi = modelQualityStatistics(multiclassSet(['a', 'b', 'b'], ['a', 'b', 'a']));
    expect(multi.multiclass_classification_metrics?.confusion_matrix).toEqual({
      a: { a: 1, b: 0 },
      b: { a: 1, b: 1 },
    });
    const reg = modelQualityStatistics(regressionSet([1, 2, 3], [1, 2, 4]));
    expect(Object.keys(reg.regression_metrics ?? {})).toEqual(['mae', 'mse', 'rmse', 'r2']);
  });

  it('throws when the standard deviation settings are unusable', () => {
    expect(() => subsampleStandardDeviations(churnSet(), { subsamples: 1 })).toThrow(QualityInputError);
    expect(() => subsampleStandardDeviations(churnSet(), { fraction: 0 })).toThrow(/fraction/);
  });
});

describe('sampleStd', () => {
  it('computes the n - 1 standard deviation and NaN for fewer than 2 values', () => {
    expect(sampleStd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(sampleStd([1])).toBeNaN();
  });
});

describe('readMetricValues', () => {
  it("reads a real Model Monitor regression statistics.json (the SDK's model-card fixture)", () => {
    // Given
    const doc = JSON.parse(readFileSync(REGRESSION_FILE, 'utf8'));
    // When
    const metrics = readMetricValues(doc, REGRESSION_FILE);
    // Then
    expect(metrics.problemType).toBe('Regression');
    expect(metrics.itemCount).toBe(627);
    expect(metrics.values).toEqual({
      mae: 1.5915896386811228,
      mse: 5.030463318378965,
      rmse: 2.2428694385494143,
      r2: 0.23671182319828743,
    });
    expect(metrics.standardDeviations.rmse).toBe(0.04254133766539425);
  });

  it('reads "NaN" values and standard deviations as NaN', () => {
    const m = readMetricValues(
      { version: 0, binary_classification_metrics: { auc: { value: 'NaN', standard_deviation: 'NaN' } } },
      'x',
    );
    expect(m.values.auc).toBeNaN();
    expect(m.standardDeviations.auc).toBeNaN();
  });

  it('throws when the file has no metrics key', () => {
    expect(() => readMetricValues({ version: 0, features: [] }, 'stats.json')).toThrow(
      /stats.json: expected exactly one of binary_classification_metrics/,
    );
  });

  it('throws when a metric value is not a number', () => {
    expect(() => readMetricValues({ regression_metrics: { mae: { value: 'big' } } }, 'stats.json')).toThrow(
      /regression_metrics.mae.value: expected a number or "NaN"/,
    );
  });

  it('throws when the dataset block is malformed', () => {
    expect(() =>
      readMetricValues({ dataset: { item_count: -1 }, regression_metrics: {} }, 'stats.json'),
    ).toThrow(/stats.json: not a model-quality statistics.json: dataset.item_count/);
  });
});

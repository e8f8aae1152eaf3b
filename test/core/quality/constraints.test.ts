import { describe, expect, it } from 'vitest';
import {
  checkModelQualityConstraints,
  constraintsFromThresholds,
  defaultOperator,
  parseModelQualityConstraints,
  suggestModelQualityConstraints,
  toModelQualityViolationsFile,
} from '../../../functions/core/quality/constraints.js';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import type { MetricValues } from '../../../functions/core/quality/statistics.js';

const binary = (values: Record<string, number>): MetricValues => ({
  problemType: 'BinaryClassification',
  itemCount: 100,
  values,
  standardDeviations: {},
});

describe('suggestModelQualityConstraints', () => {
  it('computes one constraint per directed metric at the baseline value', () => {
    // Given
    const baseline = binary({
      accuracy: 0.9,
      auc: 0.95,
      false_positive_rate: 0.1,
      au_prc: Number.NaN,
      f1_best_constant_classifier: 0.4,
    });
    // When
    const file = suggestModelQualityConstraints(baseline);
    // Then: NaN and undirected (best-constant) metrics are left out; error metrics use GreaterThanThreshold
    expect(file).toEqual({
      version: 0,
      binary_classification_constraints: {
        accuracy: { threshold: 0.9, comparison_operator: 'LessThanThreshold' },
        auc: { threshold: 0.95, comparison_operator: 'LessThanThreshold' },
        false_positive_rate: { threshold: 0.1, comparison_operator: 'GreaterThanThreshold' },
      },
    });
  });
});

describe('checkModelQualityConstraints', () => {
  it('computes violations with the operator as check type and a Model Monitor description', () => {
    // Given
    const constraints = constraintsFromThresholds('BinaryClassification', {
      auc: { threshold: 0.9, comparisonOperator: 'LessThanThreshold' },
      false_positive_rate: { threshold: 0.2, comparisonOperator: 'GreaterThanThreshold' },
      accuracy: { threshold: 0.8, comparisonOperator: 'LessThanThreshold' },
    });
    // When
    const check = checkModelQualityConstraints(
      binary({ auc: 0.85, false_positive_rate: 0.25, accuracy: 0.8 }),
      constraints,
    );
    // Then: equality (accuracy 0.8) does not violate
    expect(check.violations).toEqual([
      {
        metric_name: 'auc',
        constraint_check_type: 'LessThanThreshold',
        description: 'Metric auc with 0.85 was LessThanThreshold 0.9',
      },
      {
        metric_name: 'false_positive_rate',
        constraint_check_type: 'GreaterThanThreshold',
        description: 'Metric false_positive_rate with 0.25 was GreaterThanThreshold 0.2',
      },
    ]);
    expect(toModelQualityViolationsFile(check.violations).violations).toHaveLength(2);
  });

  it('computes unchecked entries for NaN and missing metrics', () => {
    const constraints = constraintsFromThresholds('BinaryClassification', {
      auc: { threshold: 0.9, comparisonOperator: 'LessThanThreshold' },
      recall: { threshold: 0.5, comparisonOperator: 'LessThanThreshold' },
    });
    const check = checkModelQualityConstraints(binary({ auc: Number.NaN }), constraints);
    expect(check.violations).toEqual([]);
    expect(check.unchecked.map((u) => u.metric)).toEqual(['auc', 'recall']);
  });

  it('throws when the constraints are for another problem type', () => {
    const constraints = constraintsFromThresholds('Regression', {
      mae: { threshold: 1, comparisonOperator: 'GreaterThanThreshold' },
    });
    expect(() => checkModelQualityConstraints(binary({ auc: 0.9 }), constraints)).toThrow(
      /constraints are for Regression \(regression_constraints\) but the metrics are BinaryClassification/,
    );
  });
});

describe('defaultOperator', () => {
  it('computes GreaterThanThreshold for error metrics only', () => {
    expect(defaultOperator('Regression', 'rmse')).toBe('GreaterThanThreshold');
    expect(defaultOperator('Regression', 'r2')).toBe('LessThanThreshold');
  });
});

describe('parseModelQualityConstraints', () => {
  it('reads a constraints file', () => {
    const file = parseModelQualityConstraints(
      {
        version: 0.0,
        regression_constraints: { mae: { threshold: 2, comparison_operator: 'GreaterThanThreshold' } },
      },
      'c.json',
    );
    expect(file.regression_constraints?.mae?.threshold).toBe(2);
  });

  it('throws when an operator is unknown', () => {
    expect(() =>
      parseModelQualityConstraints(
        { binary_classification_constraints: { auc: { threshold: 0.9, comparison_operator: 'LessThan' } } },
        'c.json',
      ),
    ).toThrow(
      /c.json: binary_classification_constraints.auc.comparison_operator: expected "LessThanThreshold"/,
    );
  });

  it('throws when the file is a data-quality constraints.json', () => {
    expect(() => parseModelQualityConstraints({ version: 0, features: [] }, 'c.json')).toThrow(
      QualityInputError,
    );
  });
});

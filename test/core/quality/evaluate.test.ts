import { describe, expect, it } from 'vitest';
import { ModelQualityConfigSchema } from '../../../functions/core/config/quality-schema.js';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import { evaluateModelQuality, qualitySettingsFromConfig } from '../../../functions/core/quality/evaluate.js';
import type { GroundTruthLabel } from '../../../functions/core/quality/ground-truth.js';
import type { CapturedPrediction } from '../../../functions/core/quality/predictions.js';

const captures: CapturedPrediction[] = [
  { key: 'a', prediction: null, probability: '0.9', line: 1 },
  { key: 'b', prediction: null, probability: '0.2', line: 2 },
  { key: 'c', prediction: null, probability: '0.7', line: 3 },
  { key: 'd', prediction: null, probability: 'oops', line: 4 },
];
const labels: GroundTruthLabel[] = [
  { eventId: 'a', label: '1', line: 1 },
  { eventId: 'b', label: '0', line: 2 },
  { eventId: 'c', label: '0', line: 3 },
  { eventId: 'd', label: '1', line: 4 },
];

describe('evaluateModelQuality', () => {
  it('computes the join, the statistics and the violations of a window', () => {
    // Given: 3 usable pairs (accuracy 2/3) and a constraint accuracy >= 0.8
    const config = ModelQualityConfigSchema.parse({
      problemType: 'BinaryClassification',
      probabilityAttribute: 'prediction',
      minSamples: 3,
      thresholds: { accuracy: { threshold: 0.8 } },
    });
    const { settings } = qualitySettingsFromConfig(config, undefined);
    // When
    const result = evaluateModelQuality(captures, labels, settings);
    // Then
    expect(result.join?.matched).toBe(4);
    expect(result).toMatchObject({ evaluated: 3, rejectedPairs: 1, checked: true, minSamples: 3 });
    expect(result.pairRejections[0]?.reason).toBe('probability "oops" is not a number in [0, 1]');
    expect(result.check.violations).toEqual([
      {
        metric_name: 'accuracy',
        constraint_check_type: 'LessThanThreshold',
        description: 'Metric accuracy with 0.6666666666666666 was LessThanThreshold 0.8',
      },
    ]);
  });

  it('computes no check below minSamples', () => {
    const config = ModelQualityConfigSchema.parse({
      problemType: 'BinaryClassification',
      thresholds: { accuracy: { threshold: 0.8 } },
    });
    const { settings } = qualitySettingsFromConfig(config, { s3Uri: 's3://b/gt/', lookbackHours: 6 });
    const result = evaluateModelQuality(captures.slice(0, 3), labels, settings);
    expect(settings).toMatchObject({ minSamples: 30, lookbackHours: 6 });
    expect(result.checked).toBe(false);
    expect(result.check.violations).toEqual([]);
  });

  it('throws when nothing joins', () => {
    expect(() => evaluateModelQuality(captures, [], { problemType: 'BinaryClassification' })).toThrow(
      QualityInputError,
    );
  });
});

describe('qualitySettingsFromConfig', () => {
  it('computes prediction attributes, label attribute and constraints from the configuration', () => {
    const config = ModelQualityConfigSchema.parse({
      problemType: 'Regression',
      inferenceAttribute: 'score',
      thresholds: { rmse: { threshold: 2 } },
    });
    const result = qualitySettingsFromConfig(config, {
      s3Uri: 's3://b/gt/',
      lookbackHours: 24,
      labelAttribute: '$.y',
    });
    expect(result.attributes).toEqual({ inferenceAttribute: 'score' });
    expect(result.labelAttribute).toBe('$.y');
    expect(result.settings.constraints).toEqual({
      version: 0,
      regression_constraints: { rmse: { threshold: 2, comparison_operator: 'GreaterThanThreshold' } },
    });
  });
});

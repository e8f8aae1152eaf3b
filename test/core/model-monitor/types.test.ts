import { describe, expect, it } from 'vitest';
import {
  applyMonitoringConfigOverrides,
  DEFAULT_MONITORING_CONFIG,
  parseConstraintsFile,
  parseStatisticsFile,
  parseViolationsFile,
} from '../../../functions/core/model-monitor/types.js';
import { BaselineError, InputError } from '../../../functions/errors.js';
import { readFixtureJson } from './support.js';

const QC = 'sdk-quality-check-data-quality';
const MON = 'sdk-tests-monitor';

describe('parseStatisticsFile', () => {
  it('computes the numeric features of a real Model Monitor statistics.json', () => {
    // Given the QualityCheck step's baseline statistics (version 0.0, k written as 2048.0)
    const json = readFixtureJson(`${QC}/statistics.json`);
    // When parsed
    const s = parseStatisticsFile(json, 'statistics.json');
    // Then the shape is kept field by field
    expect(s.version).toBe(0);
    expect(s.dataset.item_count).toBe(100);
    expect(s.features.map((f) => [f.name, f.inferred_type])).toEqual(
      ['_c0', '_c1', '_c2', '_c3', '_c4', '_c5'].map((n) => [n, 'Fractional']),
    );
    const c0 = s.features[0]?.numerical_statistics;
    expect(c0?.common).toEqual({ num_present: 100, num_missing: 0 });
    expect(c0?.std_dev).toBe(0.8330066026148891);
    expect(c0?.distribution?.kll.buckets).toHaveLength(10);
    expect(c0?.distribution?.kll.sketch?.parameters).toEqual({ c: 0.64, k: 2048 });
    expect(c0?.distribution?.kll.sketch?.data[0]).toHaveLength(100);
  });

  it('computes the string features of a real statistics.json', () => {
    // Given the SDK's preprocessor-test statistics (one String feature, distinct_count written as 1.0)
    const s = parseStatisticsFile(readFixtureJson(`${MON}/statistics.json`), 'statistics.json');
    // Then
    expect(s).toEqual({
      version: 0,
      dataset: { item_count: 418 },
      features: [
        {
          name: 'message',
          inferred_type: 'String',
          string_statistics: {
            common: { num_present: 418, num_missing: 0 },
            distinct_count: 1,
            distribution: {
              categorical: { buckets: [{ value: 'preproc-not-YET-supported-for-csv-json', count: 418 }] },
            },
          },
        },
      ],
    });
  });

  it('computes NaN from the "NaN" strings Jackson writes', () => {
    // Given a numeric feature whose statistics Jackson wrote as strings
    const json = {
      version: 0,
      dataset: { item_count: 0 },
      features: [
        {
          name: 'x',
          inferred_type: 'Fractional',
          numerical_statistics: {
            common: { num_present: 0, num_missing: 0 },
            mean: 'NaN',
            std_dev: 'Infinity',
          },
        },
      ],
    };
    // When parsed
    const f = parseStatisticsFile(json, 's.json').features[0];
    // Then
    expect(f?.numerical_statistics?.mean).toBeNaN();
    expect(f?.numerical_statistics?.std_dev).toBe(Number.POSITIVE_INFINITY);
  });

  it.each<[string, unknown, RegExp]>([
    [
      'inferred_type is not a Model Monitor type',
      { dataset: { item_count: 1 }, features: [{ name: 'x', inferred_type: 'Boolean' }] },
      /s\.json: features\[0\]\.inferred_type: /,
    ],
    ['dataset.item_count is missing', { dataset: {}, features: [] }, /s\.json: dataset\.item_count: /],
    [
      'a count is negative',
      {
        dataset: { item_count: 1 },
        features: [
          {
            name: 'x',
            inferred_type: 'String',
            string_statistics: { common: { num_present: -1, num_missing: 0 } },
          },
        ],
      },
      /s\.json: features\[0\]\.string_statistics\.common\.num_present: /,
    ],
    [
      'a feature name is listed twice',
      {
        dataset: { item_count: 1 },
        features: [
          { name: 'x', inferred_type: 'Unknown' },
          { name: 'x', inferred_type: 'Unknown' },
        ],
      },
      /s\.json: features\[1\]\.name: feature "x" is listed twice/,
    ],
    ['the document is not an object', [], /s\.json: \(root\): /],
  ])('throws when %s', (_label, json, message) => {
    // Given a malformed document / When parsed / Then a BaselineError names the source and field
    expect(() => parseStatisticsFile(json, 's.json')).toThrow(BaselineError);
    expect(() => parseStatisticsFile(json, 's.json')).toThrow(message);
  });
});

describe('parseConstraintsFile', () => {
  it('computes the constraints of a real suggested constraints.json', () => {
    // Given Model Monitor's suggested constraints for the QualityCheck baseline
    const c = parseConstraintsFile(readFixtureJson(`${QC}/constraints.good.json`), 'constraints.json');
    // Then every field is read as written
    expect(c.version).toBe(0);
    expect(c.features).toHaveLength(6);
    expect(c.features[5]).toEqual({
      name: '_c5',
      inferred_type: 'Fractional',
      completeness: 1,
      num_constraints: { is_non_negative: true },
    });
    expect(c.monitoring_config).toEqual({
      evaluate_constraints: 'Enabled',
      emit_metrics: 'Enabled',
      datatype_check_threshold: 1,
      domain_content_threshold: 1,
      distribution_constraints: {
        perform_comparison: 'Enabled',
        comparison_threshold: 0.1,
        comparison_method: 'Robust',
      },
    });
  });

  it('computes the failing case of the SDK test: _c5 declared String', () => {
    // Given constraints.bad.json
    const c = parseConstraintsFile(readFixtureJson(`${QC}/constraints.bad.json`), 'constraints.json');
    // Then
    expect(c.features[5]?.inferred_type).toBe('String');
  });

  it('computes the legacy shapes of the SDK monitor-test constraints.json', () => {
    // Given overrides nested in string_constraints and enable_comparisons/min_domain_mass
    const c = parseConstraintsFile(readFixtureJson(`${MON}/constraints.json`), 'constraints.json');
    // Then overrides move to monitoringConfigOverrides, enable_comparisons becomes perform_comparison,
    // min_domain_mass is dropped and absent thresholds take Model Monitor's suggested values
    expect(c.features).toEqual([
      {
        name: 'message',
        inferred_type: 'String',
        completeness: 1,
        string_constraints: { domains: ['preproc-not-YET-supported-for-csv-json'] },
        monitoringConfigOverrides: { evaluate_constraints: 'Enabled', emit_metrics: 'Enabled' },
      },
      {
        name: 'second_message',
        inferred_type: 'String',
        completeness: 1,
        string_constraints: { domains: ['preproc-not-YET-supported-for-csv-json'] },
      },
    ]);
    expect(c.monitoring_config).toEqual({
      evaluate_constraints: 'Enabled',
      emit_metrics: 'Enabled',
      datatype_check_threshold: 1,
      domain_content_threshold: 1,
      distribution_constraints: {
        perform_comparison: 'Enabled',
        comparison_threshold: 1,
        comparison_method: 'Robust',
      },
    });
  });

  it.each([
    ['linf_simple', 'Simple'],
    ['linf_robust', 'Robust'],
    ['Simple', 'Simple'],
  ])('computes comparison_method %s as %s', (written, expected) => {
    // Given the docs' table spelling / When parsed / Then the enum value
    const c = parseConstraintsFile(
      { features: [], monitoring_config: { distribution_constraints: { comparison_method: written } } },
      'c.json',
    );
    expect(c.monitoring_config.distribution_constraints.comparison_method).toBe(expected);
  });

  it('computes the categorical settings and per-feature monitoringConfigOverrides', () => {
    // Given the documented per-feature overrides and the categorical drift settings
    const c = parseConstraintsFile(
      {
        version: 0,
        features: [
          {
            name: 'g',
            inferred_type: 'String',
            monitoringConfigOverrides: {
              distribution_constraints: { categorical_comparison_threshold: 0.3 },
            },
          },
        ],
        monitoring_config: {
          distribution_constraints: { categorical_drift_method: 'ChiSquared', enable_comparisons: false },
        },
      },
      'c.json',
    );
    // Then
    expect(c.features[0]?.monitoringConfigOverrides).toEqual({
      distribution_constraints: { categorical_comparison_threshold: 0.3 },
    });
    expect(c.monitoring_config.distribution_constraints).toEqual({
      perform_comparison: 'Disabled',
      comparison_threshold: 0.1,
      comparison_method: 'Robust',
      categorical_drift_method: 'ChiSquared',
    });
  });

  it.each<[string, unknown, RegExp]>([
    [
      'completeness is above 1',
      { features: [{ name: 'x', inferred_type: 'Integral', completeness: 1.5 }] },
      /c\.json: features\[0\]\.completeness: /,
    ],
    ['features is missing', { monitoring_config: {} }, /c\.json: features: /],
    [
      'evaluate_constraints is not Enabled/Disabled',
      { features: [], monitoring_config: { evaluate_constraints: 'yes' } },
      /c\.json: monitoring_config\.evaluate_constraints: /,
    ],
    [
      'categorical_drift_method is unknown',
      { features: [], monitoring_config: { distribution_constraints: { categorical_drift_method: 'KS' } } },
      /c\.json: monitoring_config\.distribution_constraints\.categorical_drift_method: /,
    ],
    [
      'a feature name is listed twice',
      {
        features: [
          { name: 'x', inferred_type: 'String' },
          { name: 'x', inferred_type: 'String' },
        ],
      },
      /c\.json: features\[1\]\.name: feature "x" is listed twice/,
    ],
  ])('throws when %s', (_label, json, message) => {
    // Given a malformed document / When parsed / Then a BaselineError names the source and field
    expect(() => parseConstraintsFile(json, 'c.json')).toThrow(BaselineError);
    expect(() => parseConstraintsFile(json, 'c.json')).toThrow(message);
  });
});

describe('parseViolationsFile', () => {
  it('computes the violations of a real data-quality constraint_violations.json', () => {
    // Given the SDK's violations file (older "Value: X does not meet the constraint requirement! " wording)
    const v = parseViolationsFile(readFixtureJson(`${MON}/constraint_violations.json`), 'v.json');
    // Then
    expect(v.violations).toHaveLength(7);
    expect(v.violations[3]).toEqual({
      feature_name: 'congestion_surcharge',
      constraint_check_type: 'completeness_check',
      description: 'Value: 0.0 does not meet the constraint requirement! ',
    });
  });

  it.each([
    [
      'a bias-drift violations file (no feature_name)',
      'clarify-bias-endpoint-jsonlines/constraint_violations.json',
      /v\.json: violations\[0\]\.feature_name: /,
    ],
    [
      'a custom container violations file (no description)',
      'byoc-nlp-mmd/constraints_violations.json',
      /v\.json: violations\[0\]\.description: /,
    ],
  ])('throws when given %s', (_label, path, message) => {
    // Given a real violations file of another shape / When parsed / Then an InputError names the field
    const json = readFixtureJson(path);
    expect(() => parseViolationsFile(json, 'v.json')).toThrow(InputError);
    expect(() => parseViolationsFile(json, 'v.json')).toThrow(message);
  });
});

describe('applyMonitoringConfigOverrides', () => {
  it('computes the config with each given field replaced, distribution_constraints field by field', () => {
    // Given Model Monitor's suggested config and a partial override
    const base = {
      ...DEFAULT_MONITORING_CONFIG,
      distribution_constraints: { ...DEFAULT_MONITORING_CONFIG.distribution_constraints },
    };
    // When applied
    const out = applyMonitoringConfigOverrides(base, {
      datatype_check_threshold: 0.9,
      distribution_constraints: { comparison_threshold: 0.2 },
    });
    // Then only those fields change
    expect(out).toEqual({
      evaluate_constraints: 'Enabled',
      emit_metrics: 'Enabled',
      datatype_check_threshold: 0.9,
      domain_content_threshold: 1,
      distribution_constraints: {
        perform_comparison: 'Enabled',
        comparison_threshold: 0.2,
        comparison_method: 'Robust',
      },
    });
    expect(base.distribution_constraints.comparison_threshold).toBe(0.1);
  });
});

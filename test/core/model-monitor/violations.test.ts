import { describe, expect, it } from 'vitest';
import {
  type ConstraintsFile,
  DEFAULT_MONITORING_CONFIG,
  type FeatureConstraints,
  type MonitoringConfigOverrides,
  parseConstraintsFile,
  parseViolationsFile,
} from '../../../functions/core/model-monitor/types.js';
import {
  checkDataQuality,
  dataTypeDescription,
  driftDescription,
  toViolationsFile,
} from '../../../functions/core/model-monitor/violations.js';
import type { DatasetProfileState } from '../../../functions/core/profile/dataset-profile.js';
import { csvFixtureProfile, profileOf, readFixtureJson, times } from './support.js';

const QC = 'sdk-quality-check-data-quality';

/** Constraints with Model Monitor's suggested monitoring_config and the given overrides. */
function constraints(
  features: FeatureConstraints[],
  config: MonitoringConfigOverrides = {},
): ConstraintsFile {
  return {
    version: 0,
    features,
    monitoring_config: {
      ...DEFAULT_MONITORING_CONFIG,
      ...config,
      distribution_constraints: {
        ...DEFAULT_MONITORING_CONFIG.distribution_constraints,
        ...config.distribution_constraints,
      },
    },
  };
}

function checks(
  c: ConstraintsFile,
  current: DatasetProfileState,
  extra: { driftDistances?: Map<string, number>; currentColumnCount?: number } = {},
) {
  return checkDataQuality({ constraints: c, current, ...extra }).map((v) => [
    v.feature_name,
    v.constraint_check_type,
    v.description,
  ]);
}

describe('driftDescription', () => {
  it('computes the phrase AWS samples parse with `distance: (.+) exceeds threshold: (.+)`', () => {
    // Given a distance over its threshold / When described
    const d = driftDescription(0.25, 0.1);
    // Then the wording is exact and the samples' regex (aws-samples/amazon-sagemaker-drift-detection postprocess_monitor_script.py) reads both numbers back
    expect(d).toBe('Baseline drift distance: 0.25 exceeds threshold: 0.1');
    expect(d).toContain('distance: 0.25 exceeds threshold: 0.1');
    const m = /distance: (.+) exceeds threshold: (.+)/.exec(d);
    expect([Number(m?.[1]), Number(m?.[2])]).toEqual([0.25, 0.1]);
  });

  it('computes whole numbers as Java prints them', () => {
    // Given / When / Then
    expect(driftDescription(1, 0.5)).toBe('Baseline drift distance: 1.0 exceeds threshold: 0.5');
  });
});

describe('dataTypeDescription', () => {
  // Reference: descriptions of real Model Monitor executions quoted in public book excerpts on GitHub (features
  // chas at 0.0%, State_MI at 99.71751412429379% = 353/354, b at 50.0%); see docs/model-monitor-compatibility.md.
  it.each([
    [
      353 / 354,
      'Data type match requirement is not met. Expected data type: Integral, Expected match: 100.0%. Observed: Only 99.71751412429379% of data is Integral.',
    ],
    [
      0.5,
      'Data type match requirement is not met. Expected data type: Integral, Expected match: 100.0%. Observed: Only 50.0% of data is Integral.',
    ],
    [
      0,
      'Data type match requirement is not met. Expected data type: Integral, Expected match: 100.0%. Observed: Only 0.0% of data is Integral.',
    ],
  ])('computes Model Monitor wording for ratio %s', (ratio, expected) => {
    expect(dataTypeDescription('Integral', 1, ratio)).toBe(expected);
  });
});

describe('checkDataQuality', () => {
  const baseline = csvFixtureProfile(`${QC}/baseline_dataset.csv`);

  it('computes no violation for the baseline against its own suggested constraints', () => {
    // Given Model Monitor's constraints.good.json and the data it was suggested from
    const c = parseConstraintsFile(readFixtureJson(`${QC}/constraints.good.json`), 'constraints.good.json');
    // When checked / Then
    expect(checkDataQuality({ constraints: c, current: baseline })).toEqual([]);
  });

  it('computes the data_type_check violation of the SDK failing case (_c5 declared String)', () => {
    // Given constraints.bad.json, where _c5 is String though the data is Fractional
    const c = parseConstraintsFile(readFixtureJson(`${QC}/constraints.bad.json`), 'constraints.bad.json');
    // When checked against the baseline data / Then exactly one violation: no value of _c5 is a string
    expect(checkDataQuality({ constraints: c, current: baseline })).toEqual([
      {
        feature_name: '_c5',
        constraint_check_type: 'data_type_check',
        description:
          'Data type match requirement is not met. Expected data type: String, Expected match: 100.0%. Observed: Only 0.0% of data is String.',
      },
    ]);
  });

  describe('data_type_check', () => {
    it.each<[string, string, (string | null)[], number, number | undefined]>([
      ['one fraction among 354 Integral values', 'Integral', [...times(353, '1'), '1.5'], 1, 353 / 354],
      ['all integers', 'Integral', ['1', '2', '3'], 1, undefined],
      ['missing values (ignored)', 'Integral', ['1', '', null], 1, undefined],
      ['half fractions', 'Integral', ['1', '2.5'], 1, 0.5],
      ['integers in a Fractional column (Deequ counts exact classes)', 'Fractional', ['3', '3.5'], 1, 0.5],
      ['"3.0" in a Fractional column', 'Fractional', ['3.0', '3.5'], 1, undefined],
      ['half fractions at threshold 0.5 (not below)', 'Integral', ['1', '2.5'], 0.5, undefined],
      ['half fractions at threshold 0.6', 'Integral', ['1', '2.5'], 0.6, 0.5],
      ['numbers in a String column', 'String', ['1', 'a', 'b', 'c'], 1, 0.75],
      ['only missing values (no type to check)', 'Integral', ['', ''], 1, undefined],
      ['an Unknown baseline (never checked)', 'Unknown', ['1', 'a'], 1, undefined],
    ])('computes %s', (_label, type, values, threshold, ratio) => {
      // Given a feature of the baseline type, without a completeness constraint
      const c = constraints([{ name: 'x', inferred_type: type as FeatureConstraints['inferred_type'] }], {
        datatype_check_threshold: threshold,
      });
      // When checked
      const got = checks(c, profileOf({ x: values }));
      // Then a violation exactly when ratio (hand-counted) < threshold
      expect(got).toEqual(
        ratio === undefined
          ? []
          : [['x', 'data_type_check', dataTypeDescription(type as 'Integral', threshold, ratio)]],
      );
    });

    it('computes the published wording for 353 Integral values of 354', () => {
      // Given / When
      const c = constraints([{ name: 'State_MI', inferred_type: 'Integral' }]);
      const [v] = checkDataQuality({
        constraints: c,
        current: profileOf({ State_MI: [...times(353, '0'), '0.5'] }),
      });
      // Then the description equals the one Model Monitor wrote for such data
      expect(v?.description).toBe(
        'Data type match requirement is not met. Expected data type: Integral, Expected match: 100.0%. Observed: Only 99.71751412429379% of data is Integral.',
      );
    });
  });

  describe('completeness_check', () => {
    it.each<[number, (string | null)[], string | undefined]>([
      [
        1,
        ['1', '', '3', '4'],
        'Value: 0.75 does not meet the constraint requirement! Completeness should be at least 1.0.',
      ],
      [0.75, ['1', '', '3', '4'], undefined],
      [0.5, ['1', '', '3', '4'], undefined],
      [
        1,
        ['', null],
        'Value: 0.0 does not meet the constraint requirement! Completeness should be at least 1.0.',
      ],
    ])('computes completeness %s against %j', (required, values, description) => {
      // Given a completeness constraint / When checked
      const c = constraints([{ name: 'x', inferred_type: 'Unknown', completeness: required }]);
      // Then a violation exactly when (present / count) < required (hand-computed: 3/4 = 0.75)
      expect(checks(c, profileOf({ x: values }))).toEqual(
        description ? [['x', 'completeness_check', description]] : [],
      );
    });
  });

  describe('baseline_drift_check', () => {
    const numeric: FeatureConstraints = { name: 'x', inferred_type: 'Fractional' };
    const categorical: FeatureConstraints = { name: 'g', inferred_type: 'String' };
    const current = profileOf({ x: ['1.5'], g: ['a'] });

    it.each<[string, FeatureConstraints, number, MonitoringConfigOverrides, number | undefined]>([
      ['a numeric distance over comparison_threshold', numeric, 0.25, {}, 0.1],
      ['a distance equal to the threshold', numeric, 0.1, {}, undefined],
      ['a distance under the threshold', numeric, 0.05, {}, undefined],
      [
        'perform_comparison Disabled',
        numeric,
        0.9,
        { distribution_constraints: { perform_comparison: 'Disabled' } },
        undefined,
      ],
      ['a String feature without categorical threshold', categorical, 0.2, {}, 0.1],
      [
        'a String feature under categorical_comparison_threshold',
        categorical,
        0.2,
        { distribution_constraints: { categorical_comparison_threshold: 0.3 } },
        undefined,
      ],
      [
        'a String feature over categorical_comparison_threshold',
        categorical,
        0.35,
        { distribution_constraints: { categorical_comparison_threshold: 0.3 } },
        0.3,
      ],
      [
        'a numeric feature ignoring categorical_comparison_threshold',
        numeric,
        0.2,
        { distribution_constraints: { categorical_comparison_threshold: 0.3 } },
        0.1,
      ],
    ])('computes %s', (_label, feature, distance, config, threshold) => {
      // Given the caller's distance for the feature / When checked
      const c = constraints([feature], config);
      const got = checks(c, current, { driftDistances: new Map([[feature.name, distance]]) });
      // Then a violation exactly when distance > the threshold that applies
      expect(got).toEqual(
        threshold === undefined
          ? []
          : [[feature.name, 'baseline_drift_check', driftDescription(distance, threshold)]],
      );
    });

    it('computes nothing for a feature without a distance', () => {
      // Given a distance for another feature only / When / Then
      const c = constraints([numeric]);
      expect(checks(c, current, { driftDistances: new Map([['other', 0.9]]) })).toEqual([]);
    });
  });

  describe('categorical_values_check', () => {
    const g: FeatureConstraints = {
      name: 'g',
      inferred_type: 'String',
      string_constraints: { domains: ['A', 'B'] },
    };

    it('computes the in-domain ratio with missing values complying, as Deequ isContainedIn does', () => {
      // Given A×3, B, C and one missing value: (1 missing + 4 in domain) / 6 = 0.8333333333333334
      const current = profileOf({ g: ['A', 'A', 'A', 'B', 'C', ''] });
      // When / Then
      expect(checks(constraints([g]), current)).toEqual([
        [
          'g',
          'categorical_values_check',
          'Value: 0.8333333333333334 does not meet the constraint requirement! Expected at least 1.0 of values in the baseline domain; values outside it: "C".',
        ],
      ]);
    });

    it.each<[string, string[], number, boolean]>([
      ['all values in the domain', ['A', 'B', 'A'], 1, false],
      ['one value of 6 outside at threshold 0.8', ['A', 'A', 'A', 'A', 'B', 'C'], 0.8, false],
      ['two values of 6 outside at threshold 0.8', ['A', 'A', 'A', 'B', 'C', 'D'], 0.8, true],
    ])('computes %s', (_label, values, threshold, violated) => {
      // Given / When
      const got = checks(constraints([g], { domain_content_threshold: threshold }), profileOf({ g: values }));
      // Then (hand-computed ratios 1, 5/6 = 0.833 >= 0.8, 4/6 = 0.667 < 0.8)
      expect(got.map((v) => v[1])).toEqual(violated ? ['categorical_values_check'] : []);
    });

    it('computes values beyond the category table as outside the domain, naming at most five', () => {
      // Given 7 distinct values outside the domain counted in a table of 6 (one lands in `other`)
      const values = ['A', 'p', 'q', 'r', 's', 't', 'u', 'v'];
      const current = profileOf({ g: values }, { g: { categoricalTopK: 6 } });
      // When
      const [v] = checkDataQuality({ constraints: constraints([g]), current });
      // Then 1 of 8 complies
      expect(v?.description).toBe(
        'Value: 0.125 does not meet the constraint requirement! Expected at least 1.0 of values in the baseline domain; values outside it: "p", "q", "r", "s", "t" and more.',
      );
    });
  });

  describe('missing_column_check and extra_column_check', () => {
    const ab: FeatureConstraints[] = [
      { name: 'a', inferred_type: 'Integral', completeness: 1 },
      { name: 'b', inferred_type: 'Integral', completeness: 1 },
    ];

    it('computes a missing column for a baseline feature absent from the profile', () => {
      // Given a profile of column a only / When / Then
      expect(checks(constraints(ab), profileOf({ a: ['1'] }))).toEqual([
        [
          'b',
          'missing_column_check',
          'There are missing columns in current dataset. Number of columns in current dataset: 1, Number of columns in baseline constraints: 2',
        ],
      ]);
    });

    it('computes missing trailing columns from currentColumnCount, without further checks on them', () => {
      // Given rows of one column profiled against both features (b always missing)
      const current = profileOf({ a: ['1', '2'], b: [] });
      // When checked with the received column count / Then b is reported once, as missing
      expect(checks(constraints(ab), current, { currentColumnCount: 1 }).map((v) => v.slice(0, 2))).toEqual([
        ['b', 'missing_column_check'],
      ]);
    });

    it('computes extra columns from the profile extraColumns', () => {
      // Given a profile with an unexpected field z
      const current = profileOf({ a: ['1'], b: ['2'] });
      current.extraColumns = { z: 1 };
      // When / Then
      expect(checks(constraints(ab), current)).toEqual([
        [
          'z',
          'extra_column_check',
          'There are extra columns in current dataset. Number of columns in current dataset: 3, Number of columns in baseline constraints: 2',
        ],
      ]);
    });

    it('computes extra positions as _c<i> when the profile names none', () => {
      // Given 4 received columns for 2 baseline features / When / Then
      expect(
        checks(constraints(ab), profileOf({ a: ['1'], b: ['2'] }), { currentColumnCount: 4 }).map((v) =>
          v.slice(0, 2),
        ),
      ).toEqual([
        ['_c2', 'extra_column_check'],
        ['_c3', 'extra_column_check'],
      ]);
    });
  });

  describe('monitoring_config', () => {
    const features: FeatureConstraints[] = [
      { name: 'a', inferred_type: 'Integral', completeness: 1 },
      { name: 'b', inferred_type: 'Integral', completeness: 1 },
    ];
    const current = profileOf({ a: ['1.5', ''], b: ['2.5', ''] });

    it('computes nothing when evaluate_constraints is Disabled', () => {
      // Given violating data and evaluation disabled / When / Then
      expect(
        checks(constraints(features, { evaluate_constraints: 'Disabled' }), current, {
          currentColumnCount: 5,
        }),
      ).toEqual([]);
    });

    it('computes per-feature overrides on top of the file config', () => {
      // Given a: evaluation disabled; b: data type threshold lowered to 0 (1/1 present values fractional)
      const c = constraints([
        {
          ...features[0],
          monitoringConfigOverrides: { evaluate_constraints: 'Disabled' },
        } as FeatureConstraints,
        { ...features[1], monitoringConfigOverrides: { datatype_check_threshold: 0 } } as FeatureConstraints,
      ]);
      // When / Then b is still checked for completeness (1/2) only
      expect(checks(c, current).map((v) => v.slice(0, 2))).toEqual([['b', 'completeness_check']]);
    });

    it('computes nothing for a profile with no rows', () => {
      // Given an empty window / When / Then
      expect(checks(constraints(features), profileOf({ a: [], b: [] }), { currentColumnCount: 0 })).toEqual(
        [],
      );
    });
  });

  it('computes violations in order: columns, then per feature data type, completeness, drift, domain', () => {
    // Given a feature failing all four per-feature checks, a missing and an extra column
    const c = constraints([
      { name: 'g', inferred_type: 'Integral', completeness: 1, string_constraints: { domains: ['1'] } },
      { name: 'gone', inferred_type: 'Integral' },
    ]);
    const current = profileOf({ g: ['x', '', '1'] }, { g: { kind: 'categorical' } });
    current.extraColumns = { extra: 1 };
    // When
    const got = checks(c, current, { driftDistances: new Map([['g', 0.5]]) });
    // Then
    expect(got.map((v) => v.slice(0, 2))).toEqual([
      ['gone', 'missing_column_check'],
      ['extra', 'extra_column_check'],
      ['g', 'data_type_check'],
      ['g', 'completeness_check'],
      ['g', 'baseline_drift_check'],
      ['g', 'categorical_values_check'],
    ]);
  });

  it.each<[string, { driftDistances?: Map<string, number>; currentColumnCount?: number }, RegExp]>([
    [
      'currentColumnCount is negative',
      { currentColumnCount: -1 },
      /currentColumnCount must be a non-negative integer, received -1/,
    ],
    [
      'currentColumnCount is not an integer',
      { currentColumnCount: 1.5 },
      /currentColumnCount must be a non-negative integer, received 1.5/,
    ],
    [
      'a distance is NaN',
      { driftDistances: new Map([['x', Number.NaN]]) },
      /driftDistances for feature "x" must be a number >= 0, received NaN/,
    ],
    [
      'a distance is negative',
      { driftDistances: new Map([['x', -0.1]]) },
      /driftDistances for feature "x" must be a number >= 0, received -0.1/,
    ],
  ])('throws when %s', (_label, extra, message) => {
    // Given / When / Then
    const c = constraints([{ name: 'x', inferred_type: 'Integral' }]);
    expect(() => checkDataQuality({ constraints: c, current: profileOf({ x: ['1'] }), ...extra })).toThrow(
      RangeError,
    );
    expect(() => checkDataQuality({ constraints: c, current: profileOf({ x: ['1'] }), ...extra })).toThrow(
      message,
    );
  });
});

describe('toViolationsFile', () => {
  it('computes a constraint_violations.json that parses back to itself', () => {
    // Given violations / When written and read back
    const file = toViolationsFile([
      {
        feature_name: 'x',
        constraint_check_type: 'baseline_drift_check',
        description: driftDescription(0.3, 0.1),
      },
    ]);
    // Then
    expect(parseViolationsFile(JSON.parse(JSON.stringify(file)), 'v.json')).toEqual(file);
    expect(toViolationsFile([])).toEqual({ violations: [] });
  });
});

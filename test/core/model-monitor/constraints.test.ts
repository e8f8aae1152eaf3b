import { describe, expect, it } from 'vitest';
import {
  DOMAIN_MAX_DISTINCT,
  suggestConstraints,
  suggestDomain,
} from '../../../functions/core/model-monitor/constraints.js';
import { inferType } from '../../../functions/core/model-monitor/infer-type.js';
import { type InferredType, parseConstraintsFile } from '../../../functions/core/model-monitor/types.js';
import type { DatasetProfileState } from '../../../functions/core/profile/dataset-profile.js';
import { ProfileBuilder } from '../../../functions/core/profile/dataset-profile.js';
import { InputError } from '../../../functions/errors.js';
import { csvFixtureProfile, profileOf, readFixtureJson, times } from './support.js';

const QC = 'sdk-quality-check-data-quality';

function inferredTypes(p: DatasetProfileState): Map<string, InferredType> {
  return new Map([...p.features, ...p.outputs].map((f) => [f.name, inferType(f)]));
}

describe('suggestConstraints', () => {
  it('computes the constraints.json Model Monitor suggested for the same baseline', () => {
    // Given the QualityCheck baseline CSV profiled from its text
    const p = csvFixtureProfile(`${QC}/baseline_dataset.csv`);
    // When constraints are suggested
    const c = suggestConstraints(p, inferredTypes(p));
    // Then they equal Model Monitor's own suggestion, field for field (JSON 1.0 reads as 1)
    expect(c).toEqual(readFixtureJson(`${QC}/constraints.good.json`));
  });

  it('computes completeness, is_non_negative and domains per feature', () => {
    // Given a numeric column with a negative value and a missing one, and a low-cardinality String column
    const p = profileOf({
      x: ['-1', '2', '', '3'],
      g: ['a', 'b', 'a', 'b'],
    });
    // When
    const c = suggestConstraints(p, inferredTypes(p));
    // Then (hand-computed: x has 3 of 4 present, min -1)
    expect(c.features).toEqual([
      {
        name: 'x',
        inferred_type: 'Integral',
        completeness: 0.75,
        num_constraints: { is_non_negative: false },
      },
      { name: 'g', inferred_type: 'String', completeness: 1, string_constraints: { domains: ['a', 'b'] } },
    ]);
  });

  it('computes monitoring_config from the options, categorical fields only when given', () => {
    // Given a profile and overrides
    const p = profileOf({ g: ['a', 'a'] });
    // When
    const c = suggestConstraints(p, inferredTypes(p), {
      datatype_check_threshold: 0.95,
      distribution_constraints: {
        comparison_method: 'Simple',
        categorical_comparison_threshold: 0.2,
        categorical_drift_method: 'ChiSquared',
      },
    });
    // Then
    expect(c.monitoring_config).toEqual({
      evaluate_constraints: 'Enabled',
      emit_metrics: 'Enabled',
      datatype_check_threshold: 0.95,
      domain_content_threshold: 1,
      distribution_constraints: {
        perform_comparison: 'Enabled',
        comparison_threshold: 0.1,
        comparison_method: 'Simple',
        categorical_comparison_threshold: 0.2,
        categorical_drift_method: 'ChiSquared',
      },
    });
  });

  it('computes constraints for outputs only when asked, with the given types first', () => {
    // Given a profile with a prediction output and a type that overrides inference
    const b = new ProfileBuilder({ features: [{ name: 'a' }], outputs: [{ name: 'prediction' }] });
    b.addRecord({ a: '1' }, ['1']);
    b.addRecord({ a: '2' }, ['0']);
    const p = b.toState();
    const types = new Map<string, InferredType>([['a', 'Fractional']]);
    // When / Then
    expect(suggestConstraints(p, types).features.map((f) => [f.name, f.inferred_type])).toEqual([
      ['a', 'Fractional'],
    ]);
    expect(
      suggestConstraints(p, types, { includeOutputs: true }).features.map((f) => [f.name, f.inferred_type]),
    ).toEqual([
      ['a', 'Fractional'],
      ['prediction', 'Integral'],
    ]);
  });

  it('computes a document that parses back to itself', () => {
    // Given suggested constraints with every optional part
    const p = profileOf({ x: ['1', '2.5', ''], g: ['a', 'a', 'b'] });
    const c = suggestConstraints(p, inferredTypes(p), {
      distribution_constraints: { categorical_drift_method: 'LInfinity' },
    });
    // When written as JSON and read back / Then
    expect(parseConstraintsFile(JSON.parse(JSON.stringify(c)), 'roundtrip.json')).toEqual(c);
  });

  it('throws when the profile has no rows', () => {
    // Given an empty profile / When / Then
    const p = profileOf({ x: [] });
    expect(() => suggestConstraints(p, new Map())).toThrow(InputError);
    expect(() => suggestConstraints(p, new Map())).toThrow(/no rows/);
  });

  it.each([
    [{ datatype_check_threshold: 1.5 }, /datatype_check_threshold must be between 0 and 1, received 1.5/],
    [{ domain_content_threshold: -0.1 }, /domain_content_threshold must be between 0 and 1, received -0.1/],
    [
      { distribution_constraints: { comparison_threshold: -1 } },
      /distribution_constraints\.comparison_threshold must be a finite number >= 0, received -1/,
    ],
    [
      { distribution_constraints: { categorical_comparison_threshold: Number.NaN } },
      /categorical_comparison_threshold must be a finite number >= 0, received NaN/,
    ],
  ])('throws when an option is out of range: %o', (options, message) => {
    // Given a profile / When suggested with a bad option / Then
    const p = profileOf({ x: ['1'] });
    expect(() => suggestConstraints(p, new Map(), options)).toThrow(RangeError);
    expect(() => suggestConstraints(p, new Map(), options)).toThrow(message);
  });
});

describe('suggestDomain', () => {
  // Reference: Deequ's CategoricalRangeRule (suggest IS IN when at most 10% of the distinct values occur once)
  // on a histogram ColumnProfiler keeps only up to 120 distinct values.
  it.each<[string, string[], string[] | undefined]>([
    ['values by count descending, then value', ['b', 'a', 'b', 'c', 'c', 'b', 'a'], ['b', 'a', 'c']],
    [
      'no singleton among 10 distinct values',
      Array.from({ length: 10 }, (_, i) => [`v${i}`, `v${i}`]).flat(),
      Array.from({ length: 10 }, (_, i) => `v${i}`).sort(),
    ],
    [
      'one singleton among 10 distinct values (ratio 0.1)',
      [...Array.from({ length: 9 }, (_, i) => [`v${i}`, `v${i}`]).flat(), 'z'],
      [...Array.from({ length: 9 }, (_, i) => `v${i}`), 'z'],
    ],
    [
      'two singletons among 10 distinct values (ratio 0.2)',
      [...Array.from({ length: 8 }, (_, i) => [`v${i}`, `v${i}`]).flat(), 'y', 'z'],
      undefined,
    ],
    ['only singletons', ['a', 'b', 'c'], undefined],
  ])('computes %s', (_label, values, expected) => {
    // Given a String column / When a domain is suggested / Then
    const f = profileOf({ g: values }).features[0];
    expect(f && suggestDomain(f)).toEqual(expected);
  });

  it('computes no domain past the cardinality threshold', () => {
    // Given 121 distinct values, each seen twice, in a table large enough to count them all
    const values = Array.from({ length: DOMAIN_MAX_DISTINCT + 1 }, (_, i) => [`v${i}`, `v${i}`]).flat();
    const f = profileOf({ g: values }, { g: { categoricalTopK: 200 } }).features[0];
    // When / Then
    expect(f && suggestDomain(f)).toBeUndefined();
  });

  it('computes no domain when the category table overflowed', () => {
    // Given 4 distinct values, each seen 3 times, counted in a table of 3
    const f = profileOf(
      { g: ['a', 'b', 'c', 'd'].flatMap((v) => times(3, v)) },
      { g: { categoricalTopK: 3 } },
    ).features[0];
    // When / Then
    expect(f && suggestDomain(f)).toBeUndefined();
  });
});

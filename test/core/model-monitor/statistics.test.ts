import { describe, expect, it } from 'vitest';
import {
  kllBuckets,
  profileToStatistics,
  statisticsToProfile,
} from '../../../functions/core/model-monitor/statistics.js';
import { parseStatisticsFile, type StatisticsFile } from '../../../functions/core/model-monitor/types.js';
import { ProfileBuilder } from '../../../functions/core/profile/dataset-profile.js';
import { KllSketch } from '../../../functions/core/sketch/kll.js';
import { BaselineError } from '../../../functions/errors.js';
import { csvFixtureProfile, profileOf, readFixtureJson, times } from './support.js';

const QC = 'sdk-quality-check-data-quality';

function relativeError(actual: number | undefined, expected: number | undefined): number {
  if (actual === undefined || expected === undefined) return Number.POSITIVE_INFINITY;
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

function sortedItems(data: number[][] | undefined): number[] {
  return (data ?? []).flat().sort((a, b) => a - b);
}

describe('profileToStatistics', () => {
  // Reference: the statistics.json Model Monitor itself wrote for this baseline_dataset.csv
  // (sagemaker-python-sdk tests/data/pipeline/quality_check_step/data_quality).
  const reference = parseStatisticsFile(readFixtureJson(`${QC}/statistics.json`), 'statistics.json');
  const written = profileToStatistics(csvFixtureProfile(`${QC}/baseline_dataset.csv`));

  it('computes the inferred types and counts Model Monitor wrote', () => {
    // Given the baseline CSV profiled from its text / When written as statistics.json / Then
    expect(written.version).toBe(0);
    expect(written.dataset).toEqual(reference.dataset);
    expect(written.features.map((f) => [f.name, f.inferred_type, f.numerical_statistics?.common])).toEqual(
      reference.features.map((f) => [f.name, f.inferred_type, f.numerical_statistics?.common]),
    );
  });

  it('computes mean, sum, population std_dev, min and max within 1e-6 relative of Model Monitor', () => {
    // Given / When as above / Then each statistic of each feature agrees (std_dev of _c0 is 0.8330066...)
    reference.features.forEach((ref, i) => {
      const got = written.features[i]?.numerical_statistics;
      const want = ref.numerical_statistics;
      for (const key of ['mean', 'sum', 'std_dev', 'min', 'max'] as const) {
        expect(relativeError(got?.[key], want?.[key]), `${ref.name}.${key}`).toBeLessThanOrEqual(1e-6);
      }
    });
    expect(written.features[0]?.numerical_statistics?.std_dev).toBeCloseTo(0.8330066, 7);
  });

  it('computes the KLL buckets Model Monitor wrote', () => {
    // Given / When as above / Then bounds and counts are equal bucket by bucket
    reference.features.forEach((ref, i) => {
      expect(written.features[i]?.numerical_statistics?.distribution?.kll.buckets, ref.name).toEqual(
        ref.numerical_statistics?.distribution?.kll.buckets,
      );
    });
  });

  it('computes the sketch in Model Monitor layout with the same items', () => {
    // Given / When as above / Then parameters match and the (exact, n <= k) sketch holds the same values
    reference.features.forEach((ref, i) => {
      const got = written.features[i]?.numerical_statistics?.distribution?.kll.sketch;
      const want = ref.numerical_statistics?.distribution?.kll.sketch;
      expect(got?.parameters).toEqual(want?.parameters);
      expect(sortedItems(got?.data)).toEqual(sortedItems(want?.data));
    });
  });

  it('computes string statistics with categorical buckets by count, then value', () => {
    // Given a String feature with one missing value
    const p = profileOf({ g: ['b', 'a', 'b', 'c', ''] });
    // When written
    const s = profileToStatistics(p);
    // Then (hand-counted)
    expect(s.features).toEqual([
      {
        name: 'g',
        inferred_type: 'String',
        string_statistics: {
          common: { num_present: 4, num_missing: 1 },
          distinct_count: 3,
          distribution: {
            categorical: {
              buckets: [
                { value: 'b', count: 2 },
                { value: 'a', count: 1 },
                { value: 'c', count: 1 },
              ],
            },
          },
        },
      },
    ]);
  });

  it('computes distinct_count as a lower bound once values overflow the category table', () => {
    // Given 5 distinct values profiled with a table of 3
    const p = profileOf({ g: ['a', 'b', 'c', 'd', 'e'] }, { g: { categoricalTopK: 3 } });
    // When written / Then the 3 kept values plus at least one more
    const s = profileToStatistics(p).features[0]?.string_statistics;
    expect(s?.distinct_count).toBe(4);
    expect(s?.distribution?.categorical.buckets.map((b) => b.value)).toEqual(['a', 'b', 'c']);
  });

  it('computes Unknown features as string statistics with no distinct values', () => {
    // Given a column with only missing values
    const s = profileToStatistics(profileOf({ u: ['', null] }));
    // Then
    expect(s.features).toEqual([
      {
        name: 'u',
        inferred_type: 'Unknown',
        string_statistics: { common: { num_present: 0, num_missing: 2 }, distinct_count: 0 },
      },
    ]);
  });

  it('computes only common statistics for a numeric type with no value present', () => {
    // Given an all-missing numeric column and the baseline's type
    const p = profileOf({ x: ['', ''] }, { x: { kind: 'numeric' } });
    // When written with the type given
    const s = profileToStatistics(p, new Map([['x', 'Integral']]));
    // Then
    expect(s.features[0]).toEqual({
      name: 'x',
      inferred_type: 'Integral',
      numerical_statistics: { common: { num_present: 0, num_missing: 2 } },
    });
  });

  it('computes a numeric type on a categorical profile as the String feature it was profiled as', () => {
    // Given integer codes profiled as categorical and their baseline type Integral
    const p = profileOf({ code: ['1', '2', '1'] }, { code: { kind: 'categorical' } });
    // When written
    const f = profileToStatistics(p, new Map([['code', 'Integral']])).features[0];
    // Then
    expect(f?.inferred_type).toBe('String');
    expect(f?.string_statistics?.distribution?.categorical.buckets).toEqual([
      { value: '1', count: 2 },
      { value: '2', count: 1 },
    ]);
  });

  it('computes the numbers of a numeric profile that also received strings', () => {
    // Given a numeric-kind column that received one string (no category counts exist)
    const p = profileOf({ x: ['1', '2', 'oops'] }, { x: { kind: 'numeric' } });
    // When written with the inferred type (String)
    const f = profileToStatistics(p).features[0];
    // Then the numbers' statistics are written, typed by the numbers
    expect(f?.inferred_type).toBe('Integral');
    expect(f?.numerical_statistics?.common).toEqual({ num_present: 3, num_missing: 0 });
    expect(f?.numerical_statistics?.mean).toBe(1.5);
  });

  it('computes outputs after the inputs only when asked', () => {
    // Given a profile with a prediction output
    const b = new ProfileBuilder({ features: [{ name: 'a' }], outputs: [{ name: 'prediction' }] });
    b.addRecord({ a: '1' }, ['0.5']);
    const p = b.toState();
    // When / Then
    expect(profileToStatistics(p).features.map((f) => f.name)).toEqual(['a']);
    expect(profileToStatistics(p, undefined, { includeOutputs: true }).features.map((f) => f.name)).toEqual([
      'a',
      'prediction',
    ]);
  });

  it('computes a document that parses back to itself', () => {
    // Given numeric, string and unknown features
    const p = profileOf({ x: ['1.5', '-2', '', '4'], g: ['a', 'a', 'b', ''], u: ['', '', '', ''] });
    const s = profileToStatistics(p);
    // When written as JSON and read back
    const back = parseStatisticsFile(JSON.parse(JSON.stringify(s)), 'roundtrip.json');
    // Then
    expect(back).toEqual(s);
  });
});

describe('kllBuckets', () => {
  it('computes weighted counts in left-closed buckets with a closed last bucket', () => {
    // Given items 1 and 2 on level 0 (weight 1) and 3 on level 1 (weight 2), min 1, max 3
    const sketch = { k: 8, c: 0.64, n: 4, min: 1, max: 3, levels: [[1, 2], [3]] };
    // When bucketed
    const buckets = kllBuckets(sketch, 1, 3);
    // Then (hand-computed: width 0.2; 1 -> [1, 1.2), 2 -> [2, 2.2), 3 = max -> last bucket, weight 2)
    expect(buckets.map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(buckets[5]).toEqual({ lower_bound: 2, upper_bound: 2.2, count: 1 });
    expect(buckets[9]?.upper_bound).toBe(3);
  });

  it('computes every value of a constant column in the last bucket', () => {
    // Given a sketch of five 7s
    const s = new KllSketch({ k: 8 });
    for (let i = 0; i < 5; i++) s.update(7);
    // When bucketed / Then the empty half-open buckets [7, 7) hold nothing
    expect(kllBuckets(s.toJSON(), 7, 7).map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
  });
});

describe('statisticsToProfile', () => {
  const reference = parseStatisticsFile(readFixtureJson(`${QC}/statistics.json`), 'statistics.json');

  it('computes moments and sketch from a Model Monitor baseline', () => {
    // Given Model Monitor's statistics / When read as a profile
    const p = statisticsToProfile(reference, 'statistics.json');
    const c0 = p.features[0];
    // Then counts, moments (M2 = std_dev² · n) and the sketch come from the file
    expect(p.rows).toBe(100);
    expect(p.records).toEqual({ lines: 100, accepted: 100, rejected: 0 });
    expect(c0).toMatchObject({
      name: '_c0',
      kind: 'numeric',
      count: 100,
      missing: 0,
      fractional: 100,
      integral: 0,
    });
    expect(c0?.numeric?.mean).toBe(2.31);
    expect(c0?.numeric?.m2).toBeCloseTo(0.8330066026148891 ** 2 * 100, 10);
    const sketch = c0?.numeric && KllSketch.fromJSON(c0.numeric.sketch);
    expect(sketch?.n).toBe(100);
    // 24 of the 100 values of _c0 are 1 (first bucket of the file)
    expect(sketch?.rank(1)).toBe(0.24);
  });

  it('computes the same statistics when written back', () => {
    // Given Model Monitor's statistics read as a profile / When written again
    const again = profileToStatistics(statisticsToProfile(reference, 'statistics.json'));
    // Then buckets are equal and the moments agree within 1e-12 relative
    reference.features.forEach((ref, i) => {
      const got = again.features[i]?.numerical_statistics;
      expect(got?.distribution?.kll.buckets).toEqual(ref.numerical_statistics?.distribution?.kll.buckets);
      for (const key of ['mean', 'sum', 'std_dev', 'min', 'max'] as const) {
        expect(
          relativeError(got?.[key], ref.numerical_statistics?.[key]),
          `${ref.name}.${key}`,
        ).toBeLessThanOrEqual(1e-12);
      }
    });
  });

  it('computes category counts from a String feature', () => {
    // Given the SDK's string statistics / When read as a profile and written again
    const s = parseStatisticsFile(readFixtureJson('sdk-tests-monitor/statistics.json'), 'statistics.json');
    const p = statisticsToProfile(s, 'statistics.json');
    // Then
    expect(p.features[0]?.kind).toBe('categorical');
    expect(p.features[0]?.categories?.counts).toEqual({ 'preproc-not-YET-supported-for-csv-json': 418 });
    expect(p.features[0]?.categories?.other).toBe(0);
    expect(profileToStatistics(p)).toEqual(s);
  });

  it('computes unlisted present values as other', () => {
    // Given a String feature whose buckets list 3 of its 5 present values
    const s: StatisticsFile = {
      version: 0,
      dataset: { item_count: 5 },
      features: [
        {
          name: 'g',
          inferred_type: 'String',
          string_statistics: {
            common: { num_present: 5, num_missing: 0 },
            distinct_count: 3,
            distribution: { categorical: { buckets: [{ value: 'a', count: 3 }] } },
          },
        },
      ],
    };
    // When / Then
    expect(statisticsToProfile(s, 's.json').features[0]?.categories).toMatchObject({
      counts: { a: 3 },
      other: 2,
    });
  });

  const numeric = (stats: Record<string, unknown>): StatisticsFile =>
    ({
      version: 0,
      dataset: { item_count: 2 },
      features: [{ name: 'x', inferred_type: 'Integral', ...stats }],
    }) as StatisticsFile;
  const common = { num_present: 2, num_missing: 0 };
  const sketch = { parameters: { c: 0.64, k: 2048 }, data: [[1, 3]] };

  it.each<[string, StatisticsFile, RegExp]>([
    [
      'an Integral feature has no numerical_statistics',
      numeric({}),
      /s\.json: features\[0\]\.numerical_statistics: missing/,
    ],
    [
      'the mean of present values is missing',
      numeric({
        numerical_statistics: {
          common,
          std_dev: 1,
          min: 1,
          max: 3,
          distribution: { kll: { buckets: [], sketch } },
        },
      }),
      /s\.json: features\[0\]\.numerical_statistics\.mean: expected a finite number/,
    ],
    [
      'the sketch is missing',
      numeric({
        numerical_statistics: {
          common,
          mean: 2,
          std_dev: 1,
          min: 1,
          max: 3,
          distribution: { kll: { buckets: [] } },
        },
      }),
      /s\.json: features\[0\]\.numerical_statistics\.distribution\.kll\.sketch: missing/,
    ],
    [
      'a sketch item lies below min',
      numeric({
        numerical_statistics: {
          common,
          mean: 2,
          std_dev: 1,
          min: 2,
          max: 3,
          distribution: { kll: { buckets: [], sketch } },
        },
      }),
      /s\.json: features\[0\]\.numerical_statistics\.distribution\.kll\.sketch: .*stats\.min 2 is greater/,
    ],
    [
      'a String feature has no string_statistics',
      { version: 0, dataset: { item_count: 1 }, features: [{ name: 'g', inferred_type: 'String' }] },
      /s\.json: features\[0\]\.string_statistics: missing/,
    ],
  ])('throws when %s', (_label, s, message) => {
    // Given statistics a profile cannot be built from / When read / Then a BaselineError names the field
    expect(() => statisticsToProfile(s, 's.json')).toThrow(BaselineError);
    expect(() => statisticsToProfile(s, 's.json')).toThrow(message);
  });

  it('computes an empty numeric state for a numeric feature with no present value', () => {
    // Given
    const s = numeric({ numerical_statistics: { common: { num_present: 0, num_missing: 2 } } });
    // When
    const f = statisticsToProfile(s, 's.json').features[0];
    // Then
    expect(f).toMatchObject({ count: 2, missing: 2, integral: 0 });
    expect(f?.numeric?.n).toBe(0);
    expect(f?.numeric?.sketch.n).toBe(0);
  });

  it('computes a profile whose counts add up for a larger sample', () => {
    // Given 10 copies of a three-valued column written by profileToStatistics
    const p = profileOf({ x: [...times(10, '1'), ...times(10, '2'), ...times(10, '3')] });
    const back = statisticsToProfile(profileToStatistics(p), 'x.json');
    // Then the profile read back has the same moments
    expect(back.features[0]?.numeric).toMatchObject({ n: 30, sum: 60, mean: 2, min: 1, max: 3 });
    expect(back.features[0]?.numeric?.m2).toBeCloseTo(20, 10);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KllSketch } from '../../../functions/core/sketch/kll.js';
import { generate } from './support.js';

interface Bucket {
  lower_bound: number;
  upper_bound: number;
  count: number;
}

interface NumericFeature {
  name: string;
  numerical_statistics: {
    common: { num_present: number };
    min: number;
    max: number;
    distribution: { kll: { buckets: Bucket[]; sketch: unknown } };
  };
}

const statisticsPath = fileURLToPath(
  new URL(
    '../../fixtures/model-monitor-outputs/sdk-quality-check-data-quality/statistics.json',
    import.meta.url,
  ),
);
const statistics = JSON.parse(readFileSync(statisticsPath, 'utf8')) as { features: NumericFeature[] };

/** Weight strictly below x, read from the sketch's CDF (Deequ's getRankExclusive). */
function weightBelow(sketch: KllSketch, x: number): number {
  const { values, cumulative } = sketch.cdf();
  let below = 0;
  values.forEach((v, i) => {
    if (v < x) below = cumulative[i] ?? 0;
  });
  return below * sketch.n;
}

/**
 * Deequ's bucket counts (KLLSketch.computeMetricFrom): count(i) = rankExclusive(high) - rankExclusive(low),
 * and for the last bucket rank(high) - rankExclusive(low), so every bucket is [low, high) except the last.
 */
function deequBucketCounts(sketch: KllSketch, buckets: Bucket[]): number[] {
  return buckets.map((bucket, i) => {
    const upper =
      i === buckets.length - 1
        ? sketch.rank(bucket.upper_bound) * sketch.n
        : weightBelow(sketch, bucket.upper_bound);
    return Math.round(upper - weightBelow(sketch, bucket.lower_bound));
  });
}

describe('KllSketch.fromModelMonitor', () => {
  it.each(statistics.features.map((feature) => [feature.name, feature] as const))(
    'computes the buckets, n, min and max of real statistics.json feature %s',
    (_name, feature) => {
      // Given a real Model Monitor baseline (100 rows, k = 2048, so the sketch is exact and the stated error is 0)
      const stats = feature.numerical_statistics;

      // When
      const sketch = KllSketch.fromModelMonitor(stats.distribution.kll.sketch, {
        min: stats.min,
        max: stats.max,
      });

      // Then: the sketch reproduces the file's own histogram, count and extremes
      expect(sketch.k).toBe(2048);
      expect(sketch.c).toBe(0.64);
      expect(sketch.n).toBe(stats.common.num_present);
      expect(sketch.min).toBe(stats.min);
      expect(sketch.max).toBe(stats.max);
      expect(sketch.quantile(0)).toBe(stats.min);
      expect(sketch.quantile(1)).toBe(stats.max);
      expect(deequBucketCounts(sketch, stats.distribution.kll.buckets)).toEqual(
        stats.distribution.kll.buckets.map((bucket) => bucket.count),
      );
    },
  );

  it('computes min and max from the retained items when statistics are not given', () => {
    const feature = statistics.features[3];
    if (feature === undefined) throw new Error('fixture has fewer than 4 features');

    const sketch = KllSketch.fromModelMonitor(feature.numerical_statistics.distribution.kll.sketch);

    expect(sketch.min).toBe(0);
    expect(sketch.max).toBe(8);
  });

  // Expected layouts and buckets from Deequ's KLLProfileTest (awslabs/deequ,
  // src/test/scala/com/amazon/deequ/KLL/KLLProfileTest.scala): level h items weigh 2^h. Deequ ran those
  // with k = 2; k is set to 2048 here because driftwatch accepts only k >= 8 (the weights do not depend on k).
  it.each([
    [
      'values 1..6',
      [
        [5, 6],
        [1, 3],
      ],
      1,
      6,
      6,
      [4, 2],
    ],
    ['values 1..30', [[27, 28, 29, 30], [25], [1, 6, 10, 15, 19, 23]], 1, 30, 30, [16, 14]],
  ])('computes level weights 2^h from Deequ published sketch of %s', (_case, data, min, max, n, counts) => {
    // Given Deequ's sketch and its two equal-width buckets between min and max
    const middle = (min + max) / 2;
    const buckets = [
      { lower_bound: min, upper_bound: middle, count: 0 },
      { lower_bound: middle, upper_bound: max, count: 0 },
    ];

    // When
    const sketch = KllSketch.fromModelMonitor({ parameters: { c: 0.64, k: 2048 }, data }, { min, max });

    // Then
    expect(sketch.n).toBe(n);
    expect(deequBucketCounts(sketch, buckets)).toEqual(counts);
  });

  it('computes identical ranks after toModelMonitor, JSON and fromModelMonitor', () => {
    // Given a compacted sketch of 100k normal values
    const original = new KllSketch();
    for (const v of generate('normal', 100_000, 21)) original.update(v);

    // When
    const written = original.toModelMonitor();
    const read = KllSketch.fromModelMonitor(JSON.parse(JSON.stringify(written)), {
      min: original.min,
      max: original.max,
    });

    // Then: Deequ layout, same weights, same CDF, same state
    expect(written.parameters).toEqual({ c: 0.64, k: 2048 });
    expect(written.data.length).toBeGreaterThan(1);
    expect(read.n).toBe(100_000);
    expect(Array.from(read.cdf().values)).toEqual(Array.from(original.cdf().values));
    expect(Array.from(read.cdf().cumulative)).toEqual(Array.from(original.cdf().cumulative));
    expect([-2, -1, 0, 0.5, 3].map((x) => read.rank(x))).toEqual(
      [-2, -1, 0, 0.5, 3].map((x) => original.rank(x)),
    );
    expect(read.toJSON()).toEqual(original.toJSON());
  });

  it('computes an empty sketch from empty data', () => {
    const sketch = KllSketch.fromModelMonitor({ parameters: { c: 0.64, k: 2048 }, data: [[]] });

    expect(sketch.n).toBe(0);
    expect(sketch.quantile(0.5)).toBeNaN();
  });

  const sketch = { parameters: { c: 0.64, k: 2048 }, data: [[1, 2], [3]] };

  it.each([
    ['the sketch is not an object', 'sketch', /fromModelMonitor: sketch must be an object, got "sketch"/],
    ['parameters are missing', { data: [[1]] }, /parameters must be an object, got undefined/],
    ['k is a string', { ...sketch, parameters: { c: 0.64, k: '2048' } }, /parameters.k must be a number/],
    [
      'k is below 8 (Deequ test k = 2)',
      { ...sketch, parameters: { c: 0.64, k: 2 } },
      /parameters.k must be an/,
    ],
    ['c is out of range', { ...sketch, parameters: { c: 0.4, k: 2048 } }, /parameters.c must satisfy 0.5 </],
    ['data is missing', { parameters: sketch.parameters }, /data must be an array, got undefined/],
    ['a level is a number', { ...sketch, data: [[1], 3] }, /data\[1\] must be an array of numbers, got 3/],
    [
      'an item is a string',
      { ...sketch, data: [[1, 'x']] },
      /data\[0\]\[1\] must be a finite number, got "x"/,
    ],
  ])('throws when %s', (_case, input, message) => {
    expect(() => KllSketch.fromModelMonitor(input)).toThrow(message);
  });

  it.each([
    [{ min: 1.5 }, /stats.min 1.5 is greater than the smallest sketch item 1/],
    [{ max: 2 }, /stats.max 2 is less than the largest sketch item 3/],
    [{ min: Number.NaN }, /stats.min must be a finite number, got NaN/],
  ])('throws when statistics %o contradict the sketch', (stats, message) => {
    expect(() => KllSketch.fromModelMonitor(sketch, stats)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { KllSketch } from '../../../functions/core/sketch/kll.js';
import { generate } from './support.js';

function sketchOf(values: ArrayLike<number>, options?: { k?: number; c?: number }): KllSketch {
  const sketch = new KllSketch(options);
  for (let i = 0; i < values.length; i++) sketch.update(values[i] ?? 0);
  return sketch;
}

function weightOf(levels: number[][]): number {
  return levels.reduce((sum, level, h) => sum + level.length * 2 ** h, 0);
}

describe('KllSketch', () => {
  it('computes exact ranks, quantiles and the cdf while n <= k', () => {
    // Given five values; reference counted by hand: sorted 1, 2, 2, 3, 5
    const sketch = sketchOf([3, 1, 2, 2, 5]);

    // When / Then: rank(x) = #{v <= x} / 5, quantile(q) = smallest v with rank(v) >= q
    expect(sketch.n).toBe(5);
    expect(sketch.min).toBe(1);
    expect(sketch.max).toBe(5);
    expect([0, 1, 1.5, 2, 4, 5, 9].map((x) => sketch.rank(x))).toEqual([0, 0.2, 0.2, 0.6, 0.8, 1, 1]);
    expect([0, 0.2, 0.21, 0.5, 0.6, 0.61, 0.8, 0.81, 1].map((q) => sketch.quantile(q))).toEqual([
      1, 1, 2, 2, 2, 3, 3, 5, 5,
    ]);
    const cdf = sketch.cdf();
    expect(Array.from(cdf.values)).toEqual([1, 2, 3, 5]);
    expect(Array.from(cdf.cumulative)).toEqual([0.2, 0.6, 0.8, 1]);
  });

  it('computes without compaction up to n = k and compacts at n = k + 1', () => {
    // Given k = 16
    const exact = sketchOf(generate('uniform', 16, 1), { k: 16 });
    const compacted = sketchOf(generate('uniform', 17, 1), { k: 16 });

    // Then: all 16 items stay at level 0; the 17th forces a second level, the weight still equals n
    expect(exact.toJSON().levels.map((level) => level.length)).toEqual([16]);
    const levels = compacted.toJSON().levels;
    expect(levels.length).toBe(2);
    expect(weightOf(levels)).toBe(17);
  });

  it('computes exact n, min and max after many compactions', () => {
    // Given 100k normal values with k = 64, so most values are compacted away
    const values = generate('normal', 100_000, 7);
    const sketch = sketchOf(values, { k: 64 });

    // Then
    expect(sketch.n).toBe(100_000);
    expect(sketch.min).toBe(Math.min(...values));
    expect(sketch.max).toBe(Math.max(...values));
    expect(sketch.quantile(0)).toBe(sketch.min);
    expect(sketch.quantile(1)).toBe(sketch.max);
    expect(weightOf(sketch.toJSON().levels)).toBe(100_000);
  });

  it('computes a bounded number of retained items: at most Σ_h C_h <= k / (1 - c) + 2 per level', () => {
    // Given a million values through the default sketch
    const sketch = sketchOf(generate('uniform', 1_000_000, 13));

    // When
    const levels = sketch.toJSON().levels;

    // Then: memory does not grow with n (C_h = max(2, 2·ceil(k·c^(H-1-h)/2)) <= k·c^(H-1-h) + 2)
    const retained = levels.reduce((sum, level) => sum + level.length, 0);
    expect(retained).toBeLessThanOrEqual(2048 / (1 - 0.64) + 2 * levels.length);
    expect(weightOf(levels)).toBe(1_000_000);
  });

  it('computes NaN min, max and quantiles, rank 0 and an empty cdf when empty', () => {
    const sketch = new KllSketch();

    expect(sketch.n).toBe(0);
    expect(sketch.min).toBeNaN();
    expect(sketch.max).toBeNaN();
    expect(sketch.quantile(0.5)).toBeNaN();
    expect(sketch.rank(1)).toBe(0);
    expect(sketch.cdf().values.length).toBe(0);
    expect(sketch.cdf().cumulative.length).toBe(0);
  });

  it('computes Model Monitor defaults k = 2048, c = 0.64', () => {
    const sketch = new KllSketch();

    expect(KllSketch.DEFAULT_K).toBe(2048);
    expect(KllSketch.DEFAULT_C).toBe(0.64);
    expect(sketch.k).toBe(2048);
    expect(sketch.c).toBe(0.64);
  });

  it('computes the same state for the same input in the same order', () => {
    // Given two sketches fed the same 200k values
    const values = generate('cauchy', 200_000, 3);

    // When
    const a = sketchOf(values);
    const b = sketchOf(values);

    // Then
    expect(a.toJSON()).toEqual(b.toJSON());
  });

  it('computes the same ranks from a copy returned by cdf() after the caller mutates it', () => {
    const sketch = sketchOf([1, 2, 3, 4]);

    const cdf = sketch.cdf();
    cdf.cumulative.fill(0);

    expect(sketch.rank(2)).toBe(0.5);
  });

  it('computes doubled weights and unchanged ranks when merged with itself', () => {
    // Given 1000 values, so even the doubled sketch (2000 <= k) stays exact
    const sketch = sketchOf(generate('uniform', 1000, 11));
    const before = sketch.cdf();

    // When
    sketch.merge(sketch);

    // Then: every item counts twice, so n doubles and each rank stays the same
    expect(sketch.n).toBe(2000);
    expect(weightOf(sketch.toJSON().levels)).toBe(2000);
    expect(Array.from(sketch.cdf().values)).toEqual(Array.from(before.values));
    expect(Array.from(before.values).map((v) => sketch.rank(v))).toEqual(Array.from(before.cumulative));
  });

  it('computes the merged sketch unchanged when merging an empty sketch', () => {
    const sketch = sketchOf([5, 1, 3]);
    const state = sketch.toJSON();

    expect(sketch.merge(new KllSketch()).toJSON()).toEqual(state);
    expect(new KllSketch().merge(sketch).toJSON()).toEqual(state);
  });

  it('computes rankErrorBound = (sqrt(8c ln(4k/0.01) / (2c - 1)) + 1) / k', () => {
    // Reference: python3 -c "import math; k,c=2048,0.64; print((math.sqrt(8*c*math.log(4*k/0.01)/(2*c-1))+1)/k)"
    expect(KllSketch.rankErrorBound(2048)).toBeCloseTo(0.00819291708067283, 15);
    expect(KllSketch.rankErrorBound(128, 0.64)).toBeCloseTo(0.11782211205481294, 15);
    expect(KllSketch.rankErrorBound(256, 0.9)).toBeCloseTo(0.04370972572452597, 15);
  });

  it.each([
    [7, /k must be an integer >= 8, got 7/],
    [8.5, /k must be an integer >= 8, got 8.5/],
    [Number.NaN, /k must be an integer >= 8, got NaN/],
  ])('throws when k is %s', (k, message) => {
    expect(() => new KllSketch({ k })).toThrow(RangeError);
    expect(() => new KllSketch({ k })).toThrow(message);
    expect(() => KllSketch.rankErrorBound(k)).toThrow(message);
  });

  it.each([0.5, 1, Number.NaN, 0.2])('throws when c is %s', (c) => {
    expect(() => new KllSketch({ c })).toThrow(RangeError);
    expect(() => new KllSketch({ c })).toThrow(/c must satisfy 0.5 < c < 1/);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'throws when update gets %s',
    (value) => {
      const sketch = new KllSketch();

      expect(() => sketch.update(value)).toThrow(RangeError);
      expect(() => sketch.update(value)).toThrow(/value must be a finite number/);
      expect(sketch.n).toBe(0);
    },
  );

  it.each([
    [{ k: 64 }, /parameters differ \(this k=2048 c=0.64, other k=64 c=0.64\)/],
    [{ c: 0.7 }, /parameters differ \(this k=2048 c=0.64, other k=2048 c=0.7\)/],
  ])('throws when merging a sketch with %o', (options, message) => {
    const sketch = sketchOf([1]);
    const other = sketchOf([2], options);

    expect(() => sketch.merge(other)).toThrow(message);
    expect(sketch.n).toBe(1);
  });

  it.each([-0.01, 1.01, Number.NaN])('throws when quantile gets q = %s', (q) => {
    expect(() => sketchOf([1, 2]).quantile(q)).toThrow(/q must be in \[0, 1\]/);
  });

  it('throws when rank gets NaN', () => {
    expect(() => sketchOf([1, 2]).rank(Number.NaN)).toThrow(/x must be a number, got NaN/);
  });
});

describe('KllSketch JSON state', () => {
  it('computes an identical state after a JSON round trip', () => {
    // Given a compacted sketch with negative zero, negatives and fractions
    const values = generate('normal', 50_000, 5);
    values[10] = -0;
    const sketch = sketchOf(values);

    // When
    const restored = KllSketch.fromJSON(JSON.parse(JSON.stringify(sketch)));

    // Then
    expect(restored.toJSON()).toEqual(sketch.toJSON());
    expect(JSON.stringify(restored)).toBe(JSON.stringify(sketch));
    expect(Array.from(restored.cdf().cumulative)).toEqual(Array.from(sketch.cdf().cumulative));
  });

  it('computes the same sketch when updates continue after fromJSON', () => {
    // Given a stream split in two halves
    const values = generate('uniform', 60_000, 9);
    const straight = sketchOf(values);
    const firstHalf = sketchOf(values.subarray(0, 30_000));

    // When the first half goes through JSON and the second half is added afterwards
    const resumed = KllSketch.fromJSON(JSON.parse(JSON.stringify(firstHalf)));
    for (const v of values.subarray(30_000)) resumed.update(v);

    // Then
    expect(resumed.toJSON()).toEqual(straight.toJSON());
  });

  it('computes an empty sketch from the JSON of an empty sketch (NaN bounds become null)', () => {
    const json = JSON.parse(JSON.stringify(new KllSketch({ k: 8 })));

    expect(json).toEqual({ k: 8, c: 0.64, n: 0, min: null, max: null, levels: [[]] });
    const restored = KllSketch.fromJSON(json);
    expect(restored.n).toBe(0);
    expect(restored.min).toBeNaN();
    restored.update(4);
    expect(restored.quantile(0.5)).toBe(4);
  });

  const valid = { k: 8, c: 0.64, n: 3, min: 1, max: 4, levels: [[1], [2]] };

  it.each([
    ['state is not an object', [], /state must be an object, got an array/],
    ['k is missing', { ...valid, k: undefined }, /fromJSON: k must be a number, got undefined/],
    ['k is too small', { ...valid, k: 4 }, /fromJSON: k must be an integer >= 8, got 4/],
    ['c is a string', { ...valid, c: '0.64' }, /fromJSON: c must be a number, got "0.64"/],
    ['c is out of range', { ...valid, c: 1.5 }, /fromJSON: c must satisfy 0.5 < c < 1, got 1.5/],
    ['n is negative', { ...valid, n: -1 }, /fromJSON: n must be a non-negative integer, got -1/],
    ['n is fractional', { ...valid, n: 2.5 }, /fromJSON: n must be a non-negative integer, got 2.5/],
    ['levels is not an array', { ...valid, levels: {} }, /fromJSON: levels must be an array, got an object/],
    [
      'levels is empty',
      { ...valid, n: 0, min: null, max: null, levels: [] },
      /levels must hold at least one/,
    ],
    ['a level is not an array', { ...valid, levels: [[1], 2] }, /fromJSON: levels\[1\] must be an array/],
    ['an item is a string', { ...valid, levels: [[1], ['2']] }, /levels\[1\]\[0\] must be a finite number/],
    [
      'an item is null',
      { ...valid, levels: [[null], [2]] },
      /levels\[0\]\[0\] must be a finite number, got null/,
    ],
    ['weights do not add up to n', { ...valid, n: 2 }, /levels carry weight 3 .* but n is 2/],
    ['min is null with n > 0', { ...valid, min: null }, /fromJSON: min must be a finite number, got null/],
    ['max is missing', { ...valid, max: undefined }, /fromJSON: max must be a finite number, got undefined/],
    ['min exceeds max', { ...valid, min: 5, max: 4, levels: [[4], [4]] }, /min 5 is greater than max 4/],
    [
      'an item lies below min',
      { ...valid, min: 1.5 },
      /levels\[0\]\[0\] = 1 lies outside \[min 1.5, max 4\]/,
    ],
    [
      'bounds are set while empty',
      { ...valid, n: 0, levels: [[]] },
      /min and max must be null or NaN when n is 0/,
    ],
  ])('throws when %s', (_case, state, message) => {
    expect(() => KllSketch.fromJSON(state)).toThrow(message);
  });

  it('computes a sketch from the valid state used by the rejection table', () => {
    const sketch = KllSketch.fromJSON(valid);

    expect(sketch.n).toBe(3);
    expect(sketch.rank(1)).toBeCloseTo(1 / 3, 15);
    expect(sketch.rank(2)).toBe(1);
  });
});

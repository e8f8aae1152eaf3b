import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawValue } from '../../../functions/core/capture/types.js';
import {
  type DatasetProfileState,
  emptyDatasetProfile,
  mergeDatasetProfiles,
  ProfileBuilder,
  type ProfileSchema,
} from '../../../functions/core/profile/dataset-profile.js';
import { binIndex } from '../../../functions/core/profile/feature-profile.js';
import { parseDatasetProfile } from '../../../functions/core/profile/parse.js';
import { KllSketch } from '../../../functions/core/sketch/kll.js';

const schema: ProfileSchema = {
  features: [
    { name: 'age', kind: 'numeric', binEdges: [20, 40, 60] },
    { name: 'color', kind: 'categorical', categoricalTopK: 3 },
  ],
  outputs: [{ name: 'prediction', kind: 'numeric' }],
};

type Row = { age: RawValue; color: RawValue; score: RawValue };

function profileOf(rows: readonly Row[], s: ProfileSchema = schema): DatasetProfileState {
  const b = new ProfileBuilder(s);
  for (const r of rows) b.addRecord({ age: r.age, color: r.color }, [r.score], undefined);
  return b.toState();
}

const rowArb = fc.record({
  age: fc.oneof(fc.integer({ min: 0, max: 90 }), fc.constant(null), fc.constantFrom('x', '35.5', '')),
  color: fc.oneof(fc.constantFrom('red', 'green', 'blue', 'teal', 'pink'), fc.constant(null)),
  score: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null)),
});

/** What must be exactly equal however a dataset is split and merged. */
function exactPart(p: DatasetProfileState) {
  return {
    records: p.records,
    rows: p.rows,
    features: [...p.features, ...p.outputs].map((f) => ({
      name: f.name,
      counts: [f.count, f.missing, f.integral, f.fractional, f.string],
      n: f.numeric?.n,
      min: f.numeric?.min,
      max: f.numeric?.max,
      sum: f.numeric ? Math.round(f.numeric.sum * 1e6) : undefined,
      bins: f.bins?.counts,
      sketchN: f.numeric?.sketch.n,
      categoryTotal: f.categories
        ? Object.values(f.categories.counts).reduce((a, b) => a + b, f.categories.other)
        : undefined,
    })),
  };
}

describe('ProfileBuilder', () => {
  it('computes counts, types, moments, bins and categories of a small dataset', () => {
    // Given
    const rows: Row[] = [
      { age: '25', color: 'red', score: 0.2 },
      { age: 61, color: 'red', score: 0.9 },
      { age: '', color: 'blue', score: null },
      { age: 'unknown', color: null, score: 0.5 },
      { age: '19.5', color: 'green', score: 0.1 },
    ];
    // When
    const p = profileOf(rows);
    // Then
    const [age, color] = p.features;
    expect(age).toMatchObject({ count: 5, missing: 1, integral: 2, fractional: 1, string: 1 });
    expect(age?.numeric).toMatchObject({ n: 3, min: 19.5, max: 61, sum: 105.5 });
    expect(age?.numeric?.mean).toBeCloseTo(105.5 / 3, 12);
    // Bins: (-inf,20) [20,40) [40,60) [60,inf) -> 19.5 | 25 | - | 61
    expect(age?.bins?.counts).toEqual([1, 1, 0, 1]);
    expect(age?.categories).toBeUndefined();
    expect(color?.categories).toEqual({ topK: 3, counts: { red: 2, blue: 1, green: 1 }, other: 0 });
    expect(color?.numeric).toBeUndefined();
    expect(p.outputs[0]).toMatchObject({ count: 5, missing: 1, fractional: 4 });
    expect(p.rows).toBe(5);
  });

  it('counts fields outside the schema as extra columns', () => {
    const b = new ProfileBuilder(schema);
    b.addRecord({ age: 1, color: 'red', surprise: 'x' });
    b.addRecord({ age: 2, color: 'red', surprise: 'y', other: 1 });
    expect(b.toState().extraColumns).toEqual({ surprise: 2, other: 1 });
  });

  it('adds columns as they appear in dynamic mode, earlier rows counting as missing', () => {
    const b = new ProfileBuilder({ features: [], dynamic: true });
    b.addRecord({ a: 1 });
    b.addRecord({ a: 2, b: 'x' }, [0.5]);
    const p = b.toState();
    expect(p.features.map((f) => [f.name, f.count, f.missing])).toEqual([
      ['a', 2, 0],
      ['b', 2, 1],
    ]);
    expect(p.outputs.map((f) => [f.name, f.count, f.missing])).toEqual([['prediction_0', 2, 1]]);
  });

  it('keeps the earliest and latest inference time', () => {
    const b = new ProfileBuilder(schema);
    b.addRecord({ age: 1 }, undefined, '2026-11-26T10:00:00Z');
    b.addRecord({ age: 1 }, undefined, '2026-11-26T09:00:00Z');
    b.addRecord({ age: 1 }, undefined, '2026-11-26T11:00:00Z');
    expect(b.toState().inferenceTime).toEqual({
      first: '2026-11-26T09:00:00Z',
      last: '2026-11-26T11:00:00Z',
    });
  });

  it('throws when a feature is listed twice', () => {
    expect(() => new ProfileBuilder({ features: [{ name: 'a' }, { name: 'a' }] })).toThrow(
      /feature "a" is listed twice/,
    );
  });
});

describe('binIndex', () => {
  it.each([
    [-5, 0],
    [19.999, 0],
    [20, 1],
    [39.9, 1],
    [40, 2],
    [60, 3],
    [1e9, 3],
  ])('puts %d in bin %d of edges [20, 40, 60] (left-closed, outer bins open)', (x, bin) => {
    expect(binIndex([20, 40, 60], x)).toBe(bin);
  });
});

describe('mergeDatasetProfiles', () => {
  it('is associative and commutative on every exact field (property)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 60 }), fc.nat(), fc.nat(), (rows, i, j) => {
        const [a, b] = [i % (rows.length + 1), j % (rows.length + 1)].sort((x, y) => x - y) as [
          number,
          number,
        ];
        const [p0, p1, p2] = [rows.slice(0, a), rows.slice(a, b), rows.slice(b)].map((r) => profileOf(r)) as [
          DatasetProfileState,
          DatasetProfileState,
          DatasetProfileState,
        ];
        const whole = exactPart(profileOf(rows));
        expect(exactPart(mergeDatasetProfiles(mergeDatasetProfiles(p0, p1), p2))).toEqual(whole);
        expect(exactPart(mergeDatasetProfiles(p2, mergeDatasetProfiles(p1, p0)))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('merges sketches within the stated rank error of the whole (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        (xs) => {
          const s: ProfileSchema = { features: [{ name: 'x', kind: 'numeric', sketchK: 64 }] };
          const build = (part: number[]) => {
            const b = new ProfileBuilder(s);
            for (const x of part) b.addRecord({ x });
            return b.toState();
          };
          const third = Math.floor(xs.length / 3);
          const merged = mergeDatasetProfiles(
            build(xs.slice(2 * third)),
            mergeDatasetProfiles(build(xs.slice(0, third)), build(xs.slice(third, 2 * third))),
          );
          const sketch = KllSketch.fromJSON(merged.features[0]?.numeric?.sketch);
          const sorted = [...xs].sort((p, q) => p - q);
          for (const probe of [sorted[0], sorted[Math.floor(xs.length / 2)], sorted[xs.length - 1]]) {
            const x = probe ?? 0;
            const exact = sorted.filter((v) => v <= x).length / xs.length;
            expect(Math.abs(sketch.rank(x) - exact)).toBeLessThanOrEqual(KllSketch.rankErrorBound(64));
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('round-trips through JSON', () => {
    const p = profileOf([
      { age: 30, color: 'red', score: 0.4 },
      { age: null, color: 'blue', score: 0.6 },
    ]);
    const back = parseDatasetProfile(JSON.parse(JSON.stringify(p)), 'p.json');
    expect(back).toEqual(p);
    expect(mergeDatasetProfiles(back, emptyDatasetProfile(schema))).toEqual(
      mergeDatasetProfiles(p, emptyDatasetProfile(schema)),
    );
  });

  it('round-trips an empty profile (infinite min/max) through JSON', () => {
    const p = emptyDatasetProfile(schema);
    const back = parseDatasetProfile(JSON.parse(JSON.stringify(p)), 'p.json');
    expect(back.features[0]?.numeric?.min).toBe(Number.POSITIVE_INFINITY);
    expect(
      mergeDatasetProfiles(back, profileOf([{ age: 5, color: 'red', score: 1 }])).features[0]?.numeric?.min,
    ).toBe(5);
  });

  it('throws when the columns differ', () => {
    const other = emptyDatasetProfile({ features: [{ name: 'height', kind: 'numeric' }] });
    expect(() => mergeDatasetProfiles(emptyDatasetProfile(schema), other)).toThrow(
      /different features: \[age, color\] vs \[height\]/,
    );
  });

  it('throws when bin edges differ', () => {
    const other = emptyDatasetProfile({
      ...schema,
      features: [
        { name: 'age', kind: 'numeric', binEdges: [1] },
        { name: 'color', kind: 'categorical', categoricalTopK: 3 },
      ],
    });
    expect(() => mergeDatasetProfiles(emptyDatasetProfile(schema), other)).toThrow(
      /different baseline bin edges/,
    );
  });

  it('throws when a profile file is malformed, naming the field', () => {
    const bad = { ...emptyDatasetProfile(schema), rows: -1 };
    expect(() => parseDatasetProfile(bad, 'window.json')).toThrow(/window.json: rows: /);
    expect(() => parseDatasetProfile({ format: 'nope' }, 'x.json')).toThrow(/x.json: format/);
  });
});

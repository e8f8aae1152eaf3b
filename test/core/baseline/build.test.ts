import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BaselineRow,
  buildBaseline,
  decileEdges,
  linearQuantile,
} from '../../../functions/core/baseline/build.js';

interface QuantileCase {
  id: string;
  values: number[];
  expected: number[];
}
// numpy.quantile reference values: python3 scripts/reference/numpy-quantiles.py > test/fixtures/reference/numpy-quantiles.json
const reference = JSON.parse(readFileSync('test/fixtures/reference/numpy-quantiles.json', 'utf8')) as {
  quantiles: number[];
  cases: QuantileCase[];
};

function rowsOf(rows: BaselineRow[]): () => AsyncIterable<BaselineRow> {
  return async function* () {
    yield* rows;
  };
}

describe('linearQuantile', () => {
  it.each(reference.cases)('matches numpy.quantile for $id', ({ values, expected }) => {
    const sorted = Float64Array.from(values).sort();
    reference.quantiles.forEach((q, i) => {
      expect(linearQuantile(sorted, q)).toBeCloseTo(expected[i] ?? Number.NaN, 12);
    });
  });

  it('returns NaN for no values', () => {
    expect(linearQuantile([], 0.5)).toBeNaN();
  });
});

describe('decileEdges', () => {
  it('collapses repeated deciles so that edges strictly increase', () => {
    // numpy deciles of the "ties" case are [0,0,0,0,0,0,0.3,1,1.1]
    const ties = reference.cases.find((c) => c.id === 'ties');
    const sorted = Float64Array.from(ties?.values ?? []).sort();
    expect(decileEdges((q) => linearQuantile(sorted, q))).toEqual([
      0,
      expect.closeTo(0.3, 12),
      1,
      expect.closeTo(1.1, 12),
    ]);
  });
});

describe('buildBaseline', () => {
  const rows: BaselineRow[] = Array.from({ length: 100 }, (_, i) => ({
    target: String(i % 2),
    age: String(20 + (i % 50)),
    income: (1000 + i * 10.5).toFixed(1),
    city: ['paris', 'lima', 'oslo'][i % 3] ?? null,
    code: String(i % 4),
    score: (i / 100).toFixed(2),
  }));

  it('infers types, excludes the target and bins numeric features at their deciles', async () => {
    // When
    const b = await buildBaseline(rowsOf(rows), {
      source: 'train.csv',
      exclude: ['target'],
      categorical: ['code'],
      predictionColumn: 'score',
    });
    // Then
    expect(b.features.map((f) => [f.name, f.kind, f.inferredType])).toEqual([
      ['age', 'numeric', 'Integral'],
      ['income', 'numeric', 'Fractional'],
      ['city', 'categorical', 'String'],
      ['code', 'categorical', 'Integral'],
    ]);
    expect(b.outputs.map((f) => [f.name, f.kind, f.inferredType])).toEqual([
      ['prediction', 'numeric', 'Fractional'],
    ]);
    // ages 20..69 twice each: numpy deciles of that are 24.9, 29.8, ...
    const ages = Float64Array.from(rows.map((r) => Number(r.age))).sort();
    expect(b.features[0]?.binEdges).toEqual(
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((q) => linearQuantile(ages, q)),
    );
    const age = b.profile.features[0];
    expect(age?.bins?.counts.reduce((x, y) => x + y, 0)).toBe(100);
    // Each decile bin holds about a tenth of the data.
    for (const c of age?.bins?.counts ?? []) expect(c).toBeGreaterThanOrEqual(8);
    expect(b.profile.features[2]?.categories?.counts).toEqual({ paris: 34, lima: 33, oslo: 33 });
    expect(b.profile.features[3]?.categories?.counts).toEqual({ 0: 25, 1: 25, 2: 25, 3: 25 });
    expect(b.profile.outputs[0]?.numeric?.n).toBe(100);
    expect(b.profile.extraColumns).toEqual({});
    expect(b.profile.records).toEqual({ lines: 100, accepted: 100, rejected: 0 });
  });

  it('takes deciles from the sketch when the values exceed maxExactValues', async () => {
    const b = await buildBaseline(rowsOf(rows), { source: 't.csv', exclude: ['target'], maxExactValues: 10 });
    const edges = b.features[0]?.binEdges ?? [];
    expect(edges).toHaveLength(9);
    // 100 values fit the sketch exactly, so its lower quantiles are data points near numpy's deciles.
    expect(Math.abs((edges[4] ?? 0) - 44.5)).toBeLessThanOrEqual(1);
  });

  it('throws when the target column does not exist', async () => {
    await expect(buildBaseline(rowsOf(rows), { source: 'train.csv', exclude: ['label'] })).rejects.toThrow(
      /train.csv: column\(s\) label not found; columns are target, age, income, city, code, score/,
    );
  });

  it('throws when a categorical column does not exist', async () => {
    await expect(buildBaseline(rowsOf(rows), { source: 'train.csv', categorical: ['zip'] })).rejects.toThrow(
      /categorical column\(s\) zip not found/,
    );
  });
});

import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driftCommand } from '../../../functions/cli/commands.js';
import type { BaselineColumn } from '../../../functions/core/baseline/types.js';
import { ProfileBuilder } from '../../../functions/core/profile/dataset-profile.js';
import { buildFeatureChart, type CategoryChart } from '../../../functions/core/report/chart-data.js';
import { marketplaceReport } from './support.js';

// python3 scripts/reference/report-charts.py > test/fixtures/report/marketplace-charts.json
// (numpy deciles as edges, numpy.searchsorted for left-closed bins, collections.Counter for categories)
interface Reference {
  histograms: Array<{
    name: string;
    edges: number[];
    baseline: number[];
    current: number[];
    range: { min: number; max: number };
  }>;
  categories: Array<{
    name: string;
    baseline: Record<string, number>;
    current: Record<string, number>;
    unseen: string[];
  }>;
}
const reference = JSON.parse(
  await readFile('test/fixtures/report/marketplace-charts.json', 'utf8'),
) as Reference;

const SDK_QUALITY = 'test/fixtures/model-monitor-outputs/sdk-quality-check-data-quality';

function categoricalProfiles(base: string[], cur: string[]) {
  const profile = (values: string[]) => {
    const b = new ProfileBuilder({ features: [{ name: 'c', kind: 'categorical' }] });
    for (const c of values) b.addRecord({ c });
    return b.toState().features[0];
  };
  const column: BaselineColumn = { name: 'c', kind: 'categorical', inferredType: 'String' };
  return { column, base: profile(base), cur: profile(cur) };
}

describe('buildFeatureChart', () => {
  it('computes histograms over the baseline deciles that match numpy for every marketplace feature', async () => {
    // Given: the marketplace drift report, every column numeric
    const report = await marketplaceReport();
    // Then: one histogram per feature, equal to the independent reference
    expect(report.charts.map((c) => c.name)).toEqual(reference.histograms.map((h) => h.name));
    for (const expected of reference.histograms) {
      const chart = report.charts.find((c) => c.name === expected.name);
      expect(chart).toEqual({ ...expected, kind: 'histogram', estimated: false });
    }
  });

  it('computes category counts with the unseen categories marked, matching collections.Counter', async () => {
    // Given: gender and age_range baselined as categorical
    const report = await marketplaceReport(['gender', 'age_range']);
    for (const expected of reference.categories) {
      // When
      const chart = report.charts.find((c) => c.name === expected.name) as CategoryChart;
      // Then
      expect(chart.kind).toBe('categories');
      expect(
        Object.fromEntries(chart.categories.map((b) => [b.value, b.baseline]).filter(([, n]) => n)),
      ).toEqual(expected.baseline);
      expect(Object.fromEntries(chart.categories.map((b) => [b.value, b.current]))).toEqual(expected.current);
      expect(
        chart.categories
          .filter((b) => b.unseen)
          .map((b) => b.value)
          .sort(),
      ).toEqual(expected.unseen);
      expect(chart.other).toEqual({ baseline: 0, current: 0 });
    }
  });

  it('keeps the top categories by the larger of the two shares and sums the rest into other', () => {
    // Given: baseline a 6, b 3, c 1 (shares .6 .3 .1); current a 2, d 5, e 3 (shares .2 .5 .3)
    const { column, base, cur } = categoricalProfiles([...'aaaaaabbbc'], [...'aadddddeee']);
    // When: two categories kept; scores a .6, d .5, b .3, e .3, c .1
    const chart = buildFeatureChart(column, base, cur, { topCategories: 2 });
    // Then
    expect(chart).toEqual({
      name: 'c',
      kind: 'categories',
      categories: [
        { value: 'a', baseline: 6, current: 2 },
        { value: 'd', baseline: 0, current: 5, unseen: true },
      ],
      other: { baseline: 4, current: 3 },
    });
  });

  it("estimates a Model Monitor baseline's bin counts from its KLL sketch", async () => {
    // Given: Model Monitor's statistics.json as the baseline and the very CSV it profiled as the current data;
    // its sketch holds all 100 values, so the estimate must equal the exact counts of the current side
    const dir = await mkdtemp(join(tmpdir(), 'driftwatch-mm-'));
    await copyFile(`${SDK_QUALITY}/statistics.json`, join(dir, 'statistics.json'));
    // When
    const { report } = await driftCommand({
      inputs: [`${SDK_QUALITY}/baseline_dataset.csv`],
      baseline: dir,
      format: 'json',
    });
    // Then
    expect(report.charts).toHaveLength(6);
    for (const chart of report.charts) {
      if (chart.kind !== 'histogram') throw new Error(`${chart.name}: expected a histogram`);
      expect(chart.estimated).toBe(true);
      expect(chart.baseline.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
      chart.baseline.forEach((n, i) => {
        expect(n).toBeCloseTo(chart.current[i] ?? Number.NaN, 9);
      });
    }
  });

  it('gives no chart for a numeric column without bin edges', () => {
    const column: BaselineColumn = { name: 'x', kind: 'numeric', inferredType: 'Fractional' };
    expect(buildFeatureChart(column, undefined, undefined)).toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('throws when topCategories is %s', (topCategories) => {
    const { column, base, cur } = categoricalProfiles(['a'], ['b']);
    expect(() => buildFeatureChart(column, base, cur, { topCategories })).toThrow(
      /topCategories must be a positive integer/,
    );
  });
});

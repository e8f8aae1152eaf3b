import { describe, expect, it } from 'vitest';
import { decileEdges, linearQuantile } from '../../../functions/core/baseline/build.js';
import type { Baseline } from '../../../functions/core/baseline/types.js';
import type { RawValue } from '../../../functions/core/capture/types.js';
import {
  compareColumn,
  compareToBaseline,
  type DriftSettings,
} from '../../../functions/core/drift/compare.js';
import { autoThreshold, DEFAULT_AUTO } from '../../../functions/core/drift/methods.js';
import { ProfileBuilder, type ProfileSchema } from '../../../functions/core/profile/dataset-profile.js';
import { ksTwoSample, wasserstein1FromSamples } from '../../../functions/core/stats/index.js';
import { categorical, mulberry32, normal } from '../../support/random.js';

const COLORS = ['red', 'green', 'blue', 'black'];
const COLOR_P = [0.5, 0.3, 0.15, 0.05];

function numericBaseline(values: readonly number[]): Baseline {
  const sorted = Float64Array.from(values).sort();
  const binEdges = decileEdges((q) => linearQuantile(sorted, q));
  const b = new ProfileBuilder({ features: [{ name: 'x', kind: 'numeric', binEdges }] });
  for (const x of values) b.addRecord({ x });
  return {
    format: 'driftwatch.baseline',
    version: 1,
    source: 'test',
    features: [{ name: 'x', kind: 'numeric', inferredType: 'Fractional', binEdges }],
    outputs: [],
    profile: b.toState(),
  };
}

function categoricalBaseline(values: readonly string[]): Baseline {
  const b = new ProfileBuilder({ features: [{ name: 'c', kind: 'categorical' }] });
  for (const c of values) b.addRecord({ c });
  return {
    format: 'driftwatch.baseline',
    version: 1,
    source: 'test',
    features: [{ name: 'c', kind: 'categorical', inferredType: 'String' }],
    outputs: [],
    profile: b.toState(),
  };
}

function currentProfile(baseline: Baseline, rows: ReadonlyArray<Record<string, RawValue>>) {
  const schema: ProfileSchema = {
    features: baseline.features.map((f) => ({
      name: f.name,
      kind: f.kind,
      ...(f.binEdges ? { binEdges: f.binEdges } : {}),
    })),
  };
  const b = new ProfileBuilder(schema);
  for (const r of rows) b.addRecord(r);
  return b.toState();
}

function draw<T>(n: number, f: () => T): T[] {
  return Array.from({ length: n }, f);
}

describe('compareToBaseline', () => {
  it('reports every numeric statistic, close to the exact values from the raw data', () => {
    // Given: 100k baseline rows and 100k current rows shifted by 0.1 sd, profiled with KLL sketches
    const z = normal(mulberry32(7));
    const base = draw(100_000, z);
    const cur = draw(100_000, () => z() + 0.1);
    const baseline = numericBaseline(base);
    // When
    const result = compareToBaseline(
      baseline,
      currentProfile(
        baseline,
        cur.map((x) => ({ x })),
      ),
    );
    // Then: the sketch-based KS/L-inf is within 0.005 of the exact D and Wasserstein within 1%
    const exact = ksTwoSample(base, cur);
    const f = result.features[0];
    expect(Math.abs((f?.statistics.ks ?? 0) - exact.statistic)).toBeLessThanOrEqual(0.005);
    expect(Math.abs((f?.statistics.linf ?? 0) - exact.statistic)).toBeLessThanOrEqual(0.005);
    const w = wasserstein1FromSamples(base, cur);
    expect(Math.abs((f?.statistics.wasserstein ?? 0) - w) / w).toBeLessThanOrEqual(0.01);
    expect(f?.statistics.ksPValue).toBeLessThan(1e-6);
    expect(f?.statistics.psi).toBeGreaterThan(0);
    expect(f?.statistics.js).toBeGreaterThan(0);
    expect(f?.count).toBe(100_000);
  });

  it('flags a material shift and reports the prediction and shares', () => {
    const z = normal(mulberry32(11));
    const baseline = numericBaseline(draw(2000, z));
    const result = compareToBaseline(
      baseline,
      currentProfile(
        baseline,
        draw(500, () => ({ x: z() + 1 })),
      ),
    );
    expect(result.features[0]).toMatchObject({
      name: 'x',
      type: 'numeric',
      method: 'auto',
      drift: true,
      direction: 'above',
    });
    expect(result.driftedShare).toBe(1);
    expect(result.drift).toBe(true);
    expect(result.prediction).toBeNull();
  });

  it('computes categorical statistics over the union of categories and lists unseen ones', () => {
    const baseline = categoricalBaseline([...Array(100).fill('a'), ...Array(100).fill('b')]);
    const current = currentProfile(
      baseline,
      [...Array(60).fill('a'), ...Array(100).fill('b'), ...Array(40).fill('z')].map((c) => ({ c })),
    );
    const f = compareToBaseline(baseline, current).features[0];
    // p = (0.5, 0.5, 0), q = (0.3, 0.5, 0.2): L-inf = 0.2
    expect(f?.statistics.linf).toBeCloseTo(0.2, 12);
    expect(f?.statistics.newCategories).toEqual(['z']);
    expect(f?.statistics.chi2PValue).toBeLessThan(0.001);
    expect(f?.drift).toBe(true);
  });

  it('uses a configured method and threshold, comparing p-values from below', () => {
    const z = normal(mulberry32(3));
    const baseline = numericBaseline(draw(1000, z));
    const current = currentProfile(
      baseline,
      draw(1000, () => ({ x: z() })),
    );
    const settings: DriftSettings = { method: 'ks', threshold: 0.01 };
    const f = compareToBaseline(baseline, current, { settingsFor: () => settings }).features[0];
    expect(f).toMatchObject({ method: 'ks', threshold: 0.01, direction: 'below' });
    expect(f?.statistic).toBe(f?.statistics.ksPValue);
    expect(f?.drift).toBe((f?.statistic ?? 1) < 0.01);
  });

  it('reaches no verdict when the current data has no values', () => {
    const baseline = numericBaseline([1, 2, 3]);
    const f = compareToBaseline(baseline, currentProfile(baseline, [{ x: null }])).features[0];
    expect(f).toMatchObject({ drift: false, statistic: null, note: 'no values to compare', missingRate: 1 });
  });

  it('reaches no verdict below minSamples, and leaves excluded columns out', () => {
    const z = normal(mulberry32(21));
    const baseline = numericBaseline(draw(1000, z));
    const current = currentProfile(
      baseline,
      draw(20, () => ({ x: z() + 3 })),
    );
    const f = compareToBaseline(baseline, current, {
      settingsFor: () => ({ method: 'auto', minSamples: 30 }),
    }).features[0];
    expect(f).toMatchObject({
      drift: false,
      statistic: null,
      note: 'insufficient data: 20 values, fewer than minSamples 30',
    });
    expect(compareToBaseline(baseline, current, { exclude: new Set(['x']) }).features).toEqual([]);
  });

  it('throws when a method does not apply to the feature type', () => {
    const baseline = categoricalBaseline(['a']);
    expect(() =>
      compareColumn(baseline.features[0] as Baseline['features'][number], undefined, undefined, {
        method: 'wasserstein',
      }),
    ).toThrow(/drift method "wasserstein" does not apply to categorical feature "c"/);
  });
});

describe('auto rule', () => {
  // A fixed distance threshold fires on small windows and a fixed p-value on large ones; auto must do neither.
  const SIZES = [10, 30, 100, 1000, 10_000];

  it.each(SIZES)('keeps false alarms rare on numeric no-drift windows of %i rows', (m) => {
    const rand = mulberry32(1000 + m);
    const z = normal(rand);
    const baseline = numericBaseline(draw(5000, z));
    const trials = m >= 10_000 ? 30 : 200;
    let alarms = 0;
    let fixedAlarms = 0;
    for (let t = 0; t < trials; t++) {
      const f = compareToBaseline(
        baseline,
        currentProfile(
          baseline,
          draw(m, () => ({ x: z() })),
        ),
      ).features[0];
      if (f?.drift) alarms += 1;
      if ((f?.statistics.linf ?? 0) > 0.1) fixedAlarms += 1;
    }
    // alpha = 0.01; allow sampling noise: at most 3% of trials.
    expect(alarms / trials).toBeLessThanOrEqual(0.03);
    if (m <= 100) expect(fixedAlarms / trials).toBeGreaterThan(0.2);
  });

  it.each(SIZES)('keeps false alarms rare on categorical no-drift windows of %i rows', (m) => {
    const rand = mulberry32(2000 + m);
    const pick = categorical(rand, COLORS, COLOR_P);
    const baseline = categoricalBaseline(draw(5000, pick));
    const trials = m >= 10_000 ? 30 : 200;
    let alarms = 0;
    for (let t = 0; t < trials; t++) {
      const f = compareToBaseline(
        baseline,
        currentProfile(
          baseline,
          draw(m, () => ({ c: pick() })),
        ),
      ).features[0];
      if (f?.drift) alarms += 1;
    }
    expect(alarms / trials).toBeLessThanOrEqual(0.03);
  });

  it('ignores an immaterial shift in a large window that a fixed p-value flags', () => {
    const z = normal(mulberry32(99));
    const baseline = numericBaseline(draw(100_000, z));
    const f = compareToBaseline(
      baseline,
      currentProfile(
        baseline,
        draw(100_000, () => ({ x: z() + 0.05 })),
      ),
    ).features[0];
    expect(f?.statistics.ksPValue).toBeLessThan(0.05);
    expect(f?.drift).toBe(false);
  });

  it('detects a half-standard-deviation shift in a window of 200 rows', () => {
    const z = normal(mulberry32(5));
    const baseline = numericBaseline(draw(5000, z));
    let detected = 0;
    for (let t = 0; t < 50; t++) {
      const f = compareToBaseline(
        baseline,
        currentProfile(
          baseline,
          draw(200, () => ({ x: z() + 0.5 })),
        ),
      ).features[0];
      if (f?.drift) detected += 1;
    }
    expect(detected / 50).toBeGreaterThan(0.9);
  });

  it('computes the size-adaptive threshold from the KS critical value', () => {
    // c(0.01) = sqrt(-ln(0.005)/2) = 1.6276; n = m = 100 -> 1.6276 * sqrt(0.02) = 0.2302
    expect(autoThreshold('numeric', 100, 100, DEFAULT_AUTO)).toBeCloseTo(0.23018, 4);
    expect(autoThreshold('numeric', 1e6, 1e6, DEFAULT_AUTO)).toBe(0.1);
    // Categorical, k = 4: z(1 - 0.01/8) = 3.0233 -> 3.0233 / 2 * sqrt(0.02) = 0.21378
    expect(autoThreshold('categorical', 100, 100, DEFAULT_AUTO, 4)).toBeCloseTo(0.21378, 4);
    expect(autoThreshold('numeric', 0, 10, DEFAULT_AUTO)).toBe(Number.POSITIVE_INFINITY);
  });
});

import { describe, expect, it } from 'vitest';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import {
  mcnemarExact,
  pairedBootstrap,
  quantileSorted,
  sampleSizeMeans,
  sampleSizeProportions,
  twoProportionZTest,
  unpairedBootstrap,
  welchTTest,
} from '../../../functions/core/quality/inference.js';
import { mulberry32 } from '../../support/random.js';
import { binarySet, close, labelOnlySet, REFERENCE } from './support.js';

// Expected values: scipy.stats.binomtest, chi2_contingency(correction=False), ttest_ind(equal_var=False),
// norm.ppf and numpy.quantile via `/usr/bin/python3 scripts/reference/model-quality.py`.

describe('mcnemarExact', () => {
  it.each(REFERENCE.mcnemar.map((c) => [c.b, c.c, c] as const))(
    'computes the exact p-value of scipy.stats.binomtest for b=%d c=%d',
    (_, __, c) => {
      const result = mcnemarExact(c.b, c.c);
      expect(close(result.pvalue, c.pvalue, 1e-7), `${result.pvalue} vs ${c.pvalue}`).toBe(true);
    },
  );

  it('throws when a count is negative or fractional', () => {
    expect(() => mcnemarExact(-1, 2)).toThrow(QualityInputError);
    expect(() => mcnemarExact(1.5, 2)).toThrow(/McNemar b: expected an integer >= 0/);
  });
});

describe('twoProportionZTest', () => {
  it.each(REFERENCE.twoProportion.map((c) => [`${c.x1}/${c.n1} vs ${c.x2}/${c.n2}`, c] as const))(
    'computes the chi-square-equivalent z and p for %s',
    (_, c) => {
      const r = twoProportionZTest(c.x1, c.n1, c.x2, c.n2);
      expect(close(r.statistic, c.z, 1e-10)).toBe(true);
      expect(close(r.pvalue, c.pvalue, 1e-9)).toBe(true);
    },
  );

  it('throws when successes exceed trials', () => {
    expect(() => twoProportionZTest(5, 4, 1, 2)).toThrow(/expected 0 <= successes <= trials/);
  });
});

describe('welchTTest', () => {
  it.each(REFERENCE.welch.map((c, i) => [i, c] as const))(
    'computes scipy ttest_ind(equal_var=False) case %d',
    (_, c) => {
      const r = welchTTest(c.a, c.b);
      expect(close(r.statistic, c.statistic, 1e-10)).toBe(true);
      expect(close(r.pvalue, c.pvalue, 1e-8), `${r.pvalue} vs ${c.pvalue}`).toBe(true);
    },
  );

  it('throws when a sample has fewer than 2 values', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(QualityInputError);
  });
});

describe('sampleSizeProportions and sampleSizeMeans', () => {
  it.each(REFERENCE.sampleSize.map((c, i) => [i, c] as const))(
    'computes the scipy formula value, case %d',
    (_, c) => {
      const n =
        c.kind === 'proportions'
          ? sampleSizeProportions(c.p1 as number, c.delta, c.alpha, c.power)
          : sampleSizeMeans(c.sigma as number, c.delta, c.alpha, c.power);
      expect(n).toBe(c.n);
    },
  );

  it('computes the textbook 1094 per group for 20% vs 25% at alpha 0.05 and power 0.8', () => {
    // Fleiss' formula without continuity correction gives 1093.8 -> 1094 (e.g. Chow, Shao & Wang's tables)
    expect(sampleSizeProportions(0.2, 0.05, 0.05, 0.8)).toBe(1094);
  });

  it('throws when the effect, alpha or power are out of range', () => {
    expect(() => sampleSizeProportions(0.5, 0, 0.05, 0.8)).toThrow(/minimum detectable effect: expected > 0/);
    expect(() => sampleSizeMeans(1, 0.1, 1, 0.8)).toThrow(/alpha/);
    expect(() => sampleSizeMeans(1, 0.1, 0.05, 0)).toThrow(/power/);
    expect(() => sampleSizeProportions(1.2, 0.02, 0.05, 0.8)).toThrow(/baseline proportion/);
    expect(() => sampleSizeMeans(-1, 0.1, 0.05, 0.8)).toThrow(/standard deviation/);
  });
});

describe('quantileSorted', () => {
  it.each(REFERENCE.quantile.map((c) => [c.q, c] as const))(
    'computes numpy.quantile (linear) at %d',
    (_, c) => {
      const sorted = Float64Array.from(c.values).sort();
      expect(close(quantileSorted(sorted, c.q), c.quantile)).toBe(true);
    },
  );
});

function modelPair(n: number, accuracyA: number, accuracyB: number, seed: number) {
  const rand = mulberry32(seed);
  const labels = Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
  const predict = (accuracy: number) => labels.map((y) => (rand() < accuracy ? y : 1 - y));
  return [labelOnlySet(labels, predict(accuracyA)), labelOnlySet(labels, predict(accuracyB))] as const;
}

describe('pairedBootstrap', () => {
  it('computes the same interval for the same seed and another for another seed', () => {
    // Given: two score models on the same 300 rows (AUC differences take many distinct values)
    const rand = mulberry32(2);
    const labels = Array.from({ length: 300 }, () => (rand() < 0.4 ? 1 : 0));
    const a = binarySet(
      labels,
      labels.map((y) => Math.min(1, Math.max(0, 0.3 * y + 0.7 * rand()))),
    );
    const b = binarySet(
      labels,
      labels.map((y) => Math.min(1, Math.max(0, 0.4 * y + 0.6 * rand()))),
    );
    // When
    const one = pairedBootstrap(a, b, { auc: 1 }, { samples: 200, seed: 5 });
    // Then
    expect(pairedBootstrap(a, b, { auc: 1 }, { samples: 200, seed: 5 })).toEqual(one);
    expect(pairedBootstrap(a, b, { auc: 1 }, { samples: 200, seed: 6 }).auc?.lower).not.toBe(one.auc?.lower);
    expect(one.auc?.validSamples).toBe(200);
  });

  it('computes intervals that cover the true difference about as often as their level', () => {
    // Given: 200 independent experiments with a true accuracy difference of 0.05 (0.80 vs 0.85)
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      const [a, b] = modelPair(400, 0.8, 0.85, 1000 + trial);
      const ci = pairedBootstrap(
        a,
        b,
        { accuracy: 1 },
        { samples: 200, seed: trial, confidence: 0.9 },
      ).accuracy;
      if (ci !== undefined && ci.lower <= 0.05 && 0.05 <= ci.upper) covered++;
    }
    // Then: the 90% interval covers in about 180 of 200 (binomial sd 4.2; 165 is 3.5 sd below)
    expect(covered).toBeGreaterThan(165);
  });

  it('throws when the sets differ in size or the settings are out of range', () => {
    const [a] = modelPair(10, 0.8, 0.8, 1);
    const [c] = modelPair(11, 0.8, 0.8, 1);
    expect(() => pairedBootstrap(a, c, { accuracy: 1 })).toThrow(/the sets have 10 and 11 rows/);
    expect(() => pairedBootstrap(a, a, { accuracy: 1 }, { samples: 1 })).toThrow(/bootstrap.samples/);
    expect(() => unpairedBootstrap(a, a, { accuracy: 1 }, { confidence: 1 })).toThrow(/bootstrap.confidence/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jensenShannonDistance, lInfinityCategorical, psi } from '../../../functions/core/stats/binned.js';
import { StatisticInputError } from '../../../functions/core/stats/errors.js';
import { expectClose, loadReference } from './reference.js';

interface GeneratedBinned {
  psi: Array<{
    id: string;
    expected_counts: number[];
    actual_counts: number[];
    epsilon: number;
    value: number;
  }>;
  jensenshannon: Array<{ id: string; p: number[]; q: number[]; base: number; value: number }>;
  linf_categorical: Array<{ id: string; p: number[]; q: number[]; value: number }>;
}

interface ScipyJsCase {
  id: string;
  inputs: { p: number[]; q: number[]; base: number | null };
  expected: number;
}

interface EvidentlyCase {
  id: string;
  evidently_stattest: string;
  inputs: { reference: Array<number | string | null>; current: Array<number | string | null> };
  expected: { score: number; tolerance_abs: number };
  local_check: { value: number };
}

// Source: numpy/scipy 1.17.1, `python3 scripts/reference/drift-stats.py` (generated-binned.json).
const generated = loadReference<GeneratedBinned>('generated-binned.json');
// Source: scipy/spatial/distance/tests/test_distance.py::test_jensenshannon (rel_tol 1e-9 there).
const scipyJs = loadReference<{ cases: ScipyJsCase[] }>('scipy-jensenshannon.json').cases;
// Source: evidently tests/multitest/metrics/data_drift.py (PSI score 2.93 +/- 0.01); the only PSI case there.
const evidentlyPsi = loadReference<{ cases: EvidentlyCase[] }>('evidently-stattests.json').cases.filter(
  (c) => c.evidently_stattest === 'psi',
);

/** Counts per category over the union of non-null values, categories in first-seen order. */
function categoryCounts(
  reference: ReadonlyArray<number | string | null>,
  current: ReadonlyArray<number | string | null>,
): [number[], number[]] {
  const keys = [...new Set([...reference, ...current].filter((v) => v !== null))];
  const count = (xs: ReadonlyArray<number | string | null>) =>
    keys.map((k) => xs.filter((x) => x === k).length);
  return [count(reference), count(current)];
}

const twoCountVectors = fc
  .integer({ min: 1, max: 8 })
  .chain((k) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 50 }), { minLength: k, maxLength: k }),
      fc.array(fc.integer({ min: 0, max: 50 }), { minLength: k, maxLength: k }),
    ),
  )
  .filter(([p, q]) => p.some((v) => v > 0) && q.some((v) => v > 0));

describe('psi', () => {
  it.each(generated.psi)('computes epsilon-clipped PSI for $id', (c) => {
    // Given / When
    const value = psi(c.expected_counts, c.actual_counts, c.epsilon);
    // Then
    expectClose(value, c.value, { rtol: 1e-12, atol: 1e-15 });
  });

  it.each(evidentlyPsi)('computes Evidently reference $id', (c) => {
    // Given the categorical columns of the Evidently test, counted per category
    const [reference, current] = categoryCounts(c.inputs.reference, c.inputs.current);
    // When
    const value = psi(reference, current);
    // Then
    expectClose(value, c.expected.score, { atol: c.expected.tolerance_abs }, 'Evidently score');
    expectClose(value, c.local_check.value, { rtol: 1e-12 }, 'local scipy check');
  });

  it('computes 0 for identical proportions and the same value with the sides swapped', () => {
    fc.assert(
      fc.property(twoCountVectors, ([e, a]) => {
        expect(psi(e, e)).toBe(0);
        expectClose(psi(a, e), psi(e, a), { rtol: 1e-12, atol: 1e-15 });
      }),
    );
  });

  it('throws when the lengths differ', () => {
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(/expectedCounts and actualCounts: expected the same length/);
  });

  it('throws when a count is negative or not finite', () => {
    expect(() => psi([1, -2], [1, 2])).toThrow(/expectedCounts\[1\]: expected a finite count >= 0, got -2/);
    expect(() => psi([1, 2], [Number.NaN, 2])).toThrow(/actualCounts\[0\]/);
  });

  it('throws when a side is empty or has no counts', () => {
    expect(() => psi([], [])).toThrow(/expectedCounts: expected at least one count/);
    expect(() => psi([0, 0], [1, 2])).toThrow(/expectedCounts: expected a total > 0, got 0/);
  });

  it('throws when epsilon is not in (0, 1)', () => {
    expect(() => psi([1], [1], 0)).toThrow(/epsilon: expected a number in \(0, 1\), got 0/);
  });
});

describe('jensenShannonDistance', () => {
  it.each(scipyJs)('computes scipy jensenshannon reference $id', (c) => {
    // Given (base null in scipy means the natural logarithm)
    const base = c.inputs.base ?? Math.E;
    // When
    const value = jensenShannonDistance(c.inputs.p, c.inputs.q, base);
    // Then
    expectClose(value, c.expected, { rtol: 1e-9 });
  });

  it.each(generated.jensenshannon)('computes scipy jensenshannon(base) for $id', (c) => {
    // rtol 1e-9 as scipy's own test: for near-identical inputs the divergence is a sum of first-order terms
    // that cancel to second order, so summation order shows at ~1e-11 relative.
    expectClose(jensenShannonDistance(c.p, c.q, c.base), c.value, { rtol: 1e-9, atol: 1e-15 });
  });

  it('computes base 2 by default', () => {
    // scipy: jensenshannon([1, 0, 0], [0, 1, 0], base=2) = 1
    expect(jensenShannonDistance([1, 0, 0], [0, 1, 0])).toBe(1);
  });

  it('computes a symmetric distance in [0, 1] that is 0 for identical inputs', () => {
    fc.assert(
      fc.property(twoCountVectors, ([p, q]) => {
        const d = jensenShannonDistance(p, q);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1 + 1e-15);
        expect(jensenShannonDistance(q, p)).toBe(d);
        expect(jensenShannonDistance(p, p)).toBe(0);
      }),
    );
  });

  it('throws when the lengths differ', () => {
    expect(() => jensenShannonDistance([1], [1, 2])).toThrow(
      /p and q: expected the same length, got 1 and 2/,
    );
  });

  it('throws when a count is negative or a side sums to 0', () => {
    expect(() => jensenShannonDistance([1, -1], [1, 1])).toThrow(/p\[1\]: expected a finite count >= 0/);
    expect(() => jensenShannonDistance([1, 1], [0, 0])).toThrow(/q: expected a total > 0/);
  });

  it('throws when the base is not a valid logarithm base', () => {
    expect(() => jensenShannonDistance([1], [1], 1)).toThrow(
      /base: expected a finite number > 0 other than 1/,
    );
    expect(() => jensenShannonDistance([1], [1], -2)).toThrow(StatisticInputError);
  });
});

describe('lInfinityCategorical', () => {
  it.each(generated.linf_categorical)('computes max |p_i - q_i| of normalised frequencies for $id', (c) => {
    expectClose(lInfinityCategorical(c.p, c.q), c.value, { rtol: 1e-12, atol: 1e-15 });
  });

  it('computes a symmetric distance that is 0 for identical inputs', () => {
    fc.assert(
      fc.property(twoCountVectors, ([p, q]) => {
        expect(lInfinityCategorical(q, p)).toBe(lInfinityCategorical(p, q));
        expect(lInfinityCategorical(p, p)).toBe(0);
      }),
    );
  });

  it('throws when the lengths differ, a count is negative or a side sums to 0', () => {
    expect(() => lInfinityCategorical([1, 2], [1])).toThrow(/same length/);
    expect(() => lInfinityCategorical([1, -2], [1, 2])).toThrow(/p\[1\]/);
    expect(() => lInfinityCategorical([0], [1])).toThrow(/p: expected a total > 0/);
  });

  it('throws when the count vectors are empty', () => {
    expect(() => lInfinityCategorical([], [])).toThrow(/p: expected at least one count/);
  });
});

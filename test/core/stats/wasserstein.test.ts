import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { empiricalCdf } from '../../../functions/core/stats/ecdf.js';
import {
  wasserstein1,
  wasserstein1FromSamples,
  wasserstein1Normed,
} from '../../../functions/core/stats/wasserstein.js';
import { expectClose, loadReference } from './reference.js';

interface ScipyWassersteinCase {
  id: string;
  function: string;
  inputs: { u_values: number[]; v_values: number[]; u_weights: number[] | null; v_weights: number[] | null };
  expected: { value: number };
  tolerance: { rtol?: number; atol?: number; exact?: boolean };
}

interface GeneratedWassersteinCase {
  id: string;
  a: number[];
  b: number[];
  a_weights?: number[];
  b_weights?: number[];
  value: number;
  a_std?: number;
  normed?: number;
}

// Source: scipy/stats/tests/test_stats.py::TestWassersteinDistance (scipy-wasserstein-energy.json). The
// energy_distance cases in the same file are left out: driftwatch has no energy distance.
const scipyCases = loadReference<{ cases: ScipyWassersteinCase[] }>(
  'scipy-wasserstein-energy.json',
).cases.filter((c) => c.function === 'scipy.stats.wasserstein_distance');
// Source: scipy 1.17.1, `python3 scripts/reference/drift-stats.py` (generated-wasserstein.json).
const generated = loadReference<{ cases: GeneratedWassersteinCase[] }>('generated-wasserstein.json').cases;

const sample = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 });

describe('wasserstein1FromSamples', () => {
  it.each(scipyCases)('computes scipy wasserstein_distance reference $id', (c) => {
    // Given the (optionally weighted) samples of the scipy test
    const { u_values, v_values, u_weights, v_weights } = c.inputs;
    // When
    const value = wasserstein1FromSamples(u_values, v_values, u_weights ?? undefined, v_weights ?? undefined);
    // Then
    expectClose(value, c.expected.value, c.tolerance.exact ? {} : c.tolerance);
  });

  it.each(generated)('computes scipy wasserstein_distance for $id', (c) => {
    const value = wasserstein1FromSamples(c.a, c.b, c.a_weights, c.b_weights);
    expectClose(value, c.value, { rtol: 1e-12, atol: 1e-15 });
  });

  it('computes a symmetric distance that is 0 for identical samples and |c| for a shift by c', () => {
    fc.assert(
      fc.property(sample, sample, fc.integer({ min: -50, max: 50 }), (a, b, c) => {
        const ab = wasserstein1FromSamples(a, b);
        expectClose(wasserstein1FromSamples(b, a), ab, { rtol: 1e-12, atol: 1e-12 });
        expect(wasserstein1FromSamples(a, [...a].reverse())).toBe(0);
        expectClose(
          wasserstein1FromSamples(
            a,
            a.map((v) => v + c),
          ),
          Math.abs(c),
          { rtol: 1e-9, atol: 1e-9 },
        );
      }),
    );
  });

  it('throws when a sample is empty or holds NaN', () => {
    expect(() => wasserstein1FromSamples([], [1])).toThrow(/sample: expected at least one value/);
    expect(() => wasserstein1FromSamples([1], [Number.NaN])).toThrow(
      /sample\[0\]: expected a number, got NaN/,
    );
  });

  it('throws when a value is infinite', () => {
    expect(() => wasserstein1FromSamples([1, Number.POSITIVE_INFINITY], [1])).toThrow(
      /a.values: expected finite values/,
    );
  });

  it('throws when the weights are invalid', () => {
    expect(() => wasserstein1FromSamples([1, 2], [1], [1])).toThrow(
      /sample and weights: expected the same length/,
    );
    expect(() => wasserstein1FromSamples([1, 2], [1], [1, -1])).toThrow(/weights\[1\]/);
    expect(() => wasserstein1FromSamples([1], [1], undefined, [0])).toThrow(/weights: expected a total > 0/);
  });
});

describe('wasserstein1', () => {
  it('computes the area between two step CDFs', () => {
    // Given a = {0, 1} and b = {2}: |Fa - Fb| is 1/2 on [0, 1) and 1 on [1, 2), so the area is 1.5 (by hand)
    expect(wasserstein1(empiricalCdf([0, 1]), empiricalCdf([2]))).toBe(1.5);
  });

  it('throws when a CDF is malformed', () => {
    expect(() => wasserstein1({ values: [1, 2], cumulative: [0.5, 0.7] }, empiricalCdf([1]))).toThrow(
      /a.cumulative\[1\]: expected the last fraction to be 1/,
    );
  });
});

describe('wasserstein1Normed', () => {
  const normed = generated.filter((c) => c.normed !== undefined && c.a_std !== undefined);

  it.each(normed)("computes Evidently's normed Wasserstein for $id", (c) => {
    // Given the baseline's population standard deviation from numpy
    const std = c.a_std as number;
    // When
    const value = wasserstein1Normed(empiricalCdf(c.a), empiricalCdf(c.b), std);
    // Then
    expectClose(value, c.normed as number, { rtol: 1e-12, atol: 1e-15 });
  });

  it('throws when the standard deviation is negative or not finite', () => {
    const a = empiricalCdf([1, 2]);
    expect(() => wasserstein1Normed(a, a, -1)).toThrow(
      /baselineStdDev: expected a finite number >= 0, got -1/,
    );
    expect(() => wasserstein1Normed(a, a, Number.NaN)).toThrow(/baselineStdDev/);
  });
});

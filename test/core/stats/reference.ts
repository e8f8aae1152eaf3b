import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Tolerance in numpy.isclose's sense: |actual - expected| <= atol + rtol * |expected|. */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Reads a JSON file under test/fixtures/drift-reference-values/. */
export function loadReference<T>(name: string): T {
  const url = new URL(`../../fixtures/drift-reference-values/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** Asserts numpy.isclose(actual, expected, rtol, atol); exact equality when both tolerances are 0. */
export function expectClose(actual: number, expected: number, tolerance: Tolerance, label = ''): void {
  const { rtol = 0, atol = 0 } = tolerance;
  if (Number.isNaN(expected)) {
    expect(actual, label).toBeNaN();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  const allowed = atol + rtol * Math.abs(expected);
  expect(
    Math.abs(actual - expected),
    `${label} actual ${actual} expected ${expected} (allowed ${allowed})`,
  ).toBeLessThanOrEqual(allowed);
}

/**
 * The grid samples of generated-ks.json, rebuilt with the same IEEE-754 operations as
 * scripts/reference/drift-stats.py: v_i = ((i + 0.5) / n) * scale + shift, then floor(v * bins) / bins.
 */
export function gridSample(spec: { n: number; scale: number; shift: number; bins: number }): Float64Array {
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) {
    let v = ((i + 0.5) / spec.n) * spec.scale + spec.shift;
    if (spec.bins > 0) v = Math.floor(v * spec.bins) / spec.bins;
    out[i] = v;
  }
  return out;
}

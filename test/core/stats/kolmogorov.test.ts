import { describe, expect, it } from 'vitest';
import { StatisticInputError } from '../../../functions/core/stats/errors.js';
import { kolmogorovCdf, kolmogorovSf, kstwoSf, smirnovSf } from '../../../functions/core/stats/kolmogorov.js';
import { expectClose, loadReference } from './reference.js';

interface GeneratedDistributions {
  kstwo_sf: Array<{ n: number; x: number; sf: number }>;
  smirnov_sf: Array<{ n: number; x: number; sf: number }>;
  kolmogorov_sf: Array<{ x: number; sf: number; cdf: number }>;
}

// Source: scipy 1.17.1 kstwo.sf / special.smirnov / special.kolmogorov,
// `python3 scripts/reference/drift-stats.py` (generated-ks.json). The (n, x) grids reach every branch of
// scipy's kstwo dispatcher (Ruben-Gambino, Durbin matrix, Pomeranz, Pelz-Good, 2 * smirnov, n > 10^6).
const reference = loadReference<GeneratedDistributions>('generated-ks.json');

// Largest deviation seen is ~2e-11 relative (n = 10^6, log-space sum vs scipy's double-double).
const TOLERANCE = { rtol: 1e-9, atol: 1e-15 };

describe('kstwoSf', () => {
  it.each(reference.kstwo_sf)('computes scipy.stats.kstwo.sf(x=$x, n=$n)', ({ n, x, sf }) => {
    // Given / When
    const actual = kstwoSf(x, n);
    // Then
    expectClose(actual, sf, TOLERANCE);
  });

  it('computes 1 at x <= 0 and 0 at x >= 1', () => {
    expect(kstwoSf(0, 10)).toBe(1);
    expect(kstwoSf(-1, 10)).toBe(1);
    expect(kstwoSf(1, 10)).toBe(0);
  });

  it('throws when n is not a positive integer or x is NaN', () => {
    expect(() => kstwoSf(0.1, 0)).toThrow(/n: expected an integer >= 1, got 0/);
    expect(() => kstwoSf(0.1, 1.5)).toThrow(StatisticInputError);
    expect(() => kstwoSf(Number.NaN, 5)).toThrow(/x: expected a number, got NaN/);
  });
});

describe('smirnovSf', () => {
  it.each(reference.smirnov_sf)('computes scipy.special.smirnov(n=$n, x=$x)', ({ n, x, sf }) => {
    // Given / When
    const actual = smirnovSf(n, x);
    // Then
    expectClose(actual, sf, TOLERANCE);
  });

  it('throws when x is outside [0, 1] or n is not a positive integer', () => {
    expect(() => smirnovSf(10, 1.2)).toThrow(/x: expected a number in \[0, 1\], got 1.2/);
    expect(() => smirnovSf(-3, 0.5)).toThrow(/n: expected an integer >= 1, got -3/);
  });
});

describe('kolmogorovSf', () => {
  it.each(reference.kolmogorov_sf)(
    'computes scipy.special.kolmogorov($x) and kstwobign.cdf($x)',
    ({ x, sf, cdf }) => {
      // Given / When
      const actualSf = kolmogorovSf(x);
      const actualCdf = kolmogorovCdf(x);
      // Then: relative precision in both tails (sf down to 1e-87, cdf down to 1e-300)
      expectClose(actualSf, sf, { rtol: 1e-12 }, 'sf');
      expectClose(actualCdf, cdf, { rtol: 1e-12 }, 'cdf');
    },
  );

  it('computes published critical values of the Kolmogorov distribution', () => {
    // Smirnov's table: K(1.36) = 0.95 and K(1.63) = 0.99, to the table's 2-3 significant digits.
    expectClose(kolmogorovCdf(1.358), 0.95, { atol: 1e-4 });
    expectClose(kolmogorovCdf(1.628), 0.99, { atol: 1e-4 });
  });

  it('computes a CDF and survival function that sum to 1 on both sides of the series switch', () => {
    for (const x of [0.2, 0.81, 0.83, 1.5])
      expectClose(kolmogorovCdf(x) + kolmogorovSf(x), 1, { atol: 1e-15 });
  });

  it('computes NaN for NaN', () => {
    expect(kolmogorovSf(Number.NaN)).toBeNaN();
  });
});

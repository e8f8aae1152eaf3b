import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KllSketch } from '../../../functions/core/sketch/kll.js';
import {
  DISTRIBUTIONS,
  type Distribution,
  generate,
  ksFromCdfs,
  mulberry32,
  supRankError,
} from './support.js';

// Reference for every rank check below: the exact empirical CDF, counted from the sorted raw data
// (supRankError in ./support.ts), compared at every point where either step function jumps.

function sketchOf(values: ArrayLike<number>, k?: number): KllSketch {
  const sketch = new KllSketch({ k });
  for (let i = 0; i < values.length; i++) sketch.update(values[i] ?? 0);
  return sketch;
}

function minOf(values: Float64Array): number {
  return values.reduce((m, v) => Math.min(m, v), Number.POSITIVE_INFINITY);
}

function maxOf(values: Float64Array): number {
  return values.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
}

describe('KllSketch rank error', () => {
  const cases = [1_000, 100_000, 1_000_000].flatMap((n) =>
    DISTRIBUTIONS.map((distribution, i) => [distribution, n, 100 + i] as const),
  );

  it.each(cases)('computes %s ranks within rankErrorBound(2048) for n = %i', (distribution, n, seed) => {
    // Given
    const values = generate(distribution, n, seed);
    const sorted = values.slice().sort();

    // When
    const sketch = sketchOf(values);

    // Then
    const error = supRankError(sketch, sorted);
    expect(error).toBeLessThanOrEqual(KllSketch.rankErrorBound(2048));
    if (n <= 2048) expect(error).toBe(0);
    expect(sketch.n).toBe(n);
    expect(sketch.min).toBe(sorted[0]);
    expect(sketch.max).toBe(sorted[n - 1]);
  });

  it.each([
    [16, 'normal'],
    [64, 'cauchy'],
    [256, 'duplicates'],
    [256, 'sorted'],
  ] as const)(
    'computes ranks within rankErrorBound(k) for small k = %i (%s, 200k values)',
    (k, distribution) => {
      // Given many levels: 200k values with a small k
      const values = generate(distribution, 200_000, 31);

      // When
      const sketch = sketchOf(values, k);

      // Then
      expect(supRankError(sketch, values.slice().sort())).toBeLessThanOrEqual(KllSketch.rankErrorBound(k));
    },
  );
});

describe('KllSketch merge', () => {
  // 200 per-file profiles of 1000 rows each, merged as the evaluate-window job would.
  const values = generate('normal', 200_000, 41);
  const sorted = values.slice().sort();
  const parts = Array.from({ length: 200 }, (_, i) => values.subarray(i * 1000, (i + 1) * 1000));

  function merged(order: 'left-to-right' | 'right-to-left' | 'balanced tree'): KllSketch {
    const sketches = parts.map((part) => sketchOf(part));
    if (order === 'left-to-right') return sketches.reduce((acc, s) => acc.merge(s), new KllSketch());
    if (order === 'right-to-left') return sketches.reduceRight((acc, s) => acc.merge(s), new KllSketch());
    let level = sketches;
    while (level.length > 1) {
      const next: KllSketch[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const a = level[i];
        const b = level[i + 1];
        if (a !== undefined) next.push(b === undefined ? a : a.merge(b));
      }
      level = next;
    }
    return level[0] ?? new KllSketch();
  }

  it.each(['left-to-right', 'right-to-left', 'balanced tree'] as const)(
    'computes exact n/min/max and ranks within the bound when merging 200 sketches %s',
    (order) => {
      // When
      const sketch = merged(order);

      // Then
      expect(sketch.n).toBe(200_000);
      expect(sketch.min).toBe(sorted[0]);
      expect(sketch.max).toBe(sorted[sorted.length - 1]);
      expect(supRankError(sketch, sorted)).toBeLessThanOrEqual(KllSketch.rankErrorBound(2048));
    },
  );

  it('computes the same merged sketch for the same grouping and order', () => {
    expect(merged('balanced tree').toJSON()).toEqual(merged('balanced tree').toJSON());
  });

  it('computes exact n/min/max and ranks within the bound for any grouping and order (property)', () => {
    const k = 128;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 24 }),
        fc.array(fc.nat(), { maxLength: 64 }),
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.constantFrom<Distribution>('uniform', 'normal', 'cauchy', 'duplicates', 'sorted'),
        (sizes, picks, seed, distribution) => {
          // Given one sketch per chunk
          const rnd = mulberry32(seed);
          const chunks = sizes.map((size) => generate(distribution, size, Math.floor(rnd() * 0x7fffffff)));
          const pool = chunks.map((chunk) => sketchOf(chunk, k));

          // When: repeatedly merge two sketches chosen by `picks`, in either direction
          let step = 0;
          const pick = () => picks[step++ % Math.max(picks.length, 1)] ?? 0;
          while (pool.length > 1) {
            const [a] = pool.splice(pick() % pool.length, 1);
            const [b] = pool.splice(pick() % pool.length, 1);
            if (a === undefined || b === undefined) throw new Error('pool underflow');
            pool.push(pick() % 2 === 0 ? a.merge(b) : b.merge(a));
          }
          const sketch = pool[0] ?? new KllSketch({ k });

          // Then
          const all = new Float64Array(sizes.reduce((sum, size) => sum + size, 0));
          let offset = 0;
          for (const chunk of chunks) {
            all.set(chunk, offset);
            offset += chunk.length;
          }
          expect(sketch.n).toBe(all.length);
          if (all.length === 0) {
            expect(sketch.min).toBeNaN();
            return;
          }
          expect(sketch.min).toBe(minOf(all));
          expect(sketch.max).toBe(maxOf(all));
          expect(supRankError(sketch, all.sort())).toBeLessThanOrEqual(KllSketch.rankErrorBound(k));
        },
      ),
      { seed: 20_261_126, numRuns: 60 },
    );
  });
});

interface KsCase {
  name: string;
  n: number;
  a: SampleSpec;
  b: SampleSpec;
  statistic: number;
}

interface SampleSpec {
  kind: 'uniform' | 'irwin-hall' | 'odds' | 'digits';
  seed: number;
  scale: number;
  shift: number;
  first: number[];
  sum: number;
}

/** Same generator as scripts/reference/kll-ks-2samp.py (only + - * / so the doubles match bit for bit). */
function sample(spec: SampleSpec, n: number): Float64Array {
  const rnd = mulberry32(spec.seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x: number;
    if (spec.kind === 'uniform') {
      x = rnd();
    } else if (spec.kind === 'irwin-hall') {
      let s = 0;
      for (let j = 0; j < 12; j++) s += rnd();
      x = s - 6;
    } else if (spec.kind === 'odds') {
      const u = rnd();
      x = u / (1 - u);
    } else {
      x = Math.trunc(rnd() * 10);
    }
    out[i] = x * spec.scale + spec.shift;
  }
  return out;
}

describe('KllSketch two-sample KS', () => {
  // Reference: scipy.stats.ks_2samp(a, b).statistic, from
  // `python3 scripts/reference/kll-ks-2samp.py > test/fixtures/sketch/kll-ks-2samp.json`.
  const fixturePath = fileURLToPath(new URL('../../fixtures/sketch/kll-ks-2samp.json', import.meta.url));
  const reference = JSON.parse(readFileSync(fixturePath, 'utf8')) as { cases: KsCase[] };

  it.each(reference.cases.map((c) => [c.name, c] as const))(
    'computes KS D within 0.005 of scipy for %s (100k rows each, k = 2048)',
    (_name, ksCase) => {
      // Given the same samples scipy saw (checked by their first values and left-to-right sums)
      const a = sample(ksCase.a, ksCase.n);
      const b = sample(ksCase.b, ksCase.n);
      expect(Array.from(a.subarray(0, 3))).toEqual(ksCase.a.first);
      expect(Array.from(b.subarray(0, 3))).toEqual(ksCase.b.first);
      expect(a.reduce((s, v) => s + v, 0)).toBe(ksCase.a.sum);
      expect(b.reduce((s, v) => s + v, 0)).toBe(ksCase.b.sum);

      // When
      const d = ksFromCdfs(sketchOf(a).cdf(), sketchOf(b).cdf());

      // Then
      expect(Math.abs(d - ksCase.statistic)).toBeLessThanOrEqual(0.005);
    },
  );
});

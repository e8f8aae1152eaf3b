import { describe, expect, it } from 'vitest';
import { bootstrapCounts, SeededRandom, subsampleWeights } from '../../../functions/core/quality/random.js';
import { REFERENCE } from './support.js';

describe('SeededRandom', () => {
  it.each(REFERENCE.xoshiro128ss.map((c) => [c.seed, c] as const))(
    'computes the xoshiro128** outputs of a Python transcription for seed %d',
    (_, c) => {
      // Given: outputs from scripts/reference/model-quality.py (splitmix32 seeding, xoshiro128** 1.1)
      const random = new SeededRandom(c.seed);
      // When
      const outputs = c.outputs.map(() => random.nextUint32());
      // Then
      expect(outputs).toEqual(c.outputs);
    },
  );

  it('computes integers below n, reproducibly', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const draws = Array.from({ length: 1000 }, () => a.nextInt(13));
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.nextInt(13)));
    expect(Math.min(...draws)).toBe(0);
    expect(Math.max(...draws)).toBe(12);
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('throws when the seed is %s', (seed) => {
    expect(() => new SeededRandom(seed)).toThrow(/seed: expected an integer in \[0, 4294967295\]/);
  });
});

describe('bootstrapCounts', () => {
  it('computes counts of n draws with replacement that sum to n', () => {
    const counts = bootstrapCounts(50, new SeededRandom(1));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(50);
    // With replacement, some rows are drawn twice and some not at all (P(no repeat) = 50!/50^50).
    expect(counts.some((c) => c === 0)).toBe(true);
  });
});

describe('subsampleWeights', () => {
  it('computes exactly m distinct rows of weight 1', () => {
    const weights = subsampleWeights(100, 80, new SeededRandom(3));
    expect(weights.reduce((a, b) => a + b, 0)).toBe(80);
    expect(weights.every((w) => w === 0 || w === 1)).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CategoryCountsState,
  categoryTotal,
  emptyCategories,
  mergeCategories,
  sortedCategories,
} from '../../../functions/core/profile/categories.js';

function table(counts: Record<string, number>, topK = 10, other = 0): CategoryCountsState {
  return { ...emptyCategories(topK), counts: { ...counts }, other };
}

describe('categories', () => {
  it('merges counts exactly while the distinct values fit', () => {
    const merged = mergeCategories(table({ a: 2, b: 1 }), table({ b: 3, c: 1 }));
    expect(merged.counts).toEqual({ a: 2, b: 4, c: 1 });
    expect(merged.other).toBe(0);
  });

  it('keeps the largest counts and moves the rest to other past topK', () => {
    const merged = mergeCategories(table({ a: 5, b: 1 }, 2), table({ c: 3, d: 1 }, 2, 4));
    expect(merged.counts).toEqual({ a: 5, c: 3 });
    expect(merged.other).toBe(6);
    expect(categoryTotal(merged)).toBe(14);
  });

  it('breaks ties by value so that the argument order does not matter', () => {
    const a = table({ x: 1 }, 1);
    const b = table({ y: 1 }, 1);
    expect(mergeCategories(a, b)).toEqual(mergeCategories(b, a));
    expect(mergeCategories(a, b).counts).toEqual({ x: 1 });
  });

  it('is associative and commutative with exact totals (property)', () => {
    const arb = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 1, max: 50 }));
    fc.assert(
      fc.property(arb, arb, arb, (x, y, z) => {
        const [a, b, c] = [table(x), table(y), table(z)];
        const left = mergeCategories(mergeCategories(a, b), c);
        const right = mergeCategories(a, mergeCategories(c, b));
        expect(left).toEqual(right);
        expect(categoryTotal(left)).toBe(categoryTotal(a) + categoryTotal(b) + categoryTotal(c));
      }),
    );
  });

  it('sorts by count then value', () => {
    expect(sortedCategories(table({ b: 2, a: 2, c: 5 }))).toEqual([
      ['c', 5],
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('throws when topK is not a positive integer', () => {
    expect(() => emptyCategories(0)).toThrow(/categoricalTopK must be a positive integer, received 0/);
    expect(() => emptyCategories(1.5)).toThrow(/received 1.5/);
  });
});

/**
 * Bounded category frequencies: exact counts for at most `topK` distinct values, everything else in
 * `other`. While a feature has at most `topK` distinct values the counts are exact and merges are exactly
 * associative and commutative. Past that, a value first seen after the table is full is counted in
 * `other`, and a merge keeps the `topK` largest counts (ties broken by value, so the result does not depend
 * on argument order) and moves the rest to `other`. Totals are always exact.
 */
export interface CategoryCountsState {
  topK: number;
  counts: Record<string, number>;
  other: number;
}

/** An empty table keeping at most `topK` distinct values. */
export function emptyCategories(topK: number): CategoryCountsState {
  if (!Number.isInteger(topK) || topK < 1) {
    throw new RangeError(`categoricalTopK must be a positive integer, received ${String(topK)}`);
  }
  return { topK, counts: Object.create(null) as Record<string, number>, other: 0 };
}

/** The total number of values counted (kept values plus `other`). */
export function categoryTotal(c: CategoryCountsState): number {
  let total = c.other;
  for (const v of Object.values(c.counts)) total += v;
  return total;
}

/** Merges two tables into a new one bounded by the smaller `topK`. */
export function mergeCategories(a: CategoryCountsState, b: CategoryCountsState): CategoryCountsState {
  const topK = Math.min(a.topK, b.topK);
  const sums = new Map<string, number>();
  for (const [k, v] of Object.entries(a.counts)) sums.set(k, v);
  for (const [k, v] of Object.entries(b.counts)) sums.set(k, (sums.get(k) ?? 0) + v);
  const sorted = [...sums.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out = emptyCategories(topK);
  out.other = a.other + b.other;
  sorted.forEach(([k, v], i) => {
    if (i < topK) out.counts[k] = v;
    else out.other += v;
  });
  return out;
}

/** Entries sorted by count descending, then by value. */
export function sortedCategories(c: CategoryCountsState): Array<[string, number]> {
  return Object.entries(c.counts).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

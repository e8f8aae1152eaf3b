import type { BaselineColumn } from '../baseline/types.js';
import {
  binIndex,
  type CategoryCountsState,
  categoryTotal,
  type FeatureProfileState,
} from '../profile/index.js';
import { KllSketch } from '../sketch/kll.js';

/** Categories a categorical chart keeps by default; the rest are summed into `other`. */
export const CHART_TOP_CATEGORIES = 20;

/**
 * Baseline and current counts of a numeric column over the baseline's bins. With interior edges
 * e_0 < ... < e_{m-1}, bin 0 is (-inf, e_0), bin i is [e_{i-1}, e_i) and bin m is [e_{m-1}, +inf), as in
 * {@link binIndex}; `baseline` and `current` have m + 1 entries each.
 */
export interface HistogramChart {
  name: string;
  kind: 'histogram';
  edges: number[];
  baseline: number[];
  current: number[];
  /**
   * True when a side's counts were estimated from its quantile sketch (rank mass per bin times its count,
   * rounded to 3 decimals) because its profile has no counts over these edges, as with a Model Monitor baseline.
   */
  estimated: boolean;
  /** Smallest and largest value on either side: where the open-ended outer bins stop in a picture. */
  range?: { min: number; max: number };
}

/** One category of a categorical chart: values counted on each side. */
export interface CategoryBar {
  value: string;
  baseline: number;
  current: number;
  /** Present (true) only for a value the current data has and the baseline's category table does not. */
  unseen?: true;
}

/**
 * Baseline and current counts of a categorical column: the top categories by
 * max(baseline count / baseline total, current count / current total), ties by value, then `other` holding
 * every remaining value plus the values the profiles themselves counted as `other`.
 */
export interface CategoryChart {
  name: string;
  kind: 'categories';
  categories: CategoryBar[];
  other: { baseline: number; current: number };
}

/** The distributions a report draws for one column. */
export type FeatureChart = HistogramChart | CategoryChart;

/** Options of {@link buildFeatureChart}. */
export interface ChartOptions {
  /** @default CHART_TOP_CATEGORIES */
  topCategories?: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Counts per bin: the profile's own bin counts when built over the same edges, else estimated from its sketch. */
function countsOverEdges(
  f: FeatureProfileState | undefined,
  edges: readonly number[],
): { counts: number[]; estimated: boolean } {
  if (f?.bins && f.bins.edges.length === edges.length && f.bins.edges.every((e, i) => e === edges[i])) {
    return { counts: [...f.bins.counts], estimated: false };
  }
  const counts = new Array<number>(edges.length + 1).fill(0);
  if (!f?.numeric || f.numeric.n === 0) return { counts, estimated: false };
  const { values, cumulative } = KllSketch.fromJSON(f.numeric.sketch).cdf();
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const cum = cumulative[i] ?? 1;
    const bin = binIndex(edges, values[i] ?? 0);
    counts[bin] = (counts[bin] ?? 0) + (cum - previous) * f.numeric.n;
    previous = cum;
  }
  return { counts: counts.map(round3), estimated: true };
}

function histogram(
  name: string,
  edges: readonly number[],
  base: FeatureProfileState | undefined,
  cur: FeatureProfileState | undefined,
): HistogramChart {
  const b = countsOverEdges(base, edges);
  const c = countsOverEdges(cur, edges);
  const chart: HistogramChart = {
    name,
    kind: 'histogram',
    edges: [...edges],
    baseline: b.counts,
    current: c.counts,
    estimated: b.estimated || c.estimated,
  };
  const sides = [base?.numeric, cur?.numeric].filter((m) => m !== undefined && m.n > 0);
  if (sides.length > 0) {
    chart.range = {
      min: Math.min(...sides.map((m) => m?.min ?? Number.POSITIVE_INFINITY)),
      max: Math.max(...sides.map((m) => m?.max ?? Number.NEGATIVE_INFINITY)),
    };
  }
  return chart;
}

function categories(
  name: string,
  base: CategoryCountsState | undefined,
  cur: CategoryCountsState | undefined,
  top: number,
): CategoryChart {
  const bc = base?.counts ?? {};
  const cc = cur?.counts ?? {};
  const bTotal = base ? categoryTotal(base) : 0;
  const cTotal = cur ? categoryTotal(cur) : 0;
  const share = (count: number, total: number) => (total > 0 ? count / total : 0);
  const keys = [...new Set([...Object.keys(bc), ...Object.keys(cc)])];
  const score = (k: string) => Math.max(share(bc[k] ?? 0, bTotal), share(cc[k] ?? 0, cTotal));
  keys.sort((x, y) => score(y) - score(x) || (x < y ? -1 : x > y ? 1 : 0));
  const chart: CategoryChart = {
    name,
    kind: 'categories',
    categories: [],
    other: { baseline: base?.other ?? 0, current: cur?.other ?? 0 },
  };
  keys.forEach((value, i) => {
    const b = bc[value] ?? 0;
    const c = cc[value] ?? 0;
    if (i < top) {
      const bar: CategoryBar = { value, baseline: b, current: c };
      if (bc[value] === undefined) bar.unseen = true;
      chart.categories.push(bar);
    } else {
      chart.other.baseline += b;
      chart.other.current += c;
    }
  });
  return chart;
}

/**
 * The chart data of one column from its baseline and current profiles: a histogram over the baseline's bin
 * edges for numeric columns (undefined when the baseline has no edges), category counts for categorical ones.
 * Throws RangeError when `topCategories` is not a positive integer.
 */
export function buildFeatureChart(
  column: BaselineColumn,
  base: FeatureProfileState | undefined,
  cur: FeatureProfileState | undefined,
  options: ChartOptions = {},
): FeatureChart | undefined {
  const top = options.topCategories ?? CHART_TOP_CATEGORIES;
  if (!Number.isInteger(top) || top < 1) {
    throw new RangeError(`topCategories must be a positive integer, received ${String(top)}`);
  }
  if (column.kind === 'numeric') {
    return column.binEdges ? histogram(column.name, column.binEdges, base, cur) : undefined;
  }
  return categories(column.name, base?.categories, cur?.categories, top);
}

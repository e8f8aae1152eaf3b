import { BaselineError } from '../../errors.js';
import { emptyCategories } from '../profile/categories.js';
import type { DatasetProfileState } from '../profile/dataset-profile.js';
import type { FeatureProfileState } from '../profile/feature-profile.js';
import { emptyMoments, type MomentsState } from '../profile/moments.js';
import { KllSketch, type KllSketchState } from '../sketch/kll.js';
import { inferType } from './infer-type.js';
import type {
  CategoricalBucket,
  FeatureStatistics,
  InferredType,
  KllBucket,
  NumericalStatistics,
  StatisticsFile,
  StringStatistics,
} from './types.js';

/** Model Monitor always writes 10 KLL buckets (the docs: not configurable). */
export const KLL_BUCKET_COUNT = 10;

/** Category table size of profiles read from statistics.json when the file lists fewer categories. */
const DEFAULT_TOP_K = 100;

/** Options of {@link profileToStatistics}. */
export interface StatisticsOptions {
  /**
   * Also write the profile's outputs (prediction columns) as features, after the inputs, as Model Monitor does
   * when the capture's `captureIndexNames` include endpointOutput. @default false
   */
  includeOutputs?: boolean;
}

/**
 * Deequ's KLL histogram (KLLSketch.computeMetricFrom) over a sketch's retained items, each of weight 2^h on
 * level h. Definition: with lo = min, hi = max, bucket i (i = 0..9) spans
 * [lo + (hi - lo)·i/10, lo + (hi - lo)·(i + 1)/10); its count is the weight of the items in that half-open
 * interval, except the last bucket, which is closed and so also counts items equal to max.
 */
export function kllBuckets(sketch: KllSketchState, min: number, max: number): KllBucket[] {
  const buckets: KllBucket[] = [];
  for (let i = 0; i < KLL_BUCKET_COUNT; i++) {
    const lower = min + ((max - min) * i) / KLL_BUCKET_COUNT;
    const upper = min + ((max - min) * (i + 1)) / KLL_BUCKET_COUNT;
    const last = i === KLL_BUCKET_COUNT - 1;
    let count = 0;
    sketch.levels.forEach((items, h) => {
      const weight = 2 ** h;
      for (const v of items) if (v >= lower && (v < upper || (last && v === upper))) count += weight;
    });
    buckets.push({ lower_bound: lower, upper_bound: upper, count });
  }
  return buckets;
}

function numericalStatistics(f: FeatureProfileState, numeric: MomentsState & { sketch: KllSketchState }) {
  const stats: NumericalStatistics = { common: { num_present: f.count - f.missing, num_missing: f.missing } };
  if (numeric.n === 0) return stats;
  stats.mean = numeric.sum / numeric.n;
  stats.sum = numeric.sum;
  stats.std_dev = Math.sqrt(Math.max(0, numeric.m2 / numeric.n));
  stats.min = numeric.min;
  stats.max = numeric.max;
  stats.distribution = {
    kll: {
      buckets: kllBuckets(numeric.sketch, numeric.min, numeric.max),
      sketch: KllSketch.fromJSON(numeric.sketch).toModelMonitor(),
    },
  };
  return stats;
}

function stringStatistics(f: FeatureProfileState, type: InferredType): StringStatistics {
  const stats: StringStatistics = { common: { num_present: f.count - f.missing, num_missing: f.missing } };
  if (type === 'Unknown') {
    stats.distinct_count = 0;
    return stats;
  }
  if (!f.categories) return stats;
  const buckets: CategoricalBucket[] = Object.entries(f.categories.counts)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([value, count]) => ({ value, count }));
  // Exact while the table held every distinct value; past it, values in `other` add at least one more.
  stats.distinct_count = buckets.length + (f.categories.other > 0 ? 1 : 0);
  stats.distribution = { categorical: { buckets } };
  return stats;
}

function featureStatistics(f: FeatureProfileState, given: InferredType | undefined): FeatureStatistics {
  const type = given ?? inferType(f);
  const numericType = type === 'Integral' || type === 'Fractional';
  if (numericType && f.numeric) {
    return { name: f.name, inferred_type: type, numerical_statistics: numericalStatistics(f, f.numeric) };
  }
  if (numericType) {
    // Profiled as categorical (only category counts exist): written as the String feature it was treated as.
    return { name: f.name, inferred_type: 'String', string_statistics: stringStatistics(f, 'String') };
  }
  if (type === 'String' && !f.categories && f.numeric) {
    // Profiled as numeric yet holding strings: only the numbers' statistics exist, so write those.
    const closest: InferredType = f.fractional > 0 ? 'Fractional' : 'Integral';
    return { name: f.name, inferred_type: closest, numerical_statistics: numericalStatistics(f, f.numeric) };
  }
  return { name: f.name, inferred_type: type, string_statistics: stringStatistics(f, type) };
}

/**
 * Model Monitor's statistics.json for a profile, features in profile order (inputs, then outputs when
 * `includeOutputs`). Per feature, with type = `types.get(name)` or else {@link inferType}:
 * - Integral/Fractional (needs the profile's numeric state): `common` {num_present = count - missing,
 *   num_missing}; mean = sum / n; sum; std_dev = sqrt(M2 / n), the population standard deviation; exact min and
 *   max; `distribution.kll.buckets` from {@link kllBuckets}; `distribution.kll.sketch` = the KLL sketch in
 *   Model Monitor's layout. Only `common` when no value was present.
 * - String: `common`; distinct_count = distinct values counted (exact while at most the profile's categoricalTopK
 *   values were seen, else a lower bound); categorical buckets {value, count} for every counted value, by count
 *   descending then value.
 * - Unknown: string_statistics with `common` and distinct_count 0.
 * A numeric type on a feature profiled as categorical is written as String with its category counts; String on a
 * feature profiled as numeric is written with the numbers' statistics as Fractional (any fractional value) or
 * Integral. dataset.item_count = the profile's rows.
 */
export function profileToStatistics(
  p: DatasetProfileState,
  types?: ReadonlyMap<string, InferredType>,
  options: StatisticsOptions = {},
): StatisticsFile {
  const columns = options.includeOutputs ? [...p.features, ...p.outputs] : p.features;
  return {
    version: 0,
    dataset: { item_count: p.rows },
    features: columns.map((f) => featureStatistics(f, types?.get(f.name))),
  };
}

function requireFinite(value: number | undefined, source: string, path: string): number {
  if (value === undefined || !Number.isFinite(value)) {
    throw new BaselineError(
      `${source}: ${path}: expected a finite number for a feature with present values, got ${String(value)}`,
    );
  }
  return value;
}

function featureProfile(f: FeatureStatistics, i: number, source: string): FeatureProfileState {
  const at = `features[${i}]`;
  const numericType = f.inferred_type === 'Integral' || f.inferred_type === 'Fractional';
  const stats = numericType ? f.numerical_statistics : (f.string_statistics ?? f.numerical_statistics);
  if (!stats) {
    const expected = numericType ? 'numerical_statistics' : 'string_statistics';
    throw new BaselineError(`${source}: ${at}.${expected}: missing for a feature of type ${f.inferred_type}`);
  }
  const present = stats.common.num_present;
  const state: FeatureProfileState = {
    name: f.name,
    count: present + stats.common.num_missing,
    missing: stats.common.num_missing,
    integral: f.inferred_type === 'Integral' ? present : 0,
    fractional: f.inferred_type === 'Fractional' ? present : 0,
    string: f.inferred_type === 'String' ? present : 0,
  };
  if (numericType && f.numerical_statistics) {
    state.kind = 'numeric';
    state.numeric = numericState(f.numerical_statistics, `${at}.numerical_statistics`, source);
  } else if (f.inferred_type === 'String' && f.string_statistics) {
    state.kind = 'categorical';
    const buckets = f.string_statistics.distribution?.categorical.buckets ?? [];
    const categories = emptyCategories(Math.max(DEFAULT_TOP_K, buckets.length));
    let listed = 0;
    for (const b of buckets) {
      categories.counts[b.value] = (categories.counts[b.value] ?? 0) + b.count;
      listed += b.count;
    }
    // Values the file did not list (Model Monitor may list only the most frequent) stay countable as `other`.
    categories.other = Math.max(0, present - listed);
    state.categories = categories;
  }
  return state;
}

function numericState(
  s: NumericalStatistics,
  at: string,
  source: string,
): MomentsState & { sketch: KllSketchState } {
  const n = s.common.num_present;
  if (n === 0) return { ...emptyMoments(), sketch: new KllSketch().toJSON() };
  const mean = requireFinite(s.mean, source, `${at}.mean`);
  const std = requireFinite(s.std_dev, source, `${at}.std_dev`);
  const min = requireFinite(s.min, source, `${at}.min`);
  const max = requireFinite(s.max, source, `${at}.max`);
  const sum = s.sum !== undefined && Number.isFinite(s.sum) ? s.sum : mean * n;
  const raw = s.distribution?.kll.sketch;
  if (!raw)
    throw new BaselineError(
      `${source}: ${at}.distribution.kll.sketch: missing for a feature with present values`,
    );
  let sketch: KllSketch;
  try {
    sketch = KllSketch.fromModelMonitor(raw, { min, max });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new BaselineError(`${source}: ${at}.distribution.kll.sketch: ${reason}`, { cause });
  }
  // M2 = std_dev² · n inverts the population standard deviation.
  return { n, sum, mean, m2: std * std * n, min, max, sketch: sketch.toJSON() };
}

/**
 * A driftwatch profile of a statistics.json (e.g. a baseline Model Monitor built), for drift checks against it.
 * Per feature: counts from `common` (num_present all of the inferred type); numeric features get moments
 * n = num_present, mean, sum, M2 = std_dev² · n, min, max and the sketch read with KllSketch.fromModelMonitor;
 * String features get category counts from the categorical buckets (unlisted present values as `other`).
 * rows and records.lines/accepted = dataset.item_count; no outputs. Throws BaselineError naming `source` and the
 * field when a feature with present values lacks what its type needs.
 */
export function statisticsToProfile(s: StatisticsFile, source: string): DatasetProfileState {
  const items = s.dataset.item_count;
  return {
    format: 'driftwatch.profile',
    version: 1,
    records: { lines: items, accepted: items, rejected: 0 },
    rows: items,
    extraColumns: {},
    features: s.features.map((f, i) => featureProfile(f, i, source)),
    outputs: [],
  };
}

import type { Baseline, BaselineColumn } from '../baseline/types.js';
import type { FeatureKind, FeatureProfileState } from '../profile/index.js';
import { binIndex, categoryTotal, type DatasetProfileState, populationVariance } from '../profile/index.js';
import { KllSketch } from '../sketch/kll.js';
import {
  type Cdf,
  chiSquareContingency,
  jensenShannonDistance,
  ksPValue,
  ksStatistic,
  lInfinityCategorical,
  linfRobust,
  psi,
  wasserstein1,
} from '../stats/index.js';
import {
  type AutoRuleSettings,
  autoThreshold,
  CATEGORICAL_METHODS,
  DEFAULT_AUTO,
  type DriftDirection,
  type DriftMethodName,
  METHOD_RULES,
  NUMERIC_METHODS,
} from './methods.js';

/** Every statistic computed for a feature; those that do not apply to its type are absent. */
export interface DriftStatistics {
  /** L-infinity distance: KS D for numeric features, max |p_i - q_i| of frequencies for categorical ones. */
  linf?: number;
  /** Model Monitor's robust L-infinity: max(0, D - c * sqrt((n + m) / (n * m))). Numeric only. */
  linfRobust?: number;
  /** Two-sample KS statistic D (from the quantile sketches). */
  ks?: number;
  ksPValue?: number;
  /** Population stability index over the baseline's bins (numeric) or categories. */
  psi?: number;
  /** Jensen-Shannon distance, base 2, over the same bins or categories. */
  js?: number;
  wasserstein?: number;
  /** Wasserstein-1 divided by the baseline's population standard deviation. */
  wassersteinNorm?: number;
  chi2?: number;
  chi2PValue?: number;
  /** Categories in the current data that the baseline does not have. */
  newCategories?: string[];
}

/** The drift verdict for one feature or prediction column. */
export interface FeatureDrift {
  name: string;
  type: FeatureKind;
  method: DriftMethodName;
  /** The threshold the statistic was compared with; null when the method has no threshold (wasserstein unset). */
  threshold: number | null;
  /** `above`: drift when statistic > threshold (distances); `below`: when statistic < threshold (p-values). */
  direction: DriftDirection;
  /** The value compared with the threshold; null when there is nothing to compare (no values on one side). */
  statistic: number | null;
  drift: boolean;
  /** Values compared (present values of the current data) and in the baseline. */
  count: number;
  baselineCount: number;
  missingRate: number;
  baselineMissingRate: number;
  statistics: DriftStatistics;
  /** Why no verdict could be reached, when that is the case. */
  note?: string;
}

/** The drift of a dataset against its baseline. */
export interface DriftComparison {
  features: FeatureDrift[];
  /** The first prediction column's drift (the model's score or label), or null when outputs were not captured. */
  prediction: FeatureDrift | null;
  /** Every prediction column (multiclass outputs have one per class). */
  outputs: FeatureDrift[];
  /** Share of input features that drifted (0 when there are none). */
  driftedShare: number;
  /** True when any feature or prediction column drifted. */
  drift: boolean;
}

/** The drift method and threshold for one column. */
export interface DriftSettings {
  method: DriftMethodName;
  /** @default the method's default (see METHOD_RULES); for `auto` the size-adaptive threshold. */
  threshold?: number;
  /** Fewer non-missing values than this on either side gives no verdict ("insufficient data"). @default 1 */
  minSamples?: number;
}

/** Options of {@link compareToBaseline}. */
export interface CompareOptions {
  /** Chooses the method per column. @default auto for every column */
  settingsFor?: (name: string, kind: FeatureKind, isOutput: boolean) => DriftSettings;
  /** @default DEFAULT_AUTO */
  auto?: AutoRuleSettings;
  /** The c of Model Monitor's robust L-infinity. @default 1.8 */
  robustC?: number;
  /** Columns left out of the comparison (disabled in the configuration). @default none */
  exclude?: ReadonlySet<string>;
}

const OTHER_CATEGORY = '__other__';

/** Compares a dataset profile (built against the baseline) with the baseline, column by column. */
export function compareToBaseline(
  baseline: Baseline,
  current: DatasetProfileState,
  options: CompareOptions = {},
): DriftComparison {
  const settingsFor = options.settingsFor ?? (() => ({ method: 'auto' as const }));
  const compareColumns = (
    columns: BaselineColumn[],
    base: FeatureProfileState[],
    cur: FeatureProfileState[],
    isOutput: boolean,
  ) =>
    columns
      .filter((col) => !options.exclude?.has(col.name))
      .map((col) => {
        const b = base.find((f) => f.name === col.name);
        const c = cur.find((f) => f.name === col.name);
        return compareColumn(col, b, c, settingsFor(col.name, col.kind, isOutput), options);
      });
  const features = compareColumns(baseline.features, baseline.profile.features, current.features, false);
  const outputs = compareColumns(baseline.outputs, baseline.profile.outputs, current.outputs, true);
  const drifted = features.filter((f) => f.drift).length;
  return {
    features,
    prediction: outputs[0] ?? null,
    outputs,
    driftedShare: features.length === 0 ? 0 : drifted / features.length,
    drift: drifted > 0 || outputs.some((o) => o.drift),
  };
}

/** Compares one column. Exported for the per-column tests and for handlers that compare a single feature. */
export function compareColumn(
  column: BaselineColumn,
  base: FeatureProfileState | undefined,
  cur: FeatureProfileState | undefined,
  settings: DriftSettings,
  options: CompareOptions = {},
): FeatureDrift {
  const kind = column.kind;
  const allowed = kind === 'numeric' ? NUMERIC_METHODS : CATEGORICAL_METHODS;
  if (!allowed.has(settings.method)) {
    throw new RangeError(
      `drift method "${settings.method}" does not apply to ${kind} feature "${column.name}"; use one of ${[...allowed].join(', ')}`,
    );
  }
  const rate = (f: FeatureProfileState | undefined) => (f && f.count > 0 ? f.missing / f.count : 0);
  const result: FeatureDrift = {
    name: column.name,
    type: kind,
    method: settings.method,
    threshold: null,
    direction: settings.method === 'auto' ? 'above' : METHOD_RULES[settings.method].direction,
    statistic: null,
    drift: false,
    count: 0,
    baselineCount: 0,
    missingRate: rate(cur),
    baselineMissingRate: rate(base),
    statistics: {},
  };
  if (!base || !cur) {
    result.note = !base
      ? 'the baseline has no profile for this column'
      : 'the current data has no values for this column';
    return result;
  }
  const sizes =
    kind === 'numeric'
      ? numericStatistics(base, cur, result.statistics, options.robustC ?? 1.8)
      : categoricalStatistics(base, cur, result.statistics);
  result.baselineCount = sizes.n;
  result.count = sizes.m;
  if (sizes.n === 0 || sizes.m === 0) {
    result.note = sizes.n === 0 ? 'the baseline has no values to compare with' : 'no values to compare';
    return result;
  }
  const minSamples = settings.minSamples ?? 1;
  if (sizes.n < minSamples || sizes.m < minSamples) {
    result.note = `insufficient data: ${Math.min(sizes.n, sizes.m)} values, fewer than minSamples ${minSamples}`;
    return result;
  }
  const s = result.statistics;
  if (settings.method === 'auto') {
    result.statistic = s.linf ?? null;
    result.threshold =
      settings.threshold ??
      autoThreshold(kind, sizes.n, sizes.m, options.auto ?? DEFAULT_AUTO, sizes.categories);
  } else {
    const pick: Record<Exclude<DriftMethodName, 'auto'>, number | undefined> = {
      linf: s.linf,
      linf_robust: s.linfRobust,
      ks: s.ksPValue,
      psi: s.psi,
      js: s.js,
      wasserstein: s.wasserstein,
      wasserstein_norm: s.wassersteinNorm,
      chi2: s.chi2PValue,
    };
    result.statistic = pick[settings.method] ?? null;
    result.threshold = settings.threshold ?? METHOD_RULES[settings.method].defaultThreshold ?? null;
  }
  if (result.statistic !== null && result.threshold !== null && Number.isFinite(result.statistic)) {
    result.drift =
      result.direction === 'above'
        ? result.statistic > result.threshold
        : result.statistic < result.threshold;
  } else if (result.threshold === null) {
    result.note = `method ${settings.method} needs a configured threshold`;
  }
  return result;
}

function sketchCdf(f: FeatureProfileState): { cdf: Cdf; n: number } | undefined {
  if (!f.numeric || f.numeric.n === 0) return undefined;
  const sketch = KllSketch.fromJSON(f.numeric.sketch);
  return { cdf: sketch.cdf(), n: f.numeric.n };
}

/** Counts per baseline bin; from the profile's own bin counts, else estimated from its sketch. */
function binCounts(f: FeatureProfileState, edges: readonly number[]): number[] {
  if (f.bins && f.bins.edges.length === edges.length && f.bins.edges.every((e, i) => e === edges[i])) {
    return f.bins.counts;
  }
  const counts = new Array<number>(edges.length + 1).fill(0);
  if (!f.numeric) return counts;
  const { values, cumulative } = KllSketch.fromJSON(f.numeric.sketch).cdf();
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const cum = cumulative[i] ?? 1;
    const bin = binIndex(edges, values[i] ?? 0);
    counts[bin] = (counts[bin] ?? 0) + (cum - previous) * f.numeric.n;
    previous = cum;
  }
  return counts;
}

function numericStatistics(
  base: FeatureProfileState,
  cur: FeatureProfileState,
  out: DriftStatistics,
  robustC: number,
): { n: number; m: number; categories: number } {
  const b = sketchCdf(base);
  const c = sketchCdf(cur);
  if (!b || !c || !base.numeric) return { n: b?.n ?? 0, m: c?.n ?? 0, categories: 0 };
  const d = ksStatistic(b.cdf, c.cdf);
  out.linf = d;
  out.ks = d;
  out.ksPValue = ksPValue(d, b.n, c.n);
  out.linfRobust = linfRobust(d, b.n, c.n, robustC);
  const edges = base.bins?.edges;
  if (edges) {
    const expected = binCounts(base, edges);
    const actual = binCounts(cur, edges);
    out.psi = psi(expected, actual);
    out.js = jensenShannonDistance(expected, actual);
  }
  out.wasserstein = wasserstein1(b.cdf, c.cdf);
  const sd = Math.sqrt(populationVariance(base.numeric));
  // A constant baseline has no spread to normalise by: any movement is infinitely many standard deviations.
  out.wassersteinNorm = sd > 0 ? out.wasserstein / sd : out.wasserstein === 0 ? 0 : Number.POSITIVE_INFINITY;
  return { n: b.n, m: c.n, categories: 0 };
}

function categoricalStatistics(
  base: FeatureProfileState,
  cur: FeatureProfileState,
  out: DriftStatistics,
): { n: number; m: number; categories: number } {
  const bc = base.categories;
  const cc = cur.categories;
  const n = bc ? categoryTotal(bc) : 0;
  const m = cc ? categoryTotal(cc) : 0;
  if (!bc || !cc || n === 0 || m === 0) return { n, m, categories: 0 };
  const keys = [...new Set([...Object.keys(bc.counts), ...Object.keys(cc.counts)])].sort();
  const p = keys.map((k) => bc.counts[k] ?? 0);
  const q = keys.map((k) => cc.counts[k] ?? 0);
  if (bc.other > 0 || cc.other > 0) {
    keys.push(OTHER_CATEGORY);
    p.push(bc.other);
    q.push(cc.other);
  }
  out.linf = lInfinityCategorical(p, q);
  const chi = chiSquareContingency(p, q);
  out.chi2 = chi.statistic;
  out.chi2PValue = chi.pvalue;
  out.psi = psi(p, q);
  out.js = jensenShannonDistance(p, q);
  out.newCategories = Object.keys(cc.counts)
    .filter((k) => bc.counts[k] === undefined)
    .sort();
  return { n, m, categories: keys.length };
}

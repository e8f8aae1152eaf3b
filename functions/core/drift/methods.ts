import jStat from 'jstat';

/** Drift methods a feature can be compared with; `auto` picks by type and sample size (see {@link autoThreshold}). */
export const DRIFT_METHOD_NAMES = [
  'auto',
  'linf',
  'linf_robust',
  'ks',
  'psi',
  'js',
  'wasserstein',
  'wasserstein_norm',
  'chi2',
] as const;

/** A drift method name. */
export type DriftMethodName = (typeof DRIFT_METHOD_NAMES)[number];

/** Whether drift is flagged when the statistic is above the threshold (distances) or below it (p-values). */
export type DriftDirection = 'above' | 'below';

/** How each method compares its statistic with its threshold, and the threshold used when none is configured. */
export const METHOD_RULES: Readonly<
  Record<
    Exclude<DriftMethodName, 'auto'>,
    { direction: DriftDirection; defaultThreshold: number | undefined }
  >
> = {
  // Model Monitor's comparison_threshold default.
  linf: { direction: 'above', defaultThreshold: 0.1 },
  linf_robust: { direction: 'above', defaultThreshold: 0.1 },
  // p-values: drift when below the significance level.
  ks: { direction: 'below', defaultThreshold: 0.05 },
  chi2: { direction: 'below', defaultThreshold: 0.05 },
  // The customary "significant shift" level for PSI.
  psi: { direction: 'above', defaultThreshold: 0.2 },
  // Evidently's default for Jensen-Shannon distance and normed Wasserstein.
  js: { direction: 'above', defaultThreshold: 0.1 },
  wasserstein_norm: { direction: 'above', defaultThreshold: 0.1 },
  // In the feature's own units: only meaningful with a configured threshold.
  wasserstein: { direction: 'above', defaultThreshold: undefined },
};

/** Methods that apply to numeric features. */
export const NUMERIC_METHODS: ReadonlySet<DriftMethodName> = new Set([
  'auto',
  'linf',
  'linf_robust',
  'ks',
  'psi',
  'js',
  'wasserstein',
  'wasserstein_norm',
]);

/** Methods that apply to categorical features. */
export const CATEGORICAL_METHODS: ReadonlySet<DriftMethodName> = new Set([
  'auto',
  'linf',
  'chi2',
  'psi',
  'js',
]);

/** Settings of the `auto` rule. */
export interface AutoRuleSettings {
  /**
   * Significance level: on data without drift, `auto` flags at most about this share of comparisons.
   * @default 0.01
   */
  alpha: number;
  /**
   * Smallest distance (KS D for numeric features, L-infinity between frequencies for categorical ones)
   * that counts as drift however large the windows: below it a difference is immaterial.
   * @default 0.1
   */
  minEffect: number;
}

/** The default `auto` settings. */
export const DEFAULT_AUTO: AutoRuleSettings = { alpha: 0.01, minEffect: 0.1 };

/**
 * The `auto` rule's threshold on the distance D between baseline (n values) and current (m values) data:
 *
 *   threshold = max(minEffect, c * sqrt((n + m) / (n * m)))
 *
 * Numeric features use D = the KS statistic and c = sqrt(-ln(alpha / 2) / 2), the asymptotic critical value
 * of the two-sample KS test at level alpha (1.628 at alpha = 0.01). Categorical features with k categories
 * use D = the L-infinity distance between frequency vectors and c = z(1 - alpha / (2k)) / 2: each category's
 * difference in proportion has a standard deviation of at most sqrt((n + m) / (n * m)) / 2, and the
 * Bonferroni bound over k categories keeps the family-wise level at alpha.
 *
 * So small windows are held to the test's critical value (a fixed 0.1 would fire on most of them), and large
 * windows to the minimum effect (a fixed p-value would fire on immaterial differences in nearly all of them).
 */
export function autoThreshold(
  kind: 'numeric' | 'categorical',
  n: number,
  m: number,
  settings: AutoRuleSettings,
  categories = 2,
): number {
  if (n <= 0 || m <= 0) return Number.POSITIVE_INFINITY;
  const scale = Math.sqrt((n + m) / (n * m));
  let c: number;
  if (kind === 'numeric') {
    c = Math.sqrt(-Math.log(settings.alpha / 2) / 2);
  } else {
    c = jStat.normal.inv(1 - settings.alpha / (2 * Math.max(1, categories)), 0, 1) / 2;
  }
  return Math.max(settings.minEffect, c * scale);
}

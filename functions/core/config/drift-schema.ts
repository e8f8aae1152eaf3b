import { z } from 'zod';
import { DEFAULT_AUTO, DRIFT_METHOD_NAMES, METHOD_RULES } from '../drift/methods.js';
import {
  flag,
  type NumberRange,
  numberIn,
  oneOf,
  optionalWith,
  rangeProblem,
  section,
  withDefault,
} from './fields.js';

// Drift, data-quality and profile settings: the thresholds both the deployed functions and the CLI apply. Method
// semantics and default thresholds belong to the drift module (METHOD_RULES); this file only refers to them, so a
// default cannot mean one thing here and another there.

/** Drift methods: `auto` or one of the drift module's methods (functions/core/drift/methods.ts). */
export const DriftMethodSchema = oneOf(DRIFT_METHOD_NAMES).describe(
  'Drift method. auto: the L-infinity distance against a threshold adapted to the sample sizes. linf: L-infinity ' +
    'distance between baseline and current distributions (Model Monitor "Simple"). linf_robust: linf minus a KS ' +
    'critical-value term (Model Monitor "Robust"). ks: two-sample Kolmogorov-Smirnov p-value. psi: population ' +
    "stability index. js: Jensen-Shannon distance (base 2). wasserstein: Wasserstein-1 distance in the feature's " +
    "units. wasserstein_norm: Wasserstein-1 divided by the baseline's standard deviation. chi2: chi-square p-value.",
);
/** A drift method name, including `auto`. */
export type DriftMethod = z.infer<typeof DriftMethodSchema>;

/**
 * The values a configured threshold may take per method. Distances (drift when above): linf, linf_robust, js and
 * the distance `auto` compares are in [0, 1]; psi, wasserstein and wasserstein_norm in [0, inf). p-values (drift
 * when below: ks, chi2) take a significance level in (0, 1).
 */
export const DRIFT_THRESHOLD_RANGES: Readonly<Record<DriftMethod, NumberRange>> = {
  auto: { min: 0, max: 1 },
  linf: { min: 0, max: 1 },
  linf_robust: { min: 0, max: 1 },
  ks: { gt: 0, lt: 1 },
  psi: { min: 0 },
  js: { min: 0, max: 1 },
  wasserstein: { min: 0 },
  wasserstein_norm: { min: 0 },
  chi2: { gt: 0, lt: 1 },
};

const methodDefaults = Object.entries(METHOD_RULES)
  .map(([method, rule]) => `${method} ${rule.defaultThreshold ?? 'none (must be set)'}`)
  .join(', ');

const driftThreshold = () =>
  optionalWith(
    numberIn({ min: 0 }),
    'Drift threshold on the scale of the method in effect at this level: distances flag drift above it, p-values ' +
      '(ks, chi2) below it. With auto it replaces the size-adaptive threshold on the L-infinity distance.',
    `the threshold set at a more general level for the same method, else the method's default (auto: ` +
      `size-adaptive; ${methodDefaults})`,
  );
const minSamples = () => numberIn({ int: true, min: 1 });
const MIN_SAMPLES_DESCRIPTION =
  'Minimum number of non-missing values in both the baseline and the current window for a drift verdict; below ' +
  'it the feature is reported as having insufficient data.';

/** Settings of the `auto` method's size-adaptive threshold (see autoThreshold in the drift module). */
export const AutoDriftSettingsSchema = z.strictObject({
  alpha: withDefault(
    numberIn({ gt: 0, lt: 1 }),
    DEFAULT_AUTO.alpha,
    'Significance level: on data without drift, auto flags at most about this share of comparisons.',
  ),
  minEffect: withDefault(
    numberIn({ min: 0, max: 1 }),
    DEFAULT_AUTO.minEffect,
    'Smallest L-infinity distance that counts as drift however large the windows.',
  ),
});
/** Settings of the `auto` rule with defaults applied. */
export type AutoDriftSettings = z.output<typeof AutoDriftSettingsSchema>;

/** Global drift settings (`defaults.drift`). */
export const DriftSettingsSchema = z.strictObject({
  method: withDefault(DriftMethodSchema, 'auto', 'Drift method for every feature unless overridden.'),
  threshold: driftThreshold(),
  minSamples: withDefault(minSamples(), 30, MIN_SAMPLES_DESCRIPTION),
  auto: section(AutoDriftSettingsSchema, 'Tuning of the auto method.'),
});
/** Global drift settings with defaults applied. */
export type DriftSettings = z.output<typeof DriftSettingsSchema>;

const INHERITED = 'inherited from the more general level';

/** Feature-level drift overrides; an absent field inherits from the endpoint, then from `defaults.drift`. */
export const DriftOverrideSchema = z.strictObject({
  method: optionalWith(DriftMethodSchema, 'Drift method override.', INHERITED),
  threshold: driftThreshold(),
  minSamples: optionalWith(minSamples(), MIN_SAMPLES_DESCRIPTION, INHERITED),
});
/** Drift overrides for one feature. */
export type DriftOverride = z.output<typeof DriftOverrideSchema>;

/** Endpoint-level drift overrides of `defaults.drift`, including the auto rule's tuning. */
export const EndpointDriftOverrideSchema = z.strictObject({
  ...DriftOverrideSchema.shape,
  auto: optionalWith(
    z.strictObject({
      alpha: optionalWith(numberIn({ gt: 0, lt: 1 }), 'Override of defaults.drift.auto.alpha.', INHERITED),
      minEffect: optionalWith(
        numberIn({ min: 0, max: 1 }),
        'Override of defaults.drift.auto.minEffect.',
        INHERITED,
      ),
    }),
    'Overrides of defaults.drift.auto for this endpoint.',
    INHERITED,
  ),
});
/** Drift overrides for one endpoint. */
export type EndpointDriftOverride = z.output<typeof EndpointDriftOverrideSchema>;

/** One level of the drift settings chain (global, endpoint, feature), most general first. */
export interface DriftLevel {
  /** Where the level is in the document, for error messages. */
  path: readonly (string | number)[];
  settings: { method?: DriftMethod | undefined; threshold?: number | undefined };
}

/** For each level (general to specific) the method in effect: its own method, else the one above it (`auto` at the top). */
export function effectiveDriftMethods(levels: readonly DriftLevel[]): DriftMethod[] {
  const methods: DriftMethod[] = [];
  let current: DriftMethod = 'auto';
  for (const level of levels) {
    current = level.settings.method ?? current;
    methods.push(current);
  }
  return methods;
}

/**
 * The configured threshold in effect at the last level: the most specific threshold set at a level whose effective
 * method is the last level's method, else undefined (the drift module's default then applies). A threshold set for
 * another method never carries over, because the scales differ.
 */
export function inheritedDriftThreshold(levels: readonly DriftLevel[]): number | undefined {
  const methods = effectiveDriftMethods(levels);
  const method = methods[methods.length - 1];
  for (let index = levels.length - 1; index >= 0; index -= 1) {
    const threshold = levels[index]?.settings.threshold;
    if (methods[index] === method && threshold !== undefined) {
      return threshold;
    }
  }
  return undefined;
}

/** Checks the last level of a chain: its threshold fits its method's scale; a method without a default has a threshold. */
export function checkDriftChain(levels: readonly DriftLevel[], ctx: z.RefinementCtx): void {
  const methods = effectiveDriftMethods(levels);
  const level = levels[levels.length - 1];
  const method = methods[methods.length - 1];
  if (level === undefined || method === undefined) {
    return;
  }
  const { threshold } = level.settings;
  if (threshold !== undefined && rangeProblem(DRIFT_THRESHOLD_RANGES[method], threshold) !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [...level.path, 'threshold'],
      message: `expected ${describeThresholdRange(method)} for method "${method}"`,
      input: threshold,
    });
  }
  if (
    level.settings.method !== undefined &&
    method !== 'auto' &&
    METHOD_RULES[method].defaultThreshold === undefined &&
    inheritedDriftThreshold(levels) === undefined
  ) {
    ctx.addIssue({
      code: 'custom',
      path: [...level.path, 'method'],
      message: `expected a threshold next to method "${method}": it is in the feature's units and has no default`,
      input: method,
    });
  }
}

function describeThresholdRange(method: DriftMethod): string {
  const range = DRIFT_THRESHOLD_RANGES[method];
  if (method !== 'auto' && METHOD_RULES[method].direction === 'below') {
    return 'a significance level strictly between 0 and 1';
  }
  return range.max === undefined
    ? 'a distance >= 0'
    : `a distance between ${range.min ?? 0} and ${range.max}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Data quality (Model Monitor constraint checks)

const FROM_BASELINE = 'the baseline constraints.json monitoring_config value';
const unitInterval = () => numberIn({ min: 0, max: 1 });

/**
 * Model Monitor-compatible data-quality checks (constraint_violations.json). Every field is optional at every
 * level; resolution order is feature > endpoint > defaults > baseline constraints.json > Model Monitor's default
 * (see MODEL_MONITOR_DATA_QUALITY_DEFAULTS and resolveFeatureDataQuality).
 */
export const DataQualitySettingsSchema = z.strictObject({
  evaluateConstraints: optionalWith(
    flag(),
    'Whether data-quality constraints are checked at all (evaluate_constraints).',
    `${FROM_BASELINE}, else true`,
  ),
  emitMetrics: optionalWith(
    flag(),
    'Whether the Model Monitor-compatible CloudWatch metrics are published (emit_metrics).',
    `${FROM_BASELINE}, else true`,
  ),
  datatypeCheckThreshold: optionalWith(
    unitInterval(),
    "data_type_check: minimum fraction of values that must have the baseline's inferred type.",
    `${FROM_BASELINE}, else 1.0`,
  ),
  domainContentThreshold: optionalWith(
    unitInterval(),
    "categorical_values_check: minimum fraction of string values that must be in the baseline's domain.",
    `${FROM_BASELINE}, else 1.0`,
  ),
  completenessTolerance: optionalWith(
    unitInterval(),
    'completeness_check: how far the observed non-null fraction may fall below the baseline completeness ' +
      'constraint before it is a violation.',
    '0 (any drop is a violation, as in Model Monitor)',
  ),
  performComparison: optionalWith(
    flag(),
    'baseline_drift_check: whether distributions are compared with the baseline (perform_comparison).',
    `${FROM_BASELINE}, else true`,
  ),
  comparisonThreshold: optionalWith(
    unitInterval(),
    'baseline_drift_check: L-infinity distance above which a numeric feature is a violation (comparison_threshold).',
    `${FROM_BASELINE}, else 0.1`,
  ),
  comparisonMethod: optionalWith(
    oneOf(['Simple', 'Robust']),
    'baseline_drift_check: plain L-infinity distance (Simple) or minus a KS critical-value term (Robust).',
    `${FROM_BASELINE}, else "Simple"`,
  ),
  categoricalComparisonThreshold: optionalWith(
    unitInterval(),
    'baseline_drift_check threshold for categorical features (categorical_comparison_threshold).',
    `${FROM_BASELINE}, else 0.1`,
  ),
  categoricalDriftMethod: optionalWith(
    oneOf(['LInfinity', 'ChiSquared']),
    'baseline_drift_check method for categorical features (categorical_drift_method).',
    `${FROM_BASELINE}, else "LInfinity"`,
  ),
});
/** Data-quality settings at one level (every field optional). */
export type DataQualitySettings = z.output<typeof DataQualitySettingsSchema>;
/** Data-quality settings after resolution: every field set. */
export type ResolvedDataQuality = {
  [K in keyof DataQualitySettings]-?: Exclude<DataQualitySettings[K], undefined>;
};

/** Values Model Monitor uses when neither the configuration nor the baseline constraints.json sets a field. */
export const MODEL_MONITOR_DATA_QUALITY_DEFAULTS: Readonly<ResolvedDataQuality> = {
  evaluateConstraints: true,
  emitMetrics: true,
  datatypeCheckThreshold: 1.0,
  domainContentThreshold: 1.0,
  completenessTolerance: 0,
  performComparison: true,
  comparisonThreshold: 0.1,
  comparisonMethod: 'Simple',
  categoricalComparisonThreshold: 0.1,
  categoricalDriftMethod: 'LInfinity',
};

// ---------------------------------------------------------------------------------------------------------------
// Profiles and defaults

/** How profiles (the mergeable per-file summaries) are built. */
export const ProfileSettingsSchema = z.strictObject({
  categoricalTopK: withDefault(
    numberIn({ int: true, min: 1, max: 100_000 }),
    100,
    'Most frequent categories kept per categorical feature; the rest are counted together as other.',
  ),
  sketchK: withDefault(
    numberIn({ int: true, min: 8, max: 65_536 }),
    2048,
    "KLL sketch size k for numeric features (Model Monitor's is 2048); profiles merge only with equal k.",
  ),
});
/** Profile settings with defaults applied. */
export type ProfileSettings = z.output<typeof ProfileSettingsSchema>;

/** Settings that apply to every endpoint unless the endpoint or feature overrides them. */
export const DefaultsConfigSchema = z.strictObject({
  drift: section(DriftSettingsSchema, 'Global drift method, threshold and minimum sample size.'),
  dataQuality: section(DataQualitySettingsSchema, 'Global data-quality check settings.'),
  profile: section(ProfileSettingsSchema, 'Profile (sketch) settings.'),
});
/** The `defaults` section with defaults applied. */
export type DefaultsConfig = z.output<typeof DefaultsConfigSchema>;

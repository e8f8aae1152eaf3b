/**
 * SageMaker Model Monitor's data-quality files (statistics.json, constraints.json, constraint_violations.json):
 * their shapes as driftwatch writes them, and tolerant readers that validate what Model Monitor (or an older
 * or hand-edited file) wrote. Field names follow MODEL-MONITOR-FORMATS.md §D.4 and the real files in
 * test/fixtures/model-monitor-outputs.
 */
import { z } from 'zod';
import { BaselineError, InputError } from '../../errors.js';
import type { ModelMonitorKllSketch } from '../sketch/kll.js';

/** Model Monitor's column types (Deequ's DataTypeInstances without Boolean, which it never writes). */
export type InferredType = 'Integral' | 'Fractional' | 'String' | 'Unknown';

/** The six data-quality checks Model Monitor's prebuilt container reports. */
export type ConstraintCheckType =
  | 'data_type_check'
  | 'completeness_check'
  | 'baseline_drift_check'
  | 'missing_column_check'
  | 'extra_column_check'
  | 'categorical_values_check';

/** Model Monitor's switch values. */
export type EnabledFlag = 'Enabled' | 'Disabled';

/** Present and missing value counts of one feature. */
export interface CommonStatistics {
  num_present: number;
  num_missing: number;
}

/** One equal-width histogram bucket of a numeric feature. */
export interface KllBucket {
  lower_bound: number;
  upper_bound: number;
  count: number;
}

/** Statistics of an Integral or Fractional feature; all but `common` are absent when no value was present. */
export interface NumericalStatistics {
  common: CommonStatistics;
  mean?: number;
  sum?: number;
  /** Population standard deviation. */
  std_dev?: number;
  min?: number;
  max?: number;
  distribution?: { kll: { buckets: KllBucket[]; sketch?: ModelMonitorKllSketch } };
}

/** One category of a String feature. */
export interface CategoricalBucket {
  value: string;
  count: number;
}

/** Statistics of a String (or Unknown) feature. */
export interface StringStatistics {
  common: CommonStatistics;
  distinct_count?: number;
  distribution?: { categorical: { buckets: CategoricalBucket[] } };
}

/** One feature of statistics.json: numerical_statistics for Integral/Fractional, string_statistics otherwise. */
export interface FeatureStatistics {
  name: string;
  inferred_type: InferredType;
  numerical_statistics?: NumericalStatistics;
  string_statistics?: StringStatistics;
}

/** statistics.json (data quality). */
export interface StatisticsFile {
  version: number;
  dataset: { item_count: number };
  features: FeatureStatistics[];
}

/** monitoring_config.distribution_constraints. */
export interface DistributionConstraints {
  perform_comparison: EnabledFlag;
  /** Threshold on the numeric drift distance. */
  comparison_threshold: number;
  comparison_method: 'Simple' | 'Robust';
  /** Threshold on the categorical drift distance; comparison_threshold applies when absent. */
  categorical_comparison_threshold?: number;
  /** LInfinity applies when absent. */
  categorical_drift_method?: 'LInfinity' | 'ChiSquared';
}

/** constraints.json's monitoring_config. */
export interface MonitoringConfig {
  evaluate_constraints: EnabledFlag;
  emit_metrics: EnabledFlag;
  /** Least fraction of present values that must have the baseline's type. */
  datatype_check_threshold: number;
  /** Least fraction of values that must lie in the baseline's domain. */
  domain_content_threshold: number;
  distribution_constraints: DistributionConstraints;
}

/** A partial monitoring_config, per feature (`monitoringConfigOverrides`) or as options. */
export interface MonitoringConfigOverrides {
  evaluate_constraints?: EnabledFlag;
  emit_metrics?: EnabledFlag;
  datatype_check_threshold?: number;
  domain_content_threshold?: number;
  distribution_constraints?: Partial<DistributionConstraints>;
}

/** One feature of constraints.json. */
export interface FeatureConstraints {
  name: string;
  inferred_type: InferredType;
  /** Least fraction of non-missing values. */
  completeness?: number;
  num_constraints?: { is_non_negative: boolean };
  string_constraints?: { domains: string[] };
  monitoringConfigOverrides?: MonitoringConfigOverrides;
}

/** constraints.json (data quality). */
export interface ConstraintsFile {
  version: number;
  features: FeatureConstraints[];
  monitoring_config: MonitoringConfig;
}

/** One entry of constraint_violations.json. */
export interface Violation {
  feature_name: string;
  constraint_check_type: ConstraintCheckType;
  description: string;
}

/** constraint_violations.json (data quality). */
export interface ViolationsFile {
  violations: Violation[];
}

/** Model Monitor's suggested monitoring_config, as in the constraints.json files it writes. */
export const DEFAULT_MONITORING_CONFIG: Readonly<MonitoringConfig> = Object.freeze({
  evaluate_constraints: 'Enabled',
  emit_metrics: 'Enabled',
  datatype_check_threshold: 1.0,
  domain_content_threshold: 1.0,
  distribution_constraints: Object.freeze({
    perform_comparison: 'Enabled',
    comparison_threshold: 0.1,
    comparison_method: 'Robust',
  }) as DistributionConstraints,
});

// ---- zod schemas: tolerant readers ------------------------------------------------------------------------

/** A JSON number, or the strings Jackson writes for non-finite doubles. */
const jsonNumber = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]);
const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();
const fraction = z.number().min(0).max(1);
const inferredType = z.enum(['Integral', 'Fractional', 'String', 'Unknown']);
const flag = z.enum(['Enabled', 'Disabled']);

const commonSchema = z.object({ num_present: count, num_missing: count });

const numericalSchema = z.object({
  common: commonSchema,
  mean: jsonNumber.optional(),
  sum: jsonNumber.optional(),
  std_dev: jsonNumber.optional(),
  min: jsonNumber.optional(),
  max: jsonNumber.optional(),
  distribution: z
    .object({
      kll: z.object({
        buckets: z.array(z.object({ lower_bound: jsonNumber, upper_bound: jsonNumber, count: nonNegative })),
        sketch: z
          .object({
            parameters: z.object({ c: z.number(), k: z.number() }),
            data: z.array(z.array(z.number())),
          })
          .optional(),
      }),
    })
    .optional(),
});

const stringSchema = z.object({
  common: commonSchema,
  distinct_count: nonNegative.optional(),
  distribution: z
    .object({
      categorical: z.object({
        buckets: z.array(
          z.object({ value: z.union([z.string(), z.number().transform(String)]), count: nonNegative }),
        ),
      }),
    })
    .optional(),
});

const statisticsSchema = z.object({
  version: z.number().optional(),
  dataset: z.object({ item_count: count }),
  features: z.array(
    z.object({
      name: z.string().min(1),
      inferred_type: inferredType,
      numerical_statistics: numericalSchema.optional(),
      string_statistics: stringSchema.optional(),
    }),
  ),
});

const comparisonMethod = z
  .enum(['Simple', 'Robust', 'linf_simple', 'linf_robust'])
  .transform((m): 'Simple' | 'Robust' => (m === 'Robust' || m === 'linf_robust' ? 'Robust' : 'Simple'));

const distributionSchema = z.object({
  perform_comparison: flag.optional(),
  /** Legacy boolean spelling of perform_comparison (sagemaker-python-sdk tests/data/monitor/constraints.json). */
  enable_comparisons: z.boolean().optional(),
  comparison_threshold: nonNegative.optional(),
  comparison_method: comparisonMethod.optional(),
  categorical_comparison_threshold: nonNegative.optional(),
  categorical_drift_method: z.enum(['LInfinity', 'ChiSquared']).optional(),
});

const overridesSchema = z.object({
  evaluate_constraints: flag.optional(),
  emit_metrics: flag.optional(),
  datatype_check_threshold: fraction.optional(),
  domain_content_threshold: fraction.optional(),
  distribution_constraints: distributionSchema.optional(),
});

const constraintsSchema = z.object({
  version: z.number().optional(),
  features: z.array(
    z.object({
      name: z.string().min(1),
      inferred_type: inferredType,
      completeness: fraction.optional(),
      num_constraints: z.object({ is_non_negative: z.boolean().optional() }).optional(),
      string_constraints: z
        .object({
          domains: z.array(z.union([z.string(), z.number().transform(String)])).optional(),
          monitoring_config_overrides: overridesSchema.optional(),
        })
        .optional(),
      monitoringConfigOverrides: overridesSchema.optional(),
      monitoring_config_overrides: overridesSchema.optional(),
    }),
  ),
  monitoring_config: overridesSchema.optional(),
});

const checkType = z.enum([
  'data_type_check',
  'completeness_check',
  'baseline_drift_check',
  'missing_column_check',
  'extra_column_check',
  'categorical_values_check',
]);

const violationsSchema = z.object({
  violations: z.array(
    z.object({ feature_name: z.string(), constraint_check_type: checkType, description: z.string() }),
  ),
});

function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(root)' : out;
}

function describeIssues(source: string, error: z.ZodError): string {
  return error.issues.map((i) => `${source}: ${issuePath(i.path)}: ${i.message}`).join('\n');
}

function assertUniqueNames(
  names: readonly string[],
  source: string,
  what: string,
  fail: (m: string) => Error,
): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name))
      throw fail(`${source}: features[${i}].name: feature "${name}" is listed twice in ${what}`);
    seen.add(name);
  });
}

type RawOverrides = z.infer<typeof overridesSchema>;
type RawDistribution = z.infer<typeof distributionSchema>;

function normalizeDistribution(d: RawDistribution): Partial<DistributionConstraints> {
  const out: Partial<DistributionConstraints> = {};
  const perform =
    d.perform_comparison ??
    (d.enable_comparisons === undefined ? undefined : d.enable_comparisons ? 'Enabled' : 'Disabled');
  if (perform !== undefined) out.perform_comparison = perform;
  if (d.comparison_threshold !== undefined) out.comparison_threshold = d.comparison_threshold;
  if (d.comparison_method !== undefined) out.comparison_method = d.comparison_method;
  if (d.categorical_comparison_threshold !== undefined) {
    out.categorical_comparison_threshold = d.categorical_comparison_threshold;
  }
  if (d.categorical_drift_method !== undefined) out.categorical_drift_method = d.categorical_drift_method;
  return out;
}

function normalizeOverrides(o: RawOverrides): MonitoringConfigOverrides {
  const out: MonitoringConfigOverrides = {};
  if (o.evaluate_constraints !== undefined) out.evaluate_constraints = o.evaluate_constraints;
  if (o.emit_metrics !== undefined) out.emit_metrics = o.emit_metrics;
  if (o.datatype_check_threshold !== undefined) out.datatype_check_threshold = o.datatype_check_threshold;
  if (o.domain_content_threshold !== undefined) out.domain_content_threshold = o.domain_content_threshold;
  if (o.distribution_constraints !== undefined) {
    out.distribution_constraints = normalizeDistribution(o.distribution_constraints);
  }
  return out;
}

/**
 * The monitoring_config that applies with `overrides` on top of `base`: each field given in `overrides`
 * (distribution_constraints field by field) replaces the base value.
 */
export function applyMonitoringConfigOverrides(
  base: MonitoringConfig,
  overrides: MonitoringConfigOverrides | undefined,
): MonitoringConfig {
  if (!overrides) return base;
  const distribution: DistributionConstraints = { ...base.distribution_constraints };
  for (const [key, value] of Object.entries(overrides.distribution_constraints ?? {})) {
    if (value !== undefined) Object.assign(distribution, { [key]: value });
  }
  return {
    evaluate_constraints: overrides.evaluate_constraints ?? base.evaluate_constraints,
    emit_metrics: overrides.emit_metrics ?? base.emit_metrics,
    datatype_check_threshold: overrides.datatype_check_threshold ?? base.datatype_check_threshold,
    domain_content_threshold: overrides.domain_content_threshold ?? base.domain_content_threshold,
    distribution_constraints: distribution,
  };
}

/**
 * Reads statistics.json (data quality). Accepts `version: 0.0`, counts written as `100.0` and Jackson's
 * "NaN"/"Infinity" strings; drops fields it does not know. Throws BaselineError naming `source` and the
 * field path (e.g. `features[2].inferred_type`) when the document does not have the shape.
 */
export function parseStatisticsFile(json: unknown, source: string): StatisticsFile {
  const result = statisticsSchema.safeParse(json);
  if (!result.success) {
    throw new BaselineError(
      `not a valid Model Monitor statistics.json:\n${describeIssues(source, result.error)}`,
    );
  }
  const raw = result.data;
  assertUniqueNames(
    raw.features.map((f) => f.name),
    source,
    'statistics.json',
    (m) => new BaselineError(m),
  );
  const features = raw.features.map((f): FeatureStatistics => {
    const out: FeatureStatistics = { name: f.name, inferred_type: f.inferred_type };
    if (f.numerical_statistics) out.numerical_statistics = f.numerical_statistics as NumericalStatistics;
    if (f.string_statistics) out.string_statistics = f.string_statistics as StringStatistics;
    return out;
  });
  return { version: raw.version ?? 0, dataset: { item_count: raw.dataset.item_count }, features };
}

/**
 * Reads constraints.json (data quality), tolerating the shapes seen in real files: `version: 0.0`; per-feature
 * overrides spelled `monitoringConfigOverrides` (docs), `monitoring_config_overrides` or nested in
 * `string_constraints` (sagemaker-python-sdk tests), all read into `monitoringConfigOverrides`; the legacy
 * `distribution_constraints.enable_comparisons` boolean read as `perform_comparison`; `min_domain_mass` and
 * other unknown fields dropped; `comparison_method` `linf_simple`/`linf_robust` (the docs' table) read as
 * Simple/Robust. Absent monitoring_config fields take Model Monitor's suggested values
 * ({@link DEFAULT_MONITORING_CONFIG}). Throws BaselineError naming `source` and the field path.
 */
export function parseConstraintsFile(json: unknown, source: string): ConstraintsFile {
  const result = constraintsSchema.safeParse(json);
  if (!result.success) {
    throw new BaselineError(
      `not a valid Model Monitor constraints.json:\n${describeIssues(source, result.error)}`,
    );
  }
  const raw = result.data;
  assertUniqueNames(
    raw.features.map((f) => f.name),
    source,
    'constraints.json',
    (m) => new BaselineError(m),
  );
  const features = raw.features.map((f): FeatureConstraints => {
    const out: FeatureConstraints = { name: f.name, inferred_type: f.inferred_type };
    if (f.completeness !== undefined) out.completeness = f.completeness;
    if (f.num_constraints?.is_non_negative !== undefined) {
      out.num_constraints = { is_non_negative: f.num_constraints.is_non_negative };
    }
    if (f.string_constraints?.domains !== undefined)
      out.string_constraints = { domains: f.string_constraints.domains };
    const overrides =
      f.monitoringConfigOverrides ??
      f.monitoring_config_overrides ??
      f.string_constraints?.monitoring_config_overrides;
    if (overrides !== undefined) out.monitoringConfigOverrides = normalizeOverrides(overrides);
    return out;
  });
  const monitoringConfig = applyMonitoringConfigOverrides(
    {
      ...DEFAULT_MONITORING_CONFIG,
      distribution_constraints: { ...DEFAULT_MONITORING_CONFIG.distribution_constraints },
    },
    raw.monitoring_config ? normalizeOverrides(raw.monitoring_config) : undefined,
  );
  return { version: raw.version ?? 0, features, monitoring_config: monitoringConfig };
}

/**
 * Reads a data-quality constraint_violations.json. Throws InputError naming `source` and the field path when an
 * entry lacks `feature_name` or `description` or has a check type other than the six data-quality ones (bias and
 * feature-attribution violation files have other shapes).
 */
export function parseViolationsFile(json: unknown, source: string): ViolationsFile {
  const result = violationsSchema.safeParse(json);
  if (!result.success) {
    throw new InputError(
      `not a valid Model Monitor data-quality constraint_violations.json:\n${describeIssues(source, result.error)}`,
    );
  }
  return { violations: result.data.violations.map((v) => ({ ...v })) };
}

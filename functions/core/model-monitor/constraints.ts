import { InputError } from '../../errors.js';
import type { DatasetProfileState } from '../profile/dataset-profile.js';
import type { FeatureProfileState } from '../profile/feature-profile.js';
import { inferType } from './infer-type.js';
import {
  applyMonitoringConfigOverrides,
  type ConstraintsFile,
  DEFAULT_MONITORING_CONFIG,
  type FeatureConstraints,
  type InferredType,
  type MonitoringConfigOverrides,
} from './types.js';

/**
 * Deequ's ColumnProfiler keeps a histogram (and so can suggest a domain) only for columns with at most this
 * many distinct values (ColumnProfiler.DEFAULT_CARDINALITY_THRESHOLD).
 */
export const DOMAIN_MAX_DISTINCT = 120;

/** Deequ's CategoricalRangeRule suggests a domain only when at most this fraction of the values occur once. */
export const DOMAIN_MAX_UNIQUE_RATIO = 0.1;

/** Options of {@link suggestConstraints}: monitoring_config values to write instead of Model Monitor's. */
export interface SuggestConstraintsOptions extends MonitoringConfigOverrides {
  /** Also suggest constraints for the profile's outputs, after the inputs. @default false */
  includeOutputs?: boolean;
}

/**
 * The values of a String feature's suggested domain, or undefined when Deequ's CategoricalRangeRule would not
 * suggest one. Definition: with the feature's exact category counts (none beyond its categoricalTopK), at most
 * {@link DOMAIN_MAX_DISTINCT} distinct values and (values seen exactly once) / (distinct values) <=
 * {@link DOMAIN_MAX_UNIQUE_RATIO}, the domain is every distinct value by count descending, then value.
 */
export function suggestDomain(f: FeatureProfileState): string[] | undefined {
  const c = f.categories;
  if (!c || c.other > 0) return undefined;
  const entries = Object.entries(c.counts).filter(([, n]) => n > 0);
  if (entries.length === 0 || entries.length > DOMAIN_MAX_DISTINCT) return undefined;
  const singletons = entries.filter(([, n]) => n === 1).length;
  if (singletons / entries.length > DOMAIN_MAX_UNIQUE_RATIO) return undefined;
  return entries
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([value]) => value);
}

function checkFraction(value: number | undefined, field: string): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) {
    throw new RangeError(`suggestConstraints: ${field} must be between 0 and 1, received ${String(value)}`);
  }
}

function checkOptions(o: SuggestConstraintsOptions): void {
  checkFraction(o.datatype_check_threshold, 'datatype_check_threshold');
  checkFraction(o.domain_content_threshold, 'domain_content_threshold');
  const d = o.distribution_constraints;
  for (const key of ['comparison_threshold', 'categorical_comparison_threshold'] as const) {
    const v = d?.[key];
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) {
      throw new RangeError(
        `suggestConstraints: distribution_constraints.${key} must be a finite number >= 0, received ${String(v)}`,
      );
    }
  }
}

function featureConstraints(f: FeatureProfileState, type: InferredType): FeatureConstraints {
  // A column that never received a value (an output absent from every record) constrains nothing.
  const completeness = f.count > 0 ? (f.count - f.missing) / f.count : 0;
  const out: FeatureConstraints = { name: f.name, inferred_type: type, completeness };
  if ((type === 'Integral' || type === 'Fractional') && f.numeric && f.numeric.n > 0) {
    out.num_constraints = { is_non_negative: f.numeric.min >= 0 };
  }
  if (type === 'String') {
    const domains = suggestDomain(f);
    if (domains) out.string_constraints = { domains };
  }
  return out;
}

/**
 * The constraints.json Model Monitor would suggest for a baseline profile. Per feature (profile order; outputs
 * after inputs when `includeOutputs`), type = `types.get(name)` or else {@link inferType}:
 * completeness = (count - missing) / count, the observed non-missing fraction; for Integral/Fractional features
 * with values, num_constraints.is_non_negative = (min >= 0); for String features, string_constraints.domains
 * from {@link suggestDomain} when it gives one. monitoring_config = Model Monitor's suggestion
 * ({@link DEFAULT_MONITORING_CONFIG}: evaluate_constraints and emit_metrics Enabled, both thresholds 1.0,
 * distribution_constraints {perform_comparison Enabled, comparison_threshold 0.1, comparison_method Robust})
 * with `options` on top; the categorical fields are written only when given, as in Model Monitor's own files.
 * Throws InputError for a profile with no rows, RangeError for a threshold option out of range.
 */
export function suggestConstraints(
  p: DatasetProfileState,
  types: ReadonlyMap<string, InferredType>,
  options: SuggestConstraintsOptions = {},
): ConstraintsFile {
  if (p.rows === 0) throw new InputError('cannot suggest constraints from a profile with no rows');
  checkOptions(options);
  const { includeOutputs, ...overrides } = options;
  const columns = includeOutputs ? [...p.features, ...p.outputs] : p.features;
  const base = {
    ...DEFAULT_MONITORING_CONFIG,
    distribution_constraints: { ...DEFAULT_MONITORING_CONFIG.distribution_constraints },
  };
  return {
    version: 0,
    features: columns.map((f) => featureConstraints(f, types.get(f.name) ?? inferType(f))),
    monitoring_config: applyMonitoringConfigOverrides(base, overrides),
  };
}

import type { DatasetProfileState } from '../profile/dataset-profile.js';
import type { FeatureProfileState } from '../profile/feature-profile.js';
import { formatJavaDouble } from './format.js';
import {
  applyMonitoringConfigOverrides,
  type ConstraintCheckType,
  type ConstraintsFile,
  type FeatureConstraints,
  type InferredType,
  type MonitoringConfig,
  type Violation,
  type ViolationsFile,
} from './types.js';

export type { ConstraintCheckType } from './types.js';

/** At most this many values outside the domain are named in a categorical_values_check description. */
const NAMED_UNKNOWN_VALUES = 5;

/**
 * baseline_drift_check description, Model Monitor's wording: `Baseline drift distance: <x> exceeds threshold:
 * <y>`. AWS samples parse it with the regex `distance: (.+) exceeds threshold: (.+)`; numbers are written as
 * Java's Double.toString does (see formatJavaDouble: 0.25 -> "0.25", 1 -> "1.0"), which Python's float() reads.
 */
export function driftDescription(distance: number, threshold: number): string {
  return `Baseline drift distance: ${formatJavaDouble(distance)} exceeds threshold: ${formatJavaDouble(threshold)}`;
}

/**
 * data_type_check description, Model Monitor's wording: `Data type match requirement is not met. Expected data
 * type: <type>, Expected match: <threshold·100>%. Observed: Only <ratio·100>% of data is <type>.`
 */
export function dataTypeDescription(type: InferredType, threshold: number, ratio: number): string {
  return (
    `Data type match requirement is not met. Expected data type: ${type}, Expected match: ` +
    `${formatJavaDouble(threshold * 100)}%. Observed: Only ${formatJavaDouble(ratio * 100)}% of data is ${type}.`
  );
}

/** Deequ's constraint-failure message, which Model Monitor passes through: `Value: <x> does not meet ...! <hint>`. */
function deequDescription(value: number, hint: string): string {
  return `Value: ${formatJavaDouble(value)} does not meet the constraint requirement! ${hint}`;
}

function columnCountDescription(which: 'missing' | 'extra', current: number, baseline: number): string {
  return (
    `There are ${which} columns in current dataset. Number of columns in current dataset: ${current}, ` +
    `Number of columns in baseline constraints: ${baseline}`
  );
}

/** Inputs of {@link checkDataQuality}. */
export interface DataQualityInput {
  constraints: ConstraintsFile;
  current: DatasetProfileState;
  /** Per feature: the Model Monitor drift distance already computed by the caller, if compared. */
  driftDistances?: ReadonlyMap<string, number>;
  /** Column count of the current data as received, when known (CSV rows / capture payloads). */
  currentColumnCount?: number;
}

function validate(input: DataQualityInput): void {
  const c = input.currentColumnCount;
  if (c !== undefined && !(Number.isSafeInteger(c) && c >= 0)) {
    throw new RangeError(
      `checkDataQuality: currentColumnCount must be a non-negative integer, received ${String(c)}`,
    );
  }
  for (const [name, d] of input.driftDistances ?? []) {
    if (!(d >= 0)) {
      throw new RangeError(
        `checkDataQuality: driftDistances for feature "${name}" must be a number >= 0, received ${String(d)}`,
      );
    }
  }
}

/** Present values of the baseline's type over present values (Deequ's ratio for hasDataType, nulls ignored). */
function typeMatches(f: FeatureProfileState, type: InferredType): number | undefined {
  switch (type) {
    case 'Integral':
      return f.integral;
    case 'Fractional':
      return f.fractional;
    case 'String':
      return f.string;
    case 'Unknown':
      return undefined;
  }
}

function checkFeature(
  c: FeatureConstraints,
  f: FeatureProfileState,
  config: MonitoringConfig,
  distance: number | undefined,
): Violation[] {
  const out: Violation[] = [];
  const add = (type: ConstraintCheckType, description: string) =>
    out.push({ feature_name: c.name, constraint_check_type: type, description });
  const present = f.count - f.missing;

  const matches = typeMatches(f, c.inferred_type);
  if (matches !== undefined && present > 0) {
    const ratio = matches / present;
    if (ratio < config.datatype_check_threshold) {
      add('data_type_check', dataTypeDescription(c.inferred_type, config.datatype_check_threshold, ratio));
    }
  }

  if (c.completeness !== undefined) {
    const completeness = present / f.count;
    if (completeness < c.completeness) {
      add(
        'completeness_check',
        deequDescription(
          completeness,
          `Completeness should be at least ${formatJavaDouble(c.completeness)}.`,
        ),
      );
    }
  }

  const dc = config.distribution_constraints;
  if (dc.perform_comparison === 'Enabled' && distance !== undefined) {
    const threshold =
      c.inferred_type === 'String'
        ? (dc.categorical_comparison_threshold ?? dc.comparison_threshold)
        : dc.comparison_threshold;
    if (distance > threshold) add('baseline_drift_check', driftDescription(distance, threshold));
  }

  const domains = c.string_constraints?.domains;
  if (domains && domains.length > 0 && f.categories) {
    const domain = new Set(domains);
    let inDomain = 0;
    const unknown: Array<[string, number]> = [];
    for (const [value, n] of Object.entries(f.categories.counts)) {
      if (domain.has(value)) inDomain += n;
      else if (n > 0) unknown.push([value, n]);
    }
    // Deequ's isContainedIn: a missing value complies (`col IS NULL OR col IN (...)`); values beyond the
    // profile's category table (`other`) cannot be looked up and count as outside the domain.
    const ratio = (f.missing + inDomain) / f.count;
    if (ratio < config.domain_content_threshold) {
      unknown.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const named = unknown.slice(0, NAMED_UNKNOWN_VALUES).map(([v]) => JSON.stringify(v));
      const more = unknown.length > NAMED_UNKNOWN_VALUES || f.categories.other > 0 ? ' and more' : '';
      add(
        'categorical_values_check',
        deequDescription(
          ratio,
          `Expected at least ${formatJavaDouble(config.domain_content_threshold)} of values in the baseline ` +
            `domain; values outside it: ${named.join(', ')}${more}.`,
        ),
      );
    }
  }
  return out;
}

/**
 * Model Monitor's six data-quality checks of a current profile against constraints.json. The monitoring_config
 * that applies to a feature is the file's with the feature's monitoringConfigOverrides on top; a feature whose
 * evaluate_constraints is Disabled is not checked, and the column checks follow the file's own setting. A
 * profile with no rows gives no violations (nothing was observed). Violations come as: missing columns, extra
 * columns, then per constraints feature (in file order) data type, completeness, drift, categorical values.
 * - missing_column_check: per baseline feature absent from the current profile's features and outputs, and,
 *   when currentColumnCount < the number of baseline features, per baseline feature at a position >=
 *   currentColumnCount. A missing feature gets no other check.
 * - extra_column_check: per name in current.extraColumns, or, when there are none and currentColumnCount > the
 *   number of baseline features, per extra position i named `_c<i>` (Spark's names for headerless CSV columns).
 * - data_type_check (baseline type Integral, Fractional or String, some value present): ratio = present values
 *   of exactly that class / present values (Deequ's hasDataType, which Model Monitor builds on: an integral "3"
 *   does not count as Fractional); violation when ratio < datatype_check_threshold.
 * - completeness_check: (count - missing) / count < the feature's completeness.
 * - baseline_drift_check: when perform_comparison is Enabled and a distance d is given: d > threshold, where
 *   threshold = comparison_threshold, or for String features categorical_comparison_threshold when set.
 * - categorical_values_check (features with domains, profiled with categories): (missing + values in the
 *   domain) / count < domain_content_threshold; values beyond the profile's category table count as outside.
 * Throws RangeError when currentColumnCount is not a non-negative integer or a distance is NaN or negative.
 */
export function checkDataQuality(input: DataQualityInput): Violation[] {
  validate(input);
  const { constraints, current } = input;
  if (current.rows === 0) return [];
  const global = constraints.monitoring_config;
  const byName = new Map<string, FeatureProfileState>();
  for (const f of [...current.outputs, ...current.features]) byName.set(f.name, f);

  const violations: Violation[] = [];
  const missing = constraints.features.filter(
    (c, i) =>
      !byName.has(c.name) || (input.currentColumnCount !== undefined && i >= input.currentColumnCount),
  );
  if (global.evaluate_constraints === 'Enabled') {
    const baselineCount = constraints.features.length;
    const extraNames = Object.keys(current.extraColumns);
    const found = constraints.features.filter((c) => byName.has(c.name)).length;
    const columnCount = input.currentColumnCount ?? found + extraNames.length;
    for (const c of missing) {
      violations.push({
        feature_name: c.name,
        constraint_check_type: 'missing_column_check',
        description: columnCountDescription('missing', columnCount, baselineCount),
      });
    }
    const extras =
      extraNames.length > 0
        ? extraNames
        : Array.from(
            { length: Math.max(0, (input.currentColumnCount ?? 0) - baselineCount) },
            (_, k) => `_c${baselineCount + k}`,
          );
    for (const name of extras) {
      violations.push({
        feature_name: name,
        constraint_check_type: 'extra_column_check',
        description: columnCountDescription('extra', columnCount, baselineCount),
      });
    }
  }

  // A missing column is reported once, as missing, not again as incomplete or mistyped.
  const skip = new Set(missing.map((c) => c.name));
  for (const c of constraints.features) {
    const f = byName.get(c.name);
    if (!f || f.count === 0 || skip.has(c.name)) continue;
    const config = applyMonitoringConfigOverrides(global, c.monitoringConfigOverrides);
    if (config.evaluate_constraints !== 'Enabled') continue;
    violations.push(...checkFeature(c, f, config, input.driftDistances?.get(c.name)));
  }
  return violations;
}

/** constraint_violations.json for a list of violations (an empty list is a valid file). */
export function toViolationsFile(v: readonly Violation[]): ViolationsFile {
  return { violations: v.map((x) => ({ ...x })) };
}

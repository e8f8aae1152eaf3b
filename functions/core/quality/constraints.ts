/**
 * Model Monitor's model-quality constraints.json and constraint_violations.json.
 * constraints.json: `version` and one of `binary_classification_constraints` /
 * `multiclass_classification_constraints` / `regression_constraints`, each `{<metric>: {threshold,
 * comparison_operator}}` with LessThanThreshold (violated when the metric is below the threshold) or
 * GreaterThanThreshold (above). Violations: `{metric_name, constraint_check_type: <the operator>,
 * description: "Metric <name> with <value> was <operator> <threshold>"}`; that wording is the one AWS's
 * model-monitor custom-metrics sample container tests expect [partially confirmed: the prebuilt container's
 * exact wording is not published].
 */
import { z } from 'zod';
import { type MetricThreshold, MODEL_QUALITY_METRICS, type ProblemType } from '../config/quality-schema.js';
import { formatJavaDouble } from '../model-monitor/format.js';
import { QualityInputError } from './errors.js';
import type { MetricValues } from './statistics.js';

/** A comparison operator of a model-quality constraint. */
export type ComparisonOperator = 'LessThanThreshold' | 'GreaterThanThreshold';

/** One model-quality constraint. */
export interface ModelQualityConstraint {
  threshold: number;
  comparison_operator: ComparisonOperator;
}

/** constraints.json key of each problem type's constraints. */
export const CONSTRAINTS_KEY: Readonly<
  Record<
    ProblemType,
    'binary_classification_constraints' | 'multiclass_classification_constraints' | 'regression_constraints'
  >
> = {
  BinaryClassification: 'binary_classification_constraints',
  MulticlassClassification: 'multiclass_classification_constraints',
  Regression: 'regression_constraints',
};

/** Model-quality constraints.json. */
export interface ModelQualityConstraintsFile {
  version: number;
  binary_classification_constraints?: Record<string, ModelQualityConstraint>;
  multiclass_classification_constraints?: Record<string, ModelQualityConstraint>;
  regression_constraints?: Record<string, ModelQualityConstraint>;
}

/** One model-quality violation. */
export interface ModelQualityViolation {
  metric_name: string;
  constraint_check_type: ComparisonOperator;
  description: string;
}

/** The operator that flags a metric getting worse: LessThanThreshold when higher is better. */
export function defaultOperator(problemType: ProblemType, metric: string): ComparisonOperator {
  return MODEL_QUALITY_METRICS[problemType][metric]?.better === 'lower'
    ? 'GreaterThanThreshold'
    : 'LessThanThreshold';
}

/**
 * Suggests constraints from baseline metrics as Model Monitor's baselining job does: one constraint per metric
 * with a known direction (the configuration's MODEL_QUALITY_METRICS), threshold = the baseline value, operator
 * flagging a worse value. Metrics whose baseline value is NaN are left out.
 */
export function suggestModelQualityConstraints(baseline: MetricValues): ModelQualityConstraintsFile {
  const constraints: Record<string, ModelQualityConstraint> = {};
  for (const metric of Object.keys(MODEL_QUALITY_METRICS[baseline.problemType])) {
    const value = baseline.values[metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    constraints[metric] = {
      threshold: value,
      comparison_operator: defaultOperator(baseline.problemType, metric),
    };
  }
  return { version: 0, [CONSTRAINTS_KEY[baseline.problemType]]: constraints };
}

/** constraints.json from the configuration's `modelQuality.thresholds` (operators already resolved). */
export function constraintsFromThresholds(
  problemType: ProblemType,
  thresholds: Readonly<Record<string, MetricThreshold>>,
): ModelQualityConstraintsFile {
  const constraints = Object.fromEntries(
    Object.entries(thresholds).map(([metric, t]) => [
      metric,
      { threshold: t.threshold, comparison_operator: t.comparisonOperator },
    ]),
  );
  return { version: 0, [CONSTRAINTS_KEY[problemType]]: constraints };
}

/** The result of checking constraints: violations, and constraints that could not be checked. */
export interface ConstraintCheck {
  violations: ModelQualityViolation[];
  /** Constrained metrics with no value or a NaN value, with why. */
  unchecked: { metric: string; reason: string }[];
}

/**
 * Checks metrics against constraints: LessThanThreshold is violated when value < threshold,
 * GreaterThanThreshold when value > threshold (equality never violates). Violations follow the constraints'
 * order.
 * @throws QualityInputError when the constraints are for another problem type than the metrics
 */
export function checkModelQualityConstraints(
  metrics: MetricValues,
  constraints: ModelQualityConstraintsFile,
): ConstraintCheck {
  const own = constraints[CONSTRAINTS_KEY[metrics.problemType]];
  if (own === undefined) {
    const other = (Object.keys(CONSTRAINTS_KEY) as ProblemType[]).find(
      (t) => constraints[CONSTRAINTS_KEY[t]] !== undefined,
    );
    if (other !== undefined) {
      throw new QualityInputError(
        `constraints are for ${other} (${CONSTRAINTS_KEY[other]}) but the metrics are ${metrics.problemType}`,
      );
    }
    return { violations: [], unchecked: [] };
  }
  const violations: ModelQualityViolation[] = [];
  const unchecked: { metric: string; reason: string }[] = [];
  for (const [metric, constraint] of Object.entries(own)) {
    const value = metrics.values[metric];
    if (value === undefined) {
      unchecked.push({ metric, reason: 'not among the computed metrics' });
      continue;
    }
    if (Number.isNaN(value)) {
      unchecked.push({ metric, reason: 'undefined for this data (NaN)' });
      continue;
    }
    const op = constraint.comparison_operator;
    const violated = op === 'LessThanThreshold' ? value < constraint.threshold : value > constraint.threshold;
    if (violated) {
      violations.push({
        metric_name: metric,
        constraint_check_type: op,
        description: `Metric ${metric} with ${formatJavaDouble(value)} was ${op} ${formatJavaDouble(constraint.threshold)}`,
      });
    }
  }
  return { violations, unchecked };
}

/** constraint_violations.json. */
export function toModelQualityViolationsFile(violations: readonly ModelQualityViolation[]): {
  violations: ModelQualityViolation[];
} {
  return { violations: [...violations] };
}

const constraintSchema = z.looseObject({
  threshold: z.number({ error: 'expected a number' }),
  comparison_operator: z.enum(['LessThanThreshold', 'GreaterThanThreshold'], {
    error: 'expected "LessThanThreshold" or "GreaterThanThreshold"',
  }),
});
const constraintsSchema = z.looseObject({
  version: z.number().optional(),
  binary_classification_constraints: z.record(z.string(), constraintSchema).optional(),
  multiclass_classification_constraints: z.record(z.string(), constraintSchema).optional(),
  regression_constraints: z.record(z.string(), constraintSchema).optional(),
});

/**
 * Reads a model-quality constraints.json.
 * @throws QualityInputError naming `source` and the field when a constraint is malformed, or when the file
 * has no constraints key
 */
export function parseModelQualityConstraints(doc: unknown, source: string): ModelQualityConstraintsFile {
  const parsed = constraintsSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new QualityInputError(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const file = parsed.data;
  if (!(Object.values(CONSTRAINTS_KEY) as string[]).some((key) => key in file)) {
    throw new QualityInputError(
      `${source}: expected one of ${Object.values(CONSTRAINTS_KEY).join(', ')} (is this a data-quality constraints.json?)`,
    );
  }
  const result: ModelQualityConstraintsFile = { version: file.version ?? 0 };
  for (const key of Object.values(CONSTRAINTS_KEY)) {
    const section = file[key];
    if (section !== undefined) result[key] = section;
  }
  return result;
}

import { z } from 'zod';
import {
  featureName,
  type NumberRange,
  numberIn,
  oneOf,
  optionalWith,
  rangeProblem,
  section,
  withDefault,
} from './fields.js';

// Model-quality monitoring (Model Monitor's model-quality metrics and constraints) and the quality gate that decides
// whether a retrained challenger may replace the champion.

/** Model Monitor problem types. */
export const ProblemTypeSchema = oneOf(['Regression', 'BinaryClassification', 'MulticlassClassification']);
/** A Model Monitor problem type. */
export type ProblemType = z.infer<typeof ProblemTypeSchema>;

/** Whether larger values of a metric are better, and the values it can take. */
export interface MetricSpec {
  better: 'higher' | 'lower';
  range: NumberRange;
}

const UNIT: NumberRange = { min: 0, max: 1 };
const higher = (range: NumberRange = UNIT): MetricSpec => ({ better: 'higher', range });
const lower = (range: NumberRange = UNIT): MetricSpec => ({ better: 'lower', range });

/** Model-quality metrics by problem type (Model Monitor statistics keys), with direction and range. */
export const MODEL_QUALITY_METRICS: Readonly<Record<ProblemType, Readonly<Record<string, MetricSpec>>>> = {
  Regression: {
    mae: lower({ min: 0 }),
    mse: lower({ min: 0 }),
    rmse: lower({ min: 0 }),
    r2: higher({ max: 1 }),
  },
  BinaryClassification: {
    accuracy: higher(),
    precision: higher(),
    recall: higher(),
    f0_5: higher(),
    f1: higher(),
    f2: higher(),
    auc: higher(),
    au_prc: higher(),
    true_positive_rate: higher(),
    true_negative_rate: higher(),
    false_positive_rate: lower(),
    false_negative_rate: lower(),
  },
  MulticlassClassification: {
    accuracy: higher(),
    weighted_precision: higher(),
    weighted_recall: higher(),
    weighted_f0_5: higher(),
    weighted_f1: higher(),
    weighted_f2: higher(),
  },
};

const ComparisonOperatorSchema = oneOf(['LessThanThreshold', 'GreaterThanThreshold']);

/** One model-quality constraint (Model Monitor `{threshold, comparison_operator}`). */
export const MetricThresholdSchema = z.strictObject({
  threshold: z
    .number({ error: 'expected a number' })
    .describe('Metric value at which the constraint is violated.'),
  comparisonOperator: optionalWith(
    ComparisonOperatorSchema,
    'LessThanThreshold: violated when the metric is below the threshold; GreaterThanThreshold: above.',
    'LessThanThreshold for metrics where higher is better, GreaterThanThreshold for error metrics (mae, mse, rmse, ' +
      'false_positive_rate, false_negative_rate)',
  ),
});
/** A model-quality constraint with its operator resolved. */
export type MetricThreshold = Required<z.output<typeof MetricThresholdSchema>>;

const metricRecord = <S extends z.ZodType>(value: S) =>
  z.record(z.string({ error: 'expected a metric name' }), value);

/** Adds an issue for each metric name that `problemType` does not have, and for each value `checkValue` rejects. */
export function checkMetricNames(
  problemType: ProblemType,
  metrics: Readonly<Record<string, unknown>>,
  path: readonly (string | number)[],
  ctx: z.RefinementCtx,
  checkValue?: (spec: MetricSpec, value: unknown) => string | undefined,
) {
  const specs = MODEL_QUALITY_METRICS[problemType];
  for (const [metric, value] of Object.entries(metrics)) {
    const spec = specs[metric];
    if (spec === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, metric],
        message: `expected a ${problemType} metric (${Object.keys(specs).join(', ')}); unknown metric "${metric}"`,
        input: value,
      });
      continue;
    }
    const problem = checkValue?.(spec, value);
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', path: [...path, metric], message: problem, input: value });
    }
  }
}

/** Model-quality monitoring: how to read predictions, and the constraints to check. */
export const ModelQualityConfigSchema = z
  .strictObject({
    problemType: ProblemTypeSchema.describe('Model Monitor problem type; decides which metrics exist.'),
    inferenceAttribute: optionalWith(
      featureName(),
      'Output (payload.output.names) holding the predicted label or value.',
      'the first output',
    ),
    probabilityAttribute: optionalWith(
      featureName(),
      'Output holding the predicted probability (binary classification), thresholded into a label.',
      'none: inferenceAttribute is the label',
    ),
    probabilityThreshold: withDefault(
      numberIn({ min: 0, max: 1 }),
      0.5,
      'Binary classification: probability at or above which the predicted label is 1.',
    ),
    minSamples: withDefault(
      numberIn({ int: true, min: 1 }),
      30,
      'Minimum number of joined (prediction, label) pairs in a window before metrics are published.',
    ),
    thresholds: withDefault(
      metricRecord(MetricThresholdSchema),
      {},
      'Constraints by metric name (e.g. {"auc": {"threshold": 0.8}}); each becomes an alarm.',
    ),
  })
  .superRefine((quality, ctx) => {
    checkMetricNames(quality.problemType, quality.thresholds, ['thresholds'], ctx, (spec, value) => {
      const threshold = (value as { threshold: number }).threshold;
      return rangeProblem(spec.range, threshold);
    });
  })
  .transform((quality) => ({
    ...quality,
    thresholds: Object.fromEntries(
      Object.entries(quality.thresholds).map(([metric, constraint]): [string, MetricThreshold] => [
        metric,
        {
          threshold: constraint.threshold,
          comparisonOperator:
            constraint.comparisonOperator ??
            (MODEL_QUALITY_METRICS[quality.problemType][metric]?.better === 'lower'
              ? 'GreaterThanThreshold'
              : 'LessThanThreshold'),
        },
      ]),
    ),
  }));
/** The `modelQuality` section with comparison operators resolved. */
export type ModelQualityConfig = z.output<typeof ModelQualityConfigSchema>;

/** Bootstrap settings for confidence intervals on metric differences. */
export const BootstrapSettingsSchema = z.strictObject({
  samples: withDefault(numberIn({ int: true, min: 100, max: 100_000 }), 1000, 'Bootstrap resamples.'),
  seed: withDefault(
    numberIn({ int: true, min: 0, max: 2 ** 32 - 1 }),
    42,
    'Seed of the resampling generator, so a verdict can be reproduced.',
  ),
  confidence: withDefault(numberIn({ gt: 0, lt: 1 }), 0.95, 'Confidence level of the intervals.'),
});
/** Bootstrap settings. */
export type BootstrapSettings = z.output<typeof BootstrapSettingsSchema>;

/** Quality gate: when a retrained challenger may replace the champion. */
export const GateConfigSchema = z
  .strictObject({
    floors: withDefault(
      metricRecord(z.number({ error: 'expected a number' })),
      {},
      "Absolute bounds on the challenger's metrics: at least this (at most, for error metrics).",
    ),
    maxRegression: withDefault(
      metricRecord(numberIn({ min: 0 })),
      {},
      'How much worse than the champion the challenger may be, in metric units, at the bootstrap confidence bound.',
    ),
    minImprovement: withDefault(
      metricRecord(numberIn({ min: 0 })),
      {},
      'How much better than the champion the challenger must be, in metric units, at the bootstrap confidence bound.',
    ),
    bootstrap: section(
      BootstrapSettingsSchema,
      'Bootstrap confidence intervals on champion/challenger differences.',
    ),
    mcnemarAlpha: withDefault(
      numberIn({ gt: 0, lt: 1 }),
      0.05,
      "Classification only: the challenger fails when McNemar's test says it is worse at this significance level.",
    ),
  })
  .superRefine((gate, ctx) => {
    if (
      Object.keys(gate.floors).length +
        Object.keys(gate.maxRegression).length +
        Object.keys(gate.minImprovement).length ===
      0
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['floors'],
        message:
          'expected at least one metric in floors, maxRegression or minImprovement (an empty gate passes every model)',
        input: gate.floors,
      });
    }
  });
/** The `gate` section. */
export type GateConfig = z.output<typeof GateConfigSchema>;

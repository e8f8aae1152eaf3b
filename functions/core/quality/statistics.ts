/**
 * Model Monitor's model-quality statistics.json: `version`, `dataset` {`item_count`, `evaluation_time`} and one
 * of `binary_classification_metrics` / `multiclass_classification_metrics` / `regression_metrics`, each metric
 * `{value, standard_deviation}` (MODEL-MONITOR-FORMATS.md §D.5; the shape of the real regression file in
 * test/fixtures/model-monitor-outputs/model-card-metrics). Numbers that are not finite are written as the
 * string "NaN", as Model Monitor writes standard deviations below 200 samples.
 */
import { z } from 'zod';
import type { ProblemType } from '../config/quality-schema.js';
import type { EvaluationSet } from './dataset.js';
import { QualityInputError } from './errors.js';
import {
  binaryConfusion,
  binaryRanking,
  computeMetrics,
  multiclassConfusion,
  SCALAR_METRICS,
} from './metrics.js';
import { SeededRandom, subsampleWeights } from './random.js';
import { precisionRecallCurve, rocCurve } from './ranking.js';

/** A number, or "NaN" where Model Monitor has no value. */
export type JsonNumber = number | 'NaN';

/** One metric of statistics.json. */
export interface MetricStatistic {
  value: JsonNumber;
  standard_deviation: JsonNumber;
}

/** `{actual: {predicted: count}}`, every class present on both levels. */
export type ConfusionMatrixJson = Record<string, Record<string, number>>;

/** The metrics object of statistics.json: scalar metrics plus the confusion matrix and (binary) curves. */
export type QualityMetricsJson = Record<
  string,
  | MetricStatistic
  | ConfusionMatrixJson
  | { false_positive_rates: number[]; true_positive_rates: number[] }
  | { precisions: number[]; recalls: number[] }
>;

/** Model-quality statistics.json. */
export interface ModelQualityStatisticsFile {
  version: number;
  dataset: { item_count: number; evaluation_time?: string };
  binary_classification_metrics?: QualityMetricsJson;
  multiclass_classification_metrics?: QualityMetricsJson;
  regression_metrics?: QualityMetricsJson;
}

/** statistics.json key of each problem type's metrics. */
export const METRICS_KEY: Readonly<
  Record<
    ProblemType,
    'binary_classification_metrics' | 'multiclass_classification_metrics' | 'regression_metrics'
  >
> = {
  BinaryClassification: 'binary_classification_metrics',
  MulticlassClassification: 'multiclass_classification_metrics',
  Regression: 'regression_metrics',
};

/** How standard deviations are estimated (Model Monitor's documented scheme by default). */
export interface StandardDeviationOptions {
  /**
   * Below this many rows every standard deviation is "NaN".
   * @default 200
   */
  minSamples?: number;
  /** @default 5 */
  subsamples?: number;
  /** @default 0.8 */
  fraction?: number;
  /** @default 0 */
  seed?: number;
}

/** Options of {@link modelQualityStatistics}. */
export interface StatisticsOptions {
  /** ISO-8601 time written as `dataset.evaluation_time` (the core has no clock). */
  evaluationTime?: string;
  standardDeviation?: StandardDeviationOptions;
  /**
   * Most points kept per curve (evenly spaced in rank; AUC and AU-PRC are always computed exactly).
   * @default 1000
   */
  maxCurvePoints?: number;
}

/** A finite number, or "NaN". */
export const jsonNumber = (x: number): JsonNumber => (Number.isFinite(x) ? x : 'NaN');

/**
 * Standard deviation of each scalar metric as Model Monitor documents it: the metric is computed on
 * `subsamples` random subsamples of round(fraction n) rows drawn without replacement (seeded), and the
 * sample standard deviation (n - 1 denominator) of those values is reported; NaN when n < minSamples or a
 * subsample's metric is NaN. It measures the spread of the metric over subsets, not a confidence interval.
 */
export function subsampleStandardDeviations(
  set: EvaluationSet,
  options: StandardDeviationOptions = {},
): Record<string, number> {
  const minSamples = options.minSamples ?? 200;
  const subsamples = options.subsamples ?? 5;
  const fraction = options.fraction ?? 0.8;
  const names = SCALAR_METRICS[set.problemType];
  if (!Number.isInteger(subsamples) || subsamples < 2) {
    throw new QualityInputError(`standardDeviation.subsamples: expected an integer >= 2, got ${subsamples}`);
  }
  if (!(fraction > 0 && fraction <= 1)) {
    throw new QualityInputError(`standardDeviation.fraction: expected a number in (0, 1], got ${fraction}`);
  }
  if (set.n < minSamples) return Object.fromEntries(names.map((name) => [name, Number.NaN]));
  const random = new SeededRandom(options.seed ?? 0);
  const m = Math.round(fraction * set.n);
  const values: Record<string, number>[] = [];
  for (let s = 0; s < subsamples; s++) values.push(computeMetrics(set, subsampleWeights(set.n, m, random)));
  return Object.fromEntries(names.map((name) => [name, sampleStd(values.map((v) => v[name] ?? Number.NaN))]));
}

/** Sample standard deviation (n - 1 denominator); NaN when any value is NaN or fewer than 2 values. */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2 || values.some((v) => !Number.isFinite(v))) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, v) => a + (v - mean) * (v - mean), 0);
  return Math.sqrt(ss / (values.length - 1));
}

function confusionJson(set: EvaluationSet): ConfusionMatrixJson | undefined {
  if (set.problemType === 'BinaryClassification') {
    const c = binaryConfusion(set);
    return { '0': { '0': c.tn, '1': c.fp }, '1': { '0': c.fn, '1': c.tp } };
  }
  if (set.problemType === 'MulticlassClassification') {
    const k = set.classes.length;
    const matrix = multiclassConfusion(set);
    return Object.fromEntries(
      set.classes.map((actual, a) => [
        actual,
        Object.fromEntries(set.classes.map((predicted, p) => [predicted, matrix[a * k + p] as number])),
      ]),
    );
  }
  return undefined;
}

/**
 * Builds the statistics.json of an evaluation set: every scalar metric with its standard deviation
 * ({@link subsampleStandardDeviations}), the confusion matrix (`{actual: {predicted: count}}`, as Model
 * Monitor's documented example orients it) and, for binary classification, the ROC and precision-recall
 * curves, in Model Monitor's key order (au_prc follows auc).
 */
export function modelQualityStatistics(
  set: EvaluationSet,
  options: StatisticsOptions = {},
): ModelQualityStatisticsFile {
  const values = computeMetrics(set);
  const std = subsampleStandardDeviations(set, options.standardDeviation);
  const metric = (name: string): MetricStatistic => ({
    value: jsonNumber(values[name] ?? Number.NaN),
    standard_deviation: jsonNumber(std[name] ?? Number.NaN),
  });
  const metrics: QualityMetricsJson = {};
  const confusion = confusionJson(set);
  if (confusion !== undefined) metrics.confusion_matrix = confusion;
  const maxPoints = options.maxCurvePoints ?? 1000;
  for (const name of SCALAR_METRICS[set.problemType]) {
    if (set.problemType === 'BinaryClassification' && name === 'auc') {
      const ranking = binaryRanking(set);
      metrics.receiver_operating_characteristic_curve = rocCurve(ranking, maxPoints);
      metrics.precision_recall_curve = precisionRecallCurve(ranking, maxPoints);
    }
    metrics[name] = metric(name);
  }
  const dataset: ModelQualityStatisticsFile['dataset'] = { item_count: set.n };
  if (options.evaluationTime !== undefined) dataset.evaluation_time = options.evaluationTime;
  return { version: 0, dataset, [METRICS_KEY[set.problemType]]: metrics };
}

const jsonNumberSchema = z.union([
  z.number(),
  z.literal('NaN'),
  z.literal('Infinity'),
  z.literal('-Infinity'),
]);
const metricSchema = z.looseObject({
  value: jsonNumberSchema,
  standard_deviation: jsonNumberSchema.optional(),
});
const metricsSchema = z.record(z.string(), z.unknown());
const statisticsSchema = z.looseObject({
  version: z.number().optional(),
  dataset: z
    .looseObject({ item_count: z.number().int().nonnegative(), evaluation_time: z.string().optional() })
    .optional(),
  binary_classification_metrics: metricsSchema.optional(),
  multiclass_classification_metrics: metricsSchema.optional(),
  regression_metrics: metricsSchema.optional(),
});

/** Scalar metric values read from a statistics.json. */
export interface MetricValues {
  problemType: ProblemType;
  itemCount: number | undefined;
  values: Record<string, number>;
  /** NaN where the file has "NaN" or no standard deviation. */
  standardDeviations: Record<string, number>;
}

const toNumber = (x: unknown): number =>
  typeof x === 'number' ? x : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : Number.NaN;

/**
 * Reads a model-quality statistics.json (Model Monitor's or driftwatch's): the problem type from its metrics
 * key and every `{value, standard_deviation}` metric; other members (confusion matrix, curves) are skipped.
 * @throws QualityInputError naming `source` when the document has no or several metrics keys, or a metric's
 * value is not a number or "NaN"
 */
export function readMetricValues(doc: unknown, source: string): MetricValues {
  const parsed = statisticsSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new QualityInputError(
      `${source}: not a model-quality statistics.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  const file = parsed.data;
  const present = (Object.keys(METRICS_KEY) as ProblemType[]).filter(
    (t) => file[METRICS_KEY[t]] !== undefined,
  );
  if (present.length !== 1) {
    throw new QualityInputError(
      `${source}: expected exactly one of binary_classification_metrics, multiclass_classification_metrics, ` +
        `regression_metrics; found ${present.length === 0 ? 'none' : present.map((t) => METRICS_KEY[t]).join(', ')}`,
    );
  }
  const problemType = present[0] as ProblemType;
  const metrics = file[METRICS_KEY[problemType]] as Record<string, unknown>;
  const values: Record<string, number> = {};
  const standardDeviations: Record<string, number> = {};
  for (const [name, entry] of Object.entries(metrics)) {
    if (name === 'confusion_matrix' || typeof entry !== 'object' || entry === null || !('value' in entry))
      continue;
    const metric = metricSchema.safeParse(entry);
    if (!metric.success) {
      throw new QualityInputError(
        `${source}: ${METRICS_KEY[problemType]}.${name}.value: expected a number or "NaN"`,
      );
    }
    values[name] = toNumber(metric.data.value);
    standardDeviations[name] = toNumber(metric.data.standard_deviation);
  }
  return { problemType, itemCount: file.dataset?.item_count, values, standardDeviations };
}

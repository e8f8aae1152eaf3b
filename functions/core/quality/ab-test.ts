/**
 * A/B comparison of two production variants from their own captures joined to ground truth: independent
 * samples (different requests), so intervals come from an unpaired bootstrap and the significance test is
 * two-sample. Variant b is compared with variant a (differences are b - a).
 */
import { MODEL_QUALITY_METRICS, type ProblemType } from '../config/quality-schema.js';
import { chiSquareContingency } from '../stats/chi-square.js';
import { ksTwoSample } from '../stats/ks.js';
import type { EvaluationSet } from './dataset.js';
import { QualityInputError } from './errors.js';
import {
  type BootstrapOptions,
  sampleSizeMeans,
  sampleSizeProportions,
  type TwoSidedTest,
  twoProportionZTest,
  unpairedBootstrap,
  welchTTest,
} from './inference.js';
import { computeMetrics } from './metrics.js';

/** Options of {@link compareVariants}. */
export interface AbOptions {
  /** Significance level of the tests. @default 0.05 */
  alpha?: number;
  /** Power for the sample-size requirement. @default 0.8 */
  power?: number;
  /**
   * Smallest difference of the primary metric worth detecting, in metric units.
   * @default 0.02 (accuracy) for classification; 10% of variant a's MAE for regression
   */
  minDetectableEffect?: number;
  /**
   * Metrics given a bootstrap interval.
   * @default - binary: accuracy, precision, recall, f1, auc; multiclass: accuracy, weighted_f1; regression:
   * mae, rmse, r2
   */
  metrics?: readonly string[];
  bootstrap?: BootstrapOptions;
}

/** One variant's data. */
export interface AbVariant {
  name: string;
  set: EvaluationSet;
}

/** A metric of both variants with the interval of its improvement (b better than a when > 0). */
export interface AbComparison {
  metric: string;
  a: number;
  b: number;
  /** b - a. */
  difference: number;
  /** Interval of b - a (percentile, unpaired bootstrap). */
  lower: number;
  upper: number;
}

/** The A/B result. */
export interface AbResult {
  problemType: ProblemType;
  variants: { name: string; rows: number }[];
  /** Accuracy (classification) or MAE (regression), with its test. */
  primary: AbComparison & {
    test: TwoSidedTest;
    significant: boolean;
    /** The variant with the better primary metric when the difference is significant, else null. */
    better: string | null;
  };
  comparisons: AbComparison[];
  /** Whether the variants' predictions are distributed differently (they see similar traffic). */
  predictionDrift: { method: 'ks' | 'chi2'; of: string; statistic: number; pvalue: number; drift: boolean };
  /** Whether each variant has the rows needed to detect `minDetectableEffect` in the primary metric. */
  sampleSize: {
    metric: string;
    minDetectableEffect: number;
    alpha: number;
    power: number;
    requiredPerVariant: number;
    reached: boolean;
  };
  confidence: number;
}

const DEFAULT_METRICS: Readonly<Record<ProblemType, readonly string[]>> = {
  BinaryClassification: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
  MulticlassClassification: ['accuracy', 'weighted_f1'],
  Regression: ['mae', 'rmse', 'r2'],
};

/**
 * Compares variant b with variant a. Primary metric: accuracy with the pooled two-proportion z-test on the
 * counts of correct predictions (classification), or MAE with Welch's t-test on the absolute errors
 * (regression); significant when p < alpha. Every compared metric gets a percentile interval of b - a from an
 * unpaired seeded bootstrap. Prediction drift between the variants: two-sample KS on the scores (binary with
 * probabilities) or the predicted values (regression), else the chi-square test of the predicted-class counts;
 * drift when p < alpha. Sample size: per variant, by `sampleSizeProportions` from variant a's accuracy or by
 * `sampleSizeMeans` from the pooled standard deviation of absolute errors; reached when both variants have at
 * least that many rows.
 * @throws QualityInputError when the variants are of different problem types, a metric is unknown, or a
 * setting is out of range
 */
export function compareVariants(a: AbVariant, b: AbVariant, options: AbOptions = {}): AbResult {
  const type = a.set.problemType;
  if (b.set.problemType !== type) {
    throw new QualityInputError(`variant ${a.name} is ${type} but ${b.name} is ${b.set.problemType}`);
  }
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1))
    throw new QualityInputError(`alpha: expected a number in (0, 1), got ${alpha}`);
  const metrics = [...(options.metrics ?? DEFAULT_METRICS[type])];
  const specs = MODEL_QUALITY_METRICS[type];
  for (const metric of metrics) {
    if (specs[metric] === undefined) {
      throw new QualityInputError(`"${metric}" is not a ${type} metric (${Object.keys(specs).join(', ')})`);
    }
  }
  const primaryMetric = type === 'Regression' ? 'mae' : 'accuracy';
  if (!metrics.includes(primaryMetric)) metrics.unshift(primaryMetric);
  const bootstrap = { samples: 1000, seed: 42, confidence: 0.95, ...options.bootstrap };
  const intervals = unpairedBootstrap(
    a.set,
    b.set,
    Object.fromEntries(metrics.map((m) => [m, 1 as const])),
    bootstrap,
  );
  const ma = computeMetrics(a.set);
  const mb = computeMetrics(b.set);
  const comparisons: AbComparison[] = metrics.map((metric) => {
    const va = ma[metric] ?? Number.NaN;
    const vb = mb[metric] ?? Number.NaN;
    return {
      metric,
      a: va,
      b: vb,
      difference: vb - va,
      lower: intervals[metric]?.lower ?? Number.NaN,
      upper: intervals[metric]?.upper ?? Number.NaN,
    };
  });
  const primaryComparison = comparisons.find((c) => c.metric === primaryMetric) as AbComparison;

  let test: TwoSidedTest;
  let required: number;
  let mde: number;
  if (type === 'Regression') {
    const errorsA = absoluteErrors(a.set);
    const errorsB = absoluteErrors(b.set);
    test = welchTTest(errorsA, errorsB);
    mde = options.minDetectableEffect ?? 0.1 * primaryComparison.a;
    required = sampleSizeMeans(pooledStd(errorsA, errorsB), mde, alpha, power);
  } else {
    test = twoProportionZTest(correctCount(a.set), a.set.n, correctCount(b.set), b.set.n);
    mde = options.minDetectableEffect ?? 0.02;
    required = sampleSizeProportions(primaryComparison.a, mde, alpha, power);
  }
  const significant = test.pvalue < alpha;
  const bBetter =
    type === 'Regression'
      ? primaryComparison.b < primaryComparison.a
      : primaryComparison.b > primaryComparison.a;
  return {
    problemType: type,
    variants: [
      { name: a.name, rows: a.set.n },
      { name: b.name, rows: b.set.n },
    ],
    primary: {
      ...primaryComparison,
      test,
      significant,
      better: significant ? (bBetter ? b.name : a.name) : null,
    },
    comparisons,
    predictionDrift: predictionDrift(a.set, b.set, alpha),
    sampleSize: {
      metric: primaryMetric,
      minDetectableEffect: mde,
      alpha,
      power,
      requiredPerVariant: required,
      reached: a.set.n >= required && b.set.n >= required,
    },
    confidence: bootstrap.confidence,
  };
}

function correctCount(set: EvaluationSet): number {
  if (set.problemType === 'Regression') return 0;
  let correct = 0;
  for (let i = 0; i < set.n; i++) if (set.labels[i] === set.predicted[i]) correct++;
  return correct;
}

function absoluteErrors(set: EvaluationSet): Float64Array {
  const out = new Float64Array(set.n);
  if (set.problemType !== 'Regression') return out;
  for (let i = 0; i < set.n; i++) out[i] = Math.abs((set.labels[i] as number) - (set.predicted[i] as number));
  return out;
}

function pooledStd(a: Float64Array, b: Float64Array): number {
  const ss = (x: Float64Array) => {
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    return x.reduce((s, v) => s + (v - mean) ** 2, 0);
  };
  return Math.sqrt((ss(a) + ss(b)) / Math.max(1, a.length + b.length - 2));
}

function predictionDrift(a: EvaluationSet, b: EvaluationSet, alpha: number): AbResult['predictionDrift'] {
  if (a.problemType === 'Regression' && b.problemType === 'Regression') {
    const r = ksTwoSample(a.predicted, b.predicted);
    return { method: 'ks', of: 'predicted values', ...r, drift: r.pvalue < alpha };
  }
  if (
    a.problemType === 'BinaryClassification' &&
    b.problemType === 'BinaryClassification' &&
    a.hasProbability &&
    b.hasProbability
  ) {
    const r = ksTwoSample(a.scores, b.scores);
    return { method: 'ks', of: 'probabilities', ...r, drift: r.pvalue < alpha };
  }
  const countsA = classCounts(a);
  const countsB = classCounts(b);
  const classes = [...new Set([...countsA.keys(), ...countsB.keys()])];
  const r = chiSquareContingency(
    classes.map((c) => countsA.get(c) ?? 0),
    classes.map((c) => countsB.get(c) ?? 0),
  );
  return {
    method: 'chi2',
    of: 'predicted classes',
    statistic: r.statistic,
    pvalue: r.pvalue,
    drift: r.pvalue < alpha,
  };
}

function classCounts(set: EvaluationSet): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < set.n; i++) {
    const key =
      set.problemType === 'MulticlassClassification'
        ? (set.classes[set.predicted[i] as number] ?? '')
        : String(set.predicted[i]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Model-quality metrics under Model Monitor's names, each as sklearn defines it, optionally weighted by
 * integer counts (a bootstrap resample or a subsample), so resampling never copies rows. Every ratio whose
 * denominator is 0 is 0 (sklearn's zero_division default), except where stated NaN.
 */
import type { ProblemType } from '../config/quality-schema.js';
import type {
  BinaryEvaluationSet,
  EvaluationSet,
  MulticlassEvaluationSet,
  RegressionEvaluationSet,
} from './dataset.js';
import { areaUnderPr, areaUnderRoc, type Ranking, rank } from './ranking.js';

/** Scalar binary metrics, in the order Model Monitor writes them. */
export const BINARY_METRICS = [
  'recall',
  'precision',
  'accuracy',
  'recall_best_constant_classifier',
  'precision_best_constant_classifier',
  'accuracy_best_constant_classifier',
  'true_positive_rate',
  'true_negative_rate',
  'false_positive_rate',
  'false_negative_rate',
  'auc',
  'au_prc',
  'f0_5',
  'f1',
  'f2',
  'f0_5_best_constant_classifier',
  'f1_best_constant_classifier',
  'f2_best_constant_classifier',
] as const;

/** Scalar multiclass metrics, in the order Model Monitor writes them. */
export const MULTICLASS_METRICS = [
  'accuracy',
  'weighted_recall',
  'weighted_precision',
  'weighted_f0_5',
  'weighted_f1',
  'weighted_f2',
  'accuracy_best_constant_classifier',
  'weighted_recall_best_constant_classifier',
  'weighted_precision_best_constant_classifier',
  'weighted_f0_5_best_constant_classifier',
  'weighted_f1_best_constant_classifier',
  'weighted_f2_best_constant_classifier',
] as const;

/** Regression metrics, in the order Model Monitor writes them. */
export const REGRESSION_METRICS = ['mae', 'mse', 'rmse', 'r2'] as const;

/** Scalar metric names by problem type. */
export const SCALAR_METRICS: Readonly<Record<ProblemType, readonly string[]>> = {
  BinaryClassification: BINARY_METRICS,
  MulticlassClassification: MULTICLASS_METRICS,
  Regression: REGRESSION_METRICS,
};

/** Row weights: integer counts per row (absent: every row once). */
export type Weights = ArrayLike<number> | undefined;

const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

/**
 * F-beta score (1 + b^2) P R / (b^2 P + R); 0 when P = R = 0.
 */
export function fBeta(precision: number, recall: number, beta: number): number {
  const b2 = beta * beta;
  const den = b2 * precision + recall;
  return den > 0 ? ((1 + b2) * precision * recall) / den : 0;
}

/** Weighted confusion counts of a binary set; the positive class is 1. */
export interface BinaryConfusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Confusion counts: tp = sum of weights of rows with label 1 and prediction 1, and so on. */
export function binaryConfusion(set: BinaryEvaluationSet, weights?: Weights): BinaryConfusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < set.n; i++) {
    const w = weights === undefined ? 1 : (weights[i] as number);
    if (w === 0) continue;
    if (set.labels[i] === 1) {
      if (set.predicted[i] === 1) c.tp += w;
      else c.fn += w;
    } else if (set.predicted[i] === 1) c.fp += w;
    else c.tn += w;
  }
  return c;
}

/** The score ranking of a binary set under weights (for AUC, AU-PRC and the curves). */
export function binaryRanking(set: BinaryEvaluationSet, weights?: Weights): Ranking {
  const positive = new Float64Array(set.n);
  const negative = new Float64Array(set.n);
  for (let i = 0; i < set.n; i++) {
    const w = weights === undefined ? 1 : (weights[i] as number);
    if (set.labels[i] === 1) positive[i] = w;
    else negative[i] = w;
  }
  return rank(set.order, set.scores, positive, negative);
}

/**
 * Binary metrics (positive class 1), with P = tp + fn, N = tn + fp, total T:
 * accuracy = (tp + tn) / T; precision = tp / (tp + fp); recall = true_positive_rate = tp / P;
 * false_positive_rate = fp / N; true_negative_rate = 1 - false_positive_rate and false_negative_rate =
 * 1 - true_positive_rate (so written, as Model Monitor's own example shows 0.33333333333333337);
 * f0_5, f1, f2 = F-beta of precision and recall; auc = area under the ROC curve (NaN unless both classes are
 * present); au_prc = Spark's area under the precision-recall curve (NaN without positives). The
 * *_best_constant_classifier metrics are those of the classifier that always predicts 1, as Model Monitor's
 * documented example shows (precision = accuracy = P / T, recall = 1 when P > 0).
 */
export function binaryMetrics(set: BinaryEvaluationSet, weights?: Weights): Record<string, number> {
  const { tp, fp, tn, fn } = binaryConfusion(set, weights);
  const total = tp + fp + tn + fn;
  const positives = tp + fn;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, positives);
  const fpr = ratio(fp, fp + tn);
  const constantPrecision = ratio(positives, total);
  const constantRecall = positives > 0 ? 1 : 0;
  const ranking = binaryRanking(set, weights);
  return {
    recall,
    precision,
    accuracy: ratio(tp + tn, total),
    recall_best_constant_classifier: constantRecall,
    precision_best_constant_classifier: constantPrecision,
    accuracy_best_constant_classifier: constantPrecision,
    true_positive_rate: recall,
    true_negative_rate: 1 - fpr,
    false_positive_rate: fpr,
    false_negative_rate: 1 - recall,
    auc: areaUnderRoc(ranking),
    au_prc: areaUnderPr(ranking),
    f0_5: fBeta(precision, recall, 0.5),
    f1: fBeta(precision, recall, 1),
    f2: fBeta(precision, recall, 2),
    f0_5_best_constant_classifier: fBeta(constantPrecision, constantRecall, 0.5),
    f1_best_constant_classifier: fBeta(constantPrecision, constantRecall, 1),
    f2_best_constant_classifier: fBeta(constantPrecision, constantRecall, 2),
  };
}

/** Weighted K x K confusion matrix: `matrix[actual * K + predicted]`. */
export function multiclassConfusion(set: MulticlassEvaluationSet, weights?: Weights): Float64Array {
  const k = set.classes.length;
  const matrix = new Float64Array(k * k);
  for (let i = 0; i < set.n; i++) {
    const w = weights === undefined ? 1 : (weights[i] as number);
    if (w === 0) continue;
    const cell = (set.labels[i] as number) * k + (set.predicted[i] as number);
    matrix[cell] = (matrix[cell] as number) + w;
  }
  return matrix;
}

/**
 * Multiclass metrics as sklearn's average='weighted': per class c with support s_c (rows labelled c),
 * precision_c = tp_c / predicted_c, recall_c = tp_c / s_c, F-beta_c from those; weighted_x = sum_c s_c x_c / T.
 * accuracy = sum_c tp_c / T. The *_best_constant_classifier metrics are those of always predicting the most
 * frequent label (the first in class order on ties): accuracy = weighted_recall = p, weighted_precision = p^2,
 * weighted F-beta = p F-beta(p, 1), with p its share. (Model Monitor's documented multiclass example reports a
 * minority class's constant classifier; that example is not self-consistent, so the usual majority rule is
 * used.)
 */
export function multiclassMetrics(set: MulticlassEvaluationSet, weights?: Weights): Record<string, number> {
  const k = set.classes.length;
  const matrix = multiclassConfusion(set, weights);
  const support = new Float64Array(k);
  const predicted = new Float64Array(k);
  let total = 0;
  let correct = 0;
  for (let a = 0; a < k; a++) {
    for (let p = 0; p < k; p++) {
      const v = matrix[a * k + p] as number;
      support[a] = (support[a] as number) + v;
      predicted[p] = (predicted[p] as number) + v;
      total += v;
      if (a === p) correct += v;
    }
  }
  const weighted = { recall: 0, precision: 0, f0_5: 0, f1: 0, f2: 0 };
  let majority = 0;
  for (let c = 0; c < k; c++) {
    const s = support[c] as number;
    if (s > (support[majority] as number)) majority = c;
    if (s === 0) continue;
    const tp = matrix[c * k + c] as number;
    const precision = ratio(tp, predicted[c] as number);
    const recall = ratio(tp, s);
    const share = s / total;
    weighted.recall += share * recall;
    weighted.precision += share * precision;
    weighted.f0_5 += share * fBeta(precision, recall, 0.5);
    weighted.f1 += share * fBeta(precision, recall, 1);
    weighted.f2 += share * fBeta(precision, recall, 2);
  }
  const p = ratio(support[majority] as number, total);
  return {
    accuracy: ratio(correct, total),
    weighted_recall: weighted.recall,
    weighted_precision: weighted.precision,
    weighted_f0_5: weighted.f0_5,
    weighted_f1: weighted.f1,
    weighted_f2: weighted.f2,
    accuracy_best_constant_classifier: p,
    weighted_recall_best_constant_classifier: p,
    weighted_precision_best_constant_classifier: p * p,
    weighted_f0_5_best_constant_classifier: p * fBeta(p, 1, 0.5),
    weighted_f1_best_constant_classifier: p * fBeta(p, 1, 1),
    weighted_f2_best_constant_classifier: p * fBeta(p, 1, 2),
  };
}

/**
 * Regression metrics with weights w_i, W = sum w_i and errors e_i = y_i - yhat_i: mae = sum w|e| / W,
 * mse = sum w e^2 / W, rmse = sqrt(mse), r2 = 1 - sum w e^2 / sum w (y - ybar)^2 with ybar the weighted mean
 * label (sklearn's r2_score with force_finite=False; NaN when every label is equal).
 */
export function regressionMetrics(set: RegressionEvaluationSet, weights?: Weights): Record<string, number> {
  let total = 0;
  let sumY = 0;
  for (let i = 0; i < set.n; i++) {
    const w = weights === undefined ? 1 : (weights[i] as number);
    total += w;
    sumY += w * (set.labels[i] as number);
  }
  if (total === 0) return { mae: Number.NaN, mse: Number.NaN, rmse: Number.NaN, r2: Number.NaN };
  const mean = sumY / total;
  let abs = 0;
  let sq = 0;
  let ssTot = 0;
  for (let i = 0; i < set.n; i++) {
    const w = weights === undefined ? 1 : (weights[i] as number);
    if (w === 0) continue;
    const y = set.labels[i] as number;
    const e = y - (set.predicted[i] as number);
    abs += w * Math.abs(e);
    sq += w * e * e;
    ssTot += w * (y - mean) * (y - mean);
  }
  const mse = sq / total;
  return {
    mae: abs / total,
    mse,
    rmse: Math.sqrt(mse),
    r2: ssTot > 0 ? 1 - sq / ssTot : Number.NaN,
  };
}

/** The scalar metrics of a set (names: {@link SCALAR_METRICS} for its problem type). */
export function computeMetrics(set: EvaluationSet, weights?: Weights): Record<string, number> {
  switch (set.problemType) {
    case 'BinaryClassification':
      return binaryMetrics(set, weights);
    case 'MulticlassClassification':
      return multiclassMetrics(set, weights);
    case 'Regression':
      return regressionMetrics(set, weights);
  }
}

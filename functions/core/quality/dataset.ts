import type { RawValue } from '../capture/types.js';
import type { ProblemType } from '../config/quality-schema.js';
import { QualityInputError } from './errors.js';
import { binaryValue, classValue, describeValue, numberValue, sortClasses } from './values.js';

/** A prediction with its label, from a join or a predictions file. */
export interface EvaluationPair {
  prediction: RawValue;
  /** Predicted probability of the positive class (binary classification). */
  probability?: RawValue;
  label: RawValue;
}

/** Binary classification data: labels and predicted labels 0/1, and the score curves and AUC are ranked by. */
export interface BinaryEvaluationSet {
  problemType: 'BinaryClassification';
  n: number;
  labels: Uint8Array;
  predicted: Uint8Array;
  /** The probability when one was given, else the predicted label (0/1). */
  scores: Float64Array;
  /** Whether `scores` are probabilities (false: curves and AUC see only the predicted labels). */
  hasProbability: boolean;
  /** Probability at or above which the predicted label is 1. */
  threshold: number;
  /** Row indices by descending score (stable), shared by every resample. */
  order: Uint32Array;
}

/** Multiclass data: indices into `classes`. */
export interface MulticlassEvaluationSet {
  problemType: 'MulticlassClassification';
  n: number;
  /** Every label and predicted class, ordered by {@link sortClasses}. */
  classes: string[];
  labels: Int32Array;
  predicted: Int32Array;
}

/** Regression data. */
export interface RegressionEvaluationSet {
  problemType: 'Regression';
  n: number;
  labels: Float64Array;
  predicted: Float64Array;
}

/** Predictions and labels of one model on one data set, ready for metrics. */
export type EvaluationSet = BinaryEvaluationSet | MulticlassEvaluationSet | RegressionEvaluationSet;

/** How pairs become an evaluation set. */
export interface EvaluationSettings {
  problemType: ProblemType;
  /**
   * Binary only: the predicted label is 1 when the probability is >= this.
   * @default 0.5
   */
  probabilityThreshold?: number;
}

/** A pair that could not be used, by its 0-based position in the input. */
export interface PairRejection {
  index: number;
  reason: string;
}

/** An evaluation set and the pairs left out of it. */
export interface BuiltEvaluationSet {
  set: EvaluationSet;
  rejected: number;
  /** The first 1000 rejections. */
  rejections: PairRejection[];
}

const MAX_REJECTIONS = 1000;

/**
 * Turns pairs into an evaluation set, leaving out (and reporting) pairs whose label or prediction cannot be
 * read. Binary: labels and predictions are 0/1 (see `binaryValue`); with a probability, the predicted label
 * is probability >= threshold and the probability (in [0, 1]) is the score. Multiclass: class labels as text
 * (see `classValue`). Regression: finite numbers.
 * @throws QualityInputError when no pair is usable or the threshold is outside [0, 1]
 */
export function buildEvaluationSet(
  pairs: Iterable<EvaluationPair>,
  settings: EvaluationSettings,
): BuiltEvaluationSet {
  const threshold = settings.probabilityThreshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new QualityInputError(`probabilityThreshold: expected a number in [0, 1], got ${threshold}`);
  }
  const rejections: PairRejection[] = [];
  let rejected = 0;
  const fail = (index: number, reason: string) => {
    rejected++;
    if (rejections.length < MAX_REJECTIONS) rejections.push({ index, reason });
  };
  let set: EvaluationSet;
  switch (settings.problemType) {
    case 'BinaryClassification':
      set = binarySet(pairs, threshold, fail);
      break;
    case 'MulticlassClassification':
      set = multiclassSet(pairs, fail);
      break;
    case 'Regression':
      set = regressionSet(pairs, fail);
      break;
  }
  if (set.n === 0) {
    const first = rejections[0];
    throw new QualityInputError(
      `no usable (prediction, label) pairs for ${settings.problemType}` +
        (first ? `: ${rejected} rejected, the first (#${first.index + 1}) because ${first.reason}` : ''),
    );
  }
  return { set, rejected, rejections };
}

function binarySet(
  pairs: Iterable<EvaluationPair>,
  threshold: number,
  fail: (index: number, reason: string) => void,
): BinaryEvaluationSet {
  const labels: number[] = [];
  const predicted: number[] = [];
  const scores: number[] = [];
  let withProbability = 0;
  let index = -1;
  for (const pair of pairs) {
    index++;
    const label = binaryValue(pair.label);
    if (label === undefined) {
      fail(index, `label ${describeValue(pair.label)} is not a binary label (0/1, true/false)`);
      continue;
    }
    let prediction: 0 | 1 | undefined;
    let score: number;
    if (pair.probability !== undefined) {
      const p = numberValue(pair.probability);
      if (p === undefined || p < 0 || p > 1) {
        fail(index, `probability ${describeValue(pair.probability)} is not a number in [0, 1]`);
        continue;
      }
      prediction = p >= threshold ? 1 : 0;
      score = p;
      withProbability++;
    } else {
      prediction = binaryValue(pair.prediction);
      if (prediction === undefined) {
        fail(
          index,
          `prediction ${describeValue(pair.prediction)} is not a binary label (0/1); a probability needs probabilityAttribute`,
        );
        continue;
      }
      score = prediction;
    }
    labels.push(label);
    predicted.push(prediction);
    scores.push(score);
  }
  if (withProbability > 0 && withProbability < labels.length) {
    throw new QualityInputError(
      `binary pairs mix probabilities (${withProbability}) and bare labels (${labels.length - withProbability})`,
    );
  }
  const scoreArray = Float64Array.from(scores);
  return {
    problemType: 'BinaryClassification',
    n: labels.length,
    labels: Uint8Array.from(labels),
    predicted: Uint8Array.from(predicted),
    scores: scoreArray,
    hasProbability: withProbability > 0,
    threshold,
    order: descendingOrder(scoreArray),
  };
}

/** Row indices sorted by descending score; equal scores keep their input order. */
export function descendingOrder(scores: Float64Array): Uint32Array {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return Uint32Array.from(order);
}

/**
 * Labels and predictions of the pairs whose two values `read` accepts, in order; a pair it does not is failed
 * with `<label|prediction> <value> is not <expected>` (the label is checked first).
 */
function readPairs<T>(
  pairs: Iterable<EvaluationPair>,
  read: (value: RawValue) => T | undefined,
  expected: string,
  fail: (index: number, reason: string) => void,
): { labels: T[]; predicted: T[] } {
  const labels: T[] = [];
  const predicted: T[] = [];
  let index = -1;
  for (const pair of pairs) {
    index++;
    const label = read(pair.label);
    const prediction = read(pair.prediction);
    if (label === undefined) {
      fail(index, `label ${describeValue(pair.label)} is not ${expected}`);
    } else if (prediction === undefined) {
      fail(index, `prediction ${describeValue(pair.prediction)} is not ${expected}`);
    } else {
      labels.push(label);
      predicted.push(prediction);
    }
  }
  return { labels, predicted };
}

function multiclassSet(
  pairs: Iterable<EvaluationPair>,
  fail: (index: number, reason: string) => void,
): MulticlassEvaluationSet {
  const { labels, predicted } = readPairs(pairs, classValue, 'a class label', fail);
  const classes = sortClasses([...labels, ...predicted]);
  const position = new Map(classes.map((c, i) => [c, i]));
  return {
    problemType: 'MulticlassClassification',
    n: labels.length,
    classes,
    labels: Int32Array.from(labels, (c) => position.get(c) ?? -1),
    predicted: Int32Array.from(predicted, (c) => position.get(c) ?? -1),
  };
}

function regressionSet(
  pairs: Iterable<EvaluationPair>,
  fail: (index: number, reason: string) => void,
): RegressionEvaluationSet {
  const { labels, predicted } = readPairs(pairs, numberValue, 'a finite number', fail);
  return {
    problemType: 'Regression',
    n: labels.length,
    labels: Float64Array.from(labels),
    predicted: Float64Array.from(predicted),
  };
}

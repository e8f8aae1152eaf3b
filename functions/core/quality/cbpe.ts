/**
 * Confidence-based performance estimation (CBPE) for binary classifiers: estimates accuracy, precision, recall,
 * F1 and ROC AUC of a window without labels, from the model's scores alone.
 *
 * Calibration: on labelled baseline data (scores and labels), an isotonic regression maps a score to
 * p(score) = P(label = 1 | score). Estimation: for each unlabelled row with score s, p = p(s) and the
 * predicted label is s >= threshold; the expected confusion counts are E[TP] = sum of p over rows predicted 1,
 * E[FP] = sum of 1 - p over rows predicted 1, E[FN] = sum of p over rows predicted 0, E[TN] = sum of 1 - p
 * over rows predicted 0; accuracy = (E[TP] + E[TN]) / n, precision = E[TP] / (E[TP] + E[FP]), recall =
 * E[TP] / (E[TP] + E[FN]), F1 = 2 E[TP] / (2 E[TP] + E[FP] + E[FN]); AUC is the area under the ROC curve with
 * each row counted p times as a positive and 1 - p times as a negative.
 *
 * The estimate is valid while P(label | score) stays as calibrated (covariate shift is fine, concept shift is
 * not and cannot be seen without labels); it is reported as an estimate, with that assumption.
 */
import {
  type BinaryEvaluationSet,
  buildEvaluationSet,
  descendingOrder,
  type EvaluationPair,
} from './dataset.js';
import { QualityInputError } from './errors.js';
import { applyIsotonic, fitIsotonic, type IsotonicFit } from './isotonic.js';
import { binaryMetrics } from './metrics.js';
import { areaUnderRoc, rank } from './ranking.js';

/** A calibration fitted on labelled baseline data. */
export interface CbpeCalibration {
  method: 'isotonic';
  fit: IsotonicFit;
  /** Scores at or above this are predicted 1. */
  threshold: number;
  baseline: {
    rows: number;
    positiveRate: number;
    minScore: number;
    maxScore: number;
    /** Realised metrics of the baseline, to compare estimates with. */
    realised: { accuracy: number; precision: number; recall: number; f1: number; auc: number };
    /** Mean squared error of the raw scores as probabilities, and of the calibrated ones, on the baseline. */
    brierRaw: number;
    brierCalibrated: number;
  };
}

/** A label-free performance estimate. */
export interface CbpeEstimate {
  kind: 'estimate';
  method: 'CBPE';
  calibration: 'isotonic';
  assumption: string;
  rows: number;
  threshold: number;
  estimates: { accuracy: number; precision: number; recall: number; f1: number; auc: number };
  /** sqrt(sum q (1 - q)) / n with q the probability that a row's prediction is right: the spread of the realised accuracy around the estimate. */
  accuracyStandardError: number;
  expectedConfusion: { tp: number; fp: number; tn: number; fn: number };
  /** Share of scores outside the baseline's score range (calibration is clipped there). */
  outsideCalibrationRange: number;
  warnings: string[];
}

const ASSUMPTION =
  'P(label | score) is the same as in the calibration data: covariate shift is handled, concept shift is not and cannot be detected without labels';

/**
 * Fits the CBPE calibration on the baseline's probabilities and labels.
 * @throws QualityInputError when the baseline has no probabilities or lacks one of the classes
 */
export function calibrateCbpe(baseline: BinaryEvaluationSet): CbpeCalibration {
  if (!baseline.hasProbability) {
    throw new QualityInputError('CBPE calibration needs predicted probabilities, not only labels');
  }
  let positives = 0;
  for (let i = 0; i < baseline.n; i++) positives += baseline.labels[i] as number;
  if (positives === 0 || positives === baseline.n) {
    throw new QualityInputError(
      `CBPE calibration needs both classes in the baseline; it has ${positives} positives of ${baseline.n}`,
    );
  }
  const fit = fitIsotonic(baseline.scores, baseline.labels);
  let brierRaw = 0;
  let brierCalibrated = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < baseline.n; i++) {
    const s = baseline.scores[i] as number;
    const y = baseline.labels[i] as number;
    brierRaw += (s - y) ** 2;
    brierCalibrated += (applyIsotonic(fit, s) - y) ** 2;
    min = Math.min(min, s);
    max = Math.max(max, s);
  }
  const realised = binaryMetrics(baseline);
  return {
    method: 'isotonic',
    fit,
    threshold: baseline.threshold,
    baseline: {
      rows: baseline.n,
      positiveRate: positives / baseline.n,
      minScore: min,
      maxScore: max,
      realised: {
        accuracy: realised.accuracy ?? Number.NaN,
        precision: realised.precision ?? Number.NaN,
        recall: realised.recall ?? Number.NaN,
        f1: realised.f1 ?? Number.NaN,
        auc: realised.auc ?? Number.NaN,
      },
      brierRaw: brierRaw / baseline.n,
      brierCalibrated: brierCalibrated / baseline.n,
    },
  };
}

/**
 * Fits the CBPE calibration on labelled baseline predictions, read as binary pairs (see `buildEvaluationSet`):
 * a pair is predicted 1 when its probability is >= `threshold`.
 * @throws QualityInputError when no pair is usable, or as {@link calibrateCbpe}
 */
export function calibrateCbpeFromPairs(pairs: Iterable<EvaluationPair>, threshold: number): CbpeCalibration {
  const built = buildEvaluationSet(pairs, {
    problemType: 'BinaryClassification',
    probabilityThreshold: threshold,
  });
  return calibrateCbpe(built.set as BinaryEvaluationSet);
}

/**
 * Estimates the window's performance from its scores (see the module comment for the definitions).
 * @throws QualityInputError when there are no scores or a score is not a number in [0, 1]
 */
export function estimatePerformance(calibration: CbpeCalibration, scores: ArrayLike<number>): CbpeEstimate {
  const n = scores.length;
  if (n === 0) throw new QualityInputError('CBPE: no scores to estimate from');
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let outside = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    if (!(s >= 0 && s <= 1))
      throw new QualityInputError(`CBPE: score ${i + 1} is ${s}, expected a probability in [0, 1]`);
    if (s < calibration.baseline.minScore || s > calibration.baseline.maxScore) outside++;
    const pi = applyIsotonic(calibration.fit, s);
    p[i] = pi;
    q[i] = 1 - pi;
    // Whichever label is predicted, the row is right with probability p or 1 - p: variance p (1 - p).
    variance += pi * (1 - pi);
    if (s >= calibration.threshold) {
      tp += pi;
      fp += 1 - pi;
    } else {
      fn += pi;
      tn += 1 - pi;
    }
  }
  const scoreArray = Float64Array.from(scores);
  const auc = areaUnderRoc(rank(descendingOrder(scoreArray), scoreArray, p, q));
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  const warnings: string[] = [];
  if (n < 100) warnings.push(`only ${n} rows: the realised metrics will vary a lot around the estimate`);
  if (outside / n > 0.05) {
    warnings.push(
      `${((100 * outside) / n).toFixed(1)}% of scores are outside the calibration range [${calibration.baseline.minScore}, ${calibration.baseline.maxScore}]`,
    );
  }
  return {
    kind: 'estimate',
    method: 'CBPE',
    calibration: 'isotonic',
    assumption: ASSUMPTION,
    rows: n,
    threshold: calibration.threshold,
    estimates: {
      accuracy: (tp + tn) / n,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
      auc,
    },
    accuracyStandardError: Math.sqrt(variance) / n,
    expectedConfusion: { tp, fp, tn, fn },
    outsideCalibrationRange: outside / n,
    warnings,
  };
}

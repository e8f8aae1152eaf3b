/**
 * Score-ranking summaries shared by the ROC and precision-recall curves, AUC and AU-PRC of observed labels
 * (weights 0/1 or bootstrap counts) and of CBPE's expected labels (fractional weights).
 */

/** Cumulative weights at each distinct score, from the highest score down. */
export interface Ranking {
  /** Distinct scores with non-zero weight, descending. */
  thresholds: number[];
  /** Positive weight with score >= thresholds[k]. */
  tp: number[];
  /** Negative weight with score >= thresholds[k]. */
  fp: number[];
  positives: number;
  negatives: number;
}

/**
 * Groups rows by distinct score (in `order`, descending) and accumulates positive and negative weight; a
 * score whose rows all have zero weight adds no point.
 */
export function rank(
  order: ArrayLike<number>,
  scores: ArrayLike<number>,
  positive: ArrayLike<number>,
  negative: ArrayLike<number>,
): Ranking {
  const thresholds: number[] = [];
  const tp: number[] = [];
  const fp: number[] = [];
  let cumP = 0;
  let cumN = 0;
  let k = 0;
  const n = order.length;
  while (k < n) {
    const first = order[k] as number;
    const score = scores[first] as number;
    let groupP = 0;
    let groupN = 0;
    while (k < n && scores[order[k] as number] === score) {
      const i = order[k] as number;
      groupP += positive[i] as number;
      groupN += negative[i] as number;
      k++;
    }
    if (groupP === 0 && groupN === 0) continue;
    cumP += groupP;
    cumN += groupN;
    thresholds.push(score);
    tp.push(cumP);
    fp.push(cumN);
  }
  return { thresholds, tp, fp, positives: cumP, negatives: cumN };
}

/**
 * Area under the ROC curve: the trapezoidal area under (FPR, TPR) from (0, 0) through one point per distinct
 * score, which equals P(score of a positive > score of a negative) + P(tie) / 2 (Mann-Whitney), as
 * sklearn.metrics.roc_auc_score. NaN without positive or negative weight.
 */
export function areaUnderRoc(r: Ranking): number {
  if (!(r.positives > 0 && r.negatives > 0)) return Number.NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < r.tp.length; k++) {
    const tp = r.tp[k] as number;
    const fp = r.fp[k] as number;
    area += (fp - prevFp) * (tp + prevTp);
    prevTp = tp;
    prevFp = fp;
  }
  return area / (2 * r.positives * r.negatives);
}

/**
 * Area under the precision-recall curve as Spark's BinaryClassificationMetrics.areaUnderPR computes it: the
 * trapezoidal area under (recall, precision) through one point per distinct score, starting at recall 0 with
 * the precision of the first point. NaN without positive weight.
 */
export function areaUnderPr(r: Ranking): number {
  if (!(r.positives > 0)) return Number.NaN;
  const points = prPoints(r);
  let area = 0;
  for (let k = 1; k < points.recalls.length; k++) {
    const dr = (points.recalls[k] as number) - (points.recalls[k - 1] as number);
    area += (dr * ((points.precisions[k] as number) + (points.precisions[k - 1] as number))) / 2;
  }
  return area;
}

function prPoints(r: Ranking): { precisions: number[]; recalls: number[] } {
  const precisions: number[] = [];
  const recalls: number[] = [];
  for (let k = 0; k < r.tp.length; k++) {
    const tp = r.tp[k] as number;
    const fp = r.fp[k] as number;
    precisions.push(tp / (tp + fp));
    recalls.push(r.positives > 0 ? tp / r.positives : 0);
  }
  precisions.unshift(precisions[0] ?? 1);
  recalls.unshift(0);
  return { precisions, recalls };
}

/** Keeps at most `max` of the indices 0..count-1, evenly spaced, always the last. */
function thin(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: max }, (_, j) => Math.ceil(((j + 1) * count) / max) - 1);
}

/**
 * The ROC curve in Model Monitor's shape: (0, 0), then (FPR, TPR) at each distinct score from the highest
 * down (the last point is (1, 1)); with more than `maxPoints` scores, `maxPoints` of them evenly spaced in
 * rank (the last kept). Empty arrays without positive or negative weight.
 */
export function rocCurve(
  r: Ranking,
  maxPoints: number,
): { false_positive_rates: number[]; true_positive_rates: number[] } {
  if (!(r.positives > 0 && r.negatives > 0)) return { false_positive_rates: [], true_positive_rates: [] };
  const keep = thin(r.tp.length, maxPoints);
  return {
    false_positive_rates: [0, ...keep.map((k) => (r.fp[k] as number) / r.negatives)],
    true_positive_rates: [0, ...keep.map((k) => (r.tp[k] as number) / r.positives)],
  };
}

/**
 * The precision-recall curve in Model Monitor's shape (Spark's `pr()`): (recall 0, precision of the first
 * point), then (recall, precision) at each distinct score from the highest down, thinned as {@link rocCurve}.
 * Empty arrays without positive weight.
 */
export function precisionRecallCurve(
  r: Ranking,
  maxPoints: number,
): { precisions: number[]; recalls: number[] } {
  if (!(r.positives > 0)) return { precisions: [], recalls: [] };
  const points = prPoints(r);
  const keep = thin(r.tp.length, maxPoints).map((k) => k + 1);
  return {
    precisions: [points.precisions[0] as number, ...keep.map((k) => points.precisions[k] as number)],
    recalls: [0, ...keep.map((k) => points.recalls[k] as number)],
  };
}

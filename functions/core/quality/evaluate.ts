import type { GroundTruthConfig, ModelQualityConfig, ProblemType } from '../config/schema.js';
import {
  type ConstraintCheck,
  checkModelQualityConstraints,
  constraintsFromThresholds,
  type ModelQualityConstraintsFile,
} from './constraints.js';
import type { EvaluationPair, PairRejection } from './dataset.js';
import { buildEvaluationSet } from './dataset.js';
import type { GroundTruthLabel } from './ground-truth.js';
import { type JoinSummary, joinGroundTruth } from './join.js';
import type { CapturedPrediction, PredictionAttributes } from './predictions.js';
import {
  type ModelQualityStatisticsFile,
  modelQualityStatistics,
  readMetricValues,
  type StatisticsOptions,
} from './statistics.js';

/** Everything a model-quality evaluation needs besides the data. */
export interface ModelQualitySettings {
  problemType: ProblemType;
  /** @default 0.5 */
  probabilityThreshold?: number;
  /**
   * Fewer joined pairs than this: metrics are computed but constraints are not checked.
   * @default 1
   */
  minSamples?: number;
  /** @default 24 */
  lookbackHours?: number;
  /** Constraints to check; none when absent. */
  constraints?: ModelQualityConstraintsFile;
  statistics?: StatisticsOptions;
}

/** A window's model quality: the join, the metrics file, and the constraint check. */
export interface ModelQualityResult {
  /** The ground-truth join; null for labelled predictions read without one. */
  join: JoinSummary | null;
  /** Joined pairs used for the metrics. */
  evaluated: number;
  /** Joined pairs left out because the label or prediction could not be read. */
  rejectedPairs: number;
  pairRejections: PairRejection[];
  statistics: ModelQualityStatisticsFile;
  /** Constraint violations (empty when not checked). */
  check: ConstraintCheck;
  /** Whether constraints were checked: false without constraints or with fewer than minSamples pairs. */
  checked: boolean;
  /** Why constraints were not checked; absent when they were. */
  notChecked?: string;
  minSamples: number;
}

/**
 * Joins a window's captured predictions to ground truth, computes Model Monitor's model-quality statistics and
 * checks the constraints.
 * @throws QualityInputError when no joined pair is usable (the message says how many were joined and why the
 * first was rejected)
 */
export function evaluateModelQuality(
  predictions: Iterable<CapturedPrediction>,
  labels: Iterable<GroundTruthLabel>,
  settings: ModelQualitySettings,
): ModelQualityResult {
  return evaluateJoined(
    joinGroundTruth(predictions, labels, { lookbackHours: settings.lookbackHours ?? 24 }),
    settings,
  );
}

/**
 * The part of {@link evaluateModelQuality} after the join, for callers that report the join themselves: the
 * merge-ground-truth service and `driftwatch quality` both call it.
 * @throws QualityInputError when no joined pair is usable
 */
export function evaluateJoined(
  joined: { records: readonly EvaluationPair[]; summary: JoinSummary },
  settings: ModelQualitySettings,
): ModelQualityResult {
  const built = buildEvaluationSet(joined.records, {
    problemType: settings.problemType,
    probabilityThreshold: settings.probabilityThreshold ?? 0.5,
  });
  return finishEvaluation(joined.summary, built, settings);
}

/** The part of {@link evaluateModelQuality} after the join (also used for labelled predictions files, join null). */
export function finishEvaluation(
  join: JoinSummary | null,
  built: ReturnType<typeof buildEvaluationSet>,
  settings: ModelQualitySettings,
): ModelQualityResult {
  const statistics = modelQualityStatistics(built.set, settings.statistics);
  const minSamples = settings.minSamples ?? 1;
  const checked = built.set.n >= minSamples && settings.constraints !== undefined;
  const check =
    checked && settings.constraints !== undefined
      ? checkModelQualityConstraints(readMetricValues(statistics, 'statistics'), settings.constraints)
      : { violations: [], unchecked: [] };
  const result: ModelQualityResult = {
    join,
    evaluated: built.set.n,
    rejectedPairs: built.rejected,
    pairRejections: built.rejections,
    statistics,
    check,
    checked,
    minSamples,
  };
  if (settings.constraints === undefined) result.notChecked = 'no constraints given';
  else if (!checked)
    result.notChecked = `${built.set.n} labelled pairs, fewer than minSamples (${minSamples})`;
  return result;
}

/** Model-quality settings and prediction attributes of one endpoint's configuration sections. */
export function qualitySettingsFromConfig(
  modelQuality: ModelQualityConfig,
  groundTruth: (Partial<GroundTruthConfig> & Pick<GroundTruthConfig, 'lookbackHours'>) | undefined,
): { settings: ModelQualitySettings; attributes: PredictionAttributes; labelAttribute?: string } {
  const settings: ModelQualitySettings = {
    problemType: modelQuality.problemType,
    probabilityThreshold: modelQuality.probabilityThreshold,
    minSamples: modelQuality.minSamples,
    lookbackHours: groundTruth?.lookbackHours ?? 24,
  };
  if (Object.keys(modelQuality.thresholds).length > 0) {
    settings.constraints = constraintsFromThresholds(modelQuality.problemType, modelQuality.thresholds);
  }
  const attributes: PredictionAttributes = {};
  if (modelQuality.inferenceAttribute !== undefined)
    attributes.inferenceAttribute = modelQuality.inferenceAttribute;
  if (modelQuality.probabilityAttribute !== undefined)
    attributes.probabilityAttribute = modelQuality.probabilityAttribute;
  const result: {
    settings: ModelQualitySettings;
    attributes: PredictionAttributes;
    labelAttribute?: string;
  } = {
    settings,
    attributes,
  };
  if (groundTruth?.labelAttribute !== undefined) result.labelAttribute = groundTruth.labelAttribute;
  return result;
}

import type { RawValue } from '../capture/types.js';
import { QualityInputError } from './errors.js';
import type { GroundTruthLabel } from './ground-truth.js';
import type { CapturedPrediction } from './predictions.js';

const HOUR_MS = 3_600_000;

/** Options of {@link joinGroundTruth}. */
export interface JoinOptions {
  /**
   * How many hours after the hour of an inference its label may be collected and still be joined (the
   * configuration's `groundTruth.lookbackHours`). A label is joined when both times are known and
   * 0 <= collection hour - inference hour <= lookbackHours, or when either time is unknown.
   * @default 24
   */
  lookbackHours?: number;
  /** @default 20 */
  maxExamples?: number;
}

/** A capture joined to its label. */
export interface JoinedRecord {
  key: string;
  prediction: RawValue;
  probability?: RawValue;
  label: RawValue;
  /** ms since the epoch. */
  inferenceTime?: number;
  /** Start of the label's collection hour, ms since the epoch. */
  collectedAt?: number;
  /** Whole hours from the inference's hour to the label's collection hour, when both are known. */
  latencyHours?: number;
}

/** Label latency in whole hours (collection hour minus inference hour) over the joined records that have both. */
export interface LatencySummary {
  count: number;
  min: number;
  /** Median (mean of the middle two for an even count). */
  median: number;
  /** 90th percentile, nearest rank: the ceil(0.9 n)-th smallest. */
  p90: number;
  max: number;
  mean: number;
}

/**
 * Join accounting. Every capture is exactly one of matched, unmatched or ambiguous; every label is exactly one
 * of joined, superseded, outsideLookback, orphaned or ambiguous.
 */
export interface JoinSummary {
  captures: number;
  labels: number;
  /** Captures joined to a label. */
  matched: number;
  /** matched / captures; null without captures. */
  joinRate: number | null;
  /** Captures with no label (within the lookback) yet. */
  unmatchedCaptures: number;
  /**
   * Captures that share their id with another capture (a batch record, a re-used InferenceId) and whose labels
   * fit more than one of them by time: not joined.
   */
  ambiguousCaptures: number;
  /** Labels joined (equals matched). */
  joinedLabels: number;
  /** Labels for the same id as a later-collected label that was joined instead (a corrected label). */
  supersededLabels: number;
  /** Labels for a captured id collected before its inference hour or more than lookbackHours after it. */
  outsideLookback: number;
  /** Labels whose id no capture carries: their inference is outside the window, or was never captured. */
  orphanedLabels: number;
  /** Labels that fit, by time, more than one capture of their id. */
  ambiguousLabels: number;
  latency: LatencySummary | null;
  /** A few ids of each kind, for a person to look up. */
  examples: { unmatchedCaptures: string[]; orphanedLabels: string[]; ambiguousCaptures: string[] };
}

/**
 * Joins ground-truth labels to captured predictions as Model Monitor's merge job does: a label's
 * `eventMetadata.eventId` is matched to the capture's inferenceId when the capture has one, else to its
 * eventId, and a label fits a capture when it was collected within the lookback of the inference. When several
 * captures carry one id (InferenceIds re-used on another day), a label goes to the only capture it fits, and is
 * ambiguous (not joined) when it fits several. Among several labels for one capture, the latest collected wins
 * (later in the input on equal hours), so a corrected label replaces the first one. Pure: the caller reads the
 * window's captures and the labels collected up to lookbackHours after it (see {@link labelHoursFor}).
 * @throws QualityInputError when lookbackHours is not an integer >= 0
 */
export function joinGroundTruth(
  predictions: Iterable<CapturedPrediction>,
  labels: Iterable<GroundTruthLabel>,
  options: JoinOptions = {},
): { records: JoinedRecord[]; summary: JoinSummary } {
  const lookback = options.lookbackHours ?? 24;
  if (!Number.isInteger(lookback) || lookback < 0) {
    throw new QualityInputError(`lookbackHours: expected an integer >= 0, got ${lookback}`);
  }
  const maxExamples = options.maxExamples ?? 20;
  const byKey = new Map<string, CapturedPrediction[]>();
  let captures = 0;
  for (const prediction of predictions) {
    captures++;
    const list = byKey.get(prediction.key);
    if (list === undefined) byKey.set(prediction.key, [prediction]);
    else list.push(prediction);
  }
  const labelsByKey = new Map<string, GroundTruthLabel[]>();
  let labelCount = 0;
  let orphanedLabels = 0;
  const orphanExamples: string[] = [];
  for (const label of labels) {
    labelCount++;
    if (!byKey.has(label.eventId)) {
      orphanedLabels++;
      if (orphanExamples.length < maxExamples) orphanExamples.push(label.eventId);
      continue;
    }
    const list = labelsByKey.get(label.eventId);
    if (list === undefined) labelsByKey.set(label.eventId, [label]);
    else list.push(label);
  }

  const records: JoinedRecord[] = [];
  const latencies: number[] = [];
  const summary: JoinSummary = {
    captures,
    labels: labelCount,
    matched: 0,
    joinRate: null,
    unmatchedCaptures: 0,
    ambiguousCaptures: 0,
    joinedLabels: 0,
    supersededLabels: 0,
    outsideLookback: 0,
    orphanedLabels,
    ambiguousLabels: 0,
    latency: null,
    examples: { unmatchedCaptures: [], orphanedLabels: orphanExamples, ambiguousCaptures: [] },
  };
  for (const [key, group] of byKey) {
    const candidates = labelsByKey.get(key) ?? [];
    // Each label may belong to the captures of its id that it is within the lookback of.
    const compatible = candidates.map((label) =>
      group.filter((capture) =>
        withinLookback(latencyHours(capture.inferenceTime, label.collectedAt), lookback),
      ),
    );
    const own = new Map<CapturedPrediction, GroundTruthLabel[]>();
    const contested = new Set<CapturedPrediction>();
    candidates.forEach((label, i) => {
      const fits = compatible[i] as CapturedPrediction[];
      if (fits.length === 0) summary.outsideLookback++;
      else if (fits.length > 1) {
        summary.ambiguousLabels++;
        for (const capture of fits) contested.add(capture);
      } else {
        const capture = fits[0] as CapturedPrediction;
        own.set(capture, [...(own.get(capture) ?? []), label]);
      }
    });
    for (const capture of group) {
      const mine = own.get(capture);
      if (mine === undefined) {
        if (contested.has(capture)) {
          summary.ambiguousCaptures++;
          if (summary.examples.ambiguousCaptures.length < maxExamples)
            summary.examples.ambiguousCaptures.push(key);
        } else {
          summary.unmatchedCaptures++;
          if (summary.examples.unmatchedCaptures.length < maxExamples)
            summary.examples.unmatchedCaptures.push(key);
        }
        continue;
      }
      // The latest collected label wins; on equal (or unknown) hours the later one in the input.
      let chosen = mine[0] as GroundTruthLabel;
      for (const label of mine) {
        if ((label.collectedAt ?? -Infinity) >= (chosen.collectedAt ?? -Infinity)) chosen = label;
      }
      summary.matched++;
      summary.supersededLabels += mine.length - 1;
      const record: JoinedRecord = { key, prediction: capture.prediction, label: chosen.label };
      if (capture.probability !== undefined) record.probability = capture.probability;
      if (capture.inferenceTime !== undefined) record.inferenceTime = capture.inferenceTime;
      if (chosen.collectedAt !== undefined) record.collectedAt = chosen.collectedAt;
      const latency = latencyHours(capture.inferenceTime, chosen.collectedAt);
      if (latency !== undefined) {
        record.latencyHours = latency;
        latencies.push(latency);
      }
      records.push(record);
    }
  }
  summary.joinedLabels = summary.matched;
  summary.joinRate = captures === 0 ? null : summary.matched / captures;
  summary.latency = summarizeLatency(latencies);
  return { records, summary };
}

function withinLookback(latency: number | undefined, lookback: number): boolean {
  return latency === undefined || (latency >= 0 && latency <= lookback);
}

function latencyHours(
  inferenceTime: number | undefined,
  collectedAt: number | undefined,
): number | undefined {
  if (inferenceTime === undefined || collectedAt === undefined) return undefined;
  return Math.round((collectedAt - Math.floor(inferenceTime / HOUR_MS) * HOUR_MS) / HOUR_MS);
}

function summarizeLatency(values: number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (i: number) => sorted[i] as number;
  const median = n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
  return {
    count: n,
    min: at(0),
    median,
    p90: at(Math.ceil(0.9 * n) - 1),
    max: at(n - 1),
    mean: sorted.reduce((a, b) => a + b, 0) / n,
  };
}

/**
 * The label collection hours a capture window needs: labels for inferences in the hours [start, end) may be
 * collected from `start` until `lookbackHours` hours after the last inference hour, so read the ground-truth
 * partitions [start, end + lookbackHours) (ms since the epoch, hour-aligned).
 */
export function labelHoursFor(
  captureWindow: { start: number; end: number },
  lookbackHours: number,
): { start: number; end: number } {
  return { start: captureWindow.start, end: captureWindow.end + lookbackHours * HOUR_MS };
}

/**
 * The capture hours a window of label collection hours [start, end) looks back to: labels collected then may
 * belong to inferences up to `lookbackHours` earlier, so read the capture partitions
 * [start - lookbackHours, end) (ms since the epoch, hour-aligned).
 */
export function captureHoursFor(
  labelWindow: { start: number; end: number },
  lookbackHours: number,
): { start: number; end: number } {
  return { start: labelWindow.start - lookbackHours * HOUR_MS, end: labelWindow.end };
}

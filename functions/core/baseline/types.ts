import type { InferredType } from '../model-monitor/types.js';
import type { DatasetProfileState, FeatureKind } from '../profile/index.js';

/** Identifies a serialised driftwatch baseline (baseline.json, written beside statistics.json and constraints.json). */
export const BASELINE_FORMAT = 'driftwatch.baseline';

/** One column of a baseline: how it is typed and, for numeric columns, the bin edges drift is binned over. */
export interface BaselineColumn {
  name: string;
  kind: FeatureKind;
  inferredType: InferredType;
  /**
   * Interior bin edges at the baseline's deciles (numpy's default linear interpolation), strictly increasing
   * (repeated deciles collapse); bins are left-closed and the outer bins open-ended. Numeric columns only.
   */
  binEdges?: number[];
  /**
   * Outputs only: the column of the training data the output was read from (`baseline --prediction COL`), so
   * that a CSV of current data with that column is read the same way. @default the output's name
   */
  sourceColumn?: string;
}

/** A baseline: the reference every drift check compares against. */
export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: 1;
  /** Where it was built from, for reports. */
  source: string;
  features: BaselineColumn[];
  outputs: BaselineColumn[];
  /** The baseline data's profile, built with the columns' kinds and bin edges. */
  profile: DatasetProfileState;
}

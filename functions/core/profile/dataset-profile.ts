import { ProfileMergeError } from '../../errors.js';
import type { CaptureRow, CaptureSink, RawValue, RecordMeta } from '../capture/types.js';
import {
  FeatureAccumulator,
  type FeatureProfileOptions,
  type FeatureProfileState,
  mergeFeatureProfiles,
} from './feature-profile.js';
import { classifyValue } from './value.js';

/** Identifies a serialised driftwatch profile. */
export const PROFILE_FORMAT = 'driftwatch.profile';

/** Where a profile's records came from and what happened to them: accepted + rejected === lines. */
export interface RecordCounts {
  /** Input records read: capture lines (blank lines excluded) or CSV data rows. */
  lines: number;
  accepted: number;
  rejected: number;
}

/** The serialisable, mergeable profile of a dataset: capture files, a window of them, or a baseline CSV. */
export interface DatasetProfileState {
  format: typeof PROFILE_FORMAT;
  version: 1;
  records: RecordCounts;
  /** Model input rows profiled (one capture record may hold several rows). */
  rows: number;
  /** Earliest and latest `eventMetadata.inferenceTime` seen, when any. */
  inferenceTime?: { first: string; last: string };
  /** Rows whose payload had fields beyond the known features, by field name (at most 100 names kept). */
  extraColumns: Record<string, number>;
  features: FeatureProfileState[];
  outputs: FeatureProfileState[];
}

/** A column to profile, with the options that fix its profile's shape. */
export type ColumnSpec = { name: string } & FeatureProfileOptions;

/** What to profile. */
export interface ProfileSchema {
  features: readonly ColumnSpec[];
  outputs?: readonly ColumnSpec[];
  /**
   * Add features and outputs not listed, as they first appear (earlier rows count as missing for them).
   * Used when no baseline fixes the columns yet. @default false
   */
  dynamic?: boolean;
  /** Options for columns added dynamically. */
  dynamicOptions?: FeatureProfileOptions;
}

const MAX_EXTRA_COLUMN_NAMES = 100;

/**
 * Builds a {@link DatasetProfileState} row by row. It is a {@link CaptureSink}, so the capture parser can
 * feed it directly; CSV readers call {@link ProfileBuilder.addRecord}.
 */
export class ProfileBuilder implements CaptureSink {
  private readonly features: FeatureAccumulator[] = [];
  private readonly featureIndex = new Map<string, FeatureAccumulator>();
  private readonly outputs: FeatureAccumulator[] = [];
  private readonly dynamic: boolean;
  private readonly dynamicOptions: FeatureProfileOptions;
  private readonly extraColumns = new Map<string, number>();
  private rows = 0;
  private first: string | undefined;
  private last: string | undefined;

  constructor(schema: ProfileSchema) {
    this.dynamic = schema.dynamic ?? false;
    this.dynamicOptions = schema.dynamicOptions ?? {};
    for (const spec of schema.features) {
      if (this.featureIndex.has(spec.name)) throw new RangeError(`feature "${spec.name}" is listed twice`);
      const acc = new FeatureAccumulator(spec.name, spec);
      this.features.push(acc);
      this.featureIndex.set(spec.name, acc);
    }
    for (const spec of schema.outputs ?? []) this.outputs.push(new FeatureAccumulator(spec.name, spec));
  }

  /** CaptureSink: profiles one row of a capture record. */
  row(row: CaptureRow, meta: RecordMeta): void {
    this.addRecord(row.features, row.outputs, meta.inferenceTime);
  }

  /** Profiles one row given by feature name, with optional outputs (aligned with the output columns). */
  addRecord(
    features: Readonly<Record<string, RawValue>>,
    outputs?: readonly RawValue[],
    inferenceTime?: string,
  ): void {
    let known = 0;
    for (const acc of this.features) {
      const value = features[acc.name];
      if (value !== undefined) known += 1;
      acc.add(classifyValue(value));
    }
    if (known < Object.keys(features).length) this.addUnknownColumns(features);
    if (outputs) {
      for (let i = 0; i < outputs.length; i++) {
        let acc = this.outputs[i];
        if (!acc) {
          if (!this.dynamic) continue;
          acc = this.addColumn(this.outputs, `prediction_${i}`);
        }
        acc.add(classifyValue(outputs[i]));
      }
    }
    this.rows += 1;
    if (inferenceTime !== undefined) {
      if (this.first === undefined || inferenceTime < this.first) this.first = inferenceTime;
      if (this.last === undefined || inferenceTime > this.last) this.last = inferenceTime;
    }
  }

  private addUnknownColumns(features: Readonly<Record<string, RawValue>>): void {
    for (const name of Object.keys(features)) {
      if (this.featureIndex.has(name)) continue;
      if (this.dynamic) {
        const acc = this.addColumn(this.features, name);
        this.featureIndex.set(name, acc);
        acc.add(classifyValue(features[name]));
        continue;
      }
      const seen = this.extraColumns.get(name);
      if (seen !== undefined) this.extraColumns.set(name, seen + 1);
      else if (this.extraColumns.size < MAX_EXTRA_COLUMN_NAMES) this.extraColumns.set(name, 1);
    }
  }

  /** Adds a column first seen now: the rows before it count as missing values. */
  private addColumn(list: FeatureAccumulator[], name: string): FeatureAccumulator {
    const acc = new FeatureAccumulator(name, this.dynamicOptions);
    for (let i = 0; i < this.rows; i++) acc.add(classifyValue(null));
    list.push(acc);
    return acc;
  }

  /**
   * The profile. `records` gives what the reader saw (capture lines or CSV rows, accepted and rejected);
   * when omitted every row counts as one accepted record.
   */
  toState(records?: RecordCounts): DatasetProfileState {
    const state: DatasetProfileState = {
      format: PROFILE_FORMAT,
      version: 1,
      records: records ?? { lines: this.rows, accepted: this.rows, rejected: 0 },
      rows: this.rows,
      extraColumns: Object.fromEntries(this.extraColumns),
      features: this.features.map((f) => f.toState()),
      outputs: this.outputs.map((f) => f.toState()),
    };
    if (this.first !== undefined && this.last !== undefined) {
      state.inferenceTime = { first: this.first, last: this.last };
    }
    return state;
  }
}

/** An empty profile with the given schema, the identity element of {@link mergeDatasetProfiles}. */
export function emptyDatasetProfile(schema: ProfileSchema): DatasetProfileState {
  return new ProfileBuilder(schema).toState({ lines: 0, accepted: 0, rejected: 0 });
}

function mergeColumns(
  a: FeatureProfileState[],
  b: FeatureProfileState[],
  what: string,
): FeatureProfileState[] {
  const byName = new Map(b.map((f) => [f.name, f]));
  if (byName.size !== b.length || a.length !== b.length || a.some((f) => !byName.has(f.name))) {
    throw new ProfileMergeError(
      `cannot merge profiles with different ${what}: [${a.map((f) => f.name).join(', ')}] vs [${b.map((f) => f.name).join(', ')}]`,
    );
  }
  return a.map((f) => {
    const other = byName.get(f.name);
    return other ? mergeFeatureProfiles(f, other) : f;
  });
}

/**
 * Merges two dataset profiles with the same columns. Record counts, rows and extra-column counts add;
 * the inference-time range is the union; columns merge as {@link mergeFeatureProfiles} describes.
 */
export function mergeDatasetProfiles(a: DatasetProfileState, b: DatasetProfileState): DatasetProfileState {
  const extra: Record<string, number> = { ...a.extraColumns };
  for (const [k, v] of Object.entries(b.extraColumns)) {
    if (extra[k] !== undefined || Object.keys(extra).length < MAX_EXTRA_COLUMN_NAMES)
      extra[k] = (extra[k] ?? 0) + v;
  }
  const out: DatasetProfileState = {
    format: PROFILE_FORMAT,
    version: 1,
    records: {
      lines: a.records.lines + b.records.lines,
      accepted: a.records.accepted + b.records.accepted,
      rejected: a.records.rejected + b.records.rejected,
    },
    rows: a.rows + b.rows,
    extraColumns: extra,
    features: mergeColumns(a.features, b.features, 'features'),
    outputs: mergeColumns(a.outputs, b.outputs, 'outputs'),
  };
  const times = [a.inferenceTime, b.inferenceTime].filter((t) => t !== undefined);
  if (times.length > 0) {
    // ISO-8601 UTC strings order as their instants; Math.min/max would coerce them to NaN.
    const firsts = times.map((t) => t.first).sort();
    const lasts = times.map((t) => t.last).sort();
    out.inferenceTime = { first: firsts[0] ?? '', last: lasts[lasts.length - 1] ?? '' };
  }
  return out;
}

import { ProfileMergeError } from '../../errors.js';
import {
  CELL_FALSE,
  CELL_NUMBER,
  CELL_TEXT,
  CELL_TRUE,
  type CellRowSink,
  type CellRowView,
  type RowCells,
} from '../capture/fast-cells.js';
import type { CaptureRow, RawValue, RecordMeta } from '../capture/types.js';
import {
  FeatureAccumulator,
  type FeatureProfileOptions,
  type FeatureProfileState,
  mergeFeatureProfiles,
} from './feature-profile.js';
import { classifyAsciiBytes, classifyInto, classifyJsonNumberBytes, type ValueSlot } from './value.js';

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
/** Layouts kept per builder; wider-than-cached positional name arrays are new each time, so bound the map. */
const MAX_CELL_LAYOUTS = 64;

/** Where each feature's value is in cell rows with given names, worked out once per names array. */
interface CellLayout {
  /** For feature accumulator j, the index of its field, or -1 when such rows have no own key of that name. */
  readonly fieldOf: Int32Array;
  /** Keys of such rows that are not features, in Object.keys order (counted in extraColumns). */
  readonly extra: readonly string[];
}

/**
 * Builds a {@link DatasetProfileState} row by row. It is a {@link CaptureSink}, so the capture parser can
 * feed it directly (and a {@link CellRowSink}, so the fast parser can hand it rows as byte ranges); CSV readers
 * call {@link ProfileBuilder.addRecord}.
 */
export class ProfileBuilder implements CellRowSink {
  private readonly features: FeatureAccumulator[] = [];
  private readonly featureIndex = new Map<string, FeatureAccumulator>();
  private readonly outputs: FeatureAccumulator[] = [];
  private readonly dynamic: boolean;
  private readonly dynamicOptions: FeatureProfileOptions;
  private readonly extraColumns = new Map<string, number>();
  private rows = 0;
  private first: string | undefined;
  private last: string | undefined;
  private readonly slot: ValueSlot = { cls: 'missing', num: Number.NaN, text: '' };
  private readonly cellLayouts = new Map<readonly string[], CellLayout>();
  private lastCellNames: readonly string[] | undefined;
  private lastCellLayout: CellLayout | undefined;

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
    const slot = this.slot;
    let known = 0;
    for (const acc of this.features) {
      const raw = features[acc.name];
      // Only own data members are values: a feature named "constructor" must not read Object.prototype's.
      const value = (typeof raw === 'object' && raw !== null) || typeof raw === 'function' ? undefined : raw;
      if (value !== undefined) known += 1;
      classifyInto(value, slot, acc.wantsText);
      acc.addParts(slot.cls, slot.num, slot.text);
    }
    if (known < Object.keys(features).length) this.addUnknownColumns(features);
    if (outputs) {
      for (let i = 0; i < outputs.length; i++) {
        let acc = this.outputs[i];
        if (!acc) {
          if (!this.dynamic) continue;
          acc = this.addColumn(this.outputs, `prediction_${i}`);
        }
        classifyInto(outputs[i], slot, acc.wantsText);
        acc.addParts(slot.cls, slot.num, slot.text);
      }
    }
    this.addTime(inferenceTime);
  }

  /** CellRowSink: takes cell rows unless they would add columns (dynamic schemas add them through `row`). */
  acceptsCells(names: readonly string[] | undefined, outputWidth: number): boolean {
    if (this.dynamic && outputWidth > this.outputs.length) return false;
    return names === undefined || !this.dynamic || this.cellLayout(names).extra.length === 0;
  }

  /** CellRowSink: profiles one cell row as `row` would profile its CaptureRow, reading values from the bytes. */
  cellRow(view: CellRowView): void {
    const slot = this.slot;
    const features = this.features;
    const input = view.input;
    if (view.names !== undefined && input !== undefined) {
      const layout = this.cellLayout(view.names);
      const base = view.inputFrom;
      for (let j = 0; j < features.length; j++) {
        const acc = features[j];
        if (acc === undefined) continue;
        const f = layout.fieldOf[j] ?? -1;
        if (f < 0) {
          acc.addMissing();
        } else {
          classifyCell(input, base + f, slot, acc.wantsText);
          acc.addParts(slot.cls, slot.num, slot.text);
        }
      }
      if (layout.extra.length > 0) this.countExtraColumns(layout.extra);
    } else {
      for (const acc of features) acc.addMissing();
    }
    const output = view.output;
    if (output !== undefined) {
      const width = Math.min(view.outputTo - view.outputFrom, this.outputs.length);
      for (let i = 0; i < width; i++) {
        const acc = this.outputs[i];
        if (acc === undefined) continue;
        classifyCell(output, view.outputFrom + i, slot, acc.wantsText);
        acc.addParts(slot.cls, slot.num, slot.text);
      }
    }
    this.addTime(view.inferenceTime);
  }

  /** Counts a row and its inference time. */
  private addTime(inferenceTime: string | undefined): void {
    this.rows += 1;
    if (inferenceTime !== undefined) {
      if (this.first === undefined || inferenceTime < this.first) this.first = inferenceTime;
      if (this.last === undefined || inferenceTime > this.last) this.last = inferenceTime;
    }
  }

  /**
   * Where the features are in rows named `names`: the row object the reference parser builds assigns each name
   * in order, so a probe object built the same way gives its own keys, their order and which name wins.
   */
  private cellLayout(names: readonly string[]): CellLayout {
    if (names === this.lastCellNames && this.lastCellLayout !== undefined) return this.lastCellLayout;
    const layout = this.cellLayouts.get(names) ?? this.newCellLayout(names);
    this.lastCellNames = names;
    this.lastCellLayout = layout;
    return layout;
  }

  private newCellLayout(names: readonly string[]): CellLayout {
    const probe: Record<string, number> = {};
    for (let i = 0; i < names.length; i++) probe[names[i] ?? ''] = i;
    const fieldOf = new Int32Array(this.features.length);
    this.features.forEach((acc, j) => {
      fieldOf[j] = Object.hasOwn(probe, acc.name) ? (probe[acc.name] ?? -1) : -1;
    });
    const extra = Object.keys(probe).filter((name) => !this.featureIndex.has(name));
    const layout: CellLayout = { fieldOf, extra };
    if (this.cellLayouts.size >= MAX_CELL_LAYOUTS) this.cellLayouts.clear();
    this.cellLayouts.set(names, layout);
    return layout;
  }

  /** Counts rows with columns beyond the features, as addUnknownColumns does without a dynamic schema. */
  private countExtraColumns(names: readonly string[]): void {
    for (const name of names) {
      const seen = this.extraColumns.get(name);
      if (seen !== undefined) this.extraColumns.set(name, seen + 1);
      else if (this.extraColumns.size < MAX_EXTRA_COLUMN_NAMES) this.extraColumns.set(name, 1);
    }
  }

  private addUnknownColumns(features: Readonly<Record<string, RawValue>>): void {
    for (const name of Object.keys(features)) {
      if (this.featureIndex.has(name)) continue;
      if (this.dynamic) {
        const acc = this.addColumn(this.features, name);
        this.featureIndex.set(name, acc);
        classifyInto(features[name], this.slot, acc.wantsText);
        acc.addParts(this.slot.cls, this.slot.num, this.slot.text);
        continue;
      }
      this.countExtraColumns([name]);
    }
  }

  /** Adds a column first seen now: the rows before it count as missing values. */
  private addColumn(list: FeatureAccumulator[], name: string): FeatureAccumulator {
    const acc = new FeatureAccumulator(name, this.dynamicOptions);
    for (let i = 0; i < this.rows; i++) acc.addMissing();
    list.push(acc);
    // Layouts map names to feature positions; a new feature invalidates them.
    if (list === this.features) {
      this.cellLayouts.clear();
      this.lastCellLayout = undefined;
    }
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

/** Classifies value f of `cells` as classifyValue classifies the value the reference parser reads there. */
function classifyCell(cells: RowCells, f: number, slot: ValueSlot, wantText: boolean): void {
  const start = cells.fieldStart[f] ?? 0;
  const end = cells.fieldEnd[f] ?? 0;
  switch (cells.fieldKind[f]) {
    case CELL_TEXT:
      classifyAsciiBytes(cells.bytes, start, end, slot, wantText);
      return;
    case CELL_NUMBER:
      classifyJsonNumberBytes(cells.bytes, start, end, slot, wantText);
      return;
    case CELL_TRUE:
    case CELL_FALSE:
      slot.cls = 'string';
      slot.num = Number.NaN;
      slot.text = wantText ? (cells.fieldKind[f] === CELL_TRUE ? 'true' : 'false') : '';
      return;
    default:
      slot.cls = 'missing';
      slot.num = Number.NaN;
      slot.text = '';
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

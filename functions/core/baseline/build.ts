import type { RawValue } from '../capture/types.js';
import { inferType } from '../model-monitor/infer-type.js';
import type { InferredType } from '../model-monitor/types.js';
import { type ColumnSpec, ProfileBuilder, type RecordCounts } from '../profile/dataset-profile.js';
import type { FeatureKind } from '../profile/feature-profile.js';
import { classifyValue } from '../profile/value.js';
import { KllSketch } from '../sketch/kll.js';
import { BASELINE_FORMAT, type Baseline, type BaselineColumn } from './types.js';

/** One data row of a baseline dataset, by column name. */
export type BaselineRow = Readonly<Record<string, RawValue>>;

/** Options of {@link buildBaseline}. */
export interface BaselineOptions {
  /** Where the data came from, kept in the baseline for reports. */
  source: string;
  /** Columns to leave out (the training target). @default none */
  exclude?: readonly string[];
  /** Columns to treat as categorical whatever their values look like. @default none (String columns only) */
  categorical?: readonly string[];
  /** A column holding the model's prediction, profiled as the `prediction` output. @default none */
  predictionColumn?: string;
  /** @default 100 */
  categoricalTopK?: number;
  /** @default KllSketch.DEFAULT_K */
  sketchK?: number;
  /**
   * Numeric values kept per column to compute exact deciles. Past it, the deciles come from the quantile sketch
   * (rank error KllSketch.rankErrorBound). @default 5_000_000
   */
  maxExactValues?: number;
  /** What the reader saw (rows accepted and rejected); @default every row accepted */
  records?: RecordCounts;
}

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * Quantile of sorted values by linear interpolation between closest ranks: h = (N - 1) q,
 * Q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). This is numpy.quantile's default ("linear").
 */
export function linearQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[Math.min(lo + 1, n - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

/** The baseline's bin edges: its deciles, repeated values collapsed so the edges strictly increase. */
export function decileEdges(quantile: (q: number) => number): number[] {
  const edges: number[] = [];
  for (const q of DECILES) {
    const v = quantile(q);
    if (Number.isFinite(v) && (edges.length === 0 || v > (edges[edges.length - 1] ?? v))) edges.push(v);
  }
  return edges;
}

/** Growable buffer of a column's numeric values, for exact deciles. */
class ValueBuffer {
  private data = new Float64Array(1024);
  length = 0;
  overflowed = false;
  constructor(private readonly cap: number) {}
  push(x: number): void {
    if (this.length >= this.cap) {
      this.overflowed = true;
      return;
    }
    if (this.length === this.data.length) {
      const next = new Float64Array(Math.min(this.cap, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

function kindOf(type: InferredType, forcedCategorical: boolean): FeatureKind {
  if (forcedCategorical || type === 'String') return 'categorical';
  return 'numeric';
}

/**
 * Builds a baseline from rows read twice: the first pass infers each column's type (as Model Monitor does)
 * and collects numeric values for exact deciles; the second profiles the rows with the final kinds and bins.
 */
export async function buildBaseline(
  readRows: () => AsyncIterable<BaselineRow>,
  options: BaselineOptions,
): Promise<Baseline> {
  const excluded = new Set(options.exclude ?? []);
  const categorical = new Set(options.categorical ?? []);
  const topK = options.categoricalTopK ?? 100;
  const sketchK = options.sketchK ?? KllSketch.DEFAULT_K;
  const cap = options.maxExactValues ?? 5_000_000;
  const prediction = options.predictionColumn;

  // Pass 1: types and values.
  const inference = new ProfileBuilder({
    features: [],
    outputs: prediction ? [{ name: 'prediction' }] : [],
    dynamic: true,
    dynamicOptions: { categoricalTopK: topK, sketchK },
  });
  const buffers = new Map<string, ValueBuffer>();
  let order: string[] | undefined;
  for await (const row of readRows()) {
    if (!order) order = Object.keys(row);
    const features: Record<string, RawValue> = {};
    for (const [name, value] of Object.entries(row)) {
      if (excluded.has(name)) continue;
      if (name !== prediction) features[name] = value;
      const v = classifyValue(value);
      if (v.cls === 'integral' || v.cls === 'fractional') {
        let buf = buffers.get(name);
        if (!buf) {
          buf = new ValueBuffer(cap);
          buffers.set(name, buf);
        }
        buf.push(v.num);
      }
    }
    inference.addRecord(features, prediction ? [row[prediction] ?? null] : undefined);
  }
  const missingColumns = [...excluded, ...(prediction ? [prediction] : [])].filter(
    (c) => !order?.includes(c),
  );
  if (missingColumns.length > 0) {
    throw new RangeError(
      `${options.source}: column(s) ${missingColumns.join(', ')} not found; columns are ${order?.join(', ') ?? '(none)'}`,
    );
  }
  const unknownCategorical = [...categorical].filter((c) => !order?.includes(c));
  if (unknownCategorical.length > 0) {
    throw new RangeError(
      `${options.source}: categorical column(s) ${unknownCategorical.join(', ')} not found`,
    );
  }
  const inferred = inference.toState();

  const columnOf = (f: (typeof inferred.features)[number], bufferName: string): BaselineColumn => {
    const inferredType = inferType(f);
    const kind = kindOf(inferredType, categorical.has(bufferName));
    const column: BaselineColumn = { name: f.name, kind, inferredType };
    if (kind === 'numeric' && f.numeric && f.numeric.n > 0) {
      const buf = buffers.get(bufferName);
      if (buf && !buf.overflowed) {
        const sorted = buf.sorted();
        column.binEdges = decileEdges((q) => linearQuantile(sorted, q));
      } else {
        const sketch = KllSketch.fromJSON(f.numeric.sketch);
        column.binEdges = decileEdges((q) => sketch.quantile(q));
      }
    }
    return column;
  };
  const features = inferred.features.map((f) => columnOf(f, f.name));
  const outputs = inferred.outputs.map((f) => ({
    ...columnOf(f, prediction ?? f.name),
    ...(prediction !== undefined ? { sourceColumn: prediction } : {}),
  }));
  buffers.clear();

  // Pass 2: the profile with final kinds and bins.
  const spec = (c: BaselineColumn): ColumnSpec => ({
    name: c.name,
    kind: c.kind,
    ...(c.binEdges ? { binEdges: c.binEdges } : {}),
    categoricalTopK: topK,
    sketchK,
  });
  const builder = new ProfileBuilder({ features: features.map(spec), outputs: outputs.map(spec) });
  for await (const row of readRows()) {
    builder.addRecord(row, prediction ? [row[prediction] ?? null] : undefined);
  }
  const profile = builder.toState(options.records);
  // Excluded columns are not features: they must not show up as "extra columns" of the baseline itself.
  profile.extraColumns = {};
  return { format: BASELINE_FORMAT, version: 1, source: options.source, features, outputs, profile };
}

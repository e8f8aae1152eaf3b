import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { Baseline, BaselineColumn } from '../baseline/types.js';
import { type CompareOptions, compareToBaseline, type DriftComparison } from '../drift/compare.js';
import { DRIFT_METHOD_NAMES } from '../drift/methods.js';
import type { ConstraintsFile, Violation } from '../model-monitor/types.js';
import { checkDataQuality } from '../model-monitor/violations.js';
import type { DatasetProfileState } from '../profile/dataset-profile.js';
import type { FeatureProfileState } from '../profile/feature-profile.js';
import { buildFeatureChart, type ChartOptions, type FeatureChart } from './chart-data.js';

export type { CategoryBar, CategoryChart, FeatureChart, HistogramChart } from './chart-data.js';

/** A rejected input record, with where it came from. */
export interface ReportRejection {
  file: string;
  line: number;
  field?: string;
  reason: string;
}

/** The drift check's result: what `driftwatch drift --format json` prints and every other format renders. */
export interface DriftReport extends DriftComparison {
  format: 'driftwatch.drift-report';
  version: 1;
  baseline: { source: string };
  inputs: string[];
  records: { lines: number; accepted: number; rejected: number };
  rows: number;
  /** The first rejected records (at most `maxRejections`), with file, line, field and reason. */
  rejections: ReportRejection[];
  /** Rejected records not listed in `rejections`. */
  rejectionsTruncated: number;
  inferenceTime?: { first: string; last: string };
  /** Model Monitor constraint violations (constraint_violations.json's `violations`). */
  violations: Violation[];
  /**
   * Baseline and current distributions for the HTML report's charts, one per compared feature and prediction
   * column that has them (see {@link FeatureChart}); empty in reports saved before it existed.
   */
  charts: FeatureChart[];
}

/** Inputs of {@link buildDriftReport}. */
export interface DriftReportInput {
  baseline: Baseline;
  constraints: ConstraintsFile;
  current: DatasetProfileState;
  inputs: readonly string[];
  rejections?: readonly ReportRejection[];
  rejectionsTruncated?: number;
  compare?: CompareOptions;
  /** How the chart data is cut. */
  charts?: ChartOptions;
}

/**
 * Model Monitor's drift distance per feature, as its baseline_drift_check uses it: for numeric features
 * L-infinity, robust or simple by `comparison_method`; for categorical features L-infinity, or for
 * `categorical_drift_method: ChiSquared` one minus the chi-square p-value (so that, like a distance, larger
 * means more drift; Model Monitor's own definition of that distance is not published).
 */
export function modelMonitorDistances(
  comparison: DriftComparison,
  constraints: ConstraintsFile,
): Map<string, number> {
  const dc = constraints.monitoring_config?.distribution_constraints;
  const robust = (dc?.comparison_method ?? 'Robust').toLowerCase().includes('robust');
  const chiSquared = (dc?.categorical_drift_method ?? 'LInfinity') === 'ChiSquared';
  const out = new Map<string, number>();
  for (const f of comparison.features) {
    const s = f.statistics;
    const d =
      f.type === 'numeric'
        ? robust
          ? s.linfRobust
          : s.linf
        : chiSquared && s.chi2PValue !== undefined
          ? 1 - s.chi2PValue
          : s.linf;
    if (d !== undefined) out.set(f.name, d);
  }
  return out;
}

function reportCharts(input: DriftReportInput, comparison: DriftComparison): FeatureChart[] {
  const charts = (
    names: readonly string[],
    columns: readonly BaselineColumn[],
    base: readonly FeatureProfileState[],
    cur: readonly FeatureProfileState[],
  ) =>
    names.flatMap((name) => {
      const column = columns.find((c) => c.name === name);
      if (!column) return [];
      const chart = buildFeatureChart(
        column,
        base.find((f) => f.name === name),
        cur.find((f) => f.name === name),
        input.charts,
      );
      return chart ? [chart] : [];
    });
  const { baseline, current } = input;
  return [
    ...charts(
      comparison.features.map((f) => f.name),
      baseline.features,
      baseline.profile.features,
      current.features,
    ),
    ...charts(
      comparison.outputs.map((f) => f.name),
      baseline.outputs,
      baseline.profile.outputs,
      current.outputs,
    ),
  ];
}

/** Compares the current profile with the baseline and runs Model Monitor's data-quality checks. */
export function buildDriftReport(input: DriftReportInput): DriftReport {
  const comparison = compareToBaseline(input.baseline, input.current, input.compare);
  const violations = checkDataQuality({
    constraints: input.constraints,
    current: input.current,
    driftDistances: modelMonitorDistances(comparison, input.constraints),
  });
  const report: DriftReport = {
    format: 'driftwatch.drift-report',
    version: 1,
    baseline: { source: input.baseline.source },
    inputs: [...input.inputs],
    records: { ...input.current.records },
    rows: input.current.rows,
    rejections: [...(input.rejections ?? [])],
    rejectionsTruncated: input.rejectionsTruncated ?? 0,
    ...comparison,
    violations,
    charts: reportCharts(input, comparison),
  };
  if (input.current.inferenceTime) report.inferenceTime = { ...input.current.inferenceTime };
  return report;
}

// JSON writes Infinity and NaN as null: a saved statistic may be null, and reads back as absent.
const savedNumber = z
  .number()
  .nullable()
  .optional()
  .transform((v) => v ?? undefined);

const statisticsSchema = z.object({
  linf: savedNumber,
  linfRobust: savedNumber,
  ks: savedNumber,
  ksPValue: savedNumber,
  psi: savedNumber,
  js: savedNumber,
  wasserstein: savedNumber,
  wassersteinNorm: savedNumber,
  chi2: savedNumber,
  chi2PValue: savedNumber,
  newCategories: z.array(z.string()).optional(),
});

const featureSchema = z.object({
  name: z.string(),
  type: z.enum(['numeric', 'categorical']),
  method: z.enum(DRIFT_METHOD_NAMES),
  threshold: z.number().nullable(),
  direction: z.enum(['above', 'below']),
  statistic: z.number().nullable(),
  drift: z.boolean(),
  count: z.number(),
  baselineCount: z.number(),
  missingRate: z.number(),
  baselineMissingRate: z.number(),
  statistics: statisticsSchema,
  note: z.string().optional(),
});

const counts = z.array(z.number());
const chartSchema = z.discriminatedUnion('kind', [
  z.object({
    name: z.string(),
    kind: z.literal('histogram'),
    edges: counts,
    baseline: counts,
    current: counts,
    estimated: z.boolean(),
    range: z.object({ min: z.number(), max: z.number() }).optional(),
  }),
  z.object({
    name: z.string(),
    kind: z.literal('categories'),
    categories: z.array(
      z.object({
        value: z.string(),
        baseline: z.number(),
        current: z.number(),
        unseen: z.literal(true).optional(),
      }),
    ),
    other: z.object({ baseline: z.number(), current: z.number() }),
  }),
]);

const reportSchema = z.object({
  format: z.literal('driftwatch.drift-report'),
  version: z.literal(1),
  baseline: z.object({ source: z.string() }),
  inputs: z.array(z.string()),
  records: z.object({ lines: z.number(), accepted: z.number(), rejected: z.number() }),
  rows: z.number(),
  rejections: z.array(
    z.object({ file: z.string(), line: z.number(), field: z.string().optional(), reason: z.string() }),
  ),
  rejectionsTruncated: z.number(),
  inferenceTime: z.object({ first: z.string(), last: z.string() }).optional(),
  features: z.array(featureSchema),
  prediction: featureSchema.nullable(),
  outputs: z.array(featureSchema),
  driftedShare: z.number(),
  drift: z.boolean(),
  violations: z.array(
    z.object({
      feature_name: z.string(),
      constraint_check_type: z.enum([
        'data_type_check',
        'completeness_check',
        'baseline_drift_check',
        'missing_column_check',
        'extra_column_check',
        'categorical_values_check',
      ]),
      description: z.string(),
    }),
  ),
  charts: z.array(chartSchema).default([]),
});

function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(root)' : out;
}

/**
 * Validates a saved drift report (drift-report.json, or `driftwatch drift --format json` output); throws
 * InputError naming the source and each bad field. Reports saved before `charts` existed read with none.
 */
export function parseDriftReport(json: unknown, source: string): DriftReport {
  const result = reportSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues
      .slice(0, 10)
      .map((i) => `${source}: ${issuePath(i.path)}: ${i.message}`);
    throw new InputError(`not a driftwatch drift report:\n${lines.join('\n')}`);
  }
  return result.data;
}

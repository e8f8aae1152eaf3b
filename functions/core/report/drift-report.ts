import type { Baseline } from '../baseline/types.js';
import { type CompareOptions, compareToBaseline, type DriftComparison } from '../drift/compare.js';
import type { ConstraintsFile, Violation } from '../model-monitor/types.js';
import { checkDataQuality } from '../model-monitor/violations.js';
import type { DatasetProfileState } from '../profile/dataset-profile.js';

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
  };
  if (input.current.inferenceTime) report.inferenceTime = { ...input.current.inferenceTime };
  return report;
}

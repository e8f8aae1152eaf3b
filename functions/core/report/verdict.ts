import type { FeatureDrift } from '../drift/compare.js';
import type { ConstraintCheckType } from '../model-monitor/types.js';
import type { DriftReport } from './drift-report.js';
import { formatNumber } from './text.js';

/**
 * What makes a check fail a pipeline: `violations` (the default) fails on drift or on any constraint
 * violation; `drift` fails only when a feature or prediction column drifted; `none` never fails.
 */
export type FailOn = 'drift' | 'violations' | 'none';

/** The `--fail-on` choices, default first. */
export const FAIL_ON_CHOICES: readonly FailOn[] = ['violations', 'drift', 'none'];

/** Model Monitor's six data-quality checks, in the order reports list them. */
export const CHECK_TYPES: readonly ConstraintCheckType[] = [
  'baseline_drift_check',
  'data_type_check',
  'completeness_check',
  'missing_column_check',
  'extra_column_check',
  'categorical_values_check',
];

/** True when the report fails a pipeline under `failOn` (see {@link FailOn}). */
export function failsOn(report: DriftReport, failOn: FailOn): boolean {
  switch (failOn) {
    case 'none':
      return false;
    case 'drift':
      return report.drift;
    case 'violations':
      return report.drift || report.violations.length > 0;
  }
}

/** Every compared column: the input features, then the prediction columns. */
export function allColumns(report: DriftReport): FeatureDrift[] {
  return [...report.features, ...report.outputs];
}

/** The drift method as people read it: `auto` names the statistic it compares (L-infinity). */
export function methodLabel(f: FeatureDrift): string {
  return f.method === 'auto' ? 'auto (L-infinity)' : f.method;
}

/** The threshold with its direction: `> 0.1` for distances, `< 0.05` for p-values, `-` when there is none. */
export function thresholdLabel(f: FeatureDrift): string {
  if (f.threshold === null) return '-';
  return `${f.direction === 'above' ? '>' : '<'} ${formatNumber(f.threshold)}`;
}

/** One-line headline: the verdict, the drifted columns and the violations. */
export function headline(report: DriftReport): string {
  const drifted = report.features.filter((f) => f.drift).length;
  const outputs = report.outputs.filter((f) => f.drift).length;
  const v = report.violations.length;
  if (!report.drift && v === 0) {
    return `No drift in ${report.features.length} features${report.outputs.length > 0 ? ' or the prediction' : ''}; no violations`;
  }
  const parts = [`${drifted} of ${report.features.length} features drifted`];
  if (outputs > 0) parts.push(`${outputs} prediction column(s) drifted`);
  parts.push(`${v} violation${v === 1 ? '' : 's'}`);
  return parts.join('; ');
}

/** The report's overall status: `drift` when a column drifted, else `violations` when any, else `ok`. */
export function verdictStatus(report: DriftReport): 'drift' | 'violations' | 'ok' {
  if (report.drift) return 'drift';
  return report.violations.length > 0 ? 'violations' : 'ok';
}

import { describeRejection } from '../capture/types.js';
import type { FeatureDrift } from '../drift/compare.js';
import type { DriftReport } from './drift-report.js';

/** Formats a statistic for people: 4 significant digits, p-values in exponent form when tiny. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return '-';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs < 1e-4 || abs >= 1e6) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

/** A plain-text table: columns padded to their widest cell, a dashed rule under the header. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function featureRow(f: FeatureDrift): string[] {
  const cmp = f.direction === 'above' ? '>' : '<';
  return [
    f.drift ? 'DRIFT' : 'ok',
    f.name,
    f.type,
    f.method,
    formatNumber(f.statistic),
    f.threshold === null ? '-' : `${cmp} ${formatNumber(f.threshold)}`,
    String(f.count),
    `${formatNumber(f.missingRate * 100)}%`,
    f.note ?? '',
  ];
}

/** Renders a drift report as a readable plain-text summary with a table of features. */
export function renderText(report: DriftReport): string {
  const drifted = report.features.filter((f) => f.drift).length;
  const verdict =
    report.drift || report.violations.length > 0
      ? `${report.drift ? 'DRIFT' : 'VIOLATIONS'}: ${drifted} of ${report.features.length} features drifted${report.prediction?.drift ? ', prediction drifted' : ''}; ${report.violations.length} violation(s)`
      : `OK: no drift in ${report.features.length} features${report.prediction ? ' or the prediction' : ''}; no violations`;
  const out: string[] = [
    verdict,
    `records: ${report.records.accepted} accepted, ${report.records.rejected} rejected (${report.rows} rows); baseline: ${report.baseline.source}`,
    '',
    table(
      ['', 'feature', 'type', 'method', 'statistic', 'threshold', 'n', 'missing', 'note'],
      [...report.features, ...report.outputs].map(featureRow),
    ),
  ];
  if (report.violations.length > 0) {
    out.push(
      '',
      'violations:',
      table(
        ['feature', 'check', 'description'],
        report.violations.map((v) => [v.feature_name, v.constraint_check_type, v.description]),
      ),
    );
  }
  if (report.rejections.length > 0) {
    out.push('', 'rejected records:');
    for (const r of report.rejections) {
      out.push(`  ${describeRejection(r.file, r)}`);
    }
    if (report.rejectionsTruncated > 0) out.push(`  ... and ${report.rejectionsTruncated} more`);
  }
  return `${out.join('\n')}\n`;
}

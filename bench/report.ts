/** Aggregation of repeated measurements, the performance targets, and the printed tables. */
import type { Variant } from './generate.js';
import type { ChildReport, MeasureKind } from './measure.js';

/** Repeated runs of one measurement, reduced. */
export interface MeasurementSummary {
  kind: MeasureKind;
  runs: number;
  bytes: number;
  /** Rows the input holds (from the manifest), for rows/s. */
  rows: number;
  /** Median over runs of bytes / seconds / 1e6 (decimal megabytes per second). */
  mbPerSecond: number;
  /** Median over runs of rows / seconds. */
  rowsPerSecond: number;
  /** Median wall-clock seconds. */
  seconds: number;
  /** Fastest run's wall-clock seconds. */
  bestSeconds: number;
  /** Median over runs of CPU seconds / wall seconds (above 1: GC and other threads helped). */
  cpuPerWall: number;
  /** Largest peak RSS over the runs, MiB. */
  peakRssMiB: number;
  /** Median RSS when measuring started, MiB. */
  startRssMiB: number;
  /** Median seconds by phase (`window` only). */
  phases?: Record<string, number>;
}

/**
 * Median of a non-empty list: the middle value, or the mean of the two middle values for an even count.
 * @throws RangeError on an empty list
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

/**
 * Reduces the runs of one measurement over an input of `bytes` bytes holding `rows` rows.
 * @throws RangeError when there are no runs
 */
export function summarise(
  kind: MeasureKind,
  reports: readonly ChildReport[],
  bytes: number,
  rows: number,
): MeasurementSummary {
  if (reports.length === 0) throw new RangeError(`no runs of ${kind} to summarise`);
  const seconds = reports.map((r) => r.result.seconds);
  const summary: MeasurementSummary = {
    kind,
    runs: reports.length,
    bytes,
    rows,
    mbPerSecond: median(seconds.map((s) => bytes / s / 1e6)),
    rowsPerSecond: median(seconds.map((s) => rows / s)),
    seconds: median(seconds),
    bestSeconds: Math.min(...seconds),
    cpuPerWall: median(reports.map((r) => r.result.cpuSeconds / r.result.seconds)),
    peakRssMiB: Math.max(...reports.map((r) => r.peakRssMiB)),
    startRssMiB: median(reports.map((r) => r.startRssMiB)),
  };
  const phaseNames = Object.keys(reports[0]?.result.phases ?? {});
  if (phaseNames.length > 0) {
    summary.phases = Object.fromEntries(
      phaseNames.map((p) => [p, median(reports.map((r) => r.result.phases?.[p] ?? Number.NaN))]),
    );
  }
  return summary;
}

/** The measurements of one capture encoding. */
export interface VariantResults {
  variant: Variant;
  read: MeasurementSummary;
  splitParse: MeasurementSummary;
  ingest: MeasurementSummary;
}

/** One performance target and whether the measured figure meets it. */
export interface TargetCheck {
  name: string;
  value: number;
  target: string;
  met: boolean;
}

/** Peak RSS allowed for any measurement, whatever the input size. */
export const RSS_TARGET_MIB = 200;
/** Wall-clock budget of evaluating a window. */
export const WINDOW_TARGET_SECONDS = 1;
/** Required (c)/(b) throughput ratio per encoding. */
export const RATIO_TARGETS: Readonly<Record<Variant, number>> = { csv: 1.5, json: 1, base64: 1 };

/**
 * The targets: (c)/(b) MB/s ratio >= 1.5 on CSV and >= 1 on JSON and BASE64; peak RSS <= 200 MiB for every
 * ingest (c) and the window (d); (d) median wall time < 1 s.
 */
export function checkTargets(variants: readonly VariantResults[], window: MeasurementSummary): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const v of variants) {
    const ratio = v.ingest.mbPerSecond / v.splitParse.mbPerSecond;
    const want = RATIO_TARGETS[v.variant];
    checks.push({ name: `${v.variant} (c)/(b)`, value: ratio, target: `>= ${want}`, met: ratio >= want });
    checks.push({
      name: `${v.variant} (c) peak RSS MiB`,
      value: v.ingest.peakRssMiB,
      target: `<= ${RSS_TARGET_MIB}`,
      met: v.ingest.peakRssMiB <= RSS_TARGET_MIB,
    });
  }
  checks.push({
    name: '(d) window seconds',
    value: window.seconds,
    target: `< ${WINDOW_TARGET_SECONDS}`,
    met: window.seconds < WINDOW_TARGET_SECONDS,
  });
  checks.push({
    name: '(d) peak RSS MiB',
    value: window.peakRssMiB,
    target: `<= ${RSS_TARGET_MIB}`,
    met: window.peakRssMiB <= RSS_TARGET_MIB,
  });
  return checks;
}

/** A fixed-width text table; the first column left-aligned, the others right-aligned. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The per-encoding table: (a), (b), (c), then the ratio and RSS targets. */
export function renderVariant(v: VariantResults, checks: readonly TargetCheck[]): string {
  const row = (label: string, s: MeasurementSummary) => [
    label,
    s.mbPerSecond.toFixed(1),
    int(s.rowsPerSecond),
    s.seconds.toFixed(2),
    s.cpuPerWall.toFixed(2),
    s.peakRssMiB.toFixed(0),
  ];
  const table = renderTable(
    ['measurement', 'MB/s', 'rows/s', 'wall s', 'cpu/wall', 'peak RSS MiB'],
    [
      row('(a) read (fs stream)', v.read),
      row('(b) split + JSON.parse', v.splitParse),
      row('(c) driftwatch ingest', v.ingest),
    ],
  );
  const mine = checks.filter((c) => c.name.startsWith(`${v.variant} `)).map(renderCheck);
  return `${table}\n${mine.join('\n')}`;
}

/** `name value (target ...) met|MISSED`. */
export function renderCheck(c: TargetCheck): string {
  return `  ${c.name}: ${c.value.toFixed(2)}  (target ${c.target})  ${c.met ? 'met' : 'MISSED'}`;
}

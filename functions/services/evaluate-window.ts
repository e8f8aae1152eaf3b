import { profileToStatistics } from '../core/model-monitor/statistics.js';
import { toViolationsFile } from '../core/model-monitor/violations.js';
import {
  type DatasetProfileState,
  emptyDatasetProfile,
  mergeDatasetProfiles,
} from '../core/profile/dataset-profile.js';
import { parseDatasetProfile } from '../core/profile/parse.js';
import { buildDriftReport, type DriftReport, modelMonitorDistances } from '../core/report/drift-report.js';
import { InputError, ObjectNotFoundError, ProfileMergeError } from '../errors.js';
import type { MetricUnitName } from '../ports/metric-sink.js';
import {
  DIMENSIONS,
  DRIFTWATCH_NAMESPACE,
  METRICS,
  MODEL_MONITOR_DATA_NAMESPACE,
  modelMonitorMetric,
  VIOLATION_CHECK_TYPES,
} from '../shared/metrics.js';
import { profileHourPrefix, WINDOW_FILES, windowReportPrefix } from '../shared/s3-layout.js';
import { type ActiveBaseline, activeBaseline } from './baseline-cache.js';
import type { DriftServiceContext, WindowRequest } from './context.js';

const HOUR_MS = 3_600_000;
/** Profiles read from S3 at once. */
const READ_CONCURRENCY = 8;

/** One variant's part of a window. */
export interface VariantWindowSummary {
  variant: string;
  profiles: number;
  rows: number;
  /** Share of input features drifted in this variant's data. */
  driftedFeatureShare: number;
  violations: number;
}

/** What an evaluation returns (small: it travels through Step Functions). */
export interface WindowSummary {
  endpoint: string;
  windowStart: string;
  windowEnd: string;
  /** `no-data`: no profile in the window, nothing written. */
  status: 'evaluated' | 'no-data';
  /** Profiles merged. */
  profiles: number;
  /** Profiles left out: unreadable, or built against another baseline (see the log). */
  profilesSkipped: number;
  records: { lines: number; accepted: number; rejected: number };
  rows: number;
  drift: boolean;
  driftedFeatureShare: number;
  violations: number;
  violationsByCheckType: Record<string, number>;
  /** The s3:// prefix holding statistics.json, constraint_violations.json and drift-report.json. */
  reportPrefix?: string;
  variants: VariantWindowSummary[];
}

/** The default window: the `windowHours` hours that ended at the last whole hour at least `delayMinutes` ago. */
export function defaultWindowEnd(now: Date, delayMinutes: number): Date {
  const t = now.getTime() - delayMinutes * 60_000;
  return new Date(t - (((t % HOUR_MS) + HOUR_MS) % HOUR_MS));
}

interface MergedVariant {
  variant: string;
  profile: DatasetProfileState;
  keys: string[];
}

/**
 * Evaluates one window of one endpoint: merges the profiles of every monitored variant written for the window's
 * hours (paginated listing), compares the merged data with the baseline, runs Model Monitor's data-quality checks,
 * writes statistics.json, constraint_violations.json and drift-report.json under windowReportPrefix(...), and
 * adds the window's metrics (timestamped at the window's end). Profiles built against another baseline (after a
 * baseline rotation) cannot be merged with the current one; they are left out and logged. A window without any
 * profile writes nothing.
 * @throws BaselineError when the baseline cannot be loaded (BaselineUnavailable = 1 is added first)
 * @throws StorageError when S3 fails after the SDK's retries
 */
export async function evaluateWindow(
  request: WindowRequest,
  ctx: DriftServiceContext,
): Promise<WindowSummary> {
  const { endpoint, clock } = ctx;
  const started = clock.now().getTime();
  const windowStart = new Date(request.windowEnd.getTime() - request.windowHours * HOUR_MS);
  const baseline = await activeBaseline(ctx);
  const skippedBefore = { count: 0 };
  const merged: MergedVariant[] = [];
  for (const variant of endpoint.variants) {
    merged.push(await mergeVariant(variant, windowStart, request, baseline, ctx, skippedBefore));
  }
  const withData = merged.filter((m) => m.keys.length > 0);
  const summary: WindowSummary = {
    endpoint: endpoint.endpointName,
    windowStart: windowStart.toISOString(),
    windowEnd: request.windowEnd.toISOString(),
    status: 'no-data',
    profiles: 0,
    profilesSkipped: skippedBefore.count,
    records: { lines: 0, accepted: 0, rejected: 0 },
    rows: 0,
    drift: false,
    driftedFeatureShare: 0,
    violations: 0,
    violationsByCheckType: {},
    variants: [],
  };
  const timing = () =>
    ctx.metrics.add({
      namespace: DRIFTWATCH_NAMESPACE,
      name: METRICS.windowProcessingTime,
      unit: 'Milliseconds',
      value: clock.now().getTime() - started,
      dimensions: { [DIMENSIONS.endpoint]: endpoint.endpointName },
      timestamp: request.windowEnd,
    });
  if (withData.length === 0) {
    ctx.log.warn('no profiles in the window', { ...summary });
    timing();
    return summary;
  }
  let current = emptyDatasetProfile(baseline.schema);
  for (const m of withData) current = mergeDatasetProfiles(current, m.profile);
  const keys = withData.flatMap((m) => m.keys);
  const report = judge(baseline, current, keys);
  const prefix = windowReportPrefix(
    endpoint.reports.key,
    endpoint.endpointName,
    endpoint.monitoringScheduleName,
    request.windowEnd,
  );
  const at = (file: string) => ({ bucket: endpoint.reports.bucket, key: `${prefix}${file}` });
  await ctx.store.putJson(at(WINDOW_FILES.statistics), profileToStatistics(current), { indent: 2 });
  await ctx.store.putJson(at(WINDOW_FILES.violations), toViolationsFile(report.violations), { indent: 2 });
  await ctx.store.putJson(at(WINDOW_FILES.report), report, { indent: 2 });

  // With one variant, its report is the endpoint's; with several, each variant is judged on its own data.
  const variantReports = withData.map((m) => ({
    m,
    report: withData.length === 1 ? report : judge(baseline, m.profile, m.keys),
  }));
  for (const { m, report: r } of variantReports) addVariantMetrics(ctx, m.variant, r, request.windowEnd);
  addModelMonitorMetrics(ctx, baseline, report, request.windowEnd);
  timing();

  const evaluated: WindowSummary = {
    ...summary,
    status: 'evaluated',
    profiles: keys.length,
    records: { ...current.records },
    rows: current.rows,
    drift: report.drift,
    driftedFeatureShare: report.driftedShare,
    violations: report.violations.length,
    violationsByCheckType: countByCheckType(report),
    reportPrefix: `s3://${endpoint.reports.bucket}/${prefix}`,
    variants: variantReports.map(({ m, report: r }) => ({
      variant: m.variant,
      profiles: m.keys.length,
      rows: m.profile.rows,
      driftedFeatureShare: r.driftedShare,
      violations: r.violations.length,
    })),
  };
  ctx.log.info('evaluated window', { ...evaluated });
  return evaluated;
}

function judge(baseline: ActiveBaseline, current: DatasetProfileState, keys: readonly string[]): DriftReport {
  return buildDriftReport({
    baseline: baseline.baseline,
    constraints: baseline.effectiveConstraints,
    current,
    inputs: keys,
    compare: baseline.compare,
  });
}

async function mergeVariant(
  variant: string,
  windowStart: Date,
  request: WindowRequest,
  baseline: ActiveBaseline,
  ctx: DriftServiceContext,
  skipped: { count: number },
): Promise<MergedVariant> {
  const { endpoint, store, log } = ctx;
  const bucket = endpoint.reports.bucket;
  const keys: string[] = [];
  for (let t = windowStart.getTime(); t < request.windowEnd.getTime(); t += HOUR_MS) {
    const prefix = profileHourPrefix(endpoint.reports.key, endpoint.endpointName, variant, new Date(t));
    for await (const object of store.list(bucket, prefix)) {
      if (object.key.endsWith('.profile.json')) keys.push(object.key);
    }
  }
  let profile = emptyDatasetProfile(baseline.schema);
  const merged: string[] = [];
  // Read a few at a time, merge in key order: the merged sketch then does not depend on S3's response order.
  for (let i = 0; i < keys.length; i += READ_CONCURRENCY) {
    const batch = keys.slice(i, i + READ_CONCURRENCY);
    const read = await Promise.all(
      batch.map(
        async (
          key,
        ): Promise<{ uri: string; profile: DatasetProfileState } | { uri: string; error: Error }> => {
          const uri = `s3://${bucket}/${key}`;
          try {
            return { uri, profile: parseDatasetProfile(await store.getJson({ bucket, key }), uri) };
          } catch (err) {
            if (err instanceof ObjectNotFoundError || err instanceof InputError) return { uri, error: err };
            throw err;
          }
        },
      ),
    );
    for (const r of read) {
      if ('error' in r) {
        skipped.count += 1;
        log.warn('skipped profile', { profile: r.uri, reason: r.error.message });
        continue;
      }
      try {
        profile = mergeDatasetProfiles(profile, r.profile);
        merged.push(r.uri);
      } catch (err) {
        if (!(err instanceof ProfileMergeError)) throw err;
        skipped.count += 1;
        log.warn('skipped profile built against another baseline', {
          profile: r.uri,
          baseline: baseline.source,
          reason: err.message,
        });
      }
    }
  }
  return { variant, profile, keys: merged };
}

function countByCheckType(report: DriftReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of report.violations)
    counts[v.constraint_check_type] = (counts[v.constraint_check_type] ?? 0) + 1;
  return counts;
}

function addVariantMetrics(
  ctx: DriftServiceContext,
  variant: string,
  report: DriftReport,
  timestamp: Date,
): void {
  const base = { [DIMENSIONS.endpoint]: ctx.endpoint.endpointName, [DIMENSIONS.variant]: variant };
  const add = (name: string, unit: MetricUnitName, value: number, dimensions: Record<string, string>) =>
    ctx.metrics.add({ namespace: DRIFTWATCH_NAMESPACE, name, unit, value, dimensions, timestamp });
  for (const f of report.features) {
    // No verdict (too little data): no value, so the alarm sees missing data rather than a false "no drift".
    if (f.statistic === null) continue;
    add(METRICS.driftStatistic, 'None', f.statistic, {
      ...base,
      [DIMENSIONS.feature]: f.name,
      [DIMENSIONS.method]: f.method,
    });
    add(METRICS.featureDrifted, 'Count', f.drift ? 1 : 0, { ...base, [DIMENSIONS.feature]: f.name });
  }
  add(METRICS.driftedFeatureShare, 'None', report.driftedShare, base);
  const prediction = report.prediction;
  if (prediction && prediction.statistic !== null) {
    add(METRICS.predictionDrift, 'None', prediction.statistic, {
      ...base,
      [DIMENSIONS.method]: prediction.method,
    });
  }
  const counts = countByCheckType(report);
  for (const checkType of VIOLATION_CHECK_TYPES) {
    add(METRICS.violations, 'Count', counts[checkType] ?? 0, { ...base, [DIMENSIONS.checkType]: checkType });
  }
  add(METRICS.violations, 'Count', report.violations.length, base);
}

/** Model Monitor's feature_baseline_drift_<feature>, when the constraints' emit_metrics is Enabled. */
function addModelMonitorMetrics(
  ctx: DriftServiceContext,
  baseline: ActiveBaseline,
  report: DriftReport,
  timestamp: Date,
): void {
  const constraints = baseline.effectiveConstraints;
  if (constraints.monitoring_config.emit_metrics !== 'Enabled') return;
  const dimensions = {
    [DIMENSIONS.endpoint]: ctx.endpoint.endpointName,
    [DIMENSIONS.monitoringSchedule]: ctx.endpoint.monitoringScheduleName,
  };
  for (const [feature, distance] of modelMonitorDistances(report, constraints)) {
    ctx.metrics.add({
      namespace: MODEL_MONITOR_DATA_NAMESPACE,
      name: modelMonitorMetric.baselineDrift(feature),
      unit: 'None',
      value: distance,
      dimensions,
      timestamp,
    });
  }
}

/**
 * The deployed data path on a real S3-protocol server (s3rver on 127.0.0.1): capture files are uploaded, the
 * server's own ObjectCreated events go to the real ingest handler (through its middy chain), then the real
 * evaluate-window handler merges the written profiles. Checked: the profiles (one per object, unchanged on
 * redelivery), statistics.json against counts taken straight from the CSV, constraint_violations.json and the
 * drift statistics against the CLI run on the same files with the same configuration (the contract that a
 * threshold means the same in CI and in production), and the EMF metrics by namespace, name, dimensions, value.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.js';
import { baselineCommand, driftCommand } from '../../functions/cli/commands.js';
import { loadCliSettings } from '../../functions/cli/config-settings.js';
import type { StatisticsFile, ViolationsFile } from '../../functions/core/model-monitor/types.js';
import type { DatasetProfileState } from '../../functions/core/profile/dataset-profile.js';
import type { DriftReport } from '../../functions/core/report/drift-report.js';
import { createHandler as createEvaluateHandler } from '../../functions/handlers/evaluate-window.js';
import { createHandler as createIngestHandler } from '../../functions/handlers/ingest-capture.js';
import { readMonitorConfig, withMiddleware } from '../../functions/handlers/runtime.js';
import type { WindowSummary } from '../../functions/services/evaluate-window.js';
import type { IngestSummary } from '../../functions/services/ingest-object.js';
import { DRIFTWATCH_NAMESPACE, MODEL_MONITOR_DATA_NAMESPACE } from '../../functions/shared/metrics.js';
import { hourPath } from '../../functions/shared/s3-layout.js';
import { lambdaContext, localFunctionDeps } from '../../scripts/local/lambda.js';
import { csvCaptureLine } from '../../scripts/local/records.js';
import { steppingClock } from '../handlers/support/deps.js';
import { captureEmf, type EmittedMetric, findMetrics, onlyMetric } from '../handlers/support/emf.js';
import { type LocalS3, startLocalS3 } from '../support/s3rver.js';

const MARKETPLACE = 'test/fixtures/drift-datasets/marketplace-data-quality';
const CHURN_CAPTURE =
  'test/fixtures/model-monitor-outputs/churn-model-quality/captured-records-with-inferenceId.jsonl';
const SDK_CAPTURE = 'test/fixtures/sagemaker-data-capture/sdk-tests/capture.jsonl';
const HOUR = 3_600_000;
const MP = 'marketplace-endpoint';
const CHURN = 'churn-endpoint';
const LAMBDA_CONTEXT = lambdaContext('driftwatch-test');

/** The S3 notification s3rver emits (the Lambda S3Event shape). */
interface ServerEvent {
  Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string; size: number } } }[];
}

/** A headerless CSV row as SageMaker captures it from a text/csv request, with a CSV response. */
function captureLine(data: string, inferenceTime: string, eventId: string): string {
  return csvCaptureLine({
    input: data,
    output: '0.5',
    outputContentType: 'text/csv; charset=utf-8',
    eventId,
    inferenceTime,
  });
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('deployed pipeline on s3rver', () => {
  let work: string;
  let s3: LocalS3;
  const events: ServerEvent[] = [];
  // The window that just ended; capture lands in the hour before it.
  const windowEnd = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const captureHour = new Date(windowEnd.getTime() - HOUR);
  const capturePrefix = (endpoint: string) => `datacapture/${endpoint}/AllTraffic/${hourPath(captureHour)}`;
  const driftRows: string[] = [];
  const generated: { name: string; rows: number; lastInference: number }[] = [];
  let configPath: string;
  let mpBaselineDir: string;
  let localCaptureDir: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'driftwatch-pipeline-'));
    s3 = await startLocalS3(['capture-bucket', 'baselines', 'reports-bucket'], (e) =>
      events.push(e as ServerEvent),
    );

    // Baseline 1: the marketplace training data, built with the CLI as a user would, all three files uploaded.
    mpBaselineDir = join(work, 'baseline-marketplace');
    await baselineCommand({ input: `${MARKETPLACE}/baseline.csv`, out: mpBaselineDir, target: 'target' });
    for (const file of ['baseline.json', 'statistics.json', 'constraints.json']) {
      await s3.put('baselines', `marketplace/${file}`, await readFile(join(mpBaselineDir, file), 'utf8'));
    }
    // Baseline 2: the churn capture's own inputs, uploaded as statistics.json only (the Model Monitor layout:
    // the function must fall back to it and suggest constraints).
    const churnLines = (await readFile(CHURN_CAPTURE, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const churnCsv = churnLines.map((l) => JSON.parse(l).captureData.endpointInput.data as string);
    await writeFile(join(work, 'churn.csv'), `${churnCsv.join('\n')}\n`);
    await baselineCommand({
      input: join(work, 'churn.csv'),
      out: join(work, 'baseline-churn'),
      header: false,
    });
    await s3.put(
      'baselines',
      'churn/statistics.json',
      await readFile(join(work, 'baseline-churn', 'statistics.json'), 'utf8'),
    );

    configPath = join(work, 'driftwatch.config.json');
    const endpoint = (name: string, baseline: string) => ({
      name,
      capture: { s3Uri: 's3://capture-bucket/datacapture' },
      baseline: { s3Uri: `s3://baselines/${baseline}` },
    });
    await writeFile(
      configPath,
      JSON.stringify({ version: 1, endpoints: [endpoint(MP, 'marketplace/'), endpoint(CHURN, 'churn')] }),
    );

    // Capture: the marketplace drift rows as three capture files, a file of records SageMaker's SDK tests use as
    // a template (every inferenceTime is the placeholder "{%s}": all rejected), the churn capture, and a stray key.
    driftRows.push(
      ...(await readFile(`${MARKETPLACE}/data_quality_drift.csv`, 'utf8'))
        .split('\n')
        .filter((l) => l !== ''),
    );
    localCaptureDir = join(work, 'local-capture');
    await mkdir(localCaptureDir, { recursive: true });
    const sizes = [107, 107, driftRows.length - 214];
    let row = 0;
    for (const [f, size] of sizes.entries()) {
      const name = `5${f}-00-000-part${f}.jsonl`;
      const lines: string[] = [];
      let last = 0;
      for (let i = 0; i < size; i++, row++) {
        last = captureHour.getTime() + row * 1000;
        lines.push(captureLine(driftRows[row] ?? '', isoSeconds(last), `mp-${row}`));
      }
      const body = `${lines.join('\n')}\n`;
      generated.push({ name, rows: size, lastInference: last });
      await writeFile(join(localCaptureDir, name), body);
      await s3.put('capture-bucket', `${capturePrefix(MP)}/${name}`, body);
    }
    const template = await readFile(SDK_CAPTURE, 'utf8');
    await writeFile(join(localCaptureDir, '59-00-000-template.jsonl'), template);
    await s3.put('capture-bucket', `${capturePrefix(MP)}/59-00-000-template.jsonl`, template);
    await s3.put(
      'capture-bucket',
      `${capturePrefix(CHURN)}/10-00-000-churn.jsonl`,
      await readFile(CHURN_CAPTURE, 'utf8'),
    );
    await s3.put('capture-bucket', `datacapture/${MP}/README.txt`, 'not capture');
  });

  afterAll(async () => {
    await s3?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** The real handlers with their middy chain, over ports on the s3rver bucket, a fixed clock and EMF on stdout. */
  function deployed(endpointName: string, now: Date) {
    const logger = new Logger({ logLevel: 'SILENT' });
    const config = readMonitorConfig(configPath);
    const deps = localFunctionDeps({
      config,
      endpointName,
      reports: { bucket: 'reports-bucket', key: 'driftwatch' },
      store: new S3ObjectStore(s3.client),
      clock: steppingClock(now),
      logger,
      namespaces: [DRIFTWATCH_NAMESPACE, MODEL_MONITOR_DATA_NAMESPACE],
    });
    const ingest = withMiddleware(createIngestHandler(deps), logger);
    const evaluate = withMiddleware(createEvaluateHandler(deps), logger);
    return {
      ingest: (event: unknown) => ingest(event, LAMBDA_CONTEXT) as Promise<IngestSummary>,
      evaluate: (event: unknown) => evaluate(event, LAMBDA_CONTEXT) as Promise<WindowSummary>,
    };
  }

  const captureEvents = () => events.filter((e) => e.Records[0]?.s3.bucket.name === 'capture-bucket');

  it('profiles each capture object once, evaluates the window, writes Model Monitor files and metrics', async () => {
    // Given: the handlers of the marketplace endpoint, 20 minutes after the window ended
    const now = new Date(windowEnd.getTime() + 20 * 60_000);
    const fn = deployed(MP, now);
    const emf = captureEmf();
    try {
      // When: every ObjectCreated event of the capture bucket reaches ingest, the first one twice (at-least-once)
      const delivered = captureEvents();
      expect(delivered).toHaveLength(6);
      const results: IngestSummary[] = [];
      for (const e of delivered) results.push(await fn.ingest(e));
      const profilePrefix = `driftwatch/profiles/${MP}/AllTraffic/${hourPath(captureHour)}/`;
      const firstProfileKey = `${profilePrefix}50-00-000-part0.profile.json`;
      const before = await s3.getText('reports-bucket', firstProfileKey);
      const redelivered = await fn.ingest(delivered[0]);
      const ingestMetrics = emf.metrics();
      emf.clear();

      // Then: four objects profiled, the churn capture and the stray key skipped, one profile per object
      const outcomes = results.flatMap((r) => r.objects);
      expect(outcomes.filter((o) => o.status === 'profiled').map((o) => o.key.split('/').pop())).toEqual([
        '50-00-000-part0.jsonl',
        '51-00-000-part1.jsonl',
        '52-00-000-part2.jsonl',
        '59-00-000-template.jsonl',
      ]);
      expect(outcomes.filter((o) => o.status === 'skipped').map((o) => 'reason' in o && o.reason)).toEqual([
        'other-endpoint',
        'not-capture-key',
      ]);
      // The redelivery finds the profile of the same content and baseline: skipped, nothing counted again.
      expect(redelivered.objects[0]).toMatchObject({
        status: 'skipped',
        reason: 'already-profiled',
        detail: expect.stringContaining(`s3://reports-bucket/${firstProfileKey}`),
      });
      expect((await s3.listKeys('reports-bucket', profilePrefix)).sort()).toEqual(
        ['50-00-000-part0', '51-00-000-part1', '52-00-000-part2', '59-00-000-template'].map(
          (b) => `${profilePrefix}${b}.profile.json`,
        ),
      );
      expect(await s3.getText('reports-bucket', firstProfileKey)).toBe(before);
      const firstProfile = JSON.parse(before) as DatasetProfileState;
      expect(firstProfile.records).toEqual({ lines: 107, accepted: 107, rejected: 0 });

      // Then: per-object metrics, exactly under {Endpoint, Variant}
      const dims = { Endpoint: MP, Variant: 'AllTraffic' };
      const values = (name: string) => findMetrics(ingestMetrics, name, dims).map((m) => m.value);
      const templateLines = (await readFile(SDK_CAPTURE, 'utf8'))
        .split('\n')
        .filter((l) => l.trim() !== '').length;
      // Objects in delivery order (part0, part1, part2, template); the redelivery of part0 adds nothing.
      expect(values('RecordsAccepted')).toEqual([107, 107, 106, 0]);
      expect(values('RecordsRejected')).toEqual([0, 0, 0, templateLines]);
      expect(values('RejectedRecordRate')).toEqual([0, 0, 0, 1]);
      expect(values('ProcessingTime')).toEqual([0, 0, 0, 0]);
      const lag = (g: { lastInference: number } | undefined) =>
        (now.getTime() - (g?.lastInference ?? 0)) / 1000;
      expect(values('CaptureToMetricLag')).toEqual([lag(generated[0]), lag(generated[1]), lag(generated[2])]);
      // The template file has no rows, so no verdict and no value; the others publish their own share.
      const shares = [...outcomes, ...redelivered.objects].flatMap((o) =>
        o.status === 'profiled' && o.driftedFeatureShare !== null ? [o.driftedFeatureShare] : [],
      );
      expect(shares).toHaveLength(3);
      expect(values('ObjectDriftedFeatureShare')).toEqual(shares);
      expect(findMetrics(ingestMetrics, 'BaselineUnavailable', { Endpoint: MP }).map((m) => m.value)).toEqual(
        [0, 0, 0, 0, 0],
      );
      expectOneDimensionSetWithoutService(ingestMetrics);

      // When: the scheduled evaluation runs (EventBridge Scheduler sends only the endpoint name)
      const summary = await fn.evaluate({ endpoint: MP });
      const windowMetrics = emf.metrics();

      // Then: the default window is the hour before the last whole hour at least delayMinutes (15) ago
      expect(summary).toMatchObject({
        status: 'evaluated',
        windowStart: captureHour.toISOString(),
        windowEnd: windowEnd.toISOString(),
        profiles: 4,
        rows: driftRows.length,
        records: {
          lines: driftRows.length + templateLines,
          accepted: driftRows.length,
          rejected: templateLines,
        },
      });
      const reportPrefix = `driftwatch/reports/${MP}/${MP}-driftwatch/${hourPath(windowEnd)}/`;
      expect(summary.reportPrefix).toBe(`s3://reports-bucket/${reportPrefix}`);
      expect((await s3.listKeys('reports-bucket', reportPrefix)).sort()).toEqual(
        ['constraint_violations.json', 'drift-report.json', 'statistics.json'].map(
          (f) => `${reportPrefix}${f}`,
        ),
      );

      // Then: statistics.json agrees with counts and means taken straight from the CSV
      const stats = await s3.getJson<StatisticsFile>('reports-bucket', `${reportPrefix}statistics.json`);
      const baselineFeatures = (await readFile(`${MARKETPLACE}/baseline.csv`, 'utf8'))
        .split('\n')[0]
        ?.split(',')
        .slice(1);
      expect(stats.dataset.item_count).toBe(driftRows.length);
      expect(stats.features.map((f) => f.name)).toEqual(baselineFeatures);
      stats.features.forEach((f, column) => {
        const fields = driftRows.map((r) => r.split(',')[column] ?? '');
        const present = fields.filter((v) => v !== '');
        const common = f.numerical_statistics?.common ?? f.string_statistics?.common;
        expect(common).toEqual({ num_present: present.length, num_missing: fields.length - present.length });
        if (f.numerical_statistics) {
          const mean = present.reduce((a, v) => a + Number(v), 0) / present.length;
          expect(f.numerical_statistics.mean).toBeCloseTo(mean, 9);
        }
      });

      // Then: the violations and drift statistics are the CLI's for the same files and configuration
      const cli = await driftCommand(
        { inputs: [localCaptureDir], baseline: mpBaselineDir, format: 'json' },
        await loadCliSettings(configPath, MP),
      );
      const violations = await s3.getJson<ViolationsFile>(
        'reports-bucket',
        `${reportPrefix}constraint_violations.json`,
      );
      expect(violations.violations).toEqual(cli.report.violations);
      // The dataset's authors built it to fail these three checks (test/fixtures/PROVENANCE.md).
      expect(new Set(violations.violations.map((v) => v.constraint_check_type))).toEqual(
        new Set(['baseline_drift_check', 'data_type_check', 'completeness_check']),
      );
      const report = await s3.getJson<DriftReport>('reports-bucket', `${reportPrefix}drift-report.json`);
      const verdicts = (r: DriftReport) => r.features.map((f) => [f.name, f.method, f.statistic, f.drift]);
      expect(verdicts(report)).toEqual(verdicts(cli.report));
      expect(summary.driftedFeatureShare).toBe(cli.report.driftedShare);

      // Then: window metrics, timestamped at the window's end
      const variant = { Endpoint: MP, Variant: 'AllTraffic' };
      const one = (name: string, d: Record<string, string>, namespace = DRIFTWATCH_NAMESPACE) => {
        const found = onlyMetric(windowMetrics, namespace, name, d);
        expect(found.timestamp).toBe(windowEnd.getTime());
        return found.value;
      };
      expect(one('DriftedFeatureShare', variant)).toBe(report.driftedShare);
      const byType = new Map<string, number>();
      for (const v of violations.violations)
        byType.set(v.constraint_check_type, (byType.get(v.constraint_check_type) ?? 0) + 1);
      for (const checkType of [
        'data_type_check',
        'completeness_check',
        'baseline_drift_check',
        'missing_column_check',
        'extra_column_check',
        'categorical_values_check',
      ]) {
        expect(one('Violations', { ...variant, CheckType: checkType })).toBe(byType.get(checkType) ?? 0);
      }
      expect(one('Violations', variant)).toBe(violations.violations.length);
      for (const f of report.features) {
        if (f.statistic === null) continue;
        expect(one('DriftStatistic', { ...variant, Feature: f.name, Method: f.method })).toBe(f.statistic);
        expect(one('FeatureDrifted', { ...variant, Feature: f.name })).toBe(f.drift ? 1 : 0);
      }
      // Model Monitor-compatible: the distance in each baseline_drift_check description, parsed with the regex
      // AWS's samples use, is the feature_baseline_drift_<feature> value.
      const mmDims = { Endpoint: MP, MonitoringSchedule: `${MP}-driftwatch` };
      const driftViolations = violations.violations.filter(
        (v) => v.constraint_check_type === 'baseline_drift_check',
      );
      expect(driftViolations.length).toBeGreaterThan(0);
      for (const v of driftViolations) {
        const distance = Number(/distance: (.+) exceeds threshold: (.+)/.exec(v.description)?.[1]);
        expect(
          one(`feature_baseline_drift_${v.feature_name}`, mmDims, MODEL_MONITOR_DATA_NAMESPACE),
        ).toBeCloseTo(distance, 12);
      }
      expect(
        windowMetrics
          .filter((m) => m.namespace === MODEL_MONITOR_DATA_NAMESPACE)
          .map((m) => m.name)
          .sort(),
      ).toEqual(report.features.map((f) => `feature_baseline_drift_${f.name}`).sort());
      expect(one('WindowProcessingTime', { Endpoint: MP })).toBe(0);
      expectOneDimensionSetWithoutService(windowMetrics);
    } finally {
      emf.restore();
    }
  });

  it('judges the churn endpoint against a statistics.json-only baseline as the CLI does', async () => {
    // Given: the churn endpoint's handlers; its baseline is Model Monitor's statistics.json of the same records
    const fn = deployed(CHURN, new Date(windowEnd.getTime() + 30 * 60_000));
    const statsOnly = join(work, 'baseline-churn-statistics-only');
    await mkdir(statsOnly, { recursive: true });
    await writeFile(
      join(statsOnly, 'statistics.json'),
      await readFile(join(work, 'baseline-churn', 'statistics.json'), 'utf8'),
    );
    const emf = captureEmf();
    try {
      // When
      const churnEvent = captureEvents().find((e) => e.Records[0]?.s3.object.key.includes(CHURN));
      const ingested = await fn.ingest(churnEvent);
      const summary = await fn.evaluate({
        endpoint: CHURN,
        windowEnd: windowEnd.toISOString(),
        windowHours: 1,
      });
      // Then: the records are profiled, nothing drifted from themselves, and the checks are the CLI's
      const lines = (await readFile(CHURN_CAPTURE, 'utf8')).split('\n').filter((l) => l.trim() !== '').length;
      expect(ingested.objects[0]).toMatchObject({
        status: 'profiled',
        records: { lines, accepted: lines, rejected: 0 },
      });
      expect(summary).toMatchObject({ status: 'evaluated', profiles: 1, rows: lines, drift: false });
      const prefix = `driftwatch/reports/${CHURN}/${CHURN}-driftwatch/${hourPath(windowEnd)}/`;
      const violations = await s3.getJson<ViolationsFile>(
        'reports-bucket',
        `${prefix}constraint_violations.json`,
      );
      const cli = await driftCommand(
        { inputs: [CHURN_CAPTURE], baseline: statsOnly, format: 'json' },
        await loadCliSettings(configPath, CHURN),
      );
      expect(violations.violations).toEqual(cli.report.violations);
      expect(violations.violations.filter((v) => v.constraint_check_type === 'baseline_drift_check')).toEqual(
        [],
      );
      expect(summary.violations).toBe(violations.violations.length);
      expect(
        findMetrics(emf.metrics(), 'DriftedFeatureShare', { Endpoint: CHURN, Variant: 'AllTraffic' }),
      ).toEqual([expect.objectContaining({ value: 0 })]);
    } finally {
      emf.restore();
    }
  });

  it('runs the exported handlers from their environment (config file, endpoint, reports, S3 endpoint)', async () => {
    // Given: the variables the stack sets, plus the standard SDK ones pointing at the local server
    const env = {
      DRIFTWATCH_CONFIG_PATH: configPath,
      DRIFTWATCH_ENDPOINT: CHURN,
      DRIFTWATCH_REPORTS_BUCKET: 'reports-bucket',
      DRIFTWATCH_REPORTS_PREFIX: 'env-run',
      ...s3.env,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'false',
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    vi.resetModules();
    const emf = captureEmf();
    try {
      const ingest = await import('../../functions/handlers/ingest-capture.js');
      const evaluate = await import('../../functions/handlers/evaluate-window.js');
      const key = `${capturePrefix(CHURN)}/10-00-000-churn.jsonl`;
      // When: a direct invocation, as the backfill Distributed Map sends it, then the window
      const ingested = (await ingest.handler(
        { bucket: 'capture-bucket', key },
        LAMBDA_CONTEXT,
      )) as IngestSummary;
      const summary = (await evaluate.handler(
        { endpoint: CHURN, windowEnd: windowEnd.toISOString() },
        LAMBDA_CONTEXT,
      )) as WindowSummary;
      // Then
      expect(ingested.objects[0]).toMatchObject({
        status: 'profiled',
        profile: `s3://reports-bucket/env-run/profiles/${CHURN}/AllTraffic/${hourPath(captureHour)}/10-00-000-churn.profile.json`,
      });
      expect(summary).toMatchObject({
        status: 'evaluated',
        profiles: 1,
        reportPrefix: `s3://reports-bucket/env-run/reports/${CHURN}/${CHURN}-driftwatch/${hourPath(windowEnd)}/`,
      });
      expect(
        findMetrics(emf.metrics(), 'BaselineUnavailable', { Endpoint: CHURN }).map((m) => m.value),
      ).toEqual([0, 0]);
    } finally {
      emf.restore();
      vi.unstubAllEnvs();
    }
  });
});

function expectOneDimensionSetWithoutService(metrics: readonly EmittedMetric[]): void {
  expect(metrics.length).toBeGreaterThan(0);
  for (const m of metrics) {
    expect(m.dimensionSets).toHaveLength(1);
    expect(m.dimensionSets[0]).not.toContain('service');
  }
}

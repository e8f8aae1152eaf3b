/**
 * Model quality on a real S3-protocol server (s3rver on 127.0.0.1): captures and the real ground-truth files are
 * uploaded, the server's own ObjectCreated events of the ground-truth prefix go to the real merge-ground-truth
 * handler (through its middy chain), which lists and streams the objects over HTTP, writes Model Monitor's
 * model-quality files and publishes EMF metrics. Expected values are computed here from the files themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.js';
import { qualityCommand } from '../../functions/cli/quality-commands.js';
import { createHandler, type MergeResult } from '../../functions/handlers/merge-ground-truth.js';
import { readMonitorConfig, withMiddleware } from '../../functions/handlers/runtime.js';
import { type QualityWindowReport, qualityContext } from '../../functions/services/merge-ground-truth.js';
import { DRIFTWATCH_NAMESPACE, MODEL_MONITOR_MODEL_NAMESPACE } from '../../functions/shared/metrics.js';
import { lambdaContext, localFunctionDeps } from '../../scripts/local/lambda.js';
import { csvCaptureLine } from '../../scripts/local/records.js';
import { steppingClock } from '../handlers/support/deps.js';
import { captureEmf, findMetrics, onlyMetric } from '../handlers/support/emf.js';
import { type LocalS3, startLocalS3 } from '../support/s3rver.js';

const CHURN_CAPTURE =
  'test/fixtures/model-monitor-outputs/churn-model-quality/captured-records-with-inferenceId.jsonl';
const CHURN_TRUTH = 'test/fixtures/quality/churn-ground-truth/2021/02/05/05/0000.jsonl';
const BATCH_TRUTH = 'test/fixtures/sagemaker-data-capture/groundtruth-churn-batch';
const ENDPOINT = 'churn-endpoint';
const MM_DIMS = { Endpoint: ENDPOINT, MonitoringSchedule: `${ENDPOINT}-driftwatch` };
const OWN = { Endpoint: ENDPOINT };
const LAMBDA_CONTEXT = lambdaContext('driftwatch-test');

interface ServerEvent {
  Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[];
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const hourOf = (iso: string) =>
  `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;

describe('merge-ground-truth on s3rver', () => {
  let s3: LocalS3;
  let configPath: string;
  const events: ServerEvent[] = [];

  const truthEvents = (prefix: string) =>
    events.filter((e) => e.Records[0]?.s3.object.key.startsWith(`ground-truth/churn/${prefix}`));

  beforeAll(async () => {
    s3 = await startLocalS3(['ml-data', 'reports-bucket'], (e) => events.push(e as ServerEvent));
    configPath = join(s3.directory, 'driftwatch.config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        version: 1,
        endpoints: [
          {
            name: ENDPOINT,
            capture: { s3Uri: 's3://ml-data/datacapture' },
            baseline: { s3Uri: 's3://ml-data/baselines/churn' },
            groundTruth: { s3Uri: 's3://ml-data/ground-truth/churn', lookbackHours: 24 },
            // The notebook's captures hold the probability in output column 0; threshold 0.8 as the notebook.
            modelQuality: {
              problemType: 'BinaryClassification',
              probabilityAttribute: '0',
              probabilityThreshold: 0.8,
              minSamples: 1,
              thresholds: { accuracy: { threshold: 0.5 } },
            },
          },
        ],
      }),
    );
    // The notebook's real captures, each under the capture partition of its inference hour.
    const byHour = new Map<string, string[]>();
    for (const line of lines(readFileSync(CHURN_CAPTURE, 'utf8'))) {
      const hour = hourOf(JSON.parse(line).eventMetadata.inferenceTime as string);
      byHour.set(hour, [...(byHour.get(hour) ?? []), line]);
    }
    for (const [hour, group] of byHour) {
      await s3.put(
        'ml-data',
        `datacapture/${ENDPOINT}/AllTraffic/${hour}/00-00-000-notebook.jsonl`,
        `${group.join('\n')}\n`,
      );
    }
  });

  afterAll(async () => {
    await s3?.close();
    await rm(configPath, { force: true });
  });

  /** The real handler with its middy chain, over S3 on s3rver, EMF metrics on stdout and a fixed clock. */
  function deployed(now: Date) {
    const logger = new Logger({ logLevel: 'SILENT' });
    const config = readMonitorConfig(configPath);
    const handler = withMiddleware(
      createHandler({
        ...localFunctionDeps({
          config,
          endpointName: ENDPOINT,
          reports: { bucket: 'reports-bucket', key: 'driftwatch' },
          store: new S3ObjectStore(s3.client),
          clock: steppingClock(now),
          logger,
          namespaces: [DRIFTWATCH_NAMESPACE, MODEL_MONITOR_MODEL_NAMESPACE],
        }),
        quality: qualityContext(config, ENDPOINT),
      }),
      logger,
    );
    return (event: unknown) => handler(event, LAMBDA_CONTEXT) as Promise<MergeResult>;
  }

  it("joins the notebook's captures to its ground truth on the upload event and writes Model Monitor's files", async () => {
    // Given: the notebook's ground truth for ids 0..59, collected at 2021-02-05 05:00, uploaded to the server
    await s3.put('ml-data', 'ground-truth/churn/2021/02/05/05/0000.jsonl', readFileSync(CHURN_TRUTH, 'utf8'));
    const delivered = truthEvents('2021/');
    expect(delivered).toHaveLength(1);
    const invoke = deployed(new Date('2021-02-05T06:20:00Z'));
    const emf = captureEmf();
    let result: MergeResult;
    try {
      // When: the server's event reaches the handler
      result = await invoke(delivered[0]);
    } finally {
      emf.restore();
    }
    // Then, from the files: the February captures (ids 0, 57, 58 at 04:xx) are the window's; all predict 0
    // (probability < 0.8); their labels are the file's; the other 57 labels have no capture in the window
    const captured = lines(readFileSync(CHURN_CAPTURE, 'utf8'))
      .map((l) => JSON.parse(l))
      .filter((r) => r.eventMetadata.inferenceTime.startsWith('2021-02-05T04'));
    const truth = new Map(
      lines(readFileSync(CHURN_TRUTH, 'utf8')).map((l) => {
        const r = JSON.parse(l);
        return [r.eventMetadata.eventId as string, r.groundTruthData.data as string];
      }),
    );
    const predicted = captured.map((r) => (Number(r.captureData.endpointOutput.data) >= 0.8 ? '1' : '0'));
    const actual = captured.map((r) => truth.get(r.eventMetadata.inferenceId) ?? '?');
    const correct = predicted.filter((p, i) => p === actual[i]).length;
    expect(captured.map((r) => r.eventMetadata.inferenceId)).toEqual(['0', '57', '58']);
    expect(result.windows).toHaveLength(1);
    expect(result.windows[0]).toMatchObject({
      status: 'evaluated',
      windowStart: '2021-02-04T05:00:00.000Z',
      windowEnd: '2021-02-05T06:00:00.000Z',
      captures: { objects: 1, lines: 3, accepted: 3, rejected: 0 },
      groundTruth: { objects: 1, lines: truth.size, accepted: truth.size, rejected: 0 },
      join: { captures: 3, matched: 3, orphanedLabels: truth.size - 3, joinRate: 1 },
      evaluated: 3,
      violations: 1,
    });
    const prefix = `driftwatch/reports/${ENDPOINT}/${ENDPOINT}-driftwatch/model-quality/2021/02/05/06/`;
    expect((await s3.listKeys('reports-bucket', prefix)).sort()).toEqual(
      ['constraint_violations.json', 'quality-report.json', 'statistics.json'].map((f) => `${prefix}${f}`),
    );
    const stats = await s3.getJson<{
      dataset: unknown;
      binary_classification_metrics: Record<string, unknown>;
    }>('reports-bucket', `${prefix}statistics.json`);
    const tn = actual.filter((a, i) => a === '0' && predicted[i] === '0').length;
    const fn = actual.filter((a, i) => a === '1' && predicted[i] === '0').length;
    expect(stats.dataset).toEqual({ item_count: 3, evaluation_time: '2021-02-05T06:00:00.000Z' });
    expect(stats.binary_classification_metrics.confusion_matrix).toEqual({
      '0': { '0': tn, '1': 0 },
      '1': { '0': fn, '1': 0 },
    });
    // Fewer than 200 rows: Model Monitor writes "NaN" standard deviations
    expect(stats.binary_classification_metrics.accuracy).toEqual({
      value: correct / 3,
      standard_deviation: 'NaN',
    });
    expect(await s3.getJson('reports-bucket', `${prefix}constraint_violations.json`)).toEqual({
      violations: [
        {
          metric_name: 'accuracy',
          constraint_check_type: 'LessThanThreshold',
          description: `Metric accuracy with ${correct / 3} was LessThanThreshold 0.5`,
        },
      ],
    });
    // Then the CLI, given the same files and configuration, computes the same statistics.json (one threshold, one
    // meaning, in CI and in production)
    const cli = await qualityCommand({
      inputs: [CHURN_CAPTURE],
      groundTruth: ['test/fixtures/quality/churn-ground-truth'],
      config: configPath,
      endpoint: ENDPOINT,
      format: 'json',
      evaluationTime: '2021-02-05T06:00:00.000Z',
    });
    expect(stats).toEqual(JSON.parse(JSON.stringify(cli.report.statistics)));
    expect(cli.report.violations).toEqual(
      (await s3.getJson<{ violations: unknown[] }>('reports-bucket', `${prefix}constraint_violations.json`))
        .violations,
    );
    // Then the EMF metrics: Model Monitor's name and dimensions, and driftwatch's join metrics (latency: 04:xx to 05:00)
    const metrics = emf.metrics();
    expect(onlyMetric(metrics, MODEL_MONITOR_MODEL_NAMESPACE, 'accuracy', MM_DIMS)).toMatchObject({
      value: correct / 3,
      timestamp: Date.parse('2021-02-05T06:00:00Z'),
      dimensionSets: [['Endpoint', 'MonitoringSchedule']],
    });
    expect(onlyMetric(metrics, MODEL_MONITOR_MODEL_NAMESPACE, 'recall', MM_DIMS).value).toBe(0);
    expect(onlyMetric(metrics, DRIFTWATCH_NAMESPACE, 'GroundTruthJoinRate', OWN).value).toBe(1);
    expect(onlyMetric(metrics, DRIFTWATCH_NAMESPACE, 'OrphanedLabels', OWN).value).toBe(truth.size - 3);
    expect(onlyMetric(metrics, DRIFTWATCH_NAMESPACE, 'LabelLatencyMedianHours', OWN).value).toBe(1);
    expect(onlyMetric(metrics, DRIFTWATCH_NAMESPACE, 'ModelQualityViolations', OWN).value).toBe(1);
    for (const m of metrics) expect(m.dimensionSets[0]).not.toContain('service');
  });

  it('joins the 198 real batch ground-truth files by eventId, counts bad lines with file and line, and is idempotent', async () => {
    // Given: captures (a batch transform with GenerateInferenceId: no inferenceId) for every other label file's id,
    // at 10:00, with seeded probabilities; every real label file uploaded at 11:00, plus one file with bad lines
    const files = readdirSync(BATCH_TRUTH).sort();
    const ids = files.map((f) => f.replace(/\.jsonl$/, ''));
    const capturedIds = ids.filter((_, i) => i % 2 === 0);
    const probability = (i: number) => ((i * 37) % 100) / 100;
    const captureLines = capturedIds.map((id, i) =>
      csvCaptureLine({
        input: '1,2',
        output: String(probability(i)),
        eventId: id,
        inferenceTime: `2026-11-26T10:${String(i % 60).padStart(2, '0')}:00Z`,
      }),
    );
    await s3.put(
      'ml-data',
      `datacapture/${ENDPOINT}/AllTraffic/2026/11/26/10/00-00-000-batch.jsonl`,
      `${captureLines.join('\n')}\n`,
    );
    for (const file of files) {
      await s3.put(
        'ml-data',
        `ground-truth/churn/2026/11/26/11/${file}`,
        readFileSync(join(BATCH_TRUTH, file), 'utf8'),
      );
    }
    const bad = [
      '{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventVersion": "0"}',
      '{"groundTruthData": {"data": "1,0", "encoding": "CSV"}, "eventMetadata": {"eventId": "x"}}',
    ];
    await s3.put('ml-data', 'ground-truth/churn/2026/11/26/11/zz-bad.jsonl', `${bad.join('\n')}\n`);
    const delivered = truthEvents('2026/11/26/11/');
    expect(delivered).toHaveLength(files.length + 1);
    // Expected, from the label files directly: predicted 1 when probability >= 0.8
    const labelOf = new Map(
      files.map((f) => [
        f.replace(/\.jsonl$/, ''),
        JSON.parse(lines(readFileSync(join(BATCH_TRUTH, f), 'utf8'))[0] ?? '{}').groundTruthData
          .data as string,
      ]),
    );
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    capturedIds.forEach((id, i) => {
      const p = probability(i) >= 0.8;
      const y = labelOf.get(id) === '1';
      if (p && y) tp++;
      else if (p) fp++;
      else if (y) fn++;
      else tn++;
    });
    // Every cell of the confusion matrix is populated, so each metric below is a real check.
    expect([tp, fp, tn, fn].every((count) => count > 0)).toBe(true);
    const invoke = deployed(new Date('2026-11-26T12:20:00Z'));
    const emf = captureEmf();
    let first: MergeResult;
    let again: MergeResult;
    const prefix = `driftwatch/reports/${ENDPOINT}/${ENDPOINT}-driftwatch/model-quality/2026/11/26/12/`;
    let filesFirst: string[];
    try {
      // When: the 199 events, batched into one notification (one window for one hour), then one event again
      first = await invoke({ Records: delivered.flatMap((e) => e.Records) });
      filesFirst = await Promise.all(
        ['statistics.json', 'constraint_violations.json', 'quality-report.json'].map(async (f) =>
          JSON.stringify(await s3.getJson('reports-bucket', `${prefix}${f}`)),
        ),
      );
      again = await invoke(delivered[0]);
    } finally {
      emf.restore();
    }
    // Then: every capture joined, every other label orphaned, the bad lines named by file and line
    expect(first.windows).toHaveLength(1);
    expect(first.windows[0]).toMatchObject({
      status: 'evaluated',
      windowEnd: '2026-11-26T12:00:00.000Z',
      groundTruth: {
        objects: files.length + 1,
        lines: files.length + 2,
        accepted: files.length,
        rejected: 2,
      },
      join: {
        captures: capturedIds.length,
        matched: capturedIds.length,
        orphanedLabels: files.length - capturedIds.length,
      },
      evaluated: capturedIds.length,
    });
    const report = await s3.getJson<QualityWindowReport>('reports-bucket', `${prefix}quality-report.json`);
    expect(report.rejections.groundTruth).toEqual([
      's3://ml-data/ground-truth/churn/2026/11/26/11/zz-bad.jsonl:1 eventMetadata: missing; expected an object with eventId',
      's3://ml-data/ground-truth/churn/2026/11/26/11/zz-bad.jsonl:2 groundTruthData.data: expected one CSV value, found 1 row(s) and 2 field(s)',
    ]);
    const metrics = emf.metrics();
    const n = capturedIds.length;
    const expected = {
      accuracy: (tp + tn) / n,
      precision: tp + fp > 0 ? tp / (tp + fp) : 0,
      recall: tp + fn > 0 ? tp / (tp + fn) : 0,
      false_positive_rate: fp + tn > 0 ? fp / (fp + tn) : 0,
    };
    for (const [name, value] of Object.entries(expected)) {
      const values = findMetrics(metrics, name, MM_DIMS).filter(
        (m) => m.namespace === MODEL_MONITOR_MODEL_NAMESPACE,
      );
      // Published once per evaluation, the same value both times
      expect(
        values.map((m) => m.value),
        name,
      ).toEqual([value, value].map((v) => expect.closeTo(v, 12)));
    }
    expect(findMetrics(metrics, 'GroundTruthRecordsRejected', OWN).map((m) => m.value)).toEqual([2, 2]);
    // Then: the second evaluation of the same window wrote the same files and returned the same summary
    expect(again).toEqual(first);
    const filesAgain = await Promise.all(
      ['statistics.json', 'constraint_violations.json', 'quality-report.json'].map(async (f) =>
        JSON.stringify(await s3.getJson('reports-bucket', `${prefix}${f}`)),
      ),
    );
    expect(filesAgain).toEqual(filesFirst);
  });

  it('runs the exported handler from its environment (config file, endpoint, reports, S3 endpoint)', async () => {
    // Given: the variables the stack sets, plus the SDK's pointing at the local server
    const env = {
      DRIFTWATCH_CONFIG_PATH: configPath,
      DRIFTWATCH_ENDPOINT: ENDPOINT,
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
      const merge = await import('../../functions/handlers/merge-ground-truth.js');
      // When: a direct re-run of the February window
      const result = (await merge.handler(
        { endpoint: ENDPOINT, windowEnd: '2021-02-05T06:00:00Z' },
        LAMBDA_CONTEXT,
      )) as MergeResult;
      // Then
      expect(result.windows[0]).toMatchObject({
        status: 'evaluated',
        evaluated: 3,
        reportPrefix: `s3://reports-bucket/env-run/reports/${ENDPOINT}/${ENDPOINT}-driftwatch/model-quality/2021/02/05/06/`,
      });
      expect(findMetrics(emf.metrics(), 'LabelsJoined', OWN).map((m) => m.value)).toEqual([3]);
    } finally {
      emf.restore();
      vi.unstubAllEnvs();
    }
  });
});

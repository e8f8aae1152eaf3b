/**
 * At-least-once delivery never double-counts: the same S3 event twice, two events for one key, a concurrent
 * duplicate (the If-None-Match race, which s3rver does not implement, so it is driven with aws-sdk-client-mock),
 * and evaluating the same window twice.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/handlers/ingest-capture.js';
import { PROFILE_METADATA } from '../../functions/services/ingest-object.js';
import { alarmsOfTemplate, type MetricAlarmDefinition } from '../../scripts/local/alarms.js';
import type { CfnTemplate } from '../../scripts/local/asl.js';
import { oneEndpointConfig, valuesOf } from '../handlers/support/deps.js';
import { captureEmf, type EmittedMetric, findMetrics } from '../handlers/support/emf.js';
import { serveBaseline, unitDeps } from '../handlers/support/fixtures.js';
import { exampleApp } from '../infra/support.js';
import { s3Body } from '../support/s3-mock.js';
import type { LocalS3 } from '../support/s3rver.js';
import {
  captureRecord,
  DIMS,
  HOUR_PREFIX,
  objectCreated,
  PROFILE_PREFIX,
  realHandlers,
  startBaselinedS3,
} from './support.js';

const NOW = new Date('2026-11-26T11:20:00Z');
/** The key part of an s3://reports/... prefix. */
const prefixKey = (uri: string | undefined) => (uri ?? '').replace(/^s3:\/\/reports\//, '');

function captureText(n: number, offset = 0): string {
  return `${Array.from({ length: n }, (_, i) =>
    JSON.stringify(
      captureRecord(String((i + offset) % 50), i % 2 === 0 ? 'a' : 'b', {
        eventId: `e${offset}-${i}`,
        inferenceTime: `2026-11-26T10:${String(i % 60).padStart(2, '0')}:00Z`,
      }),
    ),
  ).join('\n')}\n`;
}

describe('idempotent ingest on s3rver', () => {
  let s3: LocalS3;

  beforeAll(async () => {
    s3 = await startBaselinedS3();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('computes one profile and one set of metrics when the same S3 event is delivered twice', async () => {
    // Given
    const key = `${HOUR_PREFIX}/twice.jsonl`;
    const text = captureText(30);
    await s3.put('capture', key, text);
    const { ingest } = realHandlers(s3, NOW);
    const emf = captureEmf();
    // When
    const first = await ingest(objectCreated(key, text.length)).finally(() => emf.restore());
    const profileBefore = await s3.getText('reports', `${PROFILE_PREFIX}twice.profile.json`);
    const emf2 = captureEmf();
    const second = await ingest(objectCreated(key, text.length)).finally(() => emf2.restore());
    // Then: profiled once, skipped once; the profile is unchanged; RecordsAccepted published once
    expect(first.objects[0]).toMatchObject({ status: 'profiled', records: { accepted: 30 } });
    expect(second.objects[0]).toMatchObject({ status: 'skipped', reason: 'already-profiled' });
    expect(await s3.getText('reports', `${PROFILE_PREFIX}twice.profile.json`)).toBe(profileBefore);
    expect(findMetrics(emf.metrics(), 'RecordsAccepted', DIMS).map((m) => m.value)).toEqual([30]);
    expect(findMetrics(emf2.metrics(), 'RecordsAccepted', DIMS)).toEqual([]);
    expect(findMetrics(emf2.metrics(), 'RecordsRejected', DIMS)).toEqual([]);
  });

  it('computes one count for two different events naming one key (S3 notification, then a backfill invocation)', async () => {
    // Given
    const key = `${HOUR_PREFIX}/two-events.jsonl`;
    const text = captureText(12);
    await s3.put('capture', key, text);
    const { ingest } = realHandlers(s3, NOW);
    const emf = captureEmf();
    // When
    const viaNotification = await ingest(objectCreated(key, text.length));
    const viaBackfill = await ingest({ bucket: 'capture', key }).finally(() => emf.restore());
    // Then
    expect([viaNotification.profiled, viaBackfill.profiled]).toEqual([1, 0]);
    expect(viaBackfill.objects[0]).toMatchObject({ reason: 'already-profiled' });
    expect(findMetrics(emf.metrics(), 'RecordsAccepted', DIMS).map((m) => m.value)).toEqual([12]);
  });

  it('computes a new count when the object is replaced by new content (a new ETag is new data)', async () => {
    // Given
    const key = `${HOUR_PREFIX}/replaced.jsonl`;
    const { ingest } = realHandlers(s3, NOW);
    await s3.put('capture', key, captureText(5));
    await ingest(objectCreated(key, 1));
    const emf = captureEmf();
    // When
    await s3.put('capture', key, captureText(7, 3));
    const again = await ingest(objectCreated(key, 1)).finally(() => emf.restore());
    // Then
    expect(again.objects[0]).toMatchObject({
      status: 'profiled',
      records: { accepted: 7 },
      metricsPublished: true,
    });
    expect(findMetrics(emf.metrics(), 'RecordsAccepted', DIMS).map((m) => m.value)).toEqual([7]);
  });

  it('computes the profile again after a baseline rotation, without counting its records again', async () => {
    // Given: a profile built against the first baseline
    const key = `${HOUR_PREFIX}/rotated.jsonl`;
    const text = captureText(9);
    await s3.put('capture', key, text);
    await realHandlers(s3, NOW).ingest(objectCreated(key, text.length));
    // ... then the baseline files are rewritten (new ETags, so a new fingerprint)
    const constraints = await s3.getText('baselines', 'churn/constraints.json');
    await s3.put('baselines', 'churn/constraints.json', `${constraints}\n`);
    const emf = captureEmf();
    // When: a backfill re-ingests the object with a fresh container
    const rebuilt = await realHandlers(s3, NOW)
      .ingest({ bucket: 'capture', key })
      .finally(() => emf.restore());
    // Then
    expect(rebuilt.objects[0]).toMatchObject({ status: 'profiled', metricsPublished: false });
    expect(findMetrics(emf.metrics(), 'RecordsAccepted', DIMS)).toEqual([]);
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: 'reports', Key: `${PROFILE_PREFIX}rotated.profile.json` }),
    );
    expect(head.Metadata?.[PROFILE_METADATA.baseline]).toContain('constraints.json=');
  });

  it('computes identical files and metrics when the same window is evaluated twice', async () => {
    // Given: the hour's profiles written by the tests above
    const { evaluate } = realHandlers(s3, NOW);
    const files = ['statistics.json', 'constraint_violations.json', 'drift-report.json'];
    const emf1 = captureEmf();
    // When
    const first = await evaluate({ endpoint: 'churn' }).finally(() => emf1.restore());
    const firstFiles = await Promise.all(
      files.map((f) => s3.getText('reports', `${prefixKey(first.reportPrefix)}${f}`)),
    );
    const emf2 = captureEmf();
    const second = await evaluate({ endpoint: 'churn' }).finally(() => emf2.restore());
    const secondFiles = await Promise.all(
      files.map((f) => s3.getText('reports', `${prefixKey(second.reportPrefix)}${f}`)),
    );
    // Then
    expect(first.status).toBe('evaluated');
    expect(second).toEqual(first);
    expect(firstFiles.every((t) => t.length > 0)).toBe(true);
    expect(secondFiles).toEqual(firstFiles);
    // Window metrics are timestamped at the window's end, so both runs publish the same data points;
    // BaselineUnavailable is a heartbeat of the invocation and carries its own time.
    const points = (m: EmittedMetric[]) =>
      m.map((x) => (x.name === 'BaselineUnavailable' ? { ...x, timestamp: 0 } : x));
    expect(emf1.metrics().filter((m) => m.timestamp === Date.parse(first.windowEnd)).length).toBeGreaterThan(
      5,
    );
    expect(points(emf2.metrics())).toEqual(points(emf1.metrics()));
    // And no alarm on these metrics adds data points up (Sum, SampleCount): the deployed alarms see the window
    // evaluated twice as they see it once
    const windowMetrics = new Set(
      emf1
        .metrics()
        .filter((m) => m.timestamp === Date.parse(first.windowEnd))
        .map((m) => m.name),
    );
    const alarms = alarmsOfTemplate(exampleApp().template().toJSON() as CfnTemplate).filter(
      (a): a is MetricAlarmDefinition => a.kind === 'metric' && windowMetrics.has(a.metricName),
    );
    expect(new Set(alarms.map((a) => a.metricName))).toEqual(
      new Set(['FeatureDrifted', 'DriftedFeatureShare', 'Violations']),
    );
    for (const alarm of alarms) {
      expect(['Maximum', 'Minimum', 'Average'], `${alarm.name} (${alarm.metricName})`).toContain(
        alarm.statistic,
      );
    }
  });
});

describe('idempotent ingest: the conditional create (aws-sdk-client-mock)', () => {
  // Created here, not at import: mocking S3Client's prototype would also capture the s3rver tests' client.
  let s3: AwsClientStub<S3Client>;
  beforeAll(() => {
    s3 = mockClient(S3Client);
  });
  afterAll(() => {
    s3.restore();
  });
  const KEY = 'datacapture/churn/AllTraffic/2026/11/26/10/race.jsonl';
  const PROFILE = 'dw/profiles/churn/AllTraffic/2026/11/26/10/race.profile.json';
  const text = captureText(4);

  it('computes a skip without metrics when a concurrent delivery created the profile first (412)', async () => {
    // Given: no profile at HEAD time, but the create-only PUT loses the race
    s3.reset();
    await serveBaseline(s3);
    s3.on(GetObjectCommand, { Bucket: 'capture', Key: KEY }).callsFake(() => ({
      Body: s3Body(text),
      ETag: '"source-1"',
    }));
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: PROFILE }).resolves({ Contents: [] });
    const precondition = Object.assign(
      new Error('At least one of the pre-conditions you specified did not hold'),
      {
        name: 'PreconditionFailed',
        $metadata: { httpStatusCode: 412 },
      },
    );
    s3.on(PutObjectCommand, { Bucket: 'reports', Key: PROFILE }).rejects(precondition);
    const { deps, metrics } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const result = await createHandler(deps)(objectCreated(KEY, text.length));
    // Then: the PUT was create-only and carried the source ETag; nothing was counted
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'reports',
      Key: PROFILE,
      IfNoneMatch: '*',
      Metadata: {
        [PROFILE_METADATA.sourceEtag]: 'source-1',
        [PROFILE_METADATA.baseline]: expect.any(String),
      },
    });
    expect(result.objects[0]).toMatchObject({ status: 'skipped', reason: 'already-profiled' });
    expect(valuesOf(metrics.flushed, 'RecordsAccepted', DIMS)).toEqual([]);
  });

  it('computes a skip before reading the object when its profile already names the same ETag and baseline', async () => {
    // Given: the profile's metadata names this content and the current baseline
    s3.reset();
    await serveBaseline(s3);
    s3.on(GetObjectCommand, { Bucket: 'capture', Key: KEY }).callsFake(() => ({
      Body: s3Body(text),
      ETag: '"source-1"',
    }));
    const { deps, metrics } = unitDeps(oneEndpointConfig(), NOW);
    const baseline = await deps.baselines.get();
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: PROFILE }).resolves({
      Contents: [{ Key: PROFILE, ETag: '"p"', Size: 10 }],
    });
    s3.on(HeadObjectCommand, { Bucket: 'reports', Key: PROFILE }).resolves({
      ETag: '"p"',
      ContentLength: 10,
      Metadata: {
        [PROFILE_METADATA.sourceEtag]: 'source-1',
        [PROFILE_METADATA.baseline]: baseline.fingerprint,
      },
    });
    // When
    const result = await createHandler(deps)(objectCreated(KEY, text.length));
    // Then
    expect(result.objects[0]).toMatchObject({ status: 'skipped', reason: 'already-profiled' });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(valuesOf(metrics.flushed, 'RecordsAccepted', DIMS)).toEqual([]);
  });
});

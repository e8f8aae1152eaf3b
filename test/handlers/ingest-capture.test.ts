import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DatasetProfileState } from '../../functions/core/profile/dataset-profile.js';
import {
  BaselineError,
  ConfigurationError,
  InputError,
  InvalidEventError,
  StorageError,
} from '../../functions/errors.js';
import { createHandler, defaultDeps } from '../../functions/handlers/ingest-capture.js';
import { s3Body, s3Error } from '../support/s3-mock.js';
import { oneEndpointConfig, valuesOf } from './support/deps.js';
import { BASELINE_ROWS, captureLine, serveBaseline, unitDeps } from './support/fixtures.js';

const s3 = mockClient(S3Client);
const KEY = 'datacapture/churn/AllTraffic/2026/11/26/10/00-01-002-abc.jsonl';
const PROFILE_KEY = 'dw/profiles/churn/AllTraffic/2026/11/26/10/00-01-002-abc.profile.json';
const NOW = new Date('2026-11-26T10:30:00Z');
const DIMS = { Endpoint: 'churn', Variant: 'AllTraffic' };

const notification = (key: string, size = 100) => ({
  Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'capture' }, object: { key, size } } }],
});

/** Capture lines of the baseline rows (optionally shifted), one second apart from 10:00:00, plus one bad line. */
function captureFile(shift = 0): { text: string; lines: number; last: string } {
  const lines = BASELINE_ROWS.map((r, i) =>
    captureLine(
      `${Number(r.x) + shift},${r.c}`,
      `2026-11-26T10:0${Math.floor(i / 60)}:${String(i % 60).padStart(2, '0')}Z`,
    ),
  );
  lines.push('{"captureData": not json');
  return { text: `${lines.join('\n')}\n`, lines: lines.length, last: '2026-11-26T10:03:19Z' };
}

function serveCapture(text: string): void {
  s3.on(GetObjectCommand, { Bucket: 'capture', Key: KEY }).callsFake(() => ({
    Body: s3Body(text),
    ContentLength: Buffer.byteLength(text),
  }));
}

describe('ingest-capture handler', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    // No profile written yet: the idempotency check lists nothing.
    s3.on(ListObjectsV2Command, { Bucket: 'reports' }).resolves({ Contents: [] });
  });

  it('computes the profile of a notified capture object, writes it to the derived key and publishes its metrics', async () => {
    // Given: the baseline's own rows captured (no drift) plus one unreadable line
    await serveBaseline(s3);
    const file = captureFile();
    serveCapture(file.text);
    const { deps, metrics, log } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const result = await createHandler(deps)(notification(KEY));
    // Then: the exact S3 calls
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'baselines', Prefix: 'churn/' });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'baselines',
      Key: 'churn/baseline.json',
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'baselines',
      Key: 'churn/constraints.json',
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'capture', Key: KEY });
    expect(s3).toHaveReceivedCommandExactlyOnceWith(PutObjectCommand, {
      Bucket: 'reports',
      Key: PROFILE_KEY,
      ContentType: 'application/json',
    });
    const written = JSON.parse(
      s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body as string,
    ) as DatasetProfileState;
    expect(written.records).toEqual({ lines: file.lines, accepted: 200, rejected: 1 });
    expect(written.rows).toBe(200);
    expect(written.features.map((f) => [f.name, f.count, f.missing])).toEqual([
      ['x', 200, 0],
      ['c', 200, 0],
    ]);
    // Then: the result
    expect(result).toMatchObject({
      profiled: 1,
      skipped: 0,
      objects: [
        {
          status: 'profiled',
          variant: 'AllTraffic',
          profile: `s3://reports/${PROFILE_KEY}`,
          records: { lines: file.lines, accepted: 200, rejected: 1 },
          rows: 200,
          driftedFeatureShare: 0,
          rejections: [{ line: 201 }],
        },
      ],
    });
    // Then: the metrics, flushed once; ProcessingTime is the clock's one 250 ms step
    expect(metrics.flushes).toBe(1);
    const f = metrics.flushed;
    expect(valuesOf(f, 'RecordsAccepted', DIMS)).toEqual([200]);
    expect(valuesOf(f, 'RecordsRejected', DIMS)).toEqual([1]);
    expect(valuesOf(f, 'RejectedRecordRate', DIMS)).toEqual([1 / 201]);
    expect(valuesOf(f, 'ProcessingTime', DIMS)).toEqual([250]);
    expect(valuesOf(f, 'CaptureToMetricLag', DIMS)).toEqual([
      (NOW.getTime() + 250 - Date.parse(file.last)) / 1000,
    ]);
    expect(valuesOf(f, 'ObjectDriftedFeatureShare', DIMS)).toEqual([0]);
    expect(valuesOf(f, 'BaselineUnavailable', { Endpoint: 'churn' })).toEqual([0]);
    expect(f.every((m) => m.namespace === 'driftwatch')).toBe(true);
    expect(log.entries.map((e) => [e.level, e.message])).toEqual([['info', 'profiled object']]);
  });

  it('computes the per-object drift signal: a shifted numeric feature drifts, the categorical one does not', async () => {
    // Given: x shifted past the baseline's maximum (KS D = 1), c unchanged
    await serveBaseline(s3);
    serveCapture(captureFile(100).text);
    const { deps, metrics } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const result = await createHandler(deps)(notification(KEY));
    // Then
    expect(result.objects[0]).toMatchObject({ driftedFeatureShare: 0.5 });
    expect(valuesOf(metrics.flushed, 'ObjectDriftedFeatureShare', DIMS)).toEqual([0.5]);
  });

  it.each([
    ['another bucket', { bucket: 'elsewhere', key: KEY }, 'not-capture-bucket'],
    [
      'a key outside the capture prefix',
      { bucket: 'capture', key: 'other/churn/AllTraffic/2026/11/26/10/a.jsonl' },
      'not-capture-key',
    ],
    [
      'a key not in the hourly layout',
      { bucket: 'capture', key: 'datacapture/churn/AllTraffic/a.jsonl' },
      'not-capture-key',
    ],
    [
      'another endpoint',
      { bucket: 'capture', key: 'datacapture/fraud/AllTraffic/2026/11/26/10/a.jsonl' },
      'other-endpoint',
    ],
    [
      'a variant not configured',
      { bucket: 'capture', key: 'datacapture/churn/Shadow/2026/11/26/10/a.jsonl' },
      'variant-not-monitored',
    ],
    [
      'a file that is not JSON Lines',
      { bucket: 'capture', key: 'datacapture/churn/AllTraffic/2026/11/26/10/a.csv' },
      'not-jsonl',
    ],
  ])('computes a skip with a log line for %s, touching nothing', async (_, event, reason) => {
    // Given
    const { deps, metrics, log } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const result = await createHandler(deps)(event);
    // Then
    expect(result).toMatchObject({ profiled: 0, skipped: 1, objects: [{ status: 'skipped', reason }] });
    expect(s3.calls()).toHaveLength(0);
    expect(metrics.flushed).toEqual([]);
    expect(log.entries).toMatchObject([
      { level: 'info', message: 'skipped object', attributes: { reason, key: event.key } },
    ]);
  });

  it('computes a skip and ObjectsTooLarge = 1 for an object larger than payload.maxObjectBytes, without reading it', async () => {
    // Given
    const config = oneEndpointConfig({ payload: { maxObjectBytes: 1000 } });
    const { deps, metrics, log } = unitDeps(config, NOW);
    // When
    const result = await createHandler(deps)(notification(KEY, 1001));
    // Then
    expect(result.objects).toMatchObject([
      {
        status: 'skipped',
        reason: 'too-large',
        detail: '1001 bytes, more than payload.maxObjectBytes (1000)',
      },
    ]);
    expect(s3.calls()).toHaveLength(0);
    expect(valuesOf(metrics.flushed, 'ObjectsTooLarge', DIMS)).toEqual([1]);
    expect(log.entries).toMatchObject([{ level: 'warn', message: 'skipped object' }]);
  });

  it('computes the size of a directly invoked object with HeadObject before reading it', async () => {
    // Given: the backfill's {bucket, key} payload carries no size
    await serveBaseline(s3);
    const file = captureFile();
    serveCapture(file.text);
    s3.on(HeadObjectCommand, { Bucket: 'capture', Key: KEY }).resolves({
      ContentLength: Buffer.byteLength(file.text),
    });
    const { deps } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const result = await createHandler(deps)({ bucket: 'capture', key: KEY });
    // Then
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: 'capture', Key: KEY });
    expect(result.objects[0]).toMatchObject({ status: 'profiled', profile: `s3://reports/${PROFILE_KEY}` });
  });

  it('computes a skip for a directly invoked object that no longer exists', async () => {
    // Given
    s3.on(HeadObjectCommand).rejects(
      new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    const { deps } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const result = await createHandler(deps)({ bucket: 'capture', key: KEY });
    // Then
    expect(result.objects).toMatchObject([{ status: 'skipped', reason: 'not-found' }]);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('computes the profile of a gzip-compressed capture object like the plain one', async () => {
    // Given
    await serveBaseline(s3);
    const gz = gzipSync(captureFile().text);
    s3.on(GetObjectCommand, { Bucket: 'capture', Key: `${KEY}.gz` }).callsFake(() => ({
      Body: s3Body(gz),
      ContentLength: gz.length,
    }));
    const { deps } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const result = await createHandler(deps)(notification(`${KEY}.gz`, gz.length));
    // Then: the same profile key as the plain file (re-compressing an object overwrites its profile)
    expect(result.objects[0]).toMatchObject({
      status: 'profiled',
      profile: `s3://reports/${PROFILE_KEY}`,
      records: { accepted: 200, rejected: 1 },
    });
  });

  it('throws when an object starting like gzip is not readable gzip (InputError naming the object)', async () => {
    // Given: the gzip magic bytes followed by garbage
    await serveBaseline(s3);
    s3.on(GetObjectCommand, { Bucket: 'capture', Key: `${KEY}.gz` }).callsFake(() => ({
      Body: s3Body(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03])),
    }));
    const { deps } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const failure = await createHandler(deps)(notification(`${KEY}.gz`)).catch((err: unknown) => err);
    // Then
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as Error).message).toMatch(`s3://capture/${KEY}.gz: not a readable gzip file`);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('computes every record of a multi-record S3 notification, in order', async () => {
    // Given: a deletion and a creation in one notification
    await serveBaseline(s3);
    serveCapture(captureFile().text);
    const { deps } = unitDeps(oneEndpointConfig(), NOW);
    const event = {
      Records: [
        { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'capture' }, object: { key: KEY } } },
        ...notification(KEY).Records,
      ],
    };
    // When
    const result = await createHandler(deps)(event);
    // Then
    expect(result).toMatchObject({
      profiled: 1,
      skipped: 1,
      objects: [{ status: 'skipped', reason: 'not-object-created' }, { status: 'profiled' }],
    });
  });

  it('computes the baseline once per container and again only when an ETag changes', async () => {
    // Given
    await serveBaseline(s3, 'b1');
    serveCapture(captureFile().text);
    const { deps } = unitDeps(oneEndpointConfig(), NOW);
    const handler = createHandler(deps);
    const baselineReads = () =>
      s3.commandCalls(GetObjectCommand).filter((c) => c.args[0].input.Key === 'churn/baseline.json').length;
    // When: two objects, then the baseline is replaced
    await handler(notification(KEY));
    await handler(notification(KEY));
    const afterTwo = baselineReads();
    await serveBaseline(s3, 'b2');
    serveCapture(captureFile().text);
    await handler(notification(KEY));
    // Then: listed every time, read twice in all
    expect(afterTwo).toBe(1);
    expect(baselineReads()).toBe(2);
    const baselineLists = s3
      .commandCalls(ListObjectsV2Command)
      .filter((c) => c.args[0].input.Bucket === 'baselines');
    expect(baselineLists).toHaveLength(3);
  });

  it('throws when the baseline prefix has no baseline (BaselineError) after publishing BaselineUnavailable = 1', async () => {
    // Given
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    const { deps, metrics, log } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const failure = await createHandler(deps)(notification(KEY)).catch((err: unknown) => err);
    // Then
    expect(failure).toBeInstanceOf(BaselineError);
    expect((failure as Error).message).toBe(
      's3://baselines/churn/: no baseline.json or statistics.json; build one with `driftwatch baseline`',
    );
    expect(valuesOf(metrics.flushed, 'BaselineUnavailable', { Endpoint: 'churn' })).toEqual([1]);
    expect(log.entries).toMatchObject([{ level: 'error', message: 'baseline unavailable' }]);
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'capture', Key: KEY });
  });

  it('throws when the baseline is not JSON (BaselineError naming the file)', async () => {
    // Given
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'churn/statistics.json', ETag: '"s"' }] });
    s3.on(GetObjectCommand, { Bucket: 'baselines', Key: 'churn/statistics.json' }).callsFake(() => ({
      Body: s3Body('{"version": 0, "features": ['),
    }));
    const { deps, metrics } = unitDeps(oneEndpointConfig(), NOW);
    // When / Then
    await expect(createHandler(deps)(notification(KEY))).rejects.toThrow(
      /^s3:\/\/baselines\/churn\/: s3:\/\/baselines\/churn\/statistics\.json: invalid JSON/,
    );
    expect(valuesOf(metrics.flushed, 'BaselineUnavailable', { Endpoint: 'churn' })).toEqual([1]);
  });

  it('throws when S3 fails reading the capture object (StorageError, so it is retried)', async () => {
    // Given
    await serveBaseline(s3);
    s3.on(GetObjectCommand, { Bucket: 'capture', Key: KEY }).rejects(
      s3Error('SlowDown', 503, 'Reduce your request rate.'),
    );
    const { deps, metrics } = unitDeps(oneEndpointConfig(), NOW);
    // When / Then
    await expect(createHandler(deps)(notification(KEY))).rejects.toBeInstanceOf(StorageError);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(metrics.flushes).toBe(1);
  });

  it('throws when a configured drift method does not apply to the baseline column (ConfigurationError)', async () => {
    // Given: chi2 (categorical only) for x, which the baseline profiles as numeric
    await serveBaseline(s3);
    serveCapture(captureFile().text);
    const { deps } = unitDeps(
      oneEndpointConfig({ features: [{ name: 'x', drift: { method: 'chi2' } }] }),
      NOW,
    );
    // When / Then
    await expect(createHandler(deps)(notification(KEY))).rejects.toThrow(
      new ConfigurationError(
        'drift method "chi2" does not apply to numeric feature "x"; use one of auto, linf, linf_robust, ks, psi, js, wasserstein, wasserstein_norm',
      ),
    );
  });

  it('throws when the event has no accepted shape (InvalidEventError), still flushing metrics', async () => {
    // Given
    const { deps, metrics } = unitDeps(oneEndpointConfig(), NOW);
    // When / Then
    await expect(createHandler(deps)({ Records: 'nope' })).rejects.toBeInstanceOf(InvalidEventError);
    expect(metrics.flushes).toBe(1);
  });
});

describe('ingest-capture defaultDeps', () => {
  async function configFile(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'driftwatch-deps-'));
    const path = join(dir, 'driftwatch.config.json');
    await writeFile(
      path,
      JSON.stringify({
        version: 1,
        endpoints: [
          {
            name: 'churn',
            capture: { s3Uri: 's3://capture/dc' },
            baseline: { s3Uri: 's3://baselines/churn' },
          },
        ],
      }),
    );
    return path;
  }

  it('computes the endpoint context from the configuration file and the environment', async () => {
    // Given
    const env = {
      DRIFTWATCH_CONFIG_PATH: await configFile(),
      DRIFTWATCH_ENDPOINT: 'churn',
      DRIFTWATCH_REPORTS_BUCKET: 'reports',
      DRIFTWATCH_REPORTS_PREFIX: '/dw/',
    };
    // When
    const deps = defaultDeps(env);
    // Then
    expect(deps.endpoint).toMatchObject({
      endpointName: 'churn',
      variants: ['AllTraffic'],
      monitoringScheduleName: 'churn-driftwatch',
      capture: { bucket: 'capture', key: 'dc' },
      baseline: { bucket: 'baselines', key: 'churn' },
      reports: { bucket: 'reports', key: 'dw' },
      windowHours: 1,
      delayMinutes: 15,
      maxObjectBytes: 5 * 1024 ** 3,
    });
  });

  it('throws when the bundled configuration file is missing (ConfigurationError)', () => {
    // Given: no DRIFTWATCH_CONFIG_PATH, and no driftwatch.config.json beside the source file
    // When / Then
    expect(() => defaultDeps({ DRIFTWATCH_ENDPOINT: 'churn', DRIFTWATCH_REPORTS_BUCKET: 'r' })).toThrow(
      /driftwatch\.config\.json: no such file; the stack bundles it next to the handler, or set DRIFTWATCH_CONFIG_PATH/,
    );
  });

  it.each([
    [{ DRIFTWATCH_REPORTS_BUCKET: 'r' }, 'environment variable DRIFTWATCH_ENDPOINT is not set'],
    [{ DRIFTWATCH_ENDPOINT: 'churn' }, 'environment variable DRIFTWATCH_REPORTS_BUCKET is not set'],
    [
      { DRIFTWATCH_ENDPOINT: 'fraud', DRIFTWATCH_REPORTS_BUCKET: 'r' },
      'endpoint "fraud" is not configured (configured: "churn")',
    ],
  ])('throws when the environment is %j (ConfigurationError)', async (env, message) => {
    // Given
    const path = await configFile();
    // When / Then
    expect(() => defaultDeps({ DRIFTWATCH_CONFIG_PATH: path, ...env })).toThrow(ConfigurationError);
    expect(() => defaultDeps({ DRIFTWATCH_CONFIG_PATH: path, ...env })).toThrow(message);
  });

  it('throws when the configuration file is invalid (ConfigurationError listing the problems)', async () => {
    // Given
    const dir = await mkdtemp(join(tmpdir(), 'driftwatch-deps-'));
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ version: 2, endpoints: [] }));
    // When / Then
    expect(() =>
      defaultDeps({
        DRIFTWATCH_CONFIG_PATH: path,
        DRIFTWATCH_ENDPOINT: 'churn',
        DRIFTWATCH_REPORTS_BUCKET: 'r',
      }),
    ).toThrow(/bad\.json: version: expected 1/);
  });
});

/**
 * Faults: S3 throttling (503 SlowDown) survived by the SDK's own retries, exhausted retries failing the
 * invocation with a typed error, a poison object failing every attempt the same way (so Lambda's retries end in
 * the dead-letter queue), and a missing or corrupt baseline giving one clear error plus BaselineUnavailable = 1,
 * then recovering without a cold start once the baseline is fixed.
 *
 * aws-sdk-client-mock replaces `send`, which skips the SDK's retry middleware; to prove the retries the faults
 * are injected one level lower, in the client's HTTP request handler, in front of a real s3rver.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineError, InputError, StorageError } from '../../functions/errors.js';
import { captureEmf, findMetrics } from '../handlers/support/emf.js';
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

interface SentRequest {
  method: string;
  path: string;
}
interface RequestHandlerLike {
  handle(request: SentRequest & Record<string, unknown>, options?: unknown): Promise<{ response: unknown }>;
}

/**
 * An S3 client on `s3` whose HTTP handler answers, for each [predicate, times] of `faults`, the first `times`
 * matching requests with 503 SlowDown (S3's throttling error), and passes everything else to the real handler.
 * Counts every attempt.
 */
function throttlingClient(s3: LocalS3, faults: [(r: SentRequest) => boolean, number][]) {
  // The SDK's standard retry mode with its default 3 attempts, stated so that the counts below are explained.
  const client = new S3Client({ ...s3.clientConfig, retryMode: 'standard', maxAttempts: 3 });
  const config = client.config as unknown as { requestHandler: RequestHandlerLike };
  const real = config.requestHandler;
  const attempts: SentRequest[] = [];
  let injected = 0;
  config.requestHandler = {
    handle: async (request, options) => {
      attempts.push({ method: request.method, path: request.path });
      const fault = faults.find(([matches, times]) => times > 0 && matches(request));
      if (fault) {
        fault[1] -= 1;
        injected += 1;
        const body = Readable.from([
          Buffer.from(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
          ),
        ]);
        return {
          response: {
            statusCode: 503,
            reason: 'Slow Down',
            headers: { 'content-type': 'application/xml' },
            body,
          },
        };
      }
      return real.handle(request, options);
    },
  };
  return { client, attempts, injected: () => injected };
}

function captureText(n: number): string {
  return `${Array.from({ length: n }, (_, i) => JSON.stringify(captureRecord(String(i % 50), i % 2 ? 'b' : 'a', { eventId: `f${i}` }))).join('\n')}\n`;
}

describe('faults', () => {
  let s3: LocalS3;

  beforeAll(async () => {
    s3 = await startBaselinedS3();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('computes the profile when S3 throttles reads and writes (503 SlowDown), through the SDK retries', async () => {
    // Given: the first 2 GETs of the capture object and the first PUT of its profile are throttled
    const key = `${HOUR_PREFIX}/throttled.jsonl`;
    await s3.put('capture', key, captureText(20));
    const isCaptureGet = (r: SentRequest) => r.method === 'GET' && r.path.endsWith('/throttled.jsonl');
    const isProfilePut = (r: SentRequest) => r.method === 'PUT' && r.path.endsWith('/throttled.profile.json');
    const throttled = throttlingClient(s3, [
      [isCaptureGet, 2],
      [isProfilePut, 1],
    ]);
    const { ingest } = realHandlers({ ...s3, client: throttled.client }, NOW);
    const emf = captureEmf();
    // When
    const result = await ingest(objectCreated(key, 1)).finally(() => emf.restore());
    // Then: profiled and counted once; 3 faults injected; the SDK sent 3 GETs (2 retried) and 2 PUTs (1 retried)
    expect(result.objects[0]).toMatchObject({ status: 'profiled', records: { accepted: 20, rejected: 0 } });
    expect(throttled.injected()).toBe(3);
    expect(throttled.attempts.filter(isCaptureGet)).toHaveLength(3);
    expect(throttled.attempts.filter(isProfilePut)).toHaveLength(2);
    expect(findMetrics(emf.metrics(), 'RecordsAccepted', DIMS).map((m) => m.value)).toEqual([20]);
  });

  it('throws a StorageError naming the object after the SDK gives up (3 attempts), counting nothing', async () => {
    // Given: every GET of the capture object is throttled
    const key = `${HOUR_PREFIX}/always-throttled.jsonl`;
    await s3.put('capture', key, captureText(5));
    const isCaptureGet = (r: SentRequest) => r.method === 'GET' && r.path.endsWith('/always-throttled.jsonl');
    const throttled = throttlingClient(s3, [[isCaptureGet, Number.POSITIVE_INFINITY]]);
    const { ingest } = realHandlers({ ...s3, client: throttled.client }, NOW);
    const emf = captureEmf();
    // When
    const failure = await ingest(objectCreated(key, 1))
      .catch((err: unknown) => err)
      .finally(() => emf.restore());
    // Then: Lambda retries the invocation (then the dead-letter queue) on this typed error
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as Error).message).toMatch(`GetObject s3://capture/${key} failed: SlowDown (HTTP 503)`);
    expect(throttled.attempts.filter(isCaptureGet)).toHaveLength(3);
    expect(findMetrics(emf.metrics(), 'RecordsAccepted', DIMS)).toEqual([]);
  });

  it('throws the same InputError naming the key on every attempt for a poison object, writing nothing', async () => {
    // Given: an object that starts like gzip but is not (a poison object: no retry can read it)
    const key = `${HOUR_PREFIX}/poison.jsonl.gz`;
    await s3.put('capture', key, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]));
    const event = objectCreated(key, 8);
    const emf = captureEmf();
    // When: the first invocation and Lambda's two asynchronous retries (retryAttempts 2, then the DLQ)
    const failures: unknown[] = [];
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        failures.push(
          await realHandlers(s3, NOW)
            .ingest(event)
            .catch((err: unknown) => err),
        );
      }
    } finally {
      emf.restore();
    }
    // Then: one clear, identical error each time; no profile, no record counts. Lambda's dead-letter message is
    // the event itself, so it carries the key.
    const messages = failures.map((f) => (f as Error).message);
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(`s3://capture/${key}: not a readable gzip file`);
    expect(failures.every((f) => f instanceof InputError)).toBe(true);
    expect(JSON.stringify(event)).toContain(key);
    const listed = await realHandlers(s3, NOW).deps.store.head({
      bucket: 'reports',
      key: `${PROFILE_PREFIX}poison.profile.json`,
    });
    expect(listed).toBeUndefined();
    expect(findMetrics(emf.metrics(), 'RecordsAccepted', DIMS)).toEqual([]);
  });

  it('throws one BaselineError and publishes BaselineUnavailable = 1 while the baseline is corrupt, then recovers', async () => {
    // Given: a capture object, and a baseline.json that is not JSON
    const key = `${HOUR_PREFIX}/baseline-fault.jsonl`;
    await s3.put('capture', key, captureText(4));
    const good = await realHandlers(s3, NOW).deps.store.getJson({
      bucket: 'baselines',
      key: 'churn/baseline.json',
    });
    await s3.put('baselines', 'churn/baseline.json', '{"format": "driftwatch.baseline", trunc');
    const handlers = realHandlers(s3, NOW);
    const emf = captureEmf();
    // When: two deliveries while it is corrupt, then one after it is fixed, in the same container
    const first = await handlers.ingest(objectCreated(key, 1)).catch((err: unknown) => err);
    const second = await handlers.ingest(objectCreated(key, 1)).catch((err: unknown) => err);
    await s3.put('baselines', 'churn/baseline.json', JSON.stringify(good));
    const third = await handlers.ingest(objectCreated(key, 1)).finally(() => emf.restore());
    // Then: the same clear error naming the file, the alarm's metric, and recovery without a new container
    for (const failure of [first, second]) {
      expect(failure).toBeInstanceOf(BaselineError);
      expect((failure as Error).message).toMatch(/^s3:\/\/baselines\/churn\/.*baseline\.json/);
    }
    expect(third.objects[0]).toMatchObject({ status: 'profiled', records: { accepted: 4 } });
    const unavailable = findMetrics(emf.metrics(), 'BaselineUnavailable', { Endpoint: 'churn' });
    expect(unavailable.map((m) => m.value)).toEqual([1, 1, 0]);
  });

  it('throws one BaselineError when the baseline is missing, for ingest and for the window evaluation', async () => {
    // Given: no baseline files at all
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'baselines', Key: 'churn/baseline.json' }));
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'baselines', Key: 'churn/constraints.json' }));
    const handlers = realHandlers(s3, NOW);
    const emf = captureEmf();
    // When
    const ingestFailure = await handlers
      .ingest(objectCreated(`${HOUR_PREFIX}/throttled.jsonl`, 1))
      .catch((err: unknown) => err);
    const evaluateFailure = await handlers.evaluate({ endpoint: 'churn' }).catch((err: unknown) => err);
    emf.restore();
    // Then
    for (const failure of [ingestFailure, evaluateFailure]) {
      expect(failure).toBeInstanceOf(BaselineError);
      expect((failure as Error).message).toMatch(/^s3:\/\/baselines\/churn\/: /);
    }
    expect(
      findMetrics(emf.metrics(), 'BaselineUnavailable', { Endpoint: 'churn' }).map((m) => m.value),
    ).toEqual([1, 1]);
  });
});

describe('CloudWatch and SNS throttling', () => {
  it('computes no CloudWatch or SNS API call in the functions: metrics are EMF log lines, alarms notify SNS', () => {
    // Given every source file of the deployed functions
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk('functions');
    // When their imports are read
    const clients = files.filter((f) =>
      /from '@aws-sdk\/client-(cloudwatch|sns)'/.test(readFileSync(f, 'utf8')),
    );
    // Then none can be throttled by PutMetricData or Publish (EMF is written to the function's log)
    expect(files.length).toBeGreaterThan(50);
    expect(clients).toEqual([]);
  });
});

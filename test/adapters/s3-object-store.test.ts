import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.js';
import { InputError, ObjectNotFoundError, StorageError } from '../../functions/errors.js';
import { s3Body, s3Error } from '../support/s3-mock.js';

const s3 = mockClient(S3Client);
const store = () => new S3ObjectStore(new S3Client({ region: 'us-east-1' }));
const serverError = () => s3Error('InternalError', 500, 'We encountered an internal error');

async function collect(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('S3ObjectStore', () => {
  beforeEach(() => s3.reset());

  it('computes a stream of the object body with its size and unquoted ETag', async () => {
    // Given
    s3.on(GetObjectCommand).resolves({ Body: s3Body('{"a":', '1}\n'), ContentLength: 8, ETag: '"abc"' });
    // When
    const opened = await store().getStream({ bucket: 'capture', key: 'd/e/v/2026/11/26/10/a.jsonl' });
    // Then
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'capture',
      Key: 'd/e/v/2026/11/26/10/a.jsonl',
    });
    expect(opened).toMatchObject({ size: 8, etag: 'abc' });
    expect(await collect(opened.body)).toBe('{"a":1}\n');
  });

  it('throws when a streamed object does not exist (ObjectNotFoundError)', async () => {
    // Given
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }),
    );
    // When / Then
    await expect(store().getStream({ bucket: 'b', key: 'missing.jsonl' })).rejects.toThrow(
      ObjectNotFoundError,
    );
    await expect(store().getStream({ bucket: 'b', key: 'missing.jsonl' })).rejects.toThrow(
      's3://b/missing.jsonl',
    );
  });

  it('throws when S3 fails after the SDK retries (StorageError naming the operation and status)', async () => {
    // Given
    s3.on(GetObjectCommand).rejects(serverError());
    // When
    const failure = await store()
      .getStream({ bucket: 'b', key: 'k.jsonl' })
      .catch((err: unknown) => err);
    // Then
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as Error).message).toBe(
      'GetObject s3://b/k.jsonl failed: InternalError (HTTP 500): We encountered an internal error',
    );
  });

  it('throws when the connection breaks while the body is read (StorageError)', async () => {
    // Given: a body that fails after its first chunk
    const failing = sdkStreamMixin(
      Readable.from(
        (async function* () {
          yield Buffer.from('{"a":1}\n');
          throw Object.assign(new Error('socket hang up'), { name: 'ECONNRESET' });
        })(),
      ),
    );
    s3.on(GetObjectCommand).resolves({ Body: failing });
    // When
    const opened = await store().getStream({ bucket: 'b', key: 'k.jsonl' });
    // Then
    await expect(collect(opened.body)).rejects.toThrow(StorageError);
  });

  it('computes parsed JSON of an object', async () => {
    // Given
    s3.on(GetObjectCommand, { Bucket: 'baselines', Key: 'churn/constraints.json' }).resolves({
      Body: s3Body('{"version":0,', '"features":[]}'),
    });
    // When
    const json = await store().getJson({ bucket: 'baselines', key: 'churn/constraints.json' });
    // Then
    expect(json).toEqual({ version: 0, features: [] });
  });

  it('throws when an object is not JSON (InputError naming the object)', async () => {
    // Given
    s3.on(GetObjectCommand).resolves({ Body: s3Body('{"version":') });
    // When
    const failure = await store()
      .getJson({ bucket: 'baselines', key: 'x/statistics.json' })
      .catch((err: unknown) => err);
    // Then
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as Error).message).toMatch(/^s3:\/\/baselines\/x\/statistics\.json: invalid JSON/);
  });

  it('throws when a JSON object does not exist (ObjectNotFoundError)', async () => {
    // Given
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    // When / Then
    await expect(store().getJson({ bucket: 'b', key: 'k.json' })).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('computes a PutObject of JSON with a trailing newline, compact or indented', async () => {
    // Given
    s3.on(PutObjectCommand).resolves({});
    // When
    await store().putJson({ bucket: 'reports', key: 'p/a.profile.json' }, { a: [1, 2] });
    await store().putJson({ bucket: 'reports', key: 'r/statistics.json' }, { a: 1 }, { indent: 2 });
    // Then
    expect(s3).toHaveReceivedNthCommandWith(PutObjectCommand, 1, {
      Bucket: 'reports',
      Key: 'p/a.profile.json',
      Body: '{"a":[1,2]}\n',
      ContentType: 'application/json',
    });
    expect(s3).toHaveReceivedNthCommandWith(PutObjectCommand, 2, {
      Bucket: 'reports',
      Key: 'r/statistics.json',
      Body: '{\n  "a": 1\n}\n',
      ContentType: 'application/json',
    });
  });

  it('throws when a PutObject fails (StorageError)', async () => {
    // Given
    s3.on(PutObjectCommand).rejects(serverError());
    // When / Then
    await expect(store().putJson({ bucket: 'reports', key: 'k' }, {})).rejects.toThrow(
      'PutObject s3://reports/k failed: InternalError (HTTP 500)',
    );
  });

  it('computes every object under a prefix across pages', async () => {
    // Given: two pages joined by a continuation token
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: 'p/' })
      .resolvesOnce({
        Contents: [
          { Key: 'p/a.profile.json', Size: 10, ETag: '"e1"' },
          { Key: 'p/b.profile.json', Size: 20, ETag: '"e2"' },
        ],
        IsTruncated: true,
        NextContinuationToken: 'token-1',
      })
      .resolvesOnce({ Contents: [{ Key: 'p/c.profile.json', Size: 30, ETag: '"e3"' }], IsTruncated: false });
    // When
    const listed = [];
    for await (const o of store().list('reports', 'p/')) listed.push(o);
    // Then
    expect(listed).toEqual([
      { key: 'p/a.profile.json', size: 10, etag: 'e1' },
      { key: 'p/b.profile.json', size: 20, etag: 'e2' },
      { key: 'p/c.profile.json', size: 30, etag: 'e3' },
    ]);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    expect(s3).toHaveReceivedNthCommandWith(ListObjectsV2Command, 1, { Bucket: 'reports', Prefix: 'p/' });
    expect(s3).toHaveReceivedNthCommandWith(ListObjectsV2Command, 2, {
      Bucket: 'reports',
      Prefix: 'p/',
      ContinuationToken: 'token-1',
    });
  });

  it('computes an empty listing for a prefix without objects', async () => {
    // Given
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0, IsTruncated: false });
    // When
    const listed = [];
    for await (const o of store().list('reports', 'none/')) listed.push(o);
    // Then
    expect(listed).toEqual([]);
  });

  it('throws when a listing page fails (StorageError)', async () => {
    // Given
    s3.on(ListObjectsV2Command).rejects(serverError());
    // When / Then
    const iterate = async () => {
      for await (const _ of store().list('reports', 'p/')) {
        // nothing
      }
    };
    await expect(iterate()).rejects.toThrow('ListObjectsV2 s3://reports/p/ failed: InternalError (HTTP 500)');
  });

  it('computes size and ETag with HeadObject, undefined for a missing object', async () => {
    // Given
    s3.on(HeadObjectCommand, { Bucket: 'capture', Key: 'a.jsonl' }).resolves({
      ContentLength: 123,
      ETag: '"e"',
    });
    s3.on(HeadObjectCommand, { Bucket: 'capture', Key: 'gone.jsonl' }).rejects(
      new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    // When
    const found = await store().head({ bucket: 'capture', key: 'a.jsonl' });
    const missing = await store().head({ bucket: 'capture', key: 'gone.jsonl' });
    // Then
    expect(found).toEqual({ key: 'a.jsonl', size: 123, etag: 'e' });
    expect(missing).toBeUndefined();
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: 'capture', Key: 'a.jsonl' });
  });

  it('throws when HeadObject is denied (StorageError, not "missing")', async () => {
    // Given: without s3:ListBucket S3 answers 403 for a missing key; that must not read as "not found"
    s3.on(HeadObjectCommand).rejects(s3Error('Forbidden', 403, ''));
    // When / Then
    await expect(store().head({ bucket: 'capture', key: 'a.jsonl' })).rejects.toThrow(StorageError);
  });
});

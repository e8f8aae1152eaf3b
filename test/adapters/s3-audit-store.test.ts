import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3AuditStore } from '../../functions/adapters/s3-audit-store.js';
import { StorageError } from '../../functions/errors.js';
import { s3Body, s3Error } from '../support/s3-mock.js';

const s3 = mockClient(S3Client);
const store = () => new S3AuditStore(new S3Client({ region: 'us-east-1' }), 'audit-bucket', '/audit/');

describe('S3AuditStore', () => {
  beforeEach(() => s3.reset());

  it('computes a created record with a conditional, checksummed PutObject', async () => {
    // Given S3 accepts the write
    s3.on(PutObjectCommand).resolves({});
    // When a record is created
    const created = await store().create('churn', '000000000003.json', '{"a":1}\n');
    // Then the request refuses to overwrite and carries a SHA-256 checksum (Object Lock buckets require one)
    expect(created).toBe(true);
    expect(s3).toReceiveCommandWith(PutObjectCommand, {
      Bucket: 'audit-bucket',
      Key: 'audit/churn/000000000003.json',
      Body: '{"a":1}\n',
      ContentType: 'application/json',
      IfNoneMatch: '*',
      ChecksumAlgorithm: 'SHA256',
    });
  });

  it.each([
    ['PreconditionFailed', 412],
    ['ConditionalRequestConflict', 409],
  ])('computes false when the key is taken (%s)', async (name, status) => {
    s3.on(PutObjectCommand).rejects(s3Error(name, status));
    expect(await store().create('churn', '000000000003.json', '{}')).toBe(false);
  });

  it('throws when S3 fails otherwise', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(store().create('churn', 'x.json', '{}')).rejects.toThrow(StorageError);
    await expect(store().create('churn', 'x.json', '{}')).rejects.toThrow(
      'PutObject s3://audit-bucket/audit/churn/x.json failed: AccessDenied',
    );
  });

  it('computes the endpoints and the record names of one endpoint', async () => {
    // Given objects of two endpoints, one nested deeper
    s3.on(ListObjectsV2Command, { Bucket: 'audit-bucket', Prefix: 'audit/' }).resolves({
      Contents: [
        { Key: 'audit/a/000000000000.json' },
        { Key: 'audit/b/000000000000.json' },
        { Key: 'audit/top.json' },
      ],
    });
    s3.on(ListObjectsV2Command, { Bucket: 'audit-bucket', Prefix: 'audit/a/' }).resolves({
      Contents: [
        { Key: 'audit/a/000000000001.json' },
        { Key: 'audit/a/000000000000.json' },
        { Key: 'audit/a/x/y.json' },
      ],
    });
    // When listed / Then
    expect(await store().endpoints()).toEqual(['a', 'b']);
    expect(await store().names('a')).toEqual(['000000000000.json', '000000000001.json']);
    expect(store().location).toBe('s3://audit-bucket/audit');
  });

  it('computes the parsed JSON of a record', async () => {
    s3.on(GetObjectCommand, { Bucket: 'audit-bucket', Key: 'audit/a/000000000000.json' }).resolves({
      Body: s3Body('{"sequence":0}'),
    });
    expect(await store().read('a', '000000000000.json')).toEqual({ sequence: 0 });
  });
});

import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** A real S3-protocol server on 127.0.0.1 for one test file, and a client configured for it. */
export interface LocalS3 {
  server: S3rver;
  client: S3Client;
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** What {@link client} is built from, for a client of one's own (other retry settings, a wrapped handler). */
  clientConfig: S3ClientConfig;
  /** The standard AWS_* variables that point an SDK client built from the environment at this server. */
  env: Readonly<Record<string, string>>;
  /** The temp directory the server stores its objects under. */
  directory: string;
  /** Uploads `body` as s3://`bucket`/`key`. */
  put(bucket: string, key: string, body: string | Uint8Array): Promise<void>;
  /** The body of s3://`bucket`/`key` as UTF-8 text. */
  getText(bucket: string, key: string): Promise<string>;
  /** The body of s3://`bucket`/`key` parsed as JSON. */
  getJson<T>(bucket: string, key: string): Promise<T>;
  /** Every key under `prefix` in `bucket`, all pages, in listing order. */
  listKeys(bucket: string, prefix: string): Promise<string[]>;
  /** Stops the server and deletes {@link directory}, unless `keep` (the demo leaves its objects to look at). */
  close(options?: { keep?: boolean }): Promise<void>;
}

/**
 * Starts s3rver on a free port of 127.0.0.1 with `buckets` created. `onEvent` receives the server's S3 event
 * notifications (the Lambda S3Event shape; @types/s3rver lacks the EventEmitter side, STACK-NOTES G11).
 */
export async function startLocalS3(
  buckets: readonly string[],
  onEvent?: (event: unknown) => void,
): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'driftwatch-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const emitter = server as unknown as EventEmitter;
  emitter.setMaxListeners(20);
  if (onEvent) emitter.on('event', onEvent);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig: S3ClientConfig = {
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    // s3rver's fixed credentials.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // s3rver stores aws-chunked framing of streamed uploads unless checksums are only sent when required (G11).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  const client = new S3Client(clientConfig);
  const getText = async (bucket: string, key: string) => {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString('utf-8')) ?? '';
  };
  return {
    server,
    client,
    endpoint,
    clientConfig,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    },
    directory,
    put: async (bucket, key, body) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    getText,
    getJson: async <T>(bucket: string, key: string) => JSON.parse(await getText(bucket, key)) as T,
    listKeys: async (bucket, prefix) => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    },
    close: async (options = {}) => {
      client.destroy();
      await server.close();
      if (options.keep !== true) await rm(directory, { recursive: true, force: true });
    },
  };
}

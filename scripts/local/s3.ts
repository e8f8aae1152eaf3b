import type { EventEmitter } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** A real S3-protocol server on 127.0.0.1 for one test file, and a client configured for it. */
export interface LocalS3 {
  server: S3rver;
  client: S3Client;
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The temp directory the server stores its objects under. */
  directory: string;
  /** Stops the server. */
  close(): Promise<void>;
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
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    // s3rver's fixed credentials.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // s3rver stores aws-chunked framing of streamed uploads unless checksums are only sent when required (G11).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    server,
    client,
    endpoint,
    directory,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

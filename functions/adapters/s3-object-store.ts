import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { InputError, ObjectExistsError, ObjectNotFoundError, StorageError } from '../errors.js';
import type {
  ObjectBody,
  ObjectInfo,
  ObjectLocation,
  ObjectStore,
  PutJsonOptions,
} from '../ports/object-store.js';

/** `s3://bucket/key`, for messages. */
export function s3Uri(location: ObjectLocation): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** S3 ETags arrive quoted (`"abc"`); the port's are bare. */
function bareEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^"(.*)"$/, '$1');
}

/** The fields of an AWS SDK v3 service error that the S3 adapters read. */
export interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function isNotFound(err: unknown): boolean {
  const e = err as SdkError;
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchBucket' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

/** A conditional create lost: the object exists (412) or a concurrent conditional write is in flight (409). */
export function lostConditionalCreate(err: unknown): boolean {
  const e = err as SdkError;
  const status = e?.$metadata?.httpStatusCode;
  return (
    e?.name === 'PreconditionFailed' ||
    e?.name === 'ConditionalRequestConflict' ||
    status === 412 ||
    status === 409
  );
}

/** Maps an SDK failure (already retried by the SDK) to the port's typed errors. */
function storageFailure(operation: string, where: string, err: unknown): Error {
  const e = err as SdkError;
  if (isNotFound(err))
    return new ObjectNotFoundError(`${where}: not found (${e?.name ?? 'NotFound'})`, { cause: err });
  const status = e?.$metadata?.httpStatusCode;
  return new StorageError(
    `${operation} ${where} failed: ${e?.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e?.message ?? String(err)}`,
    { cause: err },
  );
}

/** {@link ObjectStore} on Amazon S3 (or any S3-protocol server). */
export class S3ObjectStore implements ObjectStore {
  /** @param client an S3 client, created once per cold start by the handler's defaultDeps() */
  constructor(private readonly client: S3Client) {}

  async getStream(location: ObjectLocation): Promise<ObjectBody> {
    let response: GetObjectCommandOutput;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    } catch (err) {
      throw storageFailure('GetObject', s3Uri(location), err);
    }
    const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (!body || typeof body[Symbol.asyncIterator] !== 'function') {
      throw new StorageError(`GetObject ${s3Uri(location)} returned no readable body`);
    }
    const where = s3Uri(location);
    // A connection reset half-way through the object surfaces while iterating: type it like the request failures.
    async function* bytes(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of body as AsyncIterable<Uint8Array>) yield chunk;
      } catch (err) {
        throw storageFailure('reading', where, err);
      }
    }
    const etag = bareEtag(response.ETag);
    return {
      body: bytes(),
      ...(response.ContentLength !== undefined ? { size: response.ContentLength } : {}),
      ...(etag !== undefined ? { etag } : {}),
      cancel: () => body.destroy?.(),
    };
  }

  async getJson(location: ObjectLocation): Promise<unknown> {
    let text: string;
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: location.bucket, Key: location.key }),
      );
      const body = response.Body as
        | { transformToString?: (encoding?: string) => Promise<string> }
        | undefined;
      if (!body?.transformToString) throw new StorageError(`GetObject ${s3Uri(location)} returned no body`);
      text = await body.transformToString('utf-8');
    } catch (err) {
      if (err instanceof StorageError) throw err;
      throw storageFailure('GetObject', s3Uri(location), err);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new InputError(`${s3Uri(location)}: invalid JSON: ${(err as Error).message}`, { cause: err });
    }
  }

  async putJson(location: ObjectLocation, value: unknown, options: PutJsonOptions = {}): Promise<void> {
    const indent = options.indent ?? 0;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: location.bucket,
          Key: location.key,
          Body: `${JSON.stringify(value, null, indent > 0 ? indent : undefined)}\n`,
          ContentType: 'application/json',
          ...(options.metadata ? { Metadata: { ...options.metadata } } : {}),
          ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
        }),
      );
    } catch (err) {
      if (options.ifNoneMatch && lostConditionalCreate(err)) {
        throw new ObjectExistsError(`${s3Uri(location)}: already exists (If-None-Match)`, { cause: err });
      }
      throw storageFailure('PutObject', s3Uri(location), err);
    }
  }

  async *list(bucket: string, prefix: string): AsyncGenerator<ObjectInfo> {
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: bucket, Prefix: prefix });
    try {
      for await (const page of pages) {
        for (const o of page.Contents ?? []) {
          if (o.Key === undefined) continue;
          yield { key: o.Key, size: o.Size ?? 0, etag: bareEtag(o.ETag) ?? '' };
        }
      }
    } catch (err) {
      throw storageFailure('ListObjectsV2', `s3://${bucket}/${prefix}`, err);
    }
  }

  async head(location: ObjectLocation): Promise<ObjectInfo | undefined> {
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }),
      );
      return {
        key: location.key,
        size: response.ContentLength ?? 0,
        etag: bareEtag(response.ETag) ?? '',
        ...(response.Metadata ? { metadata: response.Metadata } : {}),
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw storageFailure('HeadObject', s3Uri(location), err);
    }
  }
}

import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StorageError } from '../errors.js';
import type { AuditStore } from '../ports/audit-store.js';
import { joinKey } from '../shared/s3-layout.js';
import { lostConditionalCreate, S3ObjectStore, type SdkError } from './s3-object-store.js';

/**
 * {@link AuditStore} on S3: objects `<prefix>/<endpoint>/<name>`. Records are created with `If-None-Match: *`, so
 * S3 itself refuses a second record with the same sequence, and with a SHA-256 checksum, which buckets with
 * Object Lock default retention require on every PutObject.
 */
export class S3AuditStore implements AuditStore {
  private readonly objects: S3ObjectStore;
  private readonly prefix: string;

  /**
   * @param client an S3 client, created once per cold start
   * @param bucket the audit bucket
   * @param prefix key prefix of the audit folders ('' for the bucket root)
   */
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    prefix: string,
  ) {
    this.objects = new S3ObjectStore(client);
    this.prefix = joinKey(prefix);
  }

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  private folder(endpoint: string): string {
    return `${joinKey(this.prefix, endpoint)}/`;
  }

  async endpoints(): Promise<string[]> {
    const root = this.prefix === '' ? '' : `${this.prefix}/`;
    const found = new Set<string>();
    for await (const object of this.objects.list(this.bucket, root)) {
      const rest = object.key.slice(root.length);
      const slash = rest.indexOf('/');
      if (slash > 0) found.add(rest.slice(0, slash));
    }
    return [...found].sort();
  }

  async names(endpoint: string): Promise<string[]> {
    const folder = this.folder(endpoint);
    const names: string[] = [];
    for await (const object of this.objects.list(this.bucket, folder)) {
      const name = object.key.slice(folder.length);
      if (name !== '' && !name.includes('/')) names.push(name);
    }
    return names.sort();
  }

  read(endpoint: string, name: string): Promise<unknown> {
    return this.objects.getJson({ bucket: this.bucket, key: `${this.folder(endpoint)}${name}` });
  }

  async create(endpoint: string, name: string, text: string): Promise<boolean> {
    const key = `${this.folder(endpoint)}${name}`;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: text,
          ContentType: 'application/json',
          IfNoneMatch: '*',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      return true;
    } catch (err) {
      if (lostConditionalCreate(err)) return false;
      const e = err as SdkError;
      throw new StorageError(
        `PutObject s3://${this.bucket}/${key} failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`,
        { cause: err },
      );
    }
  }
}

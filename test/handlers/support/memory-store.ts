import { ObjectNotFoundError } from '../../../functions/errors.js';
import type {
  ObjectBody,
  ObjectInfo,
  ObjectLocation,
  ObjectStore,
  PutJsonOptions,
} from '../../../functions/ports/object-store.js';

/** An ObjectStore held in memory (`bucket/key` -> text or bytes), with a log of every list and write. */
export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, string | Uint8Array>();
  readonly listed: string[] = [];
  readonly written: string[] = [];

  put(bucket: string, key: string, content: string | Uint8Array): void {
    this.objects.set(`${bucket}/${key}`, content);
  }

  text(bucket: string, key: string): string | undefined {
    const content = this.objects.get(`${bucket}/${key}`);
    return content === undefined || typeof content === 'string'
      ? content
      : Buffer.from(content).toString('utf8');
  }

  json<T>(bucket: string, key: string): T {
    const text = this.text(bucket, key);
    if (text === undefined) throw new Error(`no object s3://${bucket}/${key}`);
    return JSON.parse(text) as T;
  }

  async getStream(location: ObjectLocation): Promise<ObjectBody> {
    const content = this.objects.get(`${location.bucket}/${location.key}`);
    if (content === undefined)
      throw new ObjectNotFoundError(`s3://${location.bucket}/${location.key}: not found`);
    const bytes = Buffer.from(content);
    return {
      body: (async function* () {
        // Two chunks, split inside a line, as a network stream would deliver it.
        const half = Math.floor(bytes.length / 2);
        yield bytes.subarray(0, half);
        yield bytes.subarray(half);
      })(),
      size: bytes.length,
      cancel: () => {},
    };
  }

  async getJson(location: ObjectLocation): Promise<unknown> {
    const text = this.text(location.bucket, location.key);
    if (text === undefined)
      throw new ObjectNotFoundError(`s3://${location.bucket}/${location.key}: not found`);
    return JSON.parse(text);
  }

  async putJson(location: ObjectLocation, value: unknown, options: PutJsonOptions = {}): Promise<void> {
    const indent = options.indent ?? 0;
    this.written.push(`${location.bucket}/${location.key}`);
    this.put(
      location.bucket,
      location.key,
      `${JSON.stringify(value, null, indent > 0 ? indent : undefined)}\n`,
    );
  }

  async *list(bucket: string, prefix: string): AsyncGenerator<ObjectInfo> {
    this.listed.push(`${bucket}/${prefix}`);
    const keys = [...this.objects.keys()]
      .filter((k) => k.startsWith(`${bucket}/${prefix}`))
      .map((k) => k.slice(bucket.length + 1))
      .sort();
    for (const key of keys) {
      const text = this.text(bucket, key) ?? '';
      yield { key, size: Buffer.byteLength(text), etag: String(text.length) };
    }
  }

  async head(location: ObjectLocation): Promise<ObjectInfo | undefined> {
    const text = this.text(location.bucket, location.key);
    return text === undefined ? undefined : { key: location.key, size: Buffer.byteLength(text), etag: '' };
  }
}

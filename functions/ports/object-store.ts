/** Where an object is. */
export interface ObjectLocation {
  bucket: string;
  key: string;
}

/** What a listing or a HEAD request tells about an object. */
export interface ObjectInfo {
  key: string;
  /** Bytes. */
  size: number;
  /** The entity tag without its surrounding quotes; it changes whenever the object's content does. */
  etag: string;
  /** User metadata (`x-amz-meta-*`, names lower case), when the store reported it (HEAD does; listings do not). */
  metadata?: Record<string, string>;
}

/** An object's content as a byte stream. */
export interface ObjectBody {
  /** The bytes, read once, in bounded memory. */
  body: AsyncIterable<Uint8Array>;
  /** Bytes, when the store reported it. */
  size?: number;
  /** Entity tag without quotes, when the store reported it. */
  etag?: string;
  /** Stops the transfer without reading the rest (the connection is released). */
  cancel(): void;
}

/** How {@link ObjectStore.putJson} writes. */
export interface PutJsonOptions {
  /** Indentation of the written JSON; 0 writes one line. @default 0 */
  indent?: number;
  /** User metadata stored with the object (S3 `x-amz-meta-*`; US-ASCII names and values). @default - none */
  metadata?: Readonly<Record<string, string>>;
  /**
   * Create only: fail with ObjectExistsError when an object already exists at the key (S3 `If-None-Match: *`),
   * so that of two concurrent writers exactly one succeeds. @default false - replace any object
   */
  ifNoneMatch?: boolean;
}

/** The object storage the functions need (S3 in Lambda). Every method throws StorageError when storage fails. */
export interface ObjectStore {
  /**
   * Opens an object for streaming.
   * @throws ObjectNotFoundError when the object does not exist
   */
  getStream(location: ObjectLocation): Promise<ObjectBody>;
  /**
   * Reads and parses a JSON object.
   * @throws ObjectNotFoundError when the object does not exist; InputError when it is not JSON
   */
  getJson(location: ObjectLocation): Promise<unknown>;
  /**
   * Writes `value` as JSON followed by a newline, replacing any object at that key (unless `ifNoneMatch`).
   * @throws ObjectExistsError when `ifNoneMatch` is set and the object exists (or a concurrent create won)
   */
  putJson(location: ObjectLocation, value: unknown, options?: PutJsonOptions): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order, fetching further pages as iteration proceeds. */
  list(bucket: string, prefix: string): AsyncIterable<ObjectInfo>;
  /** The object's size and ETag, or undefined when it does not exist. */
  head(location: ObjectLocation): Promise<ObjectInfo | undefined>;
}

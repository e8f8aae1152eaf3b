import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parseS3Uri } from '../core/config/s3-uri.js';
import { InputError, ObjectNotFoundError } from '../errors.js';
import type { ObjectStore } from '../ports/object-store.js';
import { type InputFile, kindInDirectory, kindOf } from './local-files.js';

// The CLI's inputs at s3:// URIs: the same rules as local paths (local-files.ts), read through an ObjectStore.

/**
 * Expands s3:// URIs into input files. A URI ending in `/`, or naming no object, is a prefix: every object
 * under it of a known kind, in key order (only `*.profile.json` counts as a profile, as in a directory). A URI
 * naming an object needs a known extension.
 * @throws InputError when a URI names nothing
 */
export async function expandS3Inputs(uris: readonly string[], store: ObjectStore): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const uri of uris) {
    const { bucket, key } = parseS3Uri(uri);
    const object = key === '' || key.endsWith('/') ? undefined : await store.head({ bucket, key });
    if (object !== undefined) {
      const kind = kindOf(key);
      if (!kind)
        throw new InputError(
          `${uri}: unknown input type; expected .jsonl (capture), .json (profile) or .csv`,
        );
      out.push({ path: uri, kind, size: object.size });
      continue;
    }
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    const before = out.length;
    for await (const info of store.list(bucket, prefix)) {
      const kind = kindInDirectory(info.key);
      if (kind) out.push({ path: `s3://${bucket}/${info.key}`, kind, size: info.size });
    }
    if (out.length === before && !(await hasAnyObject(store, bucket, prefix))) {
      throw new InputError(`${uri}: no such object or prefix`);
    }
  }
  return out;
}

async function hasAnyObject(store: ObjectStore, bucket: string, prefix: string): Promise<boolean> {
  for await (const _ of store.list(bucket, prefix)) return true;
  return false;
}

/** A byte stream of an S3 object, gunzipped when it starts with the gzip magic bytes. */
export async function openS3Input(uri: string, store: ObjectStore): Promise<NodeJS.ReadableStream> {
  const { bucket, key } = parseS3Uri(uri);
  const object = await store.getStream({ bucket, key }).catch((err: unknown) => {
    if (err instanceof ObjectNotFoundError) throw new InputError(`${uri}: no such object`, { cause: err });
    throw err;
  });
  const iterator = object.body[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* bytes(): AsyncGenerator<Uint8Array> {
    if (!first.done) yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const stream = Readable.from(bytes(), { objectMode: false });
  const head = first.done ? undefined : first.value;
  return head !== undefined && head[0] === 0x1f && head[1] === 0x8b ? stream.pipe(createGunzip()) : stream;
}

/** Reads and parses a JSON object at an s3:// URI, naming it on failure. */
export async function readS3Json(uri: string, store: ObjectStore): Promise<unknown> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    return await store.getJson({ bucket, key });
  } catch (err) {
    if (err instanceof ObjectNotFoundError) throw new InputError(`${uri}: no such object`, { cause: err });
    throw err;
  }
}

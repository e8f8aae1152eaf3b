/**
 * Rotate-baseline Lambda, a task of the deployment state machine after a successful deployment: makes the
 * deployed model package's drift-check baseline (its training data's statistics.json and constraints.json, and
 * driftwatch's baseline.json beside them when present) the endpoint's baseline, by copying the files to
 * `baseline.s3Uri`. A stale baseline.json at the destination is removed when the package has none, because the
 * monitoring functions prefer baseline.json over statistics.json.
 *
 * Task input: `{ "statisticsS3Uri": "s3://...", "constraintsS3Uri": "s3://..." }`.
 * Returns `{ baselineS3Uri, files: [{ name, source, sha256 }], removed: [...] }`.
 * Errors: InvalidEventError, ObjectNotFoundError (a baseline file is missing), StorageError (retried).
 */
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { hashJson } from '../core/audit/canonical-json.js';
import { parseS3Uri } from '../core/config/s3-uri.js';
import { StorageError } from '../errors.js';
import type { ObjectLocation, ObjectStore } from '../ports/object-store.js';
import { joinKey } from '../shared/s3-layout.js';
import { lifecycleEndpoint } from './lifecycle-runtime.js';
import { BUNDLED_CONFIG_FILE, createLogger, once, withMiddleware } from './runtime.js';
import { parseEvent } from './validation.js';

/** What rotate-baseline needs. */
export interface RotateBaselineDeps {
  store: ObjectStore;
  /** Deletes one object (the stale baseline.json). */
  remove(location: ObjectLocation): Promise<void>;
  /** The endpoint's baseline prefix (`baseline.s3Uri`). */
  baselineS3Uri: string;
}

/** What was rotated. */
export interface RotatedBaseline {
  baselineS3Uri: string;
  files: { name: string; source: string; sha256: string }[];
  removed: string[];
}

const S3_URI = z
  .string({ error: 'expected an s3:// URI' })
  .startsWith('s3://', { error: 'expected an s3:// URI' });
const RotateEvent = z.object({ statisticsS3Uri: S3_URI, constraintsS3Uri: S3_URI });

function location(uri: string): ObjectLocation {
  const { bucket, key } = parseS3Uri(uri);
  return { bucket, key: joinKey(key) };
}

const folderOf = (l: ObjectLocation): ObjectLocation => ({
  bucket: l.bucket,
  key: l.key.split('/').slice(0, -1).join('/'),
});

/** Copies the package's baseline files to the endpoint's baseline prefix. */
export async function rotateBaseline(
  deps: RotateBaselineDeps,
  event: z.output<typeof RotateEvent>,
): Promise<RotatedBaseline> {
  const destination = location(deps.baselineS3Uri);
  const statistics = location(event.statisticsS3Uri);
  const sources: [string, ObjectLocation][] = [
    ['statistics.json', statistics],
    ['constraints.json', location(event.constraintsS3Uri)],
  ];
  const beside = folderOf(statistics);
  const baselineJson = { bucket: beside.bucket, key: joinKey(beside.key, 'baseline.json') };
  const hasBaselineJson = (await deps.store.head(baselineJson)) !== undefined;
  if (hasBaselineJson) sources.push(['baseline.json', baselineJson]);
  // Read everything before writing anything, so a missing file leaves the current baseline untouched.
  const contents = await Promise.all(sources.map(async ([, from]) => deps.store.getJson(from)));
  const files: RotatedBaseline['files'] = [];
  for (const [index, [name, from]] of sources.entries()) {
    const value = contents[index];
    await deps.store.putJson({ bucket: destination.bucket, key: joinKey(destination.key, name) }, value, {
      indent: name === 'baseline.json' ? 0 : 2,
    });
    files.push({ name, source: `s3://${from.bucket}/${from.key}`, sha256: hashJson(value) });
  }
  const removed: string[] = [];
  const staleBaseline = { bucket: destination.bucket, key: joinKey(destination.key, 'baseline.json') };
  if (!hasBaselineJson && (await deps.store.head(staleBaseline)) !== undefined) {
    await deps.remove(staleBaseline);
    removed.push(`s3://${staleBaseline.bucket}/${staleBaseline.key}`);
  }
  return { baselineS3Uri: deps.baselineS3Uri, files, removed };
}

/** The handler over its ports. */
export function createHandler(deps: RotateBaselineDeps): (event: unknown) => Promise<RotatedBaseline> {
  return async (event) => {
    return rotateBaseline(deps, parseEvent(RotateEvent, event, 'rotate-baseline task input', '(input)'));
  };
}

const logger = createLogger();

/** Dependencies from the environment: the endpoint's baseline location, an S3 client. */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): RotateBaselineDeps {
  const { endpoint } = lifecycleEndpoint(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url));
  const client = new S3Client({});
  return {
    store: new S3ObjectStore(client),
    baselineS3Uri: endpoint.baseline.s3Uri,
    remove: async ({ bucket, key }) => {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (err) {
        throw new StorageError(`DeleteObject s3://${bucket}/${key} failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
    },
  };
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);

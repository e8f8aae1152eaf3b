import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CaptureOptionsError } from '../core/capture/errors.js';
import { parseCaptureStream, parseIsoInstant } from '../core/capture/parse-capture.js';
import type { CaptureSink, Rejection } from '../core/capture/types.js';
import { compareToBaseline, type DriftComparison } from '../core/drift/compare.js';
import {
  type DatasetProfileState,
  ProfileBuilder,
  type RecordCounts,
} from '../core/profile/dataset-profile.js';
import { ConfigurationError, InputError, ObjectExistsError, ObjectNotFoundError } from '../errors.js';
import type { LogSink } from '../ports/log-sink.js';
import type { ObjectInfo, ObjectLocation, ObjectStore } from '../ports/object-store.js';
import { DIMENSIONS, DRIFTWATCH_NAMESPACE, METRICS } from '../shared/metrics.js';
import { type CaptureKey, parseCaptureKey, profileKey } from '../shared/s3-layout.js';
import { type ActiveBaseline, activeBaseline } from './baseline-cache.js';
import type { DriftServiceContext } from './context.js';
import type { EndpointContext } from './endpoint-context.js';

/** A capture object named by an event, its key already decoded. */
export interface CaptureObjectRef {
  bucket: string;
  key: string;
  /** Bytes, when the event says. */
  size?: number;
}

/** Why an object was not profiled. */
export type SkipReason =
  | 'not-capture-bucket'
  | 'not-capture-key'
  | 'other-endpoint'
  | 'variant-not-monitored'
  | 'not-jsonl'
  | 'not-found'
  | 'too-large'
  | 'not-object-created'
  | 'already-profiled';

/**
 * User metadata of a written profile: which capture content (ETag) and which baseline (fingerprint) it was built
 * from. A delivery of an object whose profile already records the same two is a duplicate: nothing is counted.
 */
export const PROFILE_METADATA = { sourceEtag: 'dw-source-etag', baseline: 'dw-baseline' } as const;

/** The outcome for one capture object. */
export type IngestOutcome =
  | {
      status: 'profiled';
      bucket: string;
      key: string;
      variant: string;
      /** Where the profile was written (s3://...). */
      profile: string;
      records: RecordCounts;
      rows: number;
      /** Share of input features drifted in this object alone; null when no feature had enough data for a verdict. */
      driftedFeatureShare: number | null;
      /** The first rejected lines, with line number, field and reason. */
      rejections: Rejection[];
      /**
       * Accepted lines whose eventMetadata.eventId an earlier line of the object already had (both are profiled;
       * SageMaker writes each event once, so a duplicate points at a replayed or concatenated file). Checked for
       * the first {@link EVENT_IDS_CHECKED} distinct ids of an object.
       */
      duplicateEventIds: number;
      /**
       * False when a profile of this capture content already existed (built against another baseline, so it was
       * rebuilt): its records were counted when it was first profiled, so no object metrics were added again.
       */
      metricsPublished: boolean;
    }
  | { status: 'skipped'; bucket: string; key: string; reason: SkipReason; detail: string };

/** Rejections kept per object for the result and the log line (the rest are counted). */
const REJECTIONS_KEPT = 20;
/** Distinct eventIds remembered per object to find duplicates (bounds memory: about 100 bytes each). */
export const EVENT_IDS_CHECKED = 100_000;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

function skipped(ref: CaptureObjectRef, reason: SkipReason, detail: string): IngestOutcome {
  return { status: 'skipped', bucket: ref.bucket, key: ref.key, reason, detail };
}

/** Checks that the key is one of this endpoint's capture objects; the reason to skip it otherwise. */
function locate(ref: CaptureObjectRef, endpoint: EndpointContext): CaptureKey | IngestOutcome {
  const { capture } = endpoint;
  if (ref.bucket !== capture.bucket) {
    return skipped(ref, 'not-capture-bucket', `expected bucket ${capture.bucket}`);
  }
  const parsed = parseCaptureKey(ref.key, capture.key);
  if (!parsed) {
    return skipped(
      ref,
      'not-capture-key',
      `expected ${capture.key === '' ? '' : `${capture.key}/`}<endpoint>/<variant>/yyyy/mm/dd/hh/<file>`,
    );
  }
  if (parsed.endpoint !== endpoint.endpointName) {
    return skipped(
      ref,
      'other-endpoint',
      `capture of "${parsed.endpoint}"; this function serves "${endpoint.endpointName}"`,
    );
  }
  if (!endpoint.variants.includes(parsed.variant)) {
    return skipped(
      ref,
      'variant-not-monitored',
      `variant "${parsed.variant}" is not configured (${endpoint.variants.join(', ')})`,
    );
  }
  if (!/\.jsonl(\.gz)?$/i.test(parsed.file)) {
    return skipped(ref, 'not-jsonl', 'expected a .jsonl (or .jsonl.gz) capture file');
  }
  return parsed;
}

/**
 * Profiles one capture object against the endpoint's baseline: streams it (never whole in memory, gunzipped when
 * it starts with the gzip magic bytes), writes its profile under a key derived from the capture key, judges its
 * drift as a low-latency signal and adds its metrics. Idempotent: the profile records the capture's ETag and the
 * baseline's fingerprint as metadata; a repeated delivery finds them and is skipped ('already-profiled'), and a
 * first profile is created with If-None-Match so that of two concurrent deliveries only one counts. Objects
 * that are not this endpoint's capture, no longer exist or exceed payload.maxObjectBytes are skipped with a log
 * line (too large also counts a metric).
 * @throws BaselineError when the baseline cannot be loaded (BaselineUnavailable = 1 is added first)
 * @throws StorageError when S3 fails after the SDK's retries
 * @throws ConfigurationError when the payload mapping or drift methods of the configuration are unusable
 * @throws InputError when an object starting with the gzip magic bytes is not a readable gzip stream
 */
export async function ingestObject(ref: CaptureObjectRef, ctx: DriftServiceContext): Promise<IngestOutcome> {
  const { endpoint, store, log, clock } = ctx;
  const located = locate(ref, endpoint);
  if ('status' in located) {
    log.info('skipped object', { ...located });
    return located;
  }
  const dimensions = {
    [DIMENSIONS.endpoint]: endpoint.endpointName,
    [DIMENSIONS.variant]: located.variant,
  };
  const tooLarge = (size: number) => {
    ctx.metrics.add({
      namespace: DRIFTWATCH_NAMESPACE,
      name: METRICS.objectsTooLarge,
      unit: 'Count',
      value: 1,
      dimensions,
    });
    const outcome = skipped(
      ref,
      'too-large',
      `${size} bytes, more than payload.maxObjectBytes (${endpoint.maxObjectBytes})`,
    );
    log.warn('skipped object', { ...outcome });
    return outcome;
  };
  const gone = () => {
    const outcome = skipped(ref, 'not-found', 'the object no longer exists');
    log.warn('skipped object', { ...outcome });
    return outcome;
  };
  let size = ref.size;
  if (size === undefined) {
    const head = await store.head(ref);
    if (!head) return gone();
    size = head.size;
  }
  if (size > endpoint.maxObjectBytes) return tooLarge(size);

  const baseline = await activeBaseline(ctx);
  const started = clock.now().getTime();
  let opened: Awaited<ReturnType<ObjectStore['getStream']>>;
  try {
    opened = await store.getStream(ref);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return gone();
    throw err;
  }
  if (opened.size !== undefined && opened.size > endpoint.maxObjectBytes) {
    opened.cancel();
    return tooLarge(opened.size);
  }
  const target = { bucket: endpoint.reports.bucket, key: profileKey(endpoint.reports.key, located) };
  const sourceEtag = opened.etag;
  const existing = await existingProfile(store, target);
  const previousSource = existing?.metadata?.[PROFILE_METADATA.sourceEtag];
  const sameSource = sourceEtag !== undefined && sourceEtag !== '' && previousSource === sourceEtag;
  if (sameSource && existing?.metadata?.[PROFILE_METADATA.baseline] === baseline.fingerprint) {
    opened.cancel();
    return alreadyProfiled(ref, target, log);
  }
  const source = await gunzipIfCompressed(opened.body);
  const builder = new ProfileBuilder(baseline.schema);
  const duplicates = duplicateEventIdCounter(builder);
  let summary: Awaited<ReturnType<typeof parseCaptureStream>>;
  try {
    summary = await parseCaptureStream(source, duplicates.sink, {
      ...baseline.capture,
      maxRejectionsKept: REJECTIONS_KEPT,
    });
  } catch (err) {
    if (err instanceof CaptureOptionsError) {
      throw new ConfigurationError(`payload mapping of endpoint ${endpoint.endpointName}: ${err.message}`, {
        cause: err,
      });
    }
    // zlib's errors carry a Z_* code: the object starts like gzip but is not a readable gzip stream.
    if (String((err as NodeJS.ErrnoException).code ?? '').startsWith('Z_')) {
      throw new InputError(
        `s3://${ref.bucket}/${ref.key}: not a readable gzip file: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    throw err;
  }
  const profile = builder.toState({
    lines: summary.lines,
    accepted: summary.accepted,
    rejected: summary.rejected,
  });
  const metadata: Record<string, string> = { [PROFILE_METADATA.baseline]: baseline.fingerprint };
  if (sourceEtag) metadata[PROFILE_METADATA.sourceEtag] = sourceEtag;
  try {
    // No profile yet: create it only if still absent, so of two concurrent deliveries exactly one counts.
    await store.putJson(target, profile, { metadata, ...(existing ? {} : { ifNoneMatch: true }) });
  } catch (err) {
    if (err instanceof ObjectExistsError) return alreadyProfiled(ref, target, log);
    throw err;
  }
  const comparison = compare(baseline, profile);
  const judged = comparison.features.some((f) => f.statistic !== null);
  const now = clock.now().getTime();
  // A profile of the same content rebuilt against a new baseline: its records were counted the first time.
  const metricsPublished = !sameSource;
  if (metricsPublished) {
    addObjectMetrics(ctx, dimensions, profile, {
      driftedShare: judged ? comparison.driftedShare : null,
      elapsedMs: now - started,
      nowMs: now,
      lastInferenceTime: summary.lastInferenceTime,
    });
  }
  const outcome: IngestOutcome = {
    status: 'profiled',
    bucket: ref.bucket,
    key: ref.key,
    variant: located.variant,
    profile: `s3://${target.bucket}/${target.key}`,
    records: profile.records,
    rows: profile.rows,
    driftedFeatureShare: judged ? comparison.driftedShare : null,
    rejections: summary.rejections,
    duplicateEventIds: duplicates.count(),
    metricsPublished,
  };
  log.info('profiled object', {
    ...outcome,
    rejections: summary.rejections.slice(0, 5),
    rejectionsNotShown: summary.rejected - Math.min(5, summary.rejections.length),
    duplicateEventIds: outcome.duplicateEventIds,
    driftedFeatures: comparison.features.filter((f) => f.drift).map((f) => f.name),
  });
  return outcome;
}

/**
 * The profile at `target` with its metadata, or undefined. Existence is asked with a listing: the function's
 * s3:ListBucket grant is limited by s3:prefix, and without an unconditional one S3 answers HeadObject of a
 * missing key with 403, not 404.
 */
async function existingProfile(store: ObjectStore, target: ObjectLocation): Promise<ObjectInfo | undefined> {
  for await (const object of store.list(target.bucket, target.key)) {
    if (object.key === target.key) return (await store.head(target)) ?? undefined;
  }
  return undefined;
}

function alreadyProfiled(ref: CaptureObjectRef, target: ObjectLocation, log: LogSink): IngestOutcome {
  const outcome = skipped(
    ref,
    'already-profiled',
    `s3://${target.bucket}/${target.key} already holds this object's profile (a repeated delivery); nothing counted again`,
  );
  log.info('skipped object', { ...outcome });
  return outcome;
}

/**
 * The object's bytes, gunzipped when they start with the gzip magic bytes (whatever the key's suffix), as the
 * CLI reads its inputs. Waits for the first two bytes before deciding.
 */
async function gunzipIfCompressed(body: AsyncIterable<Uint8Array>): Promise<AsyncIterable<Uint8Array>> {
  const iterator = body[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield* head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const first = Buffer.concat(head);
  const compressed = first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
  return compressed ? Readable.from(bytes()).pipe(createGunzip()) : bytes();
}

/** Wraps the profile builder to count accepted lines repeating an eventId (one row per line is enough). */
function duplicateEventIdCounter(builder: ProfileBuilder): { sink: CaptureSink; count(): number } {
  const seen = new Set<string>();
  let lastLine = 0;
  let duplicates = 0;
  const sink: CaptureSink = {
    row(row, meta) {
      builder.row(row, meta);
      if (meta.line === lastLine || meta.eventId === undefined) return;
      lastLine = meta.line;
      if (seen.has(meta.eventId)) duplicates += 1;
      else if (seen.size < EVENT_IDS_CHECKED) seen.add(meta.eventId);
    },
  };
  return { sink, count: () => duplicates };
}

function compare(baseline: ActiveBaseline, profile: DatasetProfileState): DriftComparison {
  try {
    return compareToBaseline(baseline.baseline, profile, baseline.compare);
  } catch (err) {
    // compareColumn rejects a configured method that does not apply to the baseline column's type.
    if (err instanceof RangeError) throw new ConfigurationError(err.message, { cause: err });
    throw err;
  }
}

function addObjectMetrics(
  ctx: DriftServiceContext,
  dimensions: Record<string, string>,
  profile: DatasetProfileState,
  o: { driftedShare: number | null; elapsedMs: number; nowMs: number; lastInferenceTime: string | undefined },
): void {
  const add = (name: string, unit: 'Count' | 'Milliseconds' | 'Seconds' | 'None', value: number) =>
    ctx.metrics.add({ namespace: DRIFTWATCH_NAMESPACE, name, unit, value, dimensions });
  const { accepted, rejected, lines } = profile.records;
  add(METRICS.recordsAccepted, 'Count', accepted);
  add(METRICS.recordsRejected, 'Count', rejected);
  if (lines > 0) add(METRICS.rejectedRecordRate, 'None', rejected / lines);
  add(METRICS.processingTime, 'Milliseconds', o.elapsedMs);
  // The parser compares inferenceTime as instants; the profile's range compares the strings as written.
  if (o.lastInferenceTime !== undefined) {
    const instant = parseIsoInstant(o.lastInferenceTime);
    if (Number.isFinite(instant)) add(METRICS.captureToMetricLag, 'Seconds', (o.nowMs - instant) / 1000);
  }
  if (o.driftedShare !== null) add(METRICS.objectDriftedFeatureShare, 'None', o.driftedShare);
}

/** What one ingest invocation did. */
export interface IngestSummary {
  profiled: number;
  skipped: number;
  objects: IngestOutcome[];
}

/** Ingests the objects of one event in order; see {@link ingestObject}. */
export async function ingestObjects(
  refs: readonly CaptureObjectRef[],
  ctx: DriftServiceContext,
  alreadySkipped: readonly IngestOutcome[] = [],
): Promise<IngestSummary> {
  const objects: IngestOutcome[] = [...alreadySkipped];
  for (const outcome of alreadySkipped) ctx.log.info('skipped object', { ...outcome });
  for (const ref of refs) objects.push(await ingestObject(ref, ctx));
  return {
    profiled: objects.filter((o) => o.status === 'profiled').length,
    skipped: objects.filter((o) => o.status === 'skipped').length,
    objects,
  };
}

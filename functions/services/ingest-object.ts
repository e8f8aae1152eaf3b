import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CaptureOptionsError } from '../core/capture/errors.js';
import { parseCaptureStream, parseIsoInstant } from '../core/capture/parse-capture.js';
import type { Rejection } from '../core/capture/types.js';
import { compareToBaseline, type DriftComparison } from '../core/drift/compare.js';
import {
  type DatasetProfileState,
  ProfileBuilder,
  type RecordCounts,
} from '../core/profile/dataset-profile.js';
import { ConfigurationError, InputError, ObjectNotFoundError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { LogSink } from '../ports/log-sink.js';
import type { MetricSink } from '../ports/metric-sink.js';
import type { ObjectStore } from '../ports/object-store.js';
import { DIMENSIONS, DRIFTWATCH_NAMESPACE, METRICS } from '../shared/metrics.js';
import { type CaptureKey, parseCaptureKey, profileKey } from '../shared/s3-layout.js';
import { type ActiveBaseline, activeBaseline, type BaselineCache } from './baseline-cache.js';
import type { EndpointContext } from './endpoint-context.js';

/** A capture object named by an event, its key already decoded. */
export interface CaptureObjectRef {
  bucket: string;
  key: string;
  /** Bytes, when the event says. */
  size?: number;
}

/** What the ingest service works with. */
export interface IngestContext {
  endpoint: EndpointContext;
  store: ObjectStore;
  metrics: MetricSink;
  log: LogSink;
  clock: Clock;
  baselines: BaselineCache;
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
  | 'not-object-created';

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
    }
  | { status: 'skipped'; bucket: string; key: string; reason: SkipReason; detail: string };

/** Rejections kept per object for the result and the log line (the rest are counted). */
const REJECTIONS_KEPT = 20;

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
 * Profiles one capture object against the endpoint's baseline: streams it (never whole in memory), writes its
 * profile under a key derived from the capture key (processing it again overwrites the same profile), judges
 * its drift as a low-latency signal and adds its metrics. Objects that are not this endpoint's capture, no
 * longer exist or exceed payload.maxObjectBytes are skipped with a log line (too large also counts a metric).
 * @throws BaselineError when the baseline cannot be loaded (BaselineUnavailable = 1 is added first)
 * @throws StorageError when S3 fails after the SDK's retries
 * @throws ConfigurationError when the payload mapping or drift methods of the configuration are unusable
 * @throws InputError when a .gz object is not gzip
 */
export async function ingestObject(ref: CaptureObjectRef, ctx: IngestContext): Promise<IngestOutcome> {
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
  const source: AsyncIterable<Uint8Array> = /\.gz$/i.test(located.file)
    ? Readable.from(opened.body).pipe(createGunzip())
    : opened.body;
  const builder = new ProfileBuilder(baseline.schema);
  let summary: Awaited<ReturnType<typeof parseCaptureStream>>;
  try {
    summary = await parseCaptureStream(source, builder, {
      ...baseline.capture,
      maxRejectionsKept: REJECTIONS_KEPT,
    });
  } catch (err) {
    if (err instanceof CaptureOptionsError) {
      throw new ConfigurationError(`payload mapping of endpoint ${endpoint.endpointName}: ${err.message}`, {
        cause: err,
      });
    }
    // zlib's errors carry a Z_* code: the object is named .gz but is not a readable gzip stream.
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
  const target = { bucket: endpoint.reports.bucket, key: profileKey(endpoint.reports.key, located) };
  await store.putJson(target, profile);
  const comparison = compare(baseline, profile);
  const judged = comparison.features.some((f) => f.statistic !== null);
  const now = clock.now().getTime();
  addObjectMetrics(ctx, dimensions, profile, {
    driftedShare: judged ? comparison.driftedShare : null,
    elapsedMs: now - started,
    nowMs: now,
    lastInferenceTime: summary.lastInferenceTime,
  });
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
  };
  log.info('profiled object', {
    ...outcome,
    rejections: summary.rejections.slice(0, 5),
    rejectionsNotShown: summary.rejected - Math.min(5, summary.rejections.length),
    driftedFeatures: comparison.features.filter((f) => f.drift).map((f) => f.name),
  });
  return outcome;
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
  ctx: IngestContext,
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
  ctx: IngestContext,
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

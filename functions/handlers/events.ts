import { z } from 'zod';
import { parseIsoInstant } from '../core/capture/parse-capture.js';
import { InvalidEventError } from '../errors.js';
import type { ServiceContext, WindowRequest } from '../services/context.js';
import { defaultWindowEnd } from '../services/evaluate-window.js';
import type { CaptureObjectRef, IngestOutcome } from '../services/ingest-object.js';
import { describeIssues, parseEvent } from './validation.js';

// Events are validated at the edge. Unknown fields are ignored (AWS adds fields over time); the fields read
// are checked, and a mismatch names the field and what was expected.

const bucketName = z.string({ error: 'expected a bucket name' }).min(1, { error: 'expected a bucket name' });
const objectKey = z.string({ error: 'expected an object key' }).min(1, { error: 'expected an object key' });
const objectSize = z
  .number({ error: 'expected a size in bytes' })
  .int({ error: 'expected a size in bytes' })
  .nonnegative({ error: 'expected a size in bytes' });

/** EventBridge "Object Created" from S3 (keys arrive as stored, not URL-encoded). */
const EventBridgeObjectEvent = z.object({
  source: z.literal('aws.s3', { error: 'expected "aws.s3"' }),
  'detail-type': z.string({ error: 'expected a detail type' }),
  detail: z.object({
    bucket: z.object({ name: bucketName }),
    object: z.object({ key: objectKey, size: objectSize.optional(), etag: z.string().optional() }),
  }),
});

/** S3 event notification (keys URL-encoded, '+' for space). */
const S3Notification = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string().optional(),
        s3: z.object({
          bucket: z.object({ name: bucketName }),
          object: z.object({ key: objectKey, size: objectSize.optional() }),
        }),
      }),
      { error: 'expected a list of S3 event records' },
    )
    .min(1, { error: 'expected at least one record' }),
});

/** Direct invocation, e.g. by the backfill Distributed Map (key as stored). */
const DirectObject = z.object({ bucket: bucketName, key: objectKey });

/** The objects an ingest event names, and those it names but that were not created (e.g. deletions). */
export interface ParsedIngestEvent {
  objects: CaptureObjectRef[];
  skipped: IngestOutcome[];
}

const ACCEPTED =
  'expected an EventBridge "Object Created" event (source aws.s3, detail.bucket.name, detail.object.key), ' +
  'an S3 notification (Records[].s3.bucket.name, Records[].s3.object.key) or {"bucket": ..., "key": ...}';

/**
 * Decodes a key from an S3 event notification, which URL-encodes keys with '+' for a space. A key that is not
 * valid percent-encoding (S3-protocol servers that send raw keys) is returned unchanged.
 */
export function decodeS3EventKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/** Whether an event is a JSON object (not null, not an array). */
export function isRecord(event: unknown): event is Record<string, unknown> {
  return typeof event === 'object' && event !== null && !Array.isArray(event);
}

/**
 * Reads an ingest event: an EventBridge "Object Created" event, an S3 notification or a direct
 * `{bucket, key}` payload. Events of other kinds (an EventBridge "Object Deleted", an S3 ObjectRemoved record)
 * are returned as skipped.
 * @throws InvalidEventError naming the field and what was expected when the event has none of these shapes
 */
export function parseIngestEvent(event: unknown): ParsedIngestEvent {
  if (!isRecord(event)) {
    const kind = event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event;
    throw new InvalidEventError(`${ACCEPTED}; received ${kind}`);
  }
  if ('Records' in event) {
    const notification = parseEvent(S3Notification, event, 'S3 notification');
    const result: ParsedIngestEvent = { objects: [], skipped: [] };
    for (const r of notification.Records) {
      const ref: CaptureObjectRef = {
        bucket: r.s3.bucket.name,
        key: decodeS3EventKey(r.s3.object.key),
        ...(r.s3.object.size !== undefined ? { size: r.s3.object.size } : {}),
      };
      if (r.eventName !== undefined && !r.eventName.startsWith('ObjectCreated')) {
        result.skipped.push({
          status: 'skipped',
          bucket: ref.bucket,
          key: ref.key,
          reason: 'not-object-created',
          detail: `event ${r.eventName}`,
        });
      } else {
        result.objects.push(ref);
      }
    }
    return result;
  }
  if ('detail' in event || 'source' in event) {
    const parsed = parseEvent(EventBridgeObjectEvent, event, 'EventBridge S3 event');
    const { bucket, object } = parsed.detail;
    const ref: CaptureObjectRef = {
      bucket: bucket.name,
      key: object.key,
      ...(object.size !== undefined ? { size: object.size } : {}),
    };
    if (parsed['detail-type'] !== 'Object Created') {
      return {
        objects: [],
        skipped: [
          {
            status: 'skipped',
            ...ref,
            reason: 'not-object-created',
            detail: `event "${parsed['detail-type']}"`,
          },
        ],
      };
    }
    return { objects: [ref], skipped: [] };
  }
  const parsed = DirectObject.safeParse(event);
  if (!parsed.success) throw new InvalidEventError(`${ACCEPTED}; ${describeIssues(parsed.error)}`);
  return { objects: [{ bucket: parsed.data.bucket, key: parsed.data.key }], skipped: [] };
}

/** An evaluate-window event as validated. */
export interface EvaluateWindowEvent {
  endpoint: string;
  windowEnd?: Date;
  windowHours?: number;
}

const EvaluateEvent = z.object(
  {
    endpoint: z
      .string({ error: 'expected the endpoint name' })
      .min(1, { error: 'expected the endpoint name' }),
    windowEnd: z
      .string({ error: 'expected an ISO-8601 time such as "2026-11-26T10:00:00Z"' })
      .refine((s) => !Number.isNaN(parseIsoInstant(s)), {
        error: 'expected an ISO-8601 time with Z or an offset, such as "2026-11-26T10:00:00Z"',
        abort: true,
      })
      .refine((s) => parseIsoInstant(s) % 3_600_000 === 0, {
        error:
          'expected a whole hour (capture and profiles are partitioned by hour), such as "2026-11-26T10:00:00Z"',
      })
      .optional(),
    windowHours: z
      .number({ error: 'expected a whole number of hours from 1 to 8760' })
      .int({ error: 'expected a whole number of hours from 1 to 8760' })
      .min(1, { error: 'expected a whole number of hours from 1 to 8760' })
      .max(8760, { error: 'expected a whole number of hours from 1 to 8760' })
      .optional(),
  },
  { error: 'expected an object {"endpoint": ..., "windowEnd"?: ..., "windowHours"?: ...}' },
);

/**
 * Reads an evaluate-window event `{ "endpoint": name, "windowEnd"?: ISO time of a whole hour, "windowHours"?: n }`.
 * @throws InvalidEventError naming the field and what was expected
 */
export function parseEvaluateWindowEvent(event: unknown): EvaluateWindowEvent {
  const { endpoint, windowEnd, windowHours } = parseEvent(EvaluateEvent, event, 'evaluate-window event');
  return {
    endpoint,
    ...(windowEnd !== undefined ? { windowEnd: new Date(parseIsoInstant(windowEnd)) } : {}),
    ...(windowHours !== undefined ? { windowHours } : {}),
  };
}

/**
 * The window an evaluate-window event asks of the function serving `ctx.endpoint`: `windowEnd` defaults to the
 * start of the hour that contains (now - schedule.delayMinutes), `windowHours` to `defaultHours`.
 * @throws InvalidEventError when the event is invalid or names an endpoint this function does not serve
 */
export function requestedWindow(
  event: unknown,
  ctx: Pick<ServiceContext, 'endpoint' | 'clock'>,
  defaultHours: number,
): WindowRequest {
  const request = parseEvaluateWindowEvent(event);
  const { endpoint } = ctx;
  if (request.endpoint !== endpoint.endpointName) {
    throw new InvalidEventError(
      `endpoint: expected "${endpoint.endpointName}" (this function serves one endpoint), received "${request.endpoint}"`,
    );
  }
  return {
    windowEnd: request.windowEnd ?? defaultWindowEnd(ctx.clock.now(), endpoint.delayMinutes),
    windowHours: request.windowHours ?? defaultHours,
  };
}

/**
 * Merge-ground-truth Lambda: the model quality of an endpoint from its captures joined to ground-truth labels.
 * Started three ways:
 * - EventBridge "Object Created" of a ground-truth object (or an S3 notification, or `{bucket, key}`): the object's
 *   collection hour H (from its `yyyy/mm/dd/hh/` partition) selects the window ending at H + 1 hour, whose captures
 *   are those a label of hour H may belong to; several objects of one hour evaluate that window once.
 * - EventBridge Scheduler with `{ "endpoint": name }`: the window ending at the start of the hour that contains
 *   (now - schedule.delayMinutes), as evaluate-window does.
 * - Directly with `{ "endpoint", "windowEnd"?, "windowHours"? }` (a re-run or a backfill of one window).
 * The window's length defaults to groundTruth.lookbackHours + 1. See functions/services/merge-ground-truth.ts.
 *
 * Errors: InvalidEventError (bad event, or an endpoint this function does not serve), ConfigurationError,
 * InputError (a .gz capture that is not gzip), StorageError.
 */
import { collectionHourFromKey } from '../core/quality/ground-truth.js';
import type { WindowRequest } from '../services/context.js';
import {
  type MergeContext,
  type MergeSummary,
  mergeGroundTruth,
  qualityContext,
} from '../services/merge-ground-truth.js';
import { BUNDLED_CONFIG_FILE } from '../shared/env.js';
import { MODEL_MONITOR_MODEL_NAMESPACE } from '../shared/metrics.js';
import { isRecord, parseIngestEvent, requestedWindow } from './events.js';
import { createLogger, once, serviceDeps, withMiddleware } from './runtime.js';

const HOUR_MS = 3_600_000;

/** What the merge-ground-truth handler needs. */
export type MergeGroundTruthDeps = MergeContext;

/** An object named by the event that is not a ground-truth object of this endpoint, with why. */
export interface SkippedObject {
  bucket: string;
  key: string;
  reason: 'not-object-created' | 'not-ground-truth' | 'no-hour-partition';
  detail?: string;
}

/** What one invocation did: the windows evaluated (in order) and the objects skipped. */
export interface MergeResult {
  windows: MergeSummary[];
  skipped: SkippedObject[];
}

/** The windows an event asks for, and the objects it names that start none. */
function requestsOf(
  event: unknown,
  deps: MergeGroundTruthDeps,
): { requests: WindowRequest[]; skipped: SkippedObject[] } {
  const { quality } = deps;
  if (isRecord(event) && 'endpoint' in event) {
    return { requests: [requestedWindow(event, deps, quality.windowHours)], skipped: [] };
  }
  const parsed = parseIngestEvent(event);
  const skipped: SkippedObject[] = parsed.skipped.map((s) => ({
    bucket: s.bucket,
    key: s.key,
    reason: 'not-object-created',
    ...('detail' in s && typeof s.detail === 'string' ? { detail: s.detail } : {}),
  }));
  const ends = new Set<number>();
  const prefix = quality.groundTruth.key === '' ? '' : `${quality.groundTruth.key}/`;
  for (const ref of parsed.objects) {
    if (ref.bucket !== quality.groundTruth.bucket || !ref.key.startsWith(prefix)) {
      skipped.push({
        bucket: ref.bucket,
        key: ref.key,
        reason: 'not-ground-truth',
        detail: `not under s3://${quality.groundTruth.bucket}/${prefix}`,
      });
      continue;
    }
    const hour = collectionHourFromKey(ref.key.slice(prefix.length));
    if (hour === undefined) {
      skipped.push({
        bucket: ref.bucket,
        key: ref.key,
        reason: 'no-hour-partition',
        detail: 'ground truth lands under <prefix>/yyyy/mm/dd/hh/ (the collection hour)',
      });
      continue;
    }
    ends.add(hour + HOUR_MS);
  }
  const requests = [...ends]
    .sort((a, b) => a - b)
    .map((end) => ({ windowEnd: new Date(end), windowHours: quality.windowHours }));
  return { requests, skipped };
}

/** The merge-ground-truth handler over its ports: validates the event, evaluates, flushes metrics even on error. */
export function createHandler(deps: MergeGroundTruthDeps): (event: unknown) => Promise<MergeResult> {
  return async (event) => {
    try {
      const { requests, skipped } = requestsOf(event, deps);
      for (const s of skipped) deps.log.info('skipped object', { ...s });
      const windows: MergeSummary[] = [];
      for (const request of requests) windows.push(await mergeGroundTruth(request, deps));
      return { windows, skipped };
    } finally {
      deps.metrics.flush();
    }
  };
}

const logger = createLogger();

/**
 * Dependencies from the environment: the configuration file next to the bundle (or DRIFTWATCH_CONFIG_PATH), the
 * endpoint and reports location from DRIFTWATCH_* variables, one S3 client, EMF metrics in the driftwatch and
 * Model Monitor model-metrics namespaces, the Powertools logger.
 * @throws ConfigurationError when the configuration, a variable, groundTruth or modelQuality is missing
 */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): MergeGroundTruthDeps {
  const { config, context } = serviceDeps(
    env,
    new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url),
    logger,
    MODEL_MONITOR_MODEL_NAMESPACE,
  );
  return { ...context, quality: qualityContext(config, context.endpoint.endpointName) };
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);

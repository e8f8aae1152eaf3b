/**
 * Ingest Lambda: one capture object (or a few, from one S3 notification) -> its profile next to the reports,
 * the per-object drift signal and metrics. Triggered by EventBridge "Object Created", an S3 notification, or a
 * direct `{ "bucket", "key" }` invocation from the backfill Distributed Map.
 *
 * Errors (the Step Functions Retry/Catch contract): InvalidEventError (the event has no accepted shape; do not
 * retry), BaselineError (no usable baseline; BaselineUnavailable = 1 is published), StorageError (S3 failed
 * after the SDK's retries; retry), ConfigurationError (the deployed configuration is unusable). An object that
 * is not this endpoint's capture, no longer exists or is larger than payload.maxObjectBytes is a result with
 * status "skipped", not an error: retrying would not change it (too large also publishes ObjectsTooLarge = 1).
 */
import { type IngestSummary, ingestObjects } from '../services/ingest-object.js';
import { BUNDLED_CONFIG_FILE } from '../shared/env.js';
import { parseIngestEvent } from './events.js';
import { createLogger, type FunctionDeps, functionDeps, once, withMiddleware } from './runtime.js';

/** What the ingest handler needs. */
export type IngestDeps = FunctionDeps;

/** The ingest handler over its ports: validates the event, ingests each object, flushes metrics even on error. */
export function createHandler(deps: IngestDeps): (event: unknown) => Promise<IngestSummary> {
  return async (event) => {
    try {
      const parsed = parseIngestEvent(event);
      return await ingestObjects(parsed.objects, deps, parsed.skipped);
    } finally {
      deps.metrics.flush();
    }
  };
}

const logger = createLogger();

/** Dependencies from the environment: config file next to the bundle, S3 client, EMF metrics, Powertools logger. */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): IngestDeps {
  return functionDeps(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url), logger);
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);

import { Logger } from '@aws-lambda-powertools/logger';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.js';
import type { MonitorConfig } from '../../functions/core/config/schema.js';
import { createHandler as createEvaluateHandler } from '../../functions/handlers/evaluate-window.js';
import { createHandler as createIngestHandler } from '../../functions/handlers/ingest-capture.js';
import type { WindowSummary } from '../../functions/services/evaluate-window.js';
import type { IngestSummary } from '../../functions/services/ingest-object.js';
import { DRIFTWATCH_NAMESPACE, MODEL_MONITOR_DATA_NAMESPACE } from '../../functions/shared/metrics.js';
import { localFunctionDeps } from '../../scripts/local/lambda.js';
import { csvCaptureRecord } from '../../scripts/local/records.js';
import { oneEndpointConfig, steppingClock } from '../handlers/support/deps.js';
import { smallBaseline } from '../handlers/support/fixtures.js';
import { type LocalS3, startLocalS3 } from '../support/s3rver.js';

/** The buckets of {@link oneEndpointConfig}: capture in s3://capture/datacapture, baseline in s3://baselines/churn/. */
export const BUCKETS = ['capture', 'baselines', 'reports'] as const;
/** The capture prefix of endpoint `churn`, variant `AllTraffic`, hour 2026-11-26 10:00. */
export const HOUR_PREFIX = 'datacapture/churn/AllTraffic/2026/11/26/10';
/** Where ingest writes that hour's profiles (reports prefix `dw`). */
export const PROFILE_PREFIX = 'dw/profiles/churn/AllTraffic/2026/11/26/10/';
/** Dimensions of the per-object metrics. */
export const DIMS = { Endpoint: 'churn', Variant: 'AllTraffic' };

/** s3rver with the three buckets and {@link smallBaseline} (features x numeric, c categorical) uploaded. */
export async function startBaselinedS3(onEvent?: (event: unknown) => void): Promise<LocalS3> {
  const s3 = await startLocalS3(BUCKETS, onEvent);
  const { baseline, constraints } = await smallBaseline();
  for (const [name, value] of [
    ['baseline.json', baseline],
    ['constraints.json', constraints],
  ] as const) {
    await s3.put('baselines', `churn/${name}`, JSON.stringify(value));
  }
  return s3;
}

/** The real ingest and evaluate-window handlers over S3ObjectStore on `s3`, a fixed clock and EMF on stdout. */
export function realHandlers(s3: LocalS3, now: Date, config: MonitorConfig = oneEndpointConfig()) {
  const deps = localFunctionDeps({
    config,
    endpointName: 'churn',
    reports: { bucket: 'reports', key: 'dw' },
    store: new S3ObjectStore(s3.client),
    clock: steppingClock(now),
    logger: new Logger({ logLevel: 'SILENT' }),
    namespaces: [DRIFTWATCH_NAMESPACE, MODEL_MONITOR_DATA_NAMESPACE],
  });
  const ingest = createIngestHandler(deps);
  const evaluate = createEvaluateHandler(deps);
  return {
    deps,
    ingest: (event: unknown) => ingest(event) as Promise<IngestSummary>,
    evaluate: (event: unknown) => evaluate(event) as Promise<WindowSummary>,
  };
}

/** An S3 notification of one object, as S3 (and s3rver) send it. */
export function objectCreated(key: string, size: number, bucket = 'capture') {
  return {
    Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key, size } } }],
  };
}

/** A SageMaker capture record of one CSV row `x,c` with a CSV prediction. */
export function captureRecord(
  x: string,
  c: string,
  meta: { eventId?: string; inferenceTime?: string } = {},
): Record<string, unknown> {
  return csvCaptureRecord({
    input: `${x},${c}`,
    output: '0.5',
    eventId: meta.eventId ?? `e-${x}-${c}`,
    inferenceTime: meta.inferenceTime ?? '2026-11-26T10:00:00Z',
  });
}

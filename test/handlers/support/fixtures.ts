import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { S3ObjectStore } from '../../../functions/adapters/s3-object-store.js';
import { buildBaseline } from '../../../functions/core/baseline/build.js';
import type { Baseline } from '../../../functions/core/baseline/types.js';
import type { MonitorConfig } from '../../../functions/core/config/schema.js';
import { suggestConstraints } from '../../../functions/core/model-monitor/constraints.js';
import type { ConstraintsFile } from '../../../functions/core/model-monitor/types.js';
import type { FunctionDeps } from '../../../functions/handlers/runtime.js';
import { BaselineCache } from '../../../functions/services/baseline-cache.js';
import { endpointContext } from '../../../functions/services/endpoint-context.js';
import { csvCaptureLine } from '../../../scripts/local/records.js';
import { s3Body } from '../../support/s3-mock.js';
import { recordingLog, recordingMetrics, steppingClock } from './deps.js';

/** 200 baseline rows: `x` = 0..49 repeated (numeric), `c` alternating "a"/"b" (categorical). */
export const BASELINE_ROWS = Array.from({ length: 200 }, (_, i) => ({
  x: String(i % 50),
  c: i % 2 === 0 ? 'a' : 'b',
}));

/** A small baseline of {@link BASELINE_ROWS}, with the constraints Model Monitor would suggest. */
export async function smallBaseline(): Promise<{ baseline: Baseline; constraints: ConstraintsFile }> {
  const baseline = await buildBaseline(
    async function* () {
      yield* BASELINE_ROWS;
    },
    { source: 'test rows', categorical: ['c'] },
  );
  const constraints = suggestConstraints(
    baseline.profile,
    new Map(baseline.features.map((f) => [f.name, f.inferredType])),
  );
  return { baseline, constraints };
}

/** A SageMaker capture record of one CSV request row. */
export function captureLine(csv: string, inferenceTime: string): string {
  return csvCaptureLine({ input: csv, eventId: `id-${csv}`, inferenceTime });
}

/** Handler dependencies over a (mocked) S3 client, with recording metrics and log and a stepping clock. */
export function unitDeps(config: MonitorConfig, now: Date, stepMs = 250) {
  const endpoint = endpointContext(config, 'churn', { bucket: 'reports', key: 'dw' });
  const store = new S3ObjectStore(new S3Client({ region: 'us-east-1' }));
  const metrics = recordingMetrics();
  const log = recordingLog();
  const clock = steppingClock(now, stepMs);
  const deps: FunctionDeps = {
    endpoint,
    store,
    metrics,
    log,
    clock,
    baselines: new BaselineCache(store, endpoint.baseline, endpoint.settings),
  };
  return { deps, metrics, log, clock };
}

/** Serves {@link smallBaseline} as s3://baselines/churn/{baseline,constraints}.json from a mocked S3 client. */
export async function serveBaseline(s3: AwsClientStub<S3Client>, etag = 'b1'): Promise<void> {
  const { baseline, constraints } = await smallBaseline();
  s3.on(ListObjectsV2Command, { Bucket: 'baselines', Prefix: 'churn/' }).resolves({
    Contents: [
      { Key: 'churn/baseline.json', ETag: `"${etag}"`, Size: 1 },
      { Key: 'churn/constraints.json', ETag: '"c1"', Size: 1 },
      { Key: 'churn/notes/baseline.json', ETag: '"other"', Size: 1 },
    ],
  });
  s3.on(GetObjectCommand, { Bucket: 'baselines', Key: 'churn/baseline.json' }).callsFake(() => ({
    Body: s3Body(JSON.stringify(baseline)),
  }));
  s3.on(GetObjectCommand, { Bucket: 'baselines', Key: 'churn/constraints.json' }).callsFake(() => ({
    Body: s3Body(JSON.stringify(constraints)),
  }));
}

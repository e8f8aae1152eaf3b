/**
 * Build-training-baseline Lambda, a task of the retraining state machine: profiles the training data (the channel
 * named "train", else the first channel) into a baseline as `driftwatch baseline` does, and writes
 * `baseline.json`, `statistics.json` and `constraints.json` (Model Monitor's format) under `output`. The model
 * package registers the last two as its drift-check baselines, and a deployment of the package rotates the
 * endpoint's baseline to them.
 *
 * The channel's objects are read as headerless CSV (SageMaker's training CSV layout): the label at
 * `evaluation.labelColumnIndex` is left out, the other columns are named by `payload.input.columns` in order
 * (else `_c0`, `_c1`, ...).
 *
 * Task input: `{ "output": "s3://.../baseline/" }`. Returns the three S3 URIs and the number of rows.
 * Errors: InvalidEventError, InputError (no data), StorageError (retried).
 */
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { type BaselineRow, buildBaseline } from '../core/baseline/build.js';
import { parseS3Uri } from '../core/config/s3-uri.js';
import { suggestConstraints } from '../core/model-monitor/constraints.js';
import { profileToStatistics } from '../core/model-monitor/statistics.js';
import { InputError, InvalidEventError } from '../errors.js';
import type { ObjectStore } from '../ports/object-store.js';
import { joinKey } from '../shared/s3-layout.js';
import { lifecycleEndpoint } from './lifecycle-runtime.js';
import { BUNDLED_CONFIG_FILE, createLogger, once, withMiddleware } from './runtime.js';

/** What build-training-baseline needs. */
export interface BuildTrainingBaselineDeps {
  store: ObjectStore;
  /** The training data prefix (`s3://...`). */
  trainingS3Uri: string;
  labelColumnIndex: number;
  /** Feature names in column order (label excluded); undefined: `_c0`, `_c1`, ... */
  columns?: readonly string[];
  categorical: readonly string[];
  categoricalTopK: number;
  sketchK: number;
}

/** Where the baseline files were written. */
export interface TrainingBaseline {
  statisticsS3Uri: string;
  constraintsS3Uri: string;
  baselineS3Uri: string;
  rows: number;
}

const BuildEvent = z.object({
  output: z
    .string({ error: 'expected an s3:// URI' })
    .startsWith('s3://', { error: 'expected an s3:// URI' }),
});

/** Reads the training rows (features only) from every object under the training prefix, in key order. */
async function* trainingRows(deps: BuildTrainingBaselineDeps): AsyncGenerator<BaselineRow> {
  const { bucket, key } = parseS3Uri(deps.trainingS3Uri);
  const prefix = joinKey(key) === '' ? '' : `${joinKey(key)}/`;
  for await (const info of deps.store.list(bucket, prefix)) {
    const name = info.key.slice(info.key.lastIndexOf('/') + 1);
    if (name === '' || name.startsWith('_') || name.startsWith('.') || info.size === 0) continue;
    const object = await deps.store.getStream({ bucket, key: info.key });
    const parser = Readable.from(object.body).pipe(
      parse({ relax_column_count: true, skip_empty_lines: true }),
    );
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        const row: Record<string, string> = {};
        let column = 0;
        record.forEach((value, index) => {
          if (index === deps.labelColumnIndex) return;
          row[deps.columns?.[column] ?? `_c${column}`] = value;
          column++;
        });
        yield row;
      }
    } finally {
      // A reader that stops early (the emptiness check) releases the connection.
      object.cancel();
    }
  }
}

/** Builds and writes the training data's baseline. */
export async function buildTrainingBaseline(
  deps: BuildTrainingBaselineDeps,
  output: string,
): Promise<TrainingBaseline> {
  let found = false;
  for await (const _row of trainingRows(deps)) {
    found = true;
    break;
  }
  if (!found) throw new InputError(`${deps.trainingS3Uri}: no training rows found`);
  let rows = 0;
  const baseline = await buildBaseline(
    async function* () {
      rows = 0;
      for await (const row of trainingRows(deps)) {
        rows++;
        yield row;
      }
    },
    {
      source: deps.trainingS3Uri,
      categorical: deps.categorical,
      categoricalTopK: deps.categoricalTopK,
      sketchK: deps.sketchK,
    },
  );
  const types = new Map(baseline.features.map((f) => [f.name, f.inferredType]));
  const { bucket, key } = parseS3Uri(output);
  const at = (name: string) => ({ bucket, key: joinKey(key, name) });
  const uri = (name: string) => `s3://${bucket}/${joinKey(key, name)}`;
  await deps.store.putJson(at('baseline.json'), baseline);
  await deps.store.putJson(at('statistics.json'), profileToStatistics(baseline.profile, types), {
    indent: 2,
  });
  await deps.store.putJson(at('constraints.json'), suggestConstraints(baseline.profile, types), {
    indent: 2,
  });
  return {
    statisticsS3Uri: uri('statistics.json'),
    constraintsS3Uri: uri('constraints.json'),
    baselineS3Uri: uri('baseline.json'),
    rows,
  };
}

/** The handler over its ports. */
export function createHandler(
  deps: BuildTrainingBaselineDeps,
): (event: unknown) => Promise<TrainingBaseline> {
  return async (event) => {
    const parsed = BuildEvent.safeParse(event);
    if (!parsed.success) {
      throw new InvalidEventError(
        `build-training-baseline task input: output: ${parsed.error.issues[0]?.message}`,
      );
    }
    return buildTrainingBaseline(deps, parsed.data.output);
  };
}

const logger = createLogger();

/** Dependencies from the environment: the endpoint's training channel and payload columns, an S3 client. */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): BuildTrainingBaselineDeps {
  const { config, endpoint } = lifecycleEndpoint(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url));
  const retraining = endpoint.retraining;
  const channel =
    retraining?.training.channels.find((c) => c.name === 'train') ?? retraining?.training.channels[0];
  if (retraining === undefined || channel === undefined) {
    throw new InputError(`endpoint ${endpoint.name} has no retraining.training channel`);
  }
  return {
    store: new S3ObjectStore(new S3Client({})),
    trainingS3Uri: channel.s3Uri,
    labelColumnIndex: retraining.evaluation.labelColumnIndex,
    ...(endpoint.payload.input.columns !== undefined ? { columns: endpoint.payload.input.columns } : {}),
    // Only input features can be categorical columns of the training data (outputs are not in it).
    categorical: endpoint.features
      .filter((f) => f.type === 'categorical' && (endpoint.payload.input.columns?.includes(f.name) ?? true))
      .map((f) => f.name),
    categoricalTopK: config.defaults.profile.categoricalTopK,
    sketchK: config.defaults.profile.sketchK,
  };
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);

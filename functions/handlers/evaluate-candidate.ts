/**
 * Evaluate-candidate Lambda, a task of the retraining state machine: reads the champion's and the challenger's
 * predictions on the holdout (batch transform output with the input joined, or a processing job's output: CSV
 * rows holding the label at `evaluation.labelColumnIndex` and the prediction in the last column), pairs them row
 * by row and runs the quality gate (`evaluateGate`, the function `driftwatch gate` runs) with the endpoint's
 * `gate` rules. Writes `evaluation.json` (the gate result), the challenger's model-quality `statistics.json` and,
 * when `modelQuality.thresholds` are set, `constraints.json` under `report`, and returns a small summary for the
 * state machine: `{ verdict: PROMOTE | REJECT | INCONCLUSIVE, reasons, rows, ..., statisticsS3Uri }`.
 *
 * Without a `gate` section the verdict is PROMOTE with that reason, and registration waits for manual approval
 * (the configuration requires PendingManualApproval then).
 *
 * Task input: `{ "championOutput": "s3://...", "challengerOutput": "s3://...", "report": "s3://..." }`.
 * Errors: InvalidEventError, EvaluationInputError, QualityInputError, StorageError (retried).
 */
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { hashJson } from '../core/audit/canonical-json.js';
import type { GateConfig, ModelQualityConfig } from '../core/config/quality-schema.js';
import { parseS3Uri } from '../core/config/s3-uri.js';
import { constraintsFromThresholds } from '../core/quality/constraints.js';
import { buildEvaluationSet, type EvaluationPair, type EvaluationSet } from '../core/quality/dataset.js';
import { evaluateGate, type GateResult, type GateVerdict } from '../core/quality/gate.js';
import { modelQualityStatistics } from '../core/quality/statistics.js';
import { EvaluationInputError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ObjectLocation, ObjectStore } from '../ports/object-store.js';
import { joinKey } from '../shared/s3-layout.js';
import { lifecycleEndpoint } from './lifecycle-runtime.js';
import { BUNDLED_CONFIG_FILE, createLogger, once, systemClock, withMiddleware } from './runtime.js';
import { parseEvent } from './validation.js';

/** What evaluate-candidate needs. */
export interface EvaluateCandidateDeps {
  store: ObjectStore;
  clock: Clock;
  modelQuality: Pick<
    ModelQualityConfig,
    'problemType' | 'probabilityThreshold' | 'probabilityAttribute' | 'thresholds'
  >;
  gate?: GateConfig;
  labelColumnIndex: number;
}

/** The summary the state machine branches on (the full result is in evaluation.json). */
export interface CandidateEvaluation {
  verdict: GateVerdict;
  /** The first ten reasons. */
  reasons: string[];
  /** Holdout rows both models scored and the gate used. */
  rows: number;
  /** Rows left out (unreadable label or prediction in either model's output). */
  rejectedRows: number;
  /** Champion and challenger value of each compared metric. */
  metrics: Record<string, { champion: number | null; challenger: number | null }>;
  reportS3Uri: string;
  /** SHA-256 of the canonical JSON of evaluation.json (the audit record's input). */
  reportSha256: string;
  statisticsS3Uri: string;
  constraintsS3Uri: string | null;
}

const S3_URI = z
  .string({ error: 'expected an s3:// URI' })
  .startsWith('s3://', { error: 'expected an s3:// URI' });
const EvaluateEvent = z.object({ championOutput: S3_URI, challengerOutput: S3_URI, report: S3_URI });

/** One row of a model's output: its label and prediction, or why it cannot be used. */
interface OutputRow {
  label?: string;
  prediction?: string;
}

function location(uri: string): ObjectLocation {
  const { bucket, key } = parseS3Uri(uri);
  return { bucket, key: joinKey(key) };
}

const isDataObject = (key: string) => {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name !== '' && !name.startsWith('_') && !name.startsWith('.') && !name.endsWith('.manifest');
};

/** Reads every output object under `uri` (by key) into rows, keyed by object name relative to the prefix. */
async function readOutputs(
  store: ObjectStore,
  uri: string,
  labelColumn: number,
): Promise<Map<string, OutputRow[]>> {
  const prefix = location(uri);
  const folder = prefix.key === '' ? '' : `${prefix.key}/`;
  const files = new Map<string, OutputRow[]>();
  for await (const info of store.list(prefix.bucket, folder)) {
    if (!isDataObject(info.key)) continue;
    const object = await store.getStream({ bucket: prefix.bucket, key: info.key });
    const rows: OutputRow[] = [];
    const parser = Readable.from(object.body).pipe(
      parse({ relax_column_count: true, skip_empty_lines: true, trim: true }),
    );
    for await (const record of parser as AsyncIterable<string[]>) {
      const label = record[labelColumn];
      const prediction = record.length > labelColumn + 1 ? record[record.length - 1] : undefined;
      rows.push({
        ...(label !== undefined && label !== '' ? { label } : {}),
        ...(prediction !== undefined && prediction !== '' ? { prediction } : {}),
      });
    }
    files.set(info.key.slice(folder.length), rows);
  }
  if (files.size === 0) throw new EvaluationInputError(`${uri}: no prediction files found`);
  return files;
}

/** Pairs two models' outputs row by row (same file names, same row counts), as evaluation pairs. */
function pairOutputs(
  champion: Map<string, OutputRow[]>,
  challenger: Map<string, OutputRow[]>,
  withProbability: boolean,
): { champion: EvaluationPair[]; challenger: EvaluationPair[]; rejected: number } {
  const names = [...champion.keys()].sort();
  const other = [...challenger.keys()].sort();
  if (names.join('\n') !== other.join('\n')) {
    throw new EvaluationInputError(
      `champion and challenger outputs are different files (${names.join(', ')} vs ${other.join(', ')}); both ` +
        'must score the same holdout',
    );
  }
  const pairs = { champion: [] as EvaluationPair[], challenger: [] as EvaluationPair[], rejected: 0 };
  const pair = (row: OutputRow & { label: string; prediction: string }): EvaluationPair => ({
    label: row.label,
    prediction: row.prediction,
    ...(withProbability ? { probability: row.prediction } : {}),
  });
  for (const name of names) {
    const a = champion.get(name) ?? [];
    const b = challenger.get(name) ?? [];
    if (a.length !== b.length) {
      throw new EvaluationInputError(`${name}: champion has ${a.length} rows, challenger ${b.length}`);
    }
    a.forEach((rowA, i) => {
      const rowB = b[i] as OutputRow;
      const { label, prediction } = rowA;
      if (
        label === undefined ||
        prediction === undefined ||
        rowB.prediction === undefined ||
        rowB.label !== label
      ) {
        pairs.rejected++;
        return;
      }
      pairs.champion.push(pair({ label, prediction }));
      pairs.challenger.push(pair({ label, prediction: rowB.prediction }));
    });
  }
  return pairs;
}

/** Builds both evaluation sets over the same rows: a row either model cannot use is left out of both. */
function evaluationSets(
  deps: EvaluateCandidateDeps,
  champion: EvaluationPair[],
  challenger: EvaluationPair[],
): { champion: EvaluationSet; challenger: EvaluationSet; rejected: number } {
  const settings = {
    problemType: deps.modelQuality.problemType,
    probabilityThreshold: deps.modelQuality.probabilityThreshold,
  };
  const first = [buildEvaluationSet(champion, settings), buildEvaluationSet(challenger, settings)];
  const dropped = new Set(first.flatMap((built) => built.rejections.map((r) => r.index)));
  if (first.some((built) => built.rejected > built.rejections.length)) {
    throw new EvaluationInputError(
      `more than ${dropped.size} holdout rows are unusable; check the prediction format`,
    );
  }
  if (dropped.size === 0) {
    return {
      champion: first[0]?.set as EvaluationSet,
      challenger: first[1]?.set as EvaluationSet,
      rejected: 0,
    };
  }
  const keep = (pairs: EvaluationPair[]) => pairs.filter((_, index) => !dropped.has(index));
  return {
    champion: buildEvaluationSet(keep(champion), settings).set,
    challenger: buildEvaluationSet(keep(challenger), settings).set,
    rejected: dropped.size,
  };
}

function summaryMetrics(result: GateResult): CandidateEvaluation['metrics'] {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return Object.fromEntries(
    result.comparisons.map((c) => [
      c.metric,
      { champion: finite(c.champion), challenger: finite(c.challenger) },
    ]),
  );
}

/** Scores the candidate against the champion and writes the evaluation files. */
export async function evaluateCandidate(
  deps: EvaluateCandidateDeps,
  event: z.output<typeof EvaluateEvent>,
): Promise<CandidateEvaluation> {
  const [championRows, challengerRows] = await Promise.all([
    readOutputs(deps.store, event.championOutput, deps.labelColumnIndex),
    readOutputs(deps.store, event.challengerOutput, deps.labelColumnIndex),
  ]);
  const withProbability = deps.modelQuality.probabilityAttribute !== undefined;
  const pairs = pairOutputs(championRows, challengerRows, withProbability);
  if (pairs.champion.length === 0) {
    throw new EvaluationInputError(
      `no holdout row has a label (column ${deps.labelColumnIndex}) and a prediction (last column) in both outputs`,
    );
  }
  const sets = evaluationSets(deps, pairs.champion, pairs.challenger);
  const evaluationTime = deps.clock.now().toISOString();
  const gated = deps.gate !== undefined;
  const result: GateResult = gated
    ? evaluateGate(
        { kind: 'predictions', set: sets.champion, source: event.championOutput },
        { kind: 'predictions', set: sets.challenger, source: event.challengerOutput },
        deps.gate as GateConfig,
        deps.modelQuality.problemType,
      )
    : {
        verdict: 'PROMOTE',
        reasons: ['no gate configured: the candidate is registered for manual approval'],
        problemType: deps.modelQuality.problemType,
        rows: sets.champion.n,
        paired: true,
        comparisons: [],
        checks: [],
        mcnemar: null,
        bootstrap: null,
      };
  const report = location(event.report);
  const at = (name: string) => ({ bucket: report.bucket, key: joinKey(report.key, name) });
  const uri = (name: string) => `s3://${report.bucket}/${joinKey(report.key, name)}`;
  const evaluation = {
    evaluationTime,
    champion: event.championOutput,
    challenger: event.challengerOutput,
    rejectedRows: pairs.rejected + sets.rejected,
    gate: result,
  };
  // Non-finite numbers (an undefined metric) become null in JSON; hash what is stored.
  const stored = JSON.parse(JSON.stringify(evaluation)) as unknown;
  await deps.store.putJson(at('evaluation.json'), stored, { indent: 2 });
  await deps.store.putJson(
    at('statistics.json'),
    modelQualityStatistics(sets.challenger, { evaluationTime }),
    {
      indent: 2,
    },
  );
  const thresholds = deps.modelQuality.thresholds;
  const hasConstraints = Object.keys(thresholds).length > 0;
  if (hasConstraints) {
    await deps.store.putJson(
      at('constraints.json'),
      constraintsFromThresholds(deps.modelQuality.problemType, thresholds),
      { indent: 2 },
    );
  }
  return {
    verdict: result.verdict,
    reasons: result.reasons.slice(0, 10),
    rows: sets.champion.n,
    rejectedRows: pairs.rejected + sets.rejected,
    metrics: summaryMetrics(result),
    reportS3Uri: uri('evaluation.json'),
    reportSha256: hashJson(stored),
    statisticsS3Uri: uri('statistics.json'),
    constraintsS3Uri: hasConstraints ? uri('constraints.json') : null,
  };
}

/** The handler over its ports. */
export function createHandler(deps: EvaluateCandidateDeps): (event: unknown) => Promise<CandidateEvaluation> {
  return async (event) => {
    return evaluateCandidate(
      deps,
      parseEvent(EvaluateEvent, event, 'evaluate-candidate task input', '(input)'),
    );
  };
}

const logger = createLogger();

/**
 * Dependencies from the environment: the endpoint's modelQuality, gate and evaluation settings, an S3 client.
 * @throws ConfigurationError when the endpoint has no modelQuality or retraining section
 */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): EvaluateCandidateDeps {
  const { endpoint } = lifecycleEndpoint(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url));
  if (endpoint.modelQuality === undefined || endpoint.retraining === undefined) {
    throw new EvaluationInputError(
      `endpoint ${endpoint.name}: retraining needs the modelQuality section (problem type, how predictions are read)`,
    );
  }
  return {
    store: new S3ObjectStore(new S3Client({})),
    clock: systemClock,
    modelQuality: endpoint.modelQuality,
    ...(endpoint.gate !== undefined ? { gate: endpoint.gate } : {}),
    labelColumnIndex: endpoint.retraining.evaluation.labelColumnIndex,
  };
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);

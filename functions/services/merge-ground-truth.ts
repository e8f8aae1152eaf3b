import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parseCsvRows } from '../core/capture/csv.js';
import { CaptureOptionsError } from '../core/capture/errors.js';
import { parseCaptureStream } from '../core/capture/parse-capture.js';
import { describeRejection, type Rejection } from '../core/capture/types.js';
import { findEndpoint } from '../core/config/resolve.js';
import { parseS3Uri, type S3Location } from '../core/config/s3-uri.js';
import type { MonitorConfig } from '../core/config/schema.js';
import {
  type CbpeCalibration,
  type CbpeEstimate,
  calibrateCbpeFromPairs,
  estimatePerformance,
} from '../core/quality/cbpe.js';
import { toModelQualityViolationsFile } from '../core/quality/constraints.js';
import type { EvaluationPair } from '../core/quality/dataset.js';
import { QualityInputError } from '../core/quality/errors.js';
import {
  evaluateJoined,
  type ModelQualityResult,
  type ModelQualitySettings,
  qualitySettingsFromConfig,
} from '../core/quality/evaluate.js';
import {
  collectionHourFromKey,
  type GroundTruthLabel,
  parseGroundTruthStream,
} from '../core/quality/ground-truth.js';
import { type JoinSummary, joinGroundTruth, labelHoursFor } from '../core/quality/join.js';
import { type PredictionAttributes, PredictionCollector } from '../core/quality/predictions.js';
import { readMetricValues } from '../core/quality/statistics.js';
import { ConfigurationError, InputError, ObjectNotFoundError } from '../errors.js';
import type { MetricUnitName } from '../ports/metric-sink.js';
import type { ObjectStore } from '../ports/object-store.js';
import {
  DIMENSIONS,
  DRIFTWATCH_NAMESPACE,
  ESTIMATE_METRICS,
  METRICS,
  MODEL_MONITOR_MODEL_NAMESPACE,
} from '../shared/metrics.js';
import {
  CBPE_CALIBRATION_FILE,
  captureHourPrefix,
  groundTruthHourPrefix,
  joinKey,
  QUALITY_FILES,
  qualityReportPrefix,
} from '../shared/s3-layout.js';
import type { ServiceContext, WindowRequest } from './context.js';

const HOUR_MS = 3_600_000;
/** Rejections kept in quality-report.json (the counts are always complete). */
const REJECTIONS_KEPT = 100;

/** The model-quality part of one endpoint's configuration, resolved once per cold start. */
export interface QualityContext {
  /** Where ground-truth JSONL lands (`groundTruth.s3Uri`), partitioned by collection hour. */
  groundTruth: S3Location;
  /** `groundTruth.lookbackHours`. */
  lookbackHours: number;
  /** Default window length: lookbackHours + 1, the capture hours a label of the window's last hour may belong to. */
  windowHours: number;
  labelAttribute?: string;
  /** Problem type, threshold, minSamples, lookback and the constraints from `modelQuality.thresholds`. */
  settings: ModelQualitySettings;
  /** Which outputs hold the prediction and the probability. */
  attributes: PredictionAttributes;
}

/**
 * Resolves the `modelQuality` and `groundTruth` sections of `endpointName`.
 * @throws ConfigurationError when the endpoint has no `groundTruth` or no `modelQuality` section
 */
export function qualityContext(config: MonitorConfig, endpointName: string): QualityContext {
  const endpoint = findEndpoint(config, endpointName);
  if (endpoint.groundTruth === undefined || endpoint.modelQuality === undefined) {
    throw new ConfigurationError(
      `endpoint ${endpointName}: model quality needs both groundTruth and modelQuality in the configuration ` +
        `(has ${[endpoint.groundTruth ? 'groundTruth' : '', endpoint.modelQuality ? 'modelQuality' : ''].filter(Boolean).join(' and ') || 'neither'})`,
    );
  }
  let groundTruth: S3Location;
  try {
    const parsed = parseS3Uri(endpoint.groundTruth.s3Uri);
    groundTruth = { bucket: parsed.bucket, key: joinKey(parsed.key) };
  } catch (err) {
    throw new ConfigurationError(`groundTruth.s3Uri: ${(err as Error).message}`, { cause: err });
  }
  const resolved = qualitySettingsFromConfig(endpoint.modelQuality, endpoint.groundTruth);
  const context: QualityContext = {
    groundTruth,
    lookbackHours: endpoint.groundTruth.lookbackHours,
    windowHours: endpoint.groundTruth.lookbackHours + 1,
    settings: resolved.settings,
    attributes: resolved.attributes,
  };
  if (resolved.labelAttribute !== undefined) context.labelAttribute = resolved.labelAttribute;
  return context;
}

/** What the merge-ground-truth service works with: the shared context and the endpoint's model-quality settings. */
export interface MergeContext extends ServiceContext {
  quality: QualityContext;
}

/** How the lines of the objects read were used. */
export interface ReadCounts {
  objects: number;
  /** Non-blank lines; accepted + rejected. */
  lines: number;
  accepted: number;
  rejected: number;
}

/** What a model-quality evaluation returns (small: it travels through logs and Step Functions). */
export interface MergeSummary {
  endpoint: string;
  windowStart: string;
  windowEnd: string;
  /**
   * `evaluated`: metrics computed from at least one joined pair; `no-labels`: captures or labels read but no
   * usable pair (only the join report is written); `no-data`: neither captures nor labels, nothing written.
   */
  status: 'evaluated' | 'no-labels' | 'no-data';
  captures: ReadCounts & { predictions: number; unusable: number };
  groundTruth: ReadCounts;
  join: Omit<JoinSummary, 'examples'> | null;
  /** Joined pairs the metrics were computed from. */
  evaluated: number;
  /** Joined pairs whose label or prediction could not be read. */
  rejectedPairs: number;
  /** Whether the metrics were published and the constraints checked (evaluated >= modelQuality.minSamples). */
  published: boolean;
  violations: number;
  /** The CBPE estimates of the window's captured probabilities, when a calibration is available. */
  estimate?: CbpeEstimate['estimates'];
  /** The s3:// prefix holding statistics.json, constraint_violations.json and quality-report.json. */
  reportPrefix?: string;
}

/** The join report written as quality-report.json next to Model Monitor's files. */
export interface QualityWindowReport {
  format: 'driftwatch.quality-report';
  version: 1;
  endpoint: string;
  windowStart: string;
  windowEnd: string;
  /** Ground-truth collection hours of the window: [start, end); hours that had not begun were not listed. */
  labelHours: { start: string; end: string };
  captures: MergeSummary['captures'];
  groundTruth: ReadCounts;
  join: JoinSummary | null;
  evaluated: number;
  rejectedPairs: number;
  /** Why no metrics were computed, or why they were not published/checked. */
  notEvaluated?: string;
  notChecked?: string;
  violations: ModelQualityResult['check']['violations'];
  unchecked: ModelQualityResult['check']['unchecked'];
  /** Every rejected line as `s3://bucket/key:line field: reason` (the first 100 of each kind). */
  rejections: { captures: string[]; groundTruth: string[]; unusableCaptures: string[]; pairs: string[] };
  estimate: CbpeEstimate | null;
}

/**
 * Evaluates the model quality of one window of one endpoint as Model Monitor's merge and model-quality jobs do:
 * reads every capture object of the monitored variants in the window's hours, and every ground-truth object
 * collected from the window's start until lookbackHours after its end (hours that have not begun are not
 * listed), joins labels to captures by inferenceId, else eventId (functions/core/quality/join.ts), computes
 * Model Monitor's statistics and checks the constraints from `modelQuality.thresholds`, writes statistics.json,
 * constraint_violations.json and quality-report.json under qualityReportPrefix(...) and adds the metrics,
 * timestamped at the window's end. Every line read is used or counted as rejected; rejected lines are listed
 * with their object and line. Deterministic: the same objects give the same files and metrics (objects are
 * read in key order, the standard deviations are seeded, evaluation_time is the window's end).
 * @throws ConfigurationError when the payload mapping is unusable
 * @throws InputError when a .gz capture object is not gzip
 * @throws StorageError when S3 fails after the SDK's retries
 */
export async function mergeGroundTruth(request: WindowRequest, ctx: MergeContext): Promise<MergeSummary> {
  const { endpoint, quality, clock } = ctx;
  const started = clock.now().getTime();
  const windowStart = new Date(request.windowEnd.getTime() - request.windowHours * HOUR_MS);
  const captureWindow = { start: windowStart.getTime(), end: request.windowEnd.getTime() };
  const labelWindow = labelHoursFor(captureWindow, quality.lookbackHours);
  // Partitions of hours that have not begun hold nothing yet: listing them would only cost requests. (The report
  // names the whole range, so that it does not depend on when the window was evaluated.)
  const currentHourEnd = Math.floor(started / HOUR_MS) * HOUR_MS + HOUR_MS;
  const listedLabels = {
    start: labelWindow.start,
    end: Math.max(labelWindow.start, Math.min(labelWindow.end, currentHourEnd)),
  };

  const captures = await readCaptures(captureWindow, ctx);
  const dimensions = { [DIMENSIONS.endpoint]: endpoint.endpointName };
  const add: Add = (name, unit, value, dims = dimensions, namespace = DRIFTWATCH_NAMESPACE) =>
    ctx.metrics.add({ namespace, name, unit, value, dimensions: dims, timestamp: request.windowEnd });
  // Another merge of this window may run at the same time (one per ground-truth object). One that listed the labels
  // before an object arrived must not leave its result last: after writing, the labels are listed again, and when
  // they changed the window is merged again, so a run's last write is of a listing no older than the write. Metrics
  // are added once, from the final round.
  for (let round = 1; ; round += 1) {
    const truth = await readGroundTruth(listedLabels, ctx);
    const outcome = await evaluateWindow(request, ctx, { windowStart, labelWindow, captures, truth });
    const changed = outcome.wrote && !sameObjects(truth.objects, await listGroundTruth(listedLabels, ctx));
    if (changed && round < MERGE_ROUNDS) {
      ctx.log.info('ground truth changed during the merge; merging the window again', {
        windowEnd: request.windowEnd.toISOString(),
        round,
      });
      continue;
    }
    if (changed) {
      ctx.log.warn(
        `ground truth still changing after ${MERGE_ROUNDS} rounds; left to the merges its new objects start`,
        { windowEnd: request.windowEnd.toISOString() },
      );
    }
    outcome.emit(add);
    add(METRICS.mergeProcessingTime, 'Milliseconds', clock.now().getTime() - started);
    if (outcome.wrote) ctx.log.info('evaluated model quality', { ...outcome.summary });
    else ctx.log.warn('no captures and no ground truth in the window', { ...outcome.summary });
    return outcome.summary;
  }
}

/** Rounds of one merge before it leaves ground truth that keeps arriving to the merges its objects start. */
const MERGE_ROUNDS = 3;

/** The captures of a window, read once, and one reading of its ground truth. */
interface WindowInputs {
  windowStart: Date;
  labelWindow: { start: number; end: number };
  captures: Awaited<ReturnType<typeof readCaptures>>;
  truth: Awaited<ReturnType<typeof readGroundTruth>>;
}

/**
 * Joins, evaluates and writes one window's files; returns the summary and the metrics to add (not added yet, so
 * that a round that is merged again adds none). `wrote` is false when there was nothing to read.
 */
async function evaluateWindow(
  request: WindowRequest,
  ctx: MergeContext,
  { windowStart, labelWindow, captures, truth }: WindowInputs,
): Promise<{ summary: MergeSummary; wrote: boolean; emit: (add: Add) => void }> {
  const { endpoint, quality } = ctx;
  const summary: MergeSummary = {
    endpoint: endpoint.endpointName,
    windowStart: windowStart.toISOString(),
    windowEnd: request.windowEnd.toISOString(),
    status: 'no-data',
    captures: captures.counts,
    groundTruth: truth.counts,
    join: null,
    evaluated: 0,
    rejectedPairs: 0,
    published: false,
    violations: 0,
  };
  if (captures.counts.lines === 0 && truth.counts.lines === 0) {
    return { summary, wrote: false, emit: () => {} };
  }

  const joined = joinGroundTruth(captures.collector.predictions, truth.labels, {
    lookbackHours: quality.lookbackHours,
  });
  const settings: ModelQualitySettings = {
    ...quality.settings,
    statistics: { evaluationTime: request.windowEnd.toISOString() },
  };
  let result: ModelQualityResult | undefined;
  let notEvaluated: string | undefined;
  if (joined.records.length === 0) {
    notEvaluated = 'no capture of the window joined to a label';
  } else {
    try {
      result = evaluateJoined(joined, settings);
    } catch (err) {
      if (!(err instanceof QualityInputError)) throw err;
      notEvaluated = err.message;
    }
  }
  const estimate = await estimateWindow(captures.collector, ctx);

  const prefix = qualityReportPrefix(
    endpoint.reports.key,
    endpoint.endpointName,
    endpoint.monitoringScheduleName,
    request.windowEnd,
  );
  const at = (file: string) => ({ bucket: endpoint.reports.bucket, key: `${prefix}${file}` });
  const minSamples = settings.minSamples ?? 1;
  const published = result !== undefined && result.evaluated >= minSamples;
  const { examples: _examples, ...joinCounts } = joined.summary;
  const evaluated: MergeSummary = {
    ...summary,
    status: result === undefined ? 'no-labels' : 'evaluated',
    join: joinCounts,
    evaluated: result?.evaluated ?? 0,
    rejectedPairs: result?.rejectedPairs ?? 0,
    published,
    violations: result?.check.violations.length ?? 0,
    reportPrefix: `s3://${endpoint.reports.bucket}/${prefix}`,
  };
  if (estimate !== null) evaluated.estimate = estimate.estimates;

  const report: QualityWindowReport = {
    format: 'driftwatch.quality-report',
    version: 1,
    endpoint: endpoint.endpointName,
    windowStart: evaluated.windowStart,
    windowEnd: evaluated.windowEnd,
    labelHours: {
      start: new Date(labelWindow.start).toISOString(),
      end: new Date(labelWindow.end).toISOString(),
    },
    captures: captures.counts,
    groundTruth: truth.counts,
    join: joined.summary,
    evaluated: evaluated.evaluated,
    rejectedPairs: evaluated.rejectedPairs,
    violations: result?.check.violations ?? [],
    unchecked: result?.check.unchecked ?? [],
    rejections: {
      captures: captures.rejections,
      groundTruth: truth.rejections,
      unusableCaptures: captures.collector.unusable
        .slice(0, REJECTIONS_KEPT)
        .map((u) => `${u.source ?? ''}:${u.line}: ${u.reason}`),
      pairs: (result?.pairRejections ?? []).slice(0, REJECTIONS_KEPT).map((r) => {
        const record = joined.records[r.index];
        return `${record?.key ?? `#${r.index + 1}`}: ${r.reason}`;
      }),
    },
    estimate,
  };
  if (notEvaluated !== undefined) report.notEvaluated = notEvaluated;
  else if (result?.notChecked !== undefined) report.notChecked = result.notChecked;
  if (result !== undefined) {
    await ctx.store.putJson(at(QUALITY_FILES.statistics), result.statistics, { indent: 2 });
    // Constraints are only checked with at least minSamples pairs; below that no violation is claimed.
    await ctx.store.putJson(
      at(QUALITY_FILES.violations),
      toModelQualityViolationsFile(result.check.violations),
      {
        indent: 2,
      },
    );
  }
  await ctx.store.putJson(at(QUALITY_FILES.report), report, { indent: 2 });

  const emit = (add: Add) => {
    // The join's own metrics.
    const j = joined.summary;
    if (j.joinRate !== null) add(METRICS.groundTruthJoinRate, 'None', j.joinRate);
    add(METRICS.labelsJoined, 'Count', j.matched);
    add(METRICS.unmatchedCaptures, 'Count', j.unmatchedCaptures);
    add(METRICS.orphanedLabels, 'Count', j.orphanedLabels);
    add(METRICS.groundTruthRecordsRejected, 'Count', truth.counts.rejected);
    if (j.latency !== null) {
      add(METRICS.labelLatencyMedianHours, 'None', j.latency.median);
      add(METRICS.labelLatencyP90Hours, 'None', j.latency.p90);
    }
    add(METRICS.qualityPairs, 'Count', evaluated.evaluated);
    if (result !== undefined && published) {
      addQualityMetrics(result, add, {
        [DIMENSIONS.endpoint]: endpoint.endpointName,
        [DIMENSIONS.monitoringSchedule]: endpoint.monitoringScheduleName,
      });
    }
    if (estimate !== null) {
      for (const [key, name] of Object.entries(ESTIMATE_METRICS)) {
        add(name, 'None', estimate.estimates[key as keyof CbpeEstimate['estimates']]);
      }
    }
  };
  return { summary: evaluated, wrote: true, emit };
}

type Add = (
  name: string,
  unit: MetricUnitName,
  value: number,
  dims?: Record<string, string>,
  namespace?: string,
) => void;

/**
 * Every finite scalar metric of the statistics file, under its Model Monitor name in Model Monitor's namespace
 * (dims Endpoint, MonitoringSchedule: what existing alarms select) and as driftwatch's ModelQuality (dims
 * Endpoint, Metric), plus the number of violated constraints when they were checked.
 */
function addQualityMetrics(
  result: ModelQualityResult,
  add: Add,
  modelMonitorDimensions: Record<string, string>,
) {
  const values = readMetricValues(result.statistics, 'statistics').values;
  const endpoint = modelMonitorDimensions[DIMENSIONS.endpoint] ?? '';
  for (const [name, value] of Object.entries(values)) {
    add(name, 'None', value, modelMonitorDimensions, MODEL_MONITOR_MODEL_NAMESPACE);
    add(METRICS.modelQuality, 'None', value, { [DIMENSIONS.endpoint]: endpoint, [DIMENSIONS.metric]: name });
  }
  if (result.checked) add(METRICS.qualityViolations, 'Count', result.check.violations.length);
}

/** Streams every capture object of the monitored variants in the window's hours into a PredictionCollector. */
async function readCaptures(window: { start: number; end: number }, ctx: MergeContext) {
  const { endpoint, quality, store } = ctx;
  const collector = new PredictionCollector({
    ...quality.attributes,
    ...(endpoint.settings.capture.output !== undefined ? { output: endpoint.settings.capture.output } : {}),
  });
  const counts = { objects: 0, lines: 0, accepted: 0, rejected: 0, predictions: 0, unusable: 0 };
  const rejections: string[] = [];
  const bucket = endpoint.capture.bucket;
  for (const variant of endpoint.variants) {
    for (let t = window.start; t < window.end; t += HOUR_MS) {
      const prefix = captureHourPrefix(endpoint.capture.key, endpoint.endpointName, variant, new Date(t));
      // Named as SageMaker names capture files.
      for await (const object of hourObjects(store, bucket, prefix, JSON_LINES_NAME)) {
        const { uri } = object;
        collector.setSource(uri);
        let summary: Awaited<ReturnType<typeof parseCaptureStream>>;
        try {
          summary = await parseCaptureStream(bodyOf(object), collector, {
            ...endpoint.settings.capture,
            maxRejectionsKept: REJECTIONS_KEPT,
          });
        } catch (err) {
          if (err instanceof CaptureOptionsError) {
            throw new ConfigurationError(
              `payload mapping of endpoint ${endpoint.endpointName}: ${err.message}`,
              {
                cause: err,
              },
            );
          }
          throw gzipInputError(err, uri);
        }
        tally(counts, rejections, uri, summary);
      }
    }
  }
  counts.predictions = collector.predictions.length;
  counts.unusable = collector.unusable.length + collector.unusableTruncated;
  return { collector, counts, rejections };
}

/** Reads every ground-truth object of the collection hours [start, end), each labelled with its hour. */
async function readGroundTruth(hours: { start: number; end: number }, ctx: MergeContext) {
  const { quality, store } = ctx;
  const bucket = quality.groundTruth.bucket;
  const labels: GroundTruthLabel[] = [];
  const counts: ReadCounts = { objects: 0, lines: 0, accepted: 0, rejected: 0 };
  const rejections: string[] = [];
  /** `key etag` of each object read, to compare with a later listing. */
  const objects: string[] = [];
  for (let t = hours.start; t < hours.end; t += HOUR_MS) {
    const prefix = groundTruthHourPrefix(quality.groundTruth.key, new Date(t));
    for await (const object of hourObjects(store, bucket, prefix, JSON_LINES_NAME)) {
      objects.push(`${object.key} ${object.etag}`);
      const collectedAt = collectionHourFromKey(object.key);
      const summary = await parseGroundTruthStream(bodyOf(object), (label) => labels.push(label), {
        source: object.uri,
        ...(collectedAt !== undefined ? { collectedAt } : {}),
        ...(quality.labelAttribute !== undefined ? { labelAttribute: quality.labelAttribute } : {}),
        maxRejectionsKept: REJECTIONS_KEPT,
      }).catch((err: unknown) => {
        throw gzipInputError(err, object.uri);
      });
      tally(counts, rejections, object.uri, summary);
    }
  }
  return { labels, counts, rejections, objects };
}

/**
 * The objects directly in the hour folder `prefix` (not in folders below it) whose names match `name`, opened
 * one at a time, in listing order. An object deleted between the listing and the read (e.g. by a lifecycle
 * rule) holds nothing to use: it is left out.
 */
async function* hourObjects(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  name: RegExp,
): AsyncGenerator<{
  key: string;
  etag: string;
  name: string;
  uri: string;
  body: AsyncIterable<Uint8Array>;
}> {
  for await (const object of hourListing(store, bucket, prefix, name)) {
    let opened: Awaited<ReturnType<ObjectStore['getStream']>>;
    try {
      opened = await store.getStream({ bucket, key: object.key });
    } catch (err) {
      if (err instanceof ObjectNotFoundError) continue;
      throw err;
    }
    const rest = object.key.slice(prefix.length);
    yield {
      key: object.key,
      etag: object.etag,
      name: rest,
      uri: `s3://${bucket}/${object.key}`,
      body: opened.body,
    };
  }
}

/** The objects directly in the hour folder `prefix` whose names match `name`, as listed. */
async function* hourListing(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  name: RegExp,
): AsyncGenerator<{ key: string; etag: string }> {
  for await (const object of store.list(bucket, prefix)) {
    const rest = object.key.slice(prefix.length);
    if (rest.includes('/') || !name.test(rest)) continue;
    yield { key: object.key, etag: object.etag };
  }
}

/** Capture and ground-truth objects are JSON Lines files, gzip-compressed when named `.jsonl.gz`. */
const JSON_LINES_NAME = /\.jsonl(\.gz)?$/i;

/** An object's lines: gunzipped when it is named `.gz`. */
function bodyOf(object: { name: string; body: AsyncIterable<Uint8Array> }): AsyncIterable<Uint8Array> {
  return /\.gz$/i.test(object.name) ? Readable.from(object.body).pipe(createGunzip()) : object.body;
}

/** A zlib failure as the InputError naming the object; any other error as it is. */
function gzipInputError(err: unknown, uri: string): unknown {
  if (String((err as NodeJS.ErrnoException).code ?? '').startsWith('Z_')) {
    return new InputError(`${uri}: not a readable gzip file: ${(err as Error).message}`, { cause: err });
  }
  return err;
}

/** `key etag` of every ground-truth object of the collection hours [start, end), in listing order. */
async function listGroundTruth(hours: { start: number; end: number }, ctx: MergeContext): Promise<string[]> {
  const { quality, store } = ctx;
  const objects: string[] = [];
  for (let t = hours.start; t < hours.end; t += HOUR_MS) {
    const prefix = groundTruthHourPrefix(quality.groundTruth.key, new Date(t));
    for await (const object of hourListing(store, quality.groundTruth.bucket, prefix, JSON_LINES_NAME)) {
      objects.push(`${object.key} ${object.etag}`);
    }
  }
  return objects;
}

/** Whether two listings name the same objects with the same ETags. */
function sameObjects(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (list: readonly string[]) => [...list].sort().join('\n');
  return sorted(a) === sorted(b);
}

/** Adds one object's line counts to `counts`, and its rejections, described, up to REJECTIONS_KEPT in all. */
function tally(
  counts: ReadCounts,
  rejections: string[],
  uri: string,
  summary: { lines: number; accepted: number; rejected: number; rejections: readonly Rejection[] },
): void {
  counts.objects++;
  counts.lines += summary.lines;
  counts.accepted += summary.accepted;
  counts.rejected += summary.rejected;
  for (const r of summary.rejections) {
    if (rejections.length < REJECTIONS_KEPT) rejections.push(describeRejection(uri, r));
  }
}

/**
 * CBPE estimates of the window from every captured probability (labelled or not), when the endpoint is a binary
 * classifier with a probability attribute and a calibration file is under the baseline prefix; null otherwise.
 * A calibration that cannot be used is logged and skipped: the measured metrics do not depend on it.
 */
async function estimateWindow(
  collector: PredictionCollector,
  ctx: MergeContext,
): Promise<CbpeEstimate | null> {
  const { quality, endpoint } = ctx;
  const probabilityAttribute = quality.attributes.probabilityAttribute;
  if (quality.settings.problemType !== 'BinaryClassification' || probabilityAttribute === undefined)
    return null;
  const location = {
    bucket: endpoint.baseline.bucket,
    key: joinKey(endpoint.baseline.key, CBPE_CALIBRATION_FILE),
  };
  const uri = `s3://${location.bucket}/${location.key}`;
  // Listed first: the function may list the baseline prefix, so a missing file is told apart from a denied read
  // (S3 answers GetObject of a missing key with AccessDenied to a caller that cannot list).
  let listed = false;
  for await (const object of ctx.store.list(location.bucket, location.key)) {
    if (object.key === location.key) listed = true;
  }
  if (!listed) return null;
  let calibration: CbpeCalibration;
  try {
    const opened = await ctx.store.getStream(location);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of opened.body) text += decoder.decode(chunk, { stream: true });
    text += decoder.decode();
    calibration = calibrate(text, probabilityAttribute, quality.settings.probabilityThreshold ?? 0.5, uri);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return null;
    if (!(err instanceof QualityInputError)) throw err;
    ctx.log.warn('CBPE calibration not usable; no estimates', { calibration: uri, reason: err.message });
    return null;
  }
  const scores = collector.predictions.map((p) => Number(p.probability)).filter((s) => s >= 0 && s <= 1);
  if (scores.length === 0) return null;
  return estimatePerformance(calibration, scores);
}

/**
 * Calibrates CBPE from a labelled predictions CSV (header row; the probability column named as the probability
 * attribute, else `probability`; the `label` column).
 * @throws QualityInputError when the file has no such columns or cannot calibrate (one class, no rows)
 */
export function calibrate(
  text: string,
  probabilityAttribute: string,
  threshold: number,
  source: string,
): CbpeCalibration {
  const rows = parseCsvRows(text);
  if ('error' in rows) throw new QualityInputError(`${source}: ${rows.error}`);
  const [header, ...data] = rows;
  const names = (header ?? []).map((h) => (h ?? '').trim());
  const probability = [probabilityAttribute, 'probability'].map((n) => names.indexOf(n)).find((i) => i >= 0);
  const label = names.indexOf('label');
  if (probability === undefined || label < 0) {
    throw new QualityInputError(
      `${source}: expected columns "${probabilityAttribute}" (or "probability") and "label"; found ${names.join(', ') || 'none'}`,
    );
  }
  const pairs: EvaluationPair[] = data.map((row) => ({
    prediction: null,
    probability: row[probability] ?? null,
    label: row[label] ?? null,
  }));
  return calibrateCbpeFromPairs(pairs, threshold);
}

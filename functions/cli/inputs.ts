import { parseCaptureStream } from '../core/capture/parse-capture.js';
import type { CaptureParseOptions, RawValue } from '../core/capture/types.js';
import {
  type DatasetProfileState,
  emptyDatasetProfile,
  mergeDatasetProfiles,
  ProfileBuilder,
  type ProfileSchema,
} from '../core/profile/dataset-profile.js';
import { parseDatasetProfile } from '../core/profile/parse.js';
import type { ReportRejection } from '../core/report/drift-report.js';
import { InputError } from '../errors.js';
import { displayPath, expandInputs, openInput, readCsvRows, readJsonFile } from './input-files.js';

/** Receives progress as bytes of input read. */
export interface ProgressSink {
  start(totalBytes: number): void;
  advance(bytes: number): void;
  stop(): void;
}

/** Options of {@link profileInputs}. */
export interface ProfileInputsOptions {
  schema: ProfileSchema;
  capture?: CaptureParseOptions;
  /** Column names for headerless CSV inputs (the baseline's feature order). */
  csvColumns?: readonly string[];
  /** The CSV columns holding the schema's outputs, in output order. @default the outputs' names */
  outputColumns?: readonly string[];
  /** @default 1000 */
  maxRejectionsKept?: number;
  progress?: ProgressSink;
}

/** The merged profile of every input, and the records rejected on the way. */
export interface ProfiledInputs {
  profile: DatasetProfileState;
  files: string[];
  rejections: ReportRejection[];
  rejectionsTruncated: number;
}

/**
 * Profiles capture files, CSV files and saved profiles against one schema and merges the results.
 * Capture files stream in bounded memory; a saved profile must have been built against the same baseline.
 */
export async function profileInputs(
  paths: readonly string[],
  options: ProfileInputsOptions,
): Promise<ProfiledInputs> {
  const files = await expandInputs(paths);
  if (files.length === 0)
    throw new InputError(`no inputs found in ${paths.join(', ')} (.jsonl, .json or .csv)`);
  const maxKept = options.maxRejectionsKept ?? 1000;
  const rejections: ReportRejection[] = [];
  let truncated = 0;
  const reject = (r: ReportRejection) => {
    if (rejections.length < maxKept) rejections.push(r);
    else truncated += 1;
  };
  const sizes = files.map((f) => f.size ?? 0);
  options.progress?.start(sizes.reduce((a, b) => a + b, 0));
  let merged = emptyDatasetProfile(options.schema);
  let reported = 0;
  const progress = options.progress;
  async function* counted(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      reported += bytes;
      progress?.advance(bytes);
      yield chunk;
    }
  }
  try {
    for (const [i, file] of files.entries()) {
      const name = displayPath(file.path);
      let profile: DatasetProfileState;
      if (file.kind === 'profile') {
        profile = parseDatasetProfile(await readJsonFile(file.path), name);
      } else if (file.kind === 'csv') {
        const builder = new ProfileBuilder(options.schema);
        let lines = 0;
        let rejected = 0;
        const csvOptions = options.csvColumns ? { columns: options.csvColumns } : {};
        // A column named like one of the baseline's outputs (`baseline --prediction`) is that output, not an
        // extra feature.
        const outputNames = options.outputColumns ?? (options.schema.outputs ?? []).map((o) => o.name);
        for await (const row of readCsvRows(file.path, csvOptions, (r) => {
          lines += 1;
          rejected += 1;
          reject({ file: name, line: r.line, reason: r.reason });
        })) {
          lines += 1;
          if (outputNames.some((o) => Object.hasOwn(row.values, o))) {
            const { features, outputs } = splitOutputs(row.values, outputNames);
            builder.addRecord(features, outputs);
          } else {
            builder.addRecord(row.values);
          }
        }
        profile = builder.toState({ lines, accepted: lines - rejected, rejected });
      } else {
        const builder = new ProfileBuilder(options.schema);
        const summary = await parseCaptureStream(
          counted((await openInput(file.path)) as AsyncIterable<Uint8Array | string>),
          builder,
          {
            ...options.capture,
            maxRejectionsKept: maxKept,
          },
        );
        for (const r of summary.rejections) reject({ file: name, ...r });
        truncated += summary.rejectionsTruncated;
        profile = builder.toState({
          lines: summary.lines,
          accepted: summary.accepted,
          rejected: summary.rejected,
        });
      }
      try {
        merged = mergeDatasetProfiles(merged, profile);
      } catch (err) {
        throw new InputError(`${name}: cannot be combined with the other inputs: ${(err as Error).message}`, {
          cause: err,
        });
      }
      options.progress?.advance(Math.max(0, (sizes[i] ?? 0) - reported));
      reported = 0;
    }
  } finally {
    options.progress?.stop();
  }
  return {
    profile: merged,
    files: files.map((f) => displayPath(f.path)),
    rejections,
    rejectionsTruncated: truncated,
  };
}

/** Separates the output columns of a CSV row from its features. */
function splitOutputs(
  values: Readonly<Record<string, RawValue>>,
  outputNames: readonly string[],
): { features: Record<string, RawValue>; outputs: RawValue[] } {
  const features: Record<string, RawValue> = { ...values };
  for (const o of outputNames) delete features[o];
  return { features, outputs: outputNames.map((o) => values[o] ?? null) };
}

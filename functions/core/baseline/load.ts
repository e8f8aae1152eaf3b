import { BaselineError } from '../../errors.js';
import { suggestConstraints } from '../model-monitor/constraints.js';
import type { ConstraintsFile } from '../model-monitor/types.js';
import { parseConstraintsFile, parseStatisticsFile } from '../model-monitor/types.js';
import { baselineFromStatistics } from './from-model-monitor.js';
import { parseBaseline } from './parse.js';
import type { Baseline } from './types.js';

/** File names inside a baseline location (a directory or an S3 prefix). */
export const BASELINE_FILES = {
  baseline: 'baseline.json',
  statistics: 'statistics.json',
  constraints: 'constraints.json',
} as const;

/** A loaded baseline with its constraints. */
export interface LoadedBaseline {
  baseline: Baseline;
  constraints: ConstraintsFile;
}

/** Reads the files of one baseline location: a local directory for the CLI, an S3 prefix for the functions. */
export interface BaselineFileReader {
  /** The location, for messages (a directory path or an s3:// URI). */
  readonly location: string;
  /** The name of one file of the location, for messages. */
  describe(file: string): string;
  /** The parsed JSON of `file`, or undefined when the location has no such file. */
  readJson(file: string): Promise<unknown>;
  /** Whether the location has `file`. */
  has(file: string): Promise<boolean>;
}

/** Options of {@link loadBaselineFrom}. */
export interface LoadBaselineOptions {
  /** Features read from statistics.json as categorical whatever their inferred_type. @default none */
  categorical?: readonly string[];
}

/**
 * Loads a baseline: driftwatch's baseline.json with constraints.json, or, for a baseline Model Monitor produced,
 * statistics.json with constraints.json (constraints suggested from the statistics when the location has none).
 * @throws BaselineError when the location has neither baseline.json nor statistics.json, or a file is invalid.
 */
export async function loadBaselineFrom(
  reader: BaselineFileReader,
  options: LoadBaselineOptions = {},
): Promise<LoadedBaseline> {
  let baseline: Baseline;
  if (await reader.has(BASELINE_FILES.baseline)) {
    const file = BASELINE_FILES.baseline;
    baseline = parseBaseline(await reader.readJson(file), reader.describe(file));
  } else if (await reader.has(BASELINE_FILES.statistics)) {
    const source = reader.describe(BASELINE_FILES.statistics);
    const stats = parseStatisticsFile(await reader.readJson(BASELINE_FILES.statistics), source);
    baseline = baselineFromStatistics(stats, source, options);
  } else {
    throw new BaselineError(
      `${reader.location}: no ${BASELINE_FILES.baseline} or ${BASELINE_FILES.statistics}; build one with \`driftwatch baseline\``,
    );
  }
  const constraints = (await reader.has(BASELINE_FILES.constraints))
    ? parseConstraintsFile(
        await reader.readJson(BASELINE_FILES.constraints),
        reader.describe(BASELINE_FILES.constraints),
      )
    : suggestConstraints(baseline.profile, new Map(baseline.features.map((f) => [f.name, f.inferredType])));
  return { baseline, constraints };
}

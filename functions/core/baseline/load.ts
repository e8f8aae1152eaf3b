import { BaselineError } from '../../errors.js';
import { suggestConstraints } from '../model-monitor/constraints.js';
import type { ConstraintsFile } from '../model-monitor/types.js';
import { parseConstraintsFile, parseStatisticsFile } from '../model-monitor/types.js';
import type { FeatureKind } from '../profile/index.js';
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
  /**
   * Declared feature types (the configuration's `features[].type`). A statistics.json feature declared
   * categorical is read as categorical; a declaration the baseline cannot honour is an error naming the feature.
   * @default none
   */
  types?: ReadonlyMap<string, FeatureKind>;
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
  const declared = [...(options.types ?? [])];
  if (await reader.has(BASELINE_FILES.baseline)) {
    const file = BASELINE_FILES.baseline;
    baseline = parseBaseline(await reader.readJson(file), reader.describe(file));
    checkDeclaredTypes(
      baseline,
      declared,
      reader.describe(file),
      'rebuild it with `driftwatch baseline --config`',
    );
  } else if (await reader.has(BASELINE_FILES.statistics)) {
    const source = reader.describe(BASELINE_FILES.statistics);
    const stats = parseStatisticsFile(await reader.readJson(BASELINE_FILES.statistics), source);
    const categorical = [
      ...(options.categorical ?? []),
      ...declared.filter(([, kind]) => kind === 'categorical').map(([name]) => name),
    ];
    baseline = baselineFromStatistics(stats, source, { categorical });
    checkDeclaredTypes(
      baseline,
      declared,
      source,
      'a String column has no numeric statistics to compare with',
    );
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

/**
 * Checks the configuration's declared feature types against the kinds of the loaded baseline.
 * @throws BaselineError naming every feature whose declared type the baseline does not have
 */
function checkDeclaredTypes(
  baseline: Baseline,
  declared: readonly (readonly [string, FeatureKind])[],
  source: string,
  remedy: string,
): void {
  const kinds = new Map([...baseline.features, ...baseline.outputs].map((c) => [c.name, c.kind]));
  const problems = declared
    .filter(([name, kind]) => kinds.has(name) && kinds.get(name) !== kind)
    .map(
      ([name, kind]) =>
        `features[${JSON.stringify(name)}].type is ${kind}, the baseline has it ${kinds.get(name)}`,
    );
  if (problems.length > 0) {
    throw new BaselineError(`${source}: ${problems.join('; ')}; ${remedy}`);
  }
}

import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile } from '../adapters/local-files.js';
import { baselineFromStatistics } from '../core/baseline/from-model-monitor.js';
import { parseBaseline } from '../core/baseline/parse.js';
import type { Baseline } from '../core/baseline/types.js';
import { suggestConstraints } from '../core/model-monitor/constraints.js';
import { profileToStatistics } from '../core/model-monitor/statistics.js';
import type { ConstraintsFile } from '../core/model-monitor/types.js';
import { parseConstraintsFile, parseStatisticsFile } from '../core/model-monitor/types.js';
import { BaselineError, InputError } from '../errors.js';

/** File names inside a baseline directory. */
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Writes JSON with a trailing newline, creating the directory. */
export async function writeJson(path: string, value: unknown, dir?: string): Promise<void> {
  if (dir) await mkdir(dir, { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Loads a baseline directory: driftwatch's baseline.json with constraints.json, or, for a baseline Model
 * Monitor produced, statistics.json with constraints.json (constraints suggested from the statistics when the
 * directory has none).
 */
export async function loadBaseline(
  dir: string,
  options: { categorical?: readonly string[] } = {},
): Promise<LoadedBaseline> {
  const at = (name: string) => join(dir, name);
  if (!(await exists(dir))) throw new BaselineError(`${dir}: baseline directory not found`);
  let baseline: Baseline;
  if (await exists(at(BASELINE_FILES.baseline))) {
    baseline = parseBaseline(await readJsonFile(at(BASELINE_FILES.baseline)), at(BASELINE_FILES.baseline));
  } else if (await exists(at(BASELINE_FILES.statistics))) {
    const stats = parseStatisticsFile(
      await readJsonFile(at(BASELINE_FILES.statistics)),
      at(BASELINE_FILES.statistics),
    );
    baseline = baselineFromStatistics(stats, at(BASELINE_FILES.statistics), options);
  } else {
    throw new BaselineError(
      `${dir}: no ${BASELINE_FILES.baseline} or ${BASELINE_FILES.statistics}; build one with \`driftwatch baseline\``,
    );
  }
  const constraintsPath = at(BASELINE_FILES.constraints);
  const constraints = (await exists(constraintsPath))
    ? parseConstraintsFile(await readJsonFile(constraintsPath), constraintsPath)
    : suggestConstraints(baseline.profile, new Map(baseline.features.map((f) => [f.name, f.inferredType])));
  return { baseline, constraints };
}

/** Writes baseline.json, statistics.json and constraints.json into `dir`. */
export async function saveBaseline(dir: string, baseline: Baseline): Promise<LoadedBaseline> {
  const types = new Map(baseline.features.map((f) => [f.name, f.inferredType]));
  const constraints = suggestConstraints(baseline.profile, types);
  await writeJson(join(dir, BASELINE_FILES.baseline), baseline, dir);
  await writeJson(join(dir, BASELINE_FILES.statistics), profileToStatistics(baseline.profile, types));
  await writeJson(join(dir, BASELINE_FILES.constraints), constraints);
  return { baseline, constraints };
}

/** Throws an InputError for a missing required option. */
export function requireOption<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new InputError(`missing required option ${flag}`);
  return value;
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BASELINE_FILES,
  type LoadBaselineOptions,
  type LoadedBaseline,
  loadBaselineFrom,
} from '../core/baseline/load.js';
import type { Baseline } from '../core/baseline/types.js';
import { suggestConstraints } from '../core/model-monitor/constraints.js';
import { profileToStatistics } from '../core/model-monitor/statistics.js';
import { BaselineError, InputError } from '../errors.js';
import { exists, isS3, joinPath, readJsonFile } from './input-files.js';

export { BASELINE_FILES, type LoadedBaseline };

/** Writes JSON with a trailing newline, creating the directory. */
export async function writeJson(path: string, value: unknown, dir?: string): Promise<void> {
  if (dir) await mkdir(dir, { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Loads a baseline directory: driftwatch's baseline.json with constraints.json, or, for a baseline Model
 * Monitor produced, statistics.json with constraints.json (constraints suggested from the statistics when the
 * directory has none). The rules are {@link loadBaselineFrom}'s, shared with the deployed functions. `dir` may be
 * an s3:// prefix.
 */
export async function loadBaseline(dir: string, options: LoadBaselineOptions = {}): Promise<LoadedBaseline> {
  if (!isS3(dir) && !(await exists(dir))) throw new BaselineError(`${dir}: baseline directory not found`);
  const at = (name: string) => joinPath(dir, name);
  return loadBaselineFrom(
    {
      location: dir,
      describe: at,
      has: (name) => exists(at(name)),
      readJson: (name) => readJsonFile(at(name)),
    },
    options,
  );
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

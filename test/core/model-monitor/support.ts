import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RawValue } from '../../../functions/core/capture/types.js';
import {
  type ColumnSpec,
  type DatasetProfileState,
  ProfileBuilder,
} from '../../../functions/core/profile/dataset-profile.js';

/** Absolute path of a file under test/fixtures/model-monitor-outputs. */
export function fixturePath(path: string): string {
  return fileURLToPath(new URL(`../../fixtures/model-monitor-outputs/${path}`, import.meta.url));
}

/** A fixture parsed as JSON. */
export function readFixtureJson(path: string): unknown {
  return JSON.parse(readFileSync(fixturePath(path), 'utf8'));
}

/**
 * The profile of a headerless CSV fixture as Model Monitor reads it: columns named _c0.._cN (Spark's names),
 * every cell classified from its text by the profile builder (dynamic columns, no baseline).
 */
export function csvFixtureProfile(path: string): DatasetProfileState {
  const builder = new ProfileBuilder({ features: [], dynamic: true });
  for (const line of readFileSync(fixturePath(path), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    builder.addRecord(Object.fromEntries(line.split(',').map((cell, i) => [`_c${i}`, cell])));
  }
  return builder.toState();
}

/** A profile of the given columns, row by row: column i's values[r] is row r's value (undefined = absent). */
export function profileOf(
  columns: Record<string, readonly (RawValue | undefined)[]>,
  specs: Partial<Record<string, Omit<ColumnSpec, 'name'>>> = {},
): DatasetProfileState {
  const names = Object.keys(columns);
  const builder = new ProfileBuilder({ features: names.map((name) => ({ name, ...specs[name] })) });
  const rows = Math.max(0, ...names.map((n) => columns[n]?.length ?? 0));
  for (let r = 0; r < rows; r++) {
    const row: Record<string, RawValue> = {};
    for (const n of names) {
      const v = columns[n]?.[r];
      if (v !== undefined) row[n] = v;
    }
    builder.addRecord(row);
  }
  return builder.toState();
}

/** `n` copies of a value. */
export function times<T>(n: number, value: T): T[] {
  return Array.from({ length: n }, () => value);
}

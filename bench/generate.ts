/**
 * Deterministic benchmark data: SageMaker data-capture JSONL in three encodings, a baseline built from training
 * rows of the same distribution, and a window of 24 hourly capture files with their profiles. Every value comes
 * from seeded PRNGs, so the same options give byte-identical files.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { loadBaseline, saveBaseline } from '../functions/cli/baseline-store.js';
import { type BaselineRow, buildBaseline } from '../functions/core/baseline/build.js';
import { profileCaptureFile } from './ingest.js';
import { mulberry32, normal, weightedIndex } from './random.js';

/** How the endpoint's request payload is encoded in the capture record. */
export type Variant = 'csv' | 'json' | 'base64';

/** The three capture encodings measured. */
export const VARIANTS: readonly Variant[] = ['csv', 'json', 'base64'];

/** Version of the generated layout; a reused `--dir` is regenerated when it differs. */
export const GENERATOR_VERSION = 1;

type NumericShape = 'normal' | 'lognormal' | 'count' | 'uniform';
const SHAPES: readonly NumericShape[] = ['normal', 'lognormal', 'count', 'uniform'];

/** The 20 numeric features, in payload order (before the categorical ones). */
export const NUMERIC_FEATURES: readonly string[] = Array.from(
  { length: 20 },
  (_, i) => `num_${String(i).padStart(2, '0')}`,
);

const CATEGORY_LEVELS: readonly (readonly string[])[] = [
  ['red', 'green', 'blue'],
  ['north', 'south', 'east', 'west', 'central'],
  ['ios', 'android', 'web', 'tv', 'kiosk', 'api', 'partner', 'other'],
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  Array.from({ length: 30 }, (_, i) => `store_${String(i).padStart(2, '0')}`),
];

/** The 5 categorical features, in payload order (after the numeric ones). */
export const CATEGORICAL_FEATURES: readonly string[] = CATEGORY_LEVELS.map((_, i) => `cat_${i}`);

/** Every feature, in payload order: the CSV column order and the JSON key order. */
export const FEATURE_NAMES: readonly string[] = [...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES];

/** The training CSV's prediction column, profiled as the baseline's `prediction` output. */
export const SCORE_COLUMN = 'score';

/** Share of values left missing (empty CSV field, JSON null), by feature. */
export const MISSING_RATES: Readonly<Record<string, number>> = { num_03: 0.01, cat_1: 0.005 };

/** Level weights ∝ 1 / (rank + 1) (Zipf, s = 1), as cumulative sums for {@link weightedIndex}. */
const CATEGORY_CUMULATIVE = CATEGORY_LEVELS.map((levels) => {
  const cumulative = new Float64Array(levels.length);
  let total = 0;
  for (let r = 0; r < levels.length; r++) {
    total += 1 / (r + 1);
    cumulative[r] = total;
  }
  return cumulative;
});

/** One generated model input: feature values as their text (null when missing) and the model's score. */
export interface GeneratedRow {
  /** Aligned with {@link FEATURE_NAMES}; numbers as decimal text. */
  values: (string | null)[];
  /** Whether `values[i]` is a number (written unquoted in JSON payloads). */
  numeric: readonly boolean[];
  /** The endpoint's output, a probability with 6 decimals. */
  score: string;
}

const IS_NUMERIC: readonly boolean[] = FEATURE_NAMES.map((_, i) => i < NUMERIC_FEATURES.length);

/**
 * A stream of rows from one seed. Numeric feature i has shape SHAPES[i mod 4]: normal (mean 10(i+1), sd 1 + i/4,
 * 4 decimals), lognormal (exp(1 + 0.05i + 0.75z), 2 decimals), count (floor(exp(1.5 + 0.8z)), an integer) or
 * uniform [0, 1) (6 decimals); categorical feature j draws from its levels with Zipf weights; the score is
 * logistic(0.8 z_0 - 0.5 z_4 + 0.4 [cat_0 = red] + 0.3 e) with e standard normal noise.
 */
export function rowGenerator(seed: number): () => GeneratedRow {
  const rand = mulberry32(seed);
  const gauss = normal(rand);
  const missingIndex = FEATURE_NAMES.map((name) => MISSING_RATES[name] ?? 0);
  return () => {
    const values: (string | null)[] = new Array(FEATURE_NAMES.length);
    let z0 = 0;
    let z4 = 0;
    for (let i = 0; i < NUMERIC_FEATURES.length; i++) {
      const z = gauss();
      if (i === 0) z0 = z;
      if (i === 4) z4 = z;
      let text: string;
      switch (SHAPES[i % SHAPES.length]) {
        case 'normal':
          text = (10 * (i + 1) + (1 + i / 4) * z).toFixed(4);
          break;
        case 'lognormal':
          text = Math.exp(1 + 0.05 * i + 0.75 * z).toFixed(2);
          break;
        case 'count':
          text = String(Math.floor(Math.exp(1.5 + 0.8 * z)));
          break;
        default:
          text = rand().toFixed(6);
      }
      values[i] = text;
    }
    for (let j = 0; j < CATEGORY_LEVELS.length; j++) {
      const levels = CATEGORY_LEVELS[j] ?? [];
      const cumulative = CATEGORY_CUMULATIVE[j] ?? new Float64Array(1);
      values[NUMERIC_FEATURES.length + j] = levels[weightedIndex(rand, cumulative)] ?? null;
    }
    for (let i = 0; i < values.length; i++) {
      const rate = missingIndex[i] ?? 0;
      if (rate > 0 && rand() < rate) values[i] = null;
    }
    const red = values[NUMERIC_FEATURES.length] === 'red' ? 1 : 0;
    const logit = 0.8 * z0 - 0.5 * z4 + 0.4 * red + 0.3 * gauss();
    return { values, numeric: IS_NUMERIC, score: (1 / (1 + Math.exp(-logit))).toFixed(6) };
  };
}

/** A row as a CSV line (no trailing newline); missing values are empty fields. Values never need quoting. */
export function csvPayload(row: GeneratedRow): string {
  let out = '';
  for (let i = 0; i < row.values.length; i++) {
    if (i > 0) out += ',';
    out += row.values[i] ?? '';
  }
  return out;
}

/** A row as a JSON object keyed by feature name: numbers unquoted, categories quoted, missing as null. */
export function jsonPayload(row: GeneratedRow): string {
  let out = '{';
  for (let i = 0; i < row.values.length; i++) {
    if (i > 0) out += ',';
    const value = row.values[i] ?? null;
    out += `"${FEATURE_NAMES[i]}":${value === null ? 'null' : row.numeric[i] ? value : `"${value}"`}`;
  }
  return `${out}}`;
}

/** Event metadata of one capture record. */
export interface EventMetadata {
  eventId: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`, as SageMaker writes it. */
  inferenceTime: string;
}

/**
 * One SageMaker data-capture JSONL line (without newline), laid out as the endpoint writes it (key order of the
 * AWS documentation's sample). CSV: text/csv input and output. JSON: application/json input keyed by feature
 * name and `{"score": s}` output. BASE64: the CSV input base64-encoded under an opaque content type (as
 * SageMaker captures a type outside its CSV/JSON lists), with a text/csv output.
 */
export function captureLine(variant: Variant, row: GeneratedRow, meta: EventMetadata): string {
  let input: string;
  let output: string;
  switch (variant) {
    case 'csv':
      input = `{"observedContentType":"text/csv","mode":"INPUT","data":"${csvPayload(row)}","encoding":"CSV"}`;
      output = `{"observedContentType":"text/csv; charset=utf-8","mode":"OUTPUT","data":"${row.score}","encoding":"CSV"}`;
      break;
    case 'json':
      input = `{"observedContentType":"application/json","mode":"INPUT","data":${JSON.stringify(jsonPayload(row))},"encoding":"JSON"}`;
      output = `{"observedContentType":"application/json","mode":"OUTPUT","data":${JSON.stringify(`{"score":${row.score}}`)},"encoding":"JSON"}`;
      break;
    case 'base64': {
      const data = Buffer.from(csvPayload(row), 'utf8').toString('base64');
      input = `{"observedContentType":"application/octet-stream","mode":"INPUT","data":"${data}","encoding":"BASE64"}`;
      output = `{"observedContentType":"text/csv; charset=utf-8","mode":"OUTPUT","data":"${row.score}","encoding":"CSV"}`;
      break;
    }
  }
  return `{"captureData":{"endpointInput":${input},"endpointOutput":${output}},"eventMetadata":{"eventId":"${meta.eventId}","inferenceTime":"${meta.inferenceTime}"},"eventVersion":"0"}`;
}

/** A random (version 4) UUID from a seeded source. */
export function seededUuid(rand: () => number): string {
  const word = () => Math.floor(rand() * 4294967296);
  const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
  const a = word();
  const b = word();
  const c = word();
  const d = word();
  const version = (b & 0xffff & 0x0fff) | 0x4000;
  const variant = ((c >>> 16) & 0x3fff) | 0x8000;
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(version, 4)}-${hex(variant, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
}

/** What to write into one capture file: a byte target or an exact row count. */
export interface CaptureFileSpec {
  path: string;
  variant: Variant;
  /** Seed of the row values; the same seed gives the same rows in every variant. */
  seed: number;
  /** inferenceTime of the first record, ms since the epoch (whole seconds are written). */
  startTime: number;
  /** Milliseconds between consecutive records' inference times. */
  spacingMs: number;
  /** Stop after the line that reaches this many bytes. Exactly one of targetBytes and rows. */
  targetBytes?: number;
  /** Write exactly this many records. */
  rows?: number;
}

/** A written capture file (one record, one line, one row each). */
export interface CaptureFileInfo {
  /** Relative to the dataset directory in a manifest. */
  path: string;
  variant: Variant;
  bytes: number;
  lines: number;
  rows: number;
}

const WRITE_BATCH_CHARS = 4 * 1024 * 1024;

/**
 * Writes one capture file synchronously. Lines are ASCII, so characters and bytes agree.
 * @throws RangeError when neither or both of targetBytes and rows are given, or either is not a positive integer
 */
export function writeCaptureFile(spec: CaptureFileSpec): Omit<CaptureFileInfo, 'path'> {
  const { targetBytes, rows } = spec;
  if ((targetBytes === undefined) === (rows === undefined)) {
    throw new RangeError(`${spec.path}: give exactly one of targetBytes and rows`);
  }
  const limit = targetBytes ?? rows ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(
      `${spec.path}: ${targetBytes === undefined ? 'rows' : 'targetBytes'} must be a positive integer, got ${limit}`,
    );
  }
  const next = rowGenerator(spec.seed);
  const metaRand = mulberry32(spec.seed ^ 0x5eed);
  mkdirSync(dirname(spec.path), { recursive: true });
  const fd = openSync(spec.path, 'w');
  let bytes = 0;
  let lines = 0;
  let batch: string[] = [];
  let batchChars = 0;
  let second = Number.NaN;
  let time = '';
  try {
    while (targetBytes !== undefined ? bytes < targetBytes : lines < limit) {
      const ms = spec.startTime + Math.floor(lines * spec.spacingMs);
      const s = Math.floor(ms / 1000);
      if (s !== second) {
        second = s;
        time = `${new Date(s * 1000).toISOString().slice(0, 19)}Z`;
      }
      const line = `${captureLine(spec.variant, next(), { eventId: seededUuid(metaRand), inferenceTime: time })}\n`;
      batch.push(line);
      batchChars += line.length;
      bytes += line.length;
      lines += 1;
      if (batchChars >= WRITE_BATCH_CHARS) {
        writeSync(fd, batch.join(''));
        batch = [];
        batchChars = 0;
      }
    }
    if (batch.length > 0) writeSync(fd, batch.join(''));
  } finally {
    closeSync(fd);
  }
  return { variant: spec.variant, bytes, lines, rows: lines };
}

/** Training rows as a CSV reader would give them (text values, null when missing), with the score column. */
export async function* trainingRows(seed: number, count: number): AsyncGenerator<BaselineRow> {
  const next = rowGenerator(seed);
  for (let r = 0; r < count; r++) {
    const row = next();
    const record: Record<string, string | null> = {};
    for (let i = 0; i < FEATURE_NAMES.length; i++)
      record[FEATURE_NAMES[i] ?? `_c${i}`] = row.values[i] ?? null;
    record[SCORE_COLUMN] = row.score;
    yield record;
  }
}

/** Options of {@link generateDataset}. */
export interface DatasetOptions {
  dir: string;
  /** Bytes of the three variant capture files together; each gets a third. */
  totalBytes: number;
  seed: number;
  /** Training rows the baseline is built from. */
  baselineRows: number;
  /** Records in each of the window's hourly capture files. */
  hourlyRows: number;
  /** Hourly files (and profiles) in the window. @default 24 */
  hours?: number;
}

/** What {@link generateDataset} wrote; paths are relative to the dataset directory. */
export interface DatasetManifest {
  generator: 'driftwatch-bench';
  version: typeof GENERATOR_VERSION;
  options: Omit<DatasetOptions, 'dir'> & { hours: number };
  /** One capture file per variant, each about totalBytes / 3. */
  variants: CaptureFileInfo[];
  /** The window's capture files, CSV-encoded, one per hour. */
  hourly: CaptureFileInfo[];
  /** Profiles of the hourly files, made as the ingest path makes them. */
  hourlyProfiles: string[];
  /** Directory with baseline.json, statistics.json and constraints.json. */
  baselineDir: string;
}

/** Day the generated inference times fall on. */
const DAY = Date.UTC(2026, 10, 26);
const HOUR_MS = 3_600_000;

function hourPath(endpoint: string, time: number): string {
  const d = new Date(time).toISOString();
  return join(
    'capture',
    endpoint,
    'AllTraffic',
    d.slice(0, 4),
    d.slice(5, 7),
    d.slice(8, 10),
    d.slice(11, 13),
  );
}

/**
 * Writes the whole benchmark dataset into `dir`: the variant capture files under the S3 capture key layout
 * (`capture/<endpoint>/<variant>/yyyy/mm/dd/hh/`), the baseline, the hourly window files and their profiles,
 * and `manifest.json`.
 */
export async function generateDataset(
  options: DatasetOptions,
  log: (message: string) => void = () => {},
): Promise<DatasetManifest> {
  const hours = options.hours ?? 24;
  for (const [name, value, min] of [
    ['totalBytes', options.totalBytes, 1],
    ['baselineRows', options.baselineRows, 2],
    ['hourlyRows', options.hourlyRows, 1],
    ['hours', hours, 1],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new RangeError(`dataset option ${name} must be an integer >= ${min}, got ${value}`);
    }
  }
  const { dir, seed } = options;
  const variants: CaptureFileInfo[] = [];
  for (const variant of VARIANTS) {
    const path = join(hourPath(`bench-${variant}`, DAY), `bench-${variant}.jsonl`);
    log(`writing ${path}`);
    const info = writeCaptureFile({
      path: join(dir, path),
      variant,
      seed: seed + 1,
      startTime: DAY,
      spacingMs: 50,
      targetBytes: Math.ceil(options.totalBytes / VARIANTS.length),
    });
    variants.push({ path, ...info });
  }

  log(`building the baseline from ${options.baselineRows} training rows`);
  const baseline = await buildBaseline(() => trainingRows(seed + 7, options.baselineRows), {
    source: `bench training rows (seed ${seed + 7}, ${options.baselineRows} rows)`,
    predictionColumn: SCORE_COLUMN,
  });
  const baselineDir = 'baseline';
  await saveBaseline(join(dir, baselineDir), baseline);
  const loaded = await loadBaseline(join(dir, baselineDir));

  const hourly: CaptureFileInfo[] = [];
  const hourlyProfiles: string[] = [];
  log(`writing and profiling ${hours} hourly files of ${options.hourlyRows} records`);
  for (let h = 0; h < hours; h++) {
    const start = DAY + h * HOUR_MS;
    const path = join(hourPath('bench-window', start), 'part-0000.jsonl');
    const info = writeCaptureFile({
      path: join(dir, path),
      variant: 'csv',
      seed: seed + 100 + h,
      startTime: start,
      spacingMs: HOUR_MS / options.hourlyRows,
      rows: options.hourlyRows,
    });
    hourly.push({ path, ...info });
    const { profile } = await profileCaptureFile(join(dir, path), loaded);
    const profilePath = join('profiles', `hour-${String(h).padStart(2, '0')}.profile.json`);
    mkdirSync(join(dir, 'profiles'), { recursive: true });
    writeFileSync(join(dir, profilePath), `${JSON.stringify(profile)}\n`);
    hourlyProfiles.push(profilePath);
  }

  const manifest: DatasetManifest = {
    generator: 'driftwatch-bench',
    version: GENERATOR_VERSION,
    options: {
      totalBytes: options.totalBytes,
      seed,
      baselineRows: options.baselineRows,
      hourlyRows: options.hourlyRows,
      hours,
    },
    variants,
    hourly,
    hourlyProfiles,
    baselineDir,
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The manifest of a dataset already in `dir` when it was generated by this generator version with the same
 * options and its files are all still there with their recorded sizes; otherwise undefined (regenerate).
 */
export function currentManifest(
  dir: string,
  options: DatasetManifest['options'],
): DatasetManifest | undefined {
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  } catch {
    return undefined;
  }
  if (manifest.generator !== 'driftwatch-bench' || manifest.version !== GENERATOR_VERSION) return undefined;
  const keys = Object.keys(options) as (keyof DatasetManifest['options'])[];
  if (keys.some((k) => manifest.options?.[k] !== options[k])) return undefined;
  const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : -1);
  const files = [...manifest.variants, ...manifest.hourly];
  if (files.some((f) => sizeOf(join(dir, f.path)) !== f.bytes)) return undefined;
  const others = [...manifest.hourlyProfiles, join(manifest.baselineDir, 'baseline.json')];
  if (others.some((p) => !existsSync(join(dir, p)))) return undefined;
  return manifest;
}

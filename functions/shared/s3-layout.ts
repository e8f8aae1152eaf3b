/**
 * S3 key layout shared by the stack (notification filters, IAM scopes) and the functions (where they read and
 * write). Capture keys are SageMaker's: `<capturePrefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl`.
 */

/** Joins key parts with single slashes, ignoring empty parts and stray slashes. */
export function joinKey(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');
}

/** The parts of a SageMaker data-capture key. */
export interface CaptureKey {
  endpoint: string;
  variant: string;
  /** `yyyy/mm/dd/hh` of the capture hour (UTC). */
  hour: string;
  /** The object's file name. */
  file: string;
}

const CAPTURE_KEY = /^(?:(.*)\/)?([^/]+)\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/([^/]+)$/;

/** Parses a capture key under `capturePrefix`; undefined when the key does not follow SageMaker's layout. */
export function parseCaptureKey(key: string, capturePrefix: string): CaptureKey | undefined {
  const prefix = joinKey(capturePrefix);
  if (prefix !== '' && !key.startsWith(`${prefix}/`)) return undefined;
  const rest = prefix === '' ? key : key.slice(prefix.length + 1);
  const m = CAPTURE_KEY.exec(rest);
  if (!m || (m[1] ?? '') !== '') return undefined;
  const [, , endpoint, variant, y, mo, d, h, file] = m;
  if (!endpoint || !variant || !file) return undefined;
  return { endpoint, variant, hour: `${y}/${mo}/${d}/${h}`, file };
}

/** Prefix under the reports location where per-object profiles are written. */
export const PROFILES_PREFIX = 'profiles';
/** Prefix under the reports location where window results are written. */
export const REPORTS_PREFIX = 'reports';

/**
 * The profile key of a capture object: `<reportsPrefix>/profiles/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.profile.json`.
 * Deterministic, so processing the same object again overwrites the same profile (idempotent).
 */
export function profileKey(reportsPrefix: string, capture: CaptureKey): string {
  const base = capture.file.replace(/\.jsonl(\.gz)?$/i, '');
  return joinKey(
    reportsPrefix,
    PROFILES_PREFIX,
    capture.endpoint,
    capture.variant,
    capture.hour,
    `${base}.profile.json`,
  );
}

/** The prefix holding every profile of one hour of one variant. */
export function profileHourPrefix(
  reportsPrefix: string,
  endpoint: string,
  variant: string,
  hour: Date,
): string {
  return `${joinKey(reportsPrefix, PROFILES_PREFIX, endpoint, variant, hourPath(hour))}/`;
}

/**
 * Where a window's results go, as Model Monitor lays out monitoring outputs:
 * `<reportsPrefix>/reports/<endpoint>/<schedule>/yyyy/mm/dd/hh/` (hour = the window's end).
 */
export function windowReportPrefix(
  reportsPrefix: string,
  endpoint: string,
  schedule: string,
  windowEnd: Date,
): string {
  return `${joinKey(reportsPrefix, REPORTS_PREFIX, endpoint, schedule, hourPath(windowEnd))}/`;
}

/** `yyyy/mm/dd/hh` of a time in UTC. */
export function hourPath(t: Date): string {
  const iso = t.toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
}

/** File names of a window's results (Model Monitor's, plus driftwatch's report). */
export const WINDOW_FILES = {
  statistics: 'statistics.json',
  violations: 'constraint_violations.json',
  report: 'drift-report.json',
} as const;

/** Folder under a schedule's reports that holds the model-quality results (next to the hourly data-quality folders). */
export const MODEL_QUALITY_FOLDER = 'model-quality';

/**
 * Where the model-quality results of a window go:
 * `<reportsPrefix>/reports/<endpoint>/<schedule>/model-quality/yyyy/mm/dd/hh/` (hour = the window's end).
 */
export function qualityReportPrefix(
  reportsPrefix: string,
  endpoint: string,
  schedule: string,
  windowEnd: Date,
): string {
  return `${joinKey(reportsPrefix, REPORTS_PREFIX, endpoint, schedule, MODEL_QUALITY_FOLDER, hourPath(windowEnd))}/`;
}

/** File names of a window's model-quality results (Model Monitor's, plus driftwatch's join report). */
export const QUALITY_FILES = {
  statistics: 'statistics.json',
  violations: 'constraint_violations.json',
  report: 'quality-report.json',
} as const;

/** The capture prefix of one hour of one variant: `<capturePrefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/`. */
export function captureHourPrefix(
  capturePrefix: string,
  endpoint: string,
  variant: string,
  hour: Date,
): string {
  return `${joinKey(capturePrefix, endpoint, variant, hourPath(hour))}/`;
}

/** The ground-truth prefix of one collection hour: `<groundTruthPrefix>/yyyy/mm/dd/hh/`. */
export function groundTruthHourPrefix(groundTruthPrefix: string, hour: Date): string {
  return `${joinKey(groundTruthPrefix, hourPath(hour))}/`;
}

/**
 * A labelled predictions CSV under the baseline prefix that calibrates label-free (CBPE) estimates: a header
 * row with the probability column (`modelQuality.probabilityAttribute`, else `probability`) and `label`.
 */
export const CBPE_CALIBRATION_FILE = 'model-quality-calibration.csv';

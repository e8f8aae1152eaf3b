/** Command-line values of `npm run bench`: sizes and counts, checked with messages that name the option. */

/** Thrown when a command-line option of the benchmark is unusable. */
export class BenchOptionsError extends Error {
  override readonly name = 'BenchOptionsError';
}

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/**
 * Bytes of a size such as `256MiB`, `2GiB`, `500MB`, `1.5GB` or `1048576` (units B, KB, MB, GB in powers of
 * 1000 and KiB, MiB, GiB in powers of 1024, case-insensitive; no unit means bytes), rounded to whole bytes.
 * @throws BenchOptionsError when the text is not such a size or is less than one byte
 */
export function parseSize(option: string, text: string): number {
  const m = SIZE.exec(text.trim());
  const unit = UNITS[(m?.[2] ?? '').toLowerCase() || 'b'];
  if (m === null || unit === undefined) {
    throw new BenchOptionsError(
      `${option}: expected a size such as 256MiB, 2GiB or 500MB (units B, KB, MB, GB, KiB, MiB, GiB), got "${text}"`,
    );
  }
  const bytes = Math.round(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new BenchOptionsError(`${option}: expected at least 1 byte, got "${text}"`);
  }
  return bytes;
}

/**
 * A whole number of at least `min` written in decimal digits.
 * @throws BenchOptionsError when the text is not such a number
 */
export function parseCount(option: string, text: string, min = 1): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new BenchOptionsError(`${option}: expected a whole number >= ${min}, got "${text}"`);
  }
  return value;
}

/** Bytes as MiB or GiB with one decimal, for messages. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GiB`
    : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** Options as commander hands them over (strings until checked). */
export interface BenchCliOptions {
  size?: string;
  quick?: boolean;
  runs?: string;
  dir?: string;
  keep?: boolean;
  seed?: string;
  baselineRows?: string;
  hourlyRows?: string;
  cpuProf?: boolean;
  tsx?: boolean;
  parser?: string;
}

/** Checked settings of one benchmark run. */
export interface BenchSettings {
  /** Bytes of the three variant capture files together. */
  totalBytes: number;
  /** Fresh child processes per measurement; the tables show medians. */
  runs: number;
  quick: boolean;
  /** Dataset directory given with --dir (kept and reused), else undefined (a new temp dir). */
  dir: string | undefined;
  /** Keep the generated capture files of a temp dir. */
  keep: boolean;
  seed: number;
  baselineRows: number;
  hourlyRows: number;
  /** Profile one (c) child on the CSV variant with --cpu-prof and summarise it. */
  cpuProf: boolean;
  /**
   * How children run the TypeScript: `bundle`, one esbuild bundle run by plain node, as a Lambda runs it;
   * `tsx`, through the tsx loader, as `npm run driftwatch` runs it (about 45 MiB more RSS).
   */
  runner: 'bundle' | 'tsx';
  /** Capture line parser of (c): `fast` (the default, bytes first) or `reference` (JSON.parse of every line). */
  parser: 'fast' | 'reference';
}

/** Defaults of a full run and of `--quick`. */
export const BENCH_DEFAULTS = {
  full: { size: '256MiB', runs: 3, baselineRows: 50_000, hourlyRows: 10_000 },
  quick: { size: '16MiB', runs: 1, baselineRows: 5_000, hourlyRows: 1_000 },
  seed: 20261126,
} as const;

/**
 * Checks the command-line options and fills in defaults (those of `--quick` when it is set; an explicit option
 * wins over both).
 * @throws BenchOptionsError naming the first unusable option
 */
export function resolveSettings(o: BenchCliOptions): BenchSettings {
  const quick = o.quick === true;
  const d = quick ? BENCH_DEFAULTS.quick : BENCH_DEFAULTS.full;
  return {
    totalBytes: parseSize('--size', o.size ?? d.size),
    runs: o.runs === undefined ? d.runs : parseCount('--runs', o.runs),
    quick,
    dir: o.dir,
    keep: o.keep === true,
    seed: o.seed === undefined ? BENCH_DEFAULTS.seed : parseCount('--seed', o.seed, 0),
    baselineRows:
      o.baselineRows === undefined ? d.baselineRows : parseCount('--baseline-rows', o.baselineRows, 2),
    hourlyRows: o.hourlyRows === undefined ? d.hourlyRows : parseCount('--hourly-rows', o.hourlyRows),
    cpuProf: o.cpuProf === true,
    runner: o.tsx === true ? 'tsx' : 'bundle',
    parser: parseParser(o.parser ?? 'fast'),
  };
}

/**
 * The `--parser` value: `fast` or `reference`.
 * @throws BenchOptionsError for anything else
 */
export function parseParser(text: string): 'fast' | 'reference' {
  if (text === 'fast' || text === 'reference') return text;
  throw new BenchOptionsError(`--parser: expected fast or reference, got "${text}"`);
}

/**
 * The measurements. Each runs in a fresh child process (bench/child.ts) so that its peak RSS is its own; they are
 * plain async functions so the smoke test can check what they count.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { loadBaseline } from '../functions/cli/baseline-store.js';
import { profileInputs } from '../functions/cli/inputs.js';
import { baselineProfileSchema } from '../functions/core/baseline/schema.js';
import { buildDriftReport } from '../functions/core/report/drift-report.js';
import { profileCaptureFile } from './ingest.js';

/** (a) read, (b) split-parse, (c) ingest, (d) window. */
export type MeasureKind = 'read' | 'split-parse' | 'ingest' | 'window';

/** What a child process is asked to measure. */
export const measureTaskSchema = z.object({
  kind: z.enum(['read', 'split-parse', 'ingest', 'window']),
  files: z.array(z.string().min(1)).min(1),
  /** Required by `ingest` and `window`. */
  baselineDir: z.string().min(1).optional(),
  /** Line parser of `ingest`. @default 'fast' */
  parser: z.enum(['fast', 'reference']).optional(),
});

/** What a child process is asked to measure. */
export type MeasureTask = z.infer<typeof measureTaskSchema>;

/** What one measurement counted and how long its timed part took. */
export interface MeasureResult {
  kind: MeasureKind;
  /** Bytes of input read (capture files, or profile files for `window`). */
  bytes: number;
  /** Non-blank lines seen; undefined for `read`, which does not look at lines; profiles read for `window`. */
  lines?: number;
  /** Model input rows profiled; undefined for `read` and `split-parse`. */
  rows?: number;
  /** Capture lines rejected by the parser (`ingest`); must be 0 for generated data. */
  rejected?: number;
  /** Wall-clock seconds of the timed part (performance.now). */
  seconds: number;
  /** User + system CPU seconds of this process over the timed part (all threads, GC included). */
  cpuSeconds: number;
  /** Wall-clock seconds by phase, for `window`. */
  phases?: Record<string, number>;
  /** process.hrtime.bigint() in µs at the start and end of the timed part, to cut a CPU profile to it. */
  timedMicros: [number, number];
}

/** One child process's report to bench/run.ts. */
export interface ChildReport {
  result: MeasureResult;
  /** RSS after the modules loaded, before measuring, MiB. */
  startRssMiB: number;
  /** process.resourceUsage().maxRSS (getrusage ru_maxrss, KiB) in MiB: the largest RSS the process ever had. */
  peakRssMiB: number;
}

/** Thrown when a measurement task is malformed. */
export class MeasureTaskError extends Error {
  override readonly name = 'MeasureTaskError';
}

/** Validates a task (from the child's argv); throws MeasureTaskError naming each bad field. */
export function parseMeasureTask(json: unknown): MeasureTask {
  const result = measureTaskSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map(
      (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
    );
    throw new MeasureTaskError(`invalid measurement task: ${issues.join('; ')}`);
  }
  const task = result.data;
  if ((task.kind === 'ingest' || task.kind === 'window') && task.baselineDir === undefined) {
    throw new MeasureTaskError(`invalid measurement task: baselineDir: required for kind ${task.kind}`);
  }
  return task;
}

/** Runs one measurement. */
export async function runMeasurement(task: MeasureTask): Promise<MeasureResult> {
  switch (task.kind) {
    case 'read':
      return measureRead(task.files);
    case 'split-parse':
      return measureSplitParse(task.files);
    case 'ingest':
      return measureIngest(task.files, requireBaselineDir(task), task.parser);
    case 'window':
      return measureWindow(task.files, requireBaselineDir(task));
  }
}

function requireBaselineDir(task: MeasureTask): string {
  if (task.baselineDir === undefined)
    throw new MeasureTaskError(`baselineDir: required for kind ${task.kind}`);
  return task.baselineDir;
}

const micros = () => Number(process.hrtime.bigint() / 1000n);

/** Runs `work` and times it by wall clock and by this process's CPU usage. */
async function timed<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number; cpuSeconds: number; timedMicros: [number, number] }> {
  const startMicros = micros();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { value, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, timedMicros: [startMicros, micros()] };
}

/** (a) Streams the files with fs.createReadStream (64 KiB chunks, as the CLI opens them) and counts bytes. */
export async function measureRead(files: readonly string[]): Promise<MeasureResult> {
  const run = await timed(async () => {
    let bytes = 0;
    for (const file of files) {
      for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) bytes += chunk.length;
    }
    return bytes;
  });
  return { kind: 'read', bytes: run.value, ...withoutValue(run) };
}

/**
 * (b) The naive ceiling: the same stream split on `\n` by Buffer.indexOf, each non-blank line decoded and
 * JSON.parse'd, nothing else (a counter of records with captureData keeps the parse from being optimised away).
 */
export async function measureSplitParse(files: readonly string[]): Promise<MeasureResult> {
  const run = await timed(async () => {
    let bytes = 0;
    let lines = 0;
    let records = 0;
    const handle = (text: string) => {
      if (text.trim() === '') return;
      lines += 1;
      const record = JSON.parse(text) as { captureData?: unknown };
      if (record.captureData !== undefined) records += 1;
    };
    for (const file of files) {
      let carry: Buffer | undefined;
      for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        let start = 0;
        if (carry !== undefined) {
          const nl = chunk.indexOf(0x0a);
          if (nl === -1) {
            carry = Buffer.concat([carry, chunk]);
            continue;
          }
          handle(Buffer.concat([carry, chunk.subarray(0, nl)]).toString('utf8'));
          carry = undefined;
          start = nl + 1;
        }
        for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
          handle(chunk.toString('utf8', start, nl));
          start = nl + 1;
        }
        if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
      }
      if (carry !== undefined) handle(carry.toString('utf8'));
    }
    if (records !== lines) throw new Error(`${records} of ${lines} lines had no captureData`);
    return { bytes, lines };
  });
  return { kind: 'split-parse', ...run.value, ...withoutValue(run) };
}

/**
 * (c) driftwatch's ingest path per capture object (see bench/ingest.ts). The baseline is loaded before the timer
 * starts, as a warm Lambda holds it; its memory counts in the peak RSS.
 */
export async function measureIngest(
  files: readonly string[],
  baselineDir: string,
  parser: 'fast' | 'reference' = 'fast',
): Promise<MeasureResult> {
  const loaded = await loadBaseline(baselineDir);
  const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size)));
  const run = await timed(async () => {
    let lines = 0;
    let rows = 0;
    let rejected = 0;
    for (const file of files) {
      const { profile, summary } = await profileCaptureFile(file, loaded, parser);
      lines += summary.lines;
      rows += profile.rows;
      rejected += summary.rejected;
    }
    return { lines, rows, rejected };
  });
  return { kind: 'ingest', bytes: sum(sizes), ...run.value, ...withoutValue(run) };
}

/**
 * (d) Evaluating a window as `driftwatch drift <profiles...>` does: load the baseline, read and merge the saved
 * profiles (profileInputs), compare with buildDriftReport. All three phases are timed.
 */
export async function measureWindow(
  profiles: readonly string[],
  baselineDir: string,
): Promise<MeasureResult> {
  const sizes = await Promise.all(profiles.map((f) => stat(f).then((s) => s.size)));
  const phases: Record<string, number> = {};
  const since = (t0: number) => (performance.now() - t0) / 1000;
  const run = await timed(async () => {
    let t = performance.now();
    const loaded = await loadBaseline(baselineDir);
    phases.loadBaseline = since(t);
    t = performance.now();
    const merged = await profileInputs(profiles, { schema: baselineProfileSchema(loaded.baseline) });
    phases.readAndMerge = since(t);
    t = performance.now();
    const report = buildDriftReport({
      baseline: loaded.baseline,
      constraints: loaded.constraints,
      current: merged.profile,
      inputs: merged.files,
      rejections: merged.rejections,
      rejectionsTruncated: merged.rejectionsTruncated,
    });
    phases.buildDriftReport = since(t);
    return { lines: merged.files.length, rows: report.rows, rejected: report.records.rejected };
  });
  return { kind: 'window', bytes: sum(sizes), ...run.value, phases, ...withoutValue(run) };
}

function withoutValue<T>(run: {
  value: T;
  seconds: number;
  cpuSeconds: number;
  timedMicros: [number, number];
}) {
  return { seconds: run.seconds, cpuSeconds: run.cpuSeconds, timedMicros: run.timedMicros };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

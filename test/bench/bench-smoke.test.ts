import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CpuProfile, topSelfTime } from '../../bench/cpu-profile.js';
import {
  CATEGORICAL_FEATURES,
  type DatasetManifest,
  FEATURE_NAMES,
  generateDataset,
  NUMERIC_FEATURES,
  VARIANTS,
  writeCaptureFile,
} from '../../bench/generate.js';
import {
  type ChildReport,
  MeasureTaskError,
  measureIngest,
  measureRead,
  measureSplitParse,
  measureWindow,
  parseMeasureTask,
} from '../../bench/measure.js';
import { BenchOptionsError, parseCount, parseSize, resolveSettings } from '../../bench/options.js';
import { checkTargets, median, summarise, type VariantResults } from '../../bench/report.js';
import { loadBaseline } from '../../functions/cli/baseline-store.js';
import { baselineProfileSchema } from '../../functions/core/baseline/schema.js';
import { parseCaptureStream } from '../../functions/core/capture/parse-capture.js';
import type { CaptureRow, CaptureSink } from '../../functions/core/capture/types.js';
import { ProfileBuilder } from '../../functions/core/profile/dataset-profile.js';

// A tiny dataset: the generator's correctness, not its speed (no timed assertions anywhere in this file).
const TOTAL_BYTES = 90_000;
const HOURLY_ROWS = 40;
const HOURS = 3;
const BASELINE_ROWS = 400;

let dir: string;
let manifest: DatasetManifest;
const scratch: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftwatch-bench-'));
  manifest = await generateDataset({
    dir,
    totalBytes: TOTAL_BYTES,
    seed: 7,
    baselineRows: BASELINE_ROWS,
    hourlyRows: HOURLY_ROWS,
    hours: HOURS,
  });
  scratch.push(dir);
});

afterAll(async () => {
  await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
});

/** Lines of a file counted independently of the generator and the parser: non-empty `\n`-separated pieces. */
async function countLines(path: string): Promise<number> {
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').length;
}

/** Parses a capture file as the CLI does (baseline columns) and keeps its rows. */
async function parseFile(path: string) {
  const loaded = await loadBaseline(join(dir, manifest.baselineDir));
  const builder = new ProfileBuilder(baselineProfileSchema(loaded.baseline));
  const rows: CaptureRow[] = [];
  const sink: CaptureSink = {
    row: (row, meta) => {
      rows.push(row);
      builder.row(row, meta);
    },
  };
  const summary = await parseCaptureStream(createReadStream(path), sink, {
    input: { columns: loaded.baseline.features.map((f) => f.name) },
  });
  return { summary, rows, profile: builder.toState() };
}

describe('generateDataset', () => {
  it('computes capture files that parse with zero rejections and one row per line', async () => {
    // Given: the generated variant files
    for (const info of manifest.variants) {
      const path = join(dir, info.path);
      // When
      const { summary, profile } = await parseFile(path);
      const lines = await countLines(path);
      // Then
      expect(summary.rejected, `${info.variant}: ${JSON.stringify(summary.rejections[0])}`).toBe(0);
      expect(summary.lines).toBe(lines);
      expect(summary.rows).toBe(lines);
      expect(info.rows).toBe(lines);
      expect(info.bytes).toBe((await stat(path)).size);
      expect(info.bytes).toBeGreaterThanOrEqual(TOTAL_BYTES / 3);
      expect(profile.features.map((f) => f.name)).toEqual(FEATURE_NAMES);
      for (const f of profile.features) expect(f.count).toBe(lines);
      expect(profile.outputs).toHaveLength(1);
      expect(profile.outputs[0]?.count).toBe(lines);
      expect(profile.outputs[0]?.missing).toBe(0);
      expect(profile.extraColumns).toEqual({});
    }
  });

  it('computes hourly files of exactly hourlyRows records, each inside its hour', async () => {
    // Given / When: the generated window
    expect(manifest.hourly).toHaveLength(HOURS);
    for (const [h, info] of manifest.hourly.entries()) {
      const { summary } = await parseFile(join(dir, info.path));
      // Then
      const hour = `2026-11-26T${String(h).padStart(2, '0')}:`;
      expect(summary.rejected).toBe(0);
      expect(summary.rows).toBe(HOURLY_ROWS);
      expect(summary.firstInferenceTime?.startsWith(hour)).toBe(true);
      expect(summary.lastInferenceTime?.startsWith(hour)).toBe(true);
      expect(info.path).toContain(
        join('bench-window', 'AllTraffic', '2026', '11', '26', String(h).padStart(2, '0')),
      );
    }
  });

  it('computes the same rows in the CSV, JSON and BASE64 encodings', async () => {
    // Given: the three variant files, generated from one row seed
    const [csv, json, base64] = await Promise.all(
      VARIANTS.map((v) => parseFile(join(dir, manifest.variants.find((i) => i.variant === v)?.path ?? ''))),
    );
    const n = Math.min(csv?.rows.length ?? 0, json?.rows.length ?? 0, base64?.rows.length ?? 0);
    expect(n).toBeGreaterThan(30);
    // When / Then: row by row, the same values (CSV text and JSON numbers compared as numbers)
    const asComparable = (v: unknown) => (v === null || v === undefined ? null : String(Number(v)));
    for (let r = 0; r < n; r++) {
      const a = csv?.rows[r];
      for (const other of [json?.rows[r], base64?.rows[r]]) {
        for (const name of NUMERIC_FEATURES) {
          expect(asComparable(other?.features[name])).toBe(asComparable(a?.features[name]));
        }
        for (const name of CATEGORICAL_FEATURES) expect(other?.features[name]).toBe(a?.features[name]);
        expect(asComparable(other?.outputs?.[0])).toBe(asComparable(a?.outputs?.[0]));
      }
    }
  });

  it('computes missing values only where the generator puts them', async () => {
    // Given
    const { profile } = await parseFile(join(dir, manifest.variants[0]?.path ?? ''));
    // When
    const withMissing = profile.features.filter((f) => f.missing > 0).map((f) => f.name);
    // Then: num_03 (1%) and cat_1 (0.5%) may have missing values, no other feature
    expect(withMissing.every((name) => name === 'num_03' || name === 'cat_1')).toBe(true);
  });

  it('computes a baseline of 20 numeric and 5 categorical features with the score as prediction', async () => {
    // Given / When
    const { baseline, constraints } = await loadBaseline(join(dir, manifest.baselineDir));
    // Then
    expect(baseline.features.filter((f) => f.kind === 'numeric').map((f) => f.name)).toEqual(
      NUMERIC_FEATURES,
    );
    expect(baseline.features.filter((f) => f.kind === 'categorical').map((f) => f.name)).toEqual(
      CATEGORICAL_FEATURES,
    );
    expect(baseline.features.find((f) => f.name === 'num_02')?.inferredType).toBe('Integral');
    expect(baseline.features.find((f) => f.name === 'num_00')?.inferredType).toBe('Fractional');
    expect(baseline.outputs.map((o) => o.name)).toEqual(['prediction']);
    expect(baseline.profile.rows).toBe(BASELINE_ROWS);
    expect(constraints.features).toHaveLength(FEATURE_NAMES.length);
  });

  it('computes byte-identical files from the same seed and different ones from another seed', async () => {
    // Given
    const spec = { variant: 'json' as const, startTime: Date.UTC(2026, 10, 26), spacingMs: 1000, rows: 25 };
    const out = await mkdtemp(join(tmpdir(), 'driftwatch-bench-seed-'));
    scratch.push(out);
    // When
    writeCaptureFile({ ...spec, path: join(out, 'a.jsonl'), seed: 1 });
    writeCaptureFile({ ...spec, path: join(out, 'b.jsonl'), seed: 1 });
    writeCaptureFile({ ...spec, path: join(out, 'c.jsonl'), seed: 2 });
    // Then
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((f) => readFile(join(out, `${f}.jsonl`))));
    expect(a?.equals(b ?? Buffer.alloc(0))).toBe(true);
    expect(a?.equals(c ?? Buffer.alloc(0))).toBe(false);
  });

  it('throws when a dataset option is not a positive integer', async () => {
    await expect(
      generateDataset({ dir, totalBytes: 1000, seed: 1, baselineRows: 10, hourlyRows: 0 }),
    ).rejects.toThrow(/hourlyRows must be an integer >= 1, got 0/);
  });
});

describe('writeCaptureFile', () => {
  const base = {
    path: join(tmpdir(), 'never-written.jsonl'),
    variant: 'csv' as const,
    seed: 1,
    startTime: 0,
  };

  it('throws when neither or both of targetBytes and rows are given', () => {
    expect(() => writeCaptureFile({ ...base, spacingMs: 1 })).toThrow(/exactly one of targetBytes and rows/);
    expect(() => writeCaptureFile({ ...base, spacingMs: 1, rows: 2, targetBytes: 10 })).toThrow(
      /exactly one of targetBytes and rows/,
    );
  });

  it('throws when rows is not a positive integer', () => {
    expect(() => writeCaptureFile({ ...base, spacingMs: 1, rows: 1.5 })).toThrow(
      /rows must be a positive integer, got 1.5/,
    );
  });
});

describe('measurements', () => {
  it('computes the generated bytes, lines and rows with zero rejections', async () => {
    // Given
    const info = manifest.variants.find((v) => v.variant === 'base64');
    const files = [join(dir, info?.path ?? '')];
    const baselineDir = join(dir, manifest.baselineDir);
    // When
    const read = await measureRead(files);
    const split = await measureSplitParse(files);
    const ingest = await measureIngest(files, baselineDir);
    const window = await measureWindow(
      manifest.hourlyProfiles.map((p) => join(dir, p)),
      baselineDir,
    );
    // Then
    expect(read.bytes).toBe(info?.bytes);
    expect(split.lines).toBe(info?.lines);
    expect([ingest.lines, ingest.rows, ingest.rejected]).toEqual([info?.lines, info?.rows, 0]);
    expect([window.lines, window.rows, window.rejected]).toEqual([HOURS, HOURS * HOURLY_ROWS, 0]);
    expect(Object.keys(window.phases ?? {})).toEqual(['loadBaseline', 'readAndMerge', 'buildDriftReport']);
  });
});

describe('parseMeasureTask', () => {
  it('throws when the kind is unknown', () => {
    expect(() => parseMeasureTask({ kind: 'sleep', files: ['a'] })).toThrow(MeasureTaskError);
    expect(() => parseMeasureTask({ kind: 'sleep', files: ['a'] })).toThrow(/kind/);
  });

  it('throws when ingest or window has no baselineDir', () => {
    expect(() => parseMeasureTask({ kind: 'ingest', files: ['a'] })).toThrow(
      /baselineDir: required for kind ingest/,
    );
    expect(() => parseMeasureTask({ kind: 'window', files: ['a'] })).toThrow(/baselineDir/);
  });

  it('throws when there are no files', () => {
    expect(() => parseMeasureTask({ kind: 'read', files: [] })).toThrow(/files/);
  });
});

describe('parseSize', () => {
  it.each([
    ['256MiB', 268_435_456],
    ['2GiB', 2_147_483_648],
    ['16 mib', 16_777_216],
    ['500MB', 500_000_000],
    ['1.5GB', 1_500_000_000],
    ['4KiB', 4096],
    ['1048576', 1_048_576],
  ])('computes %s as %d bytes', (text, bytes) => {
    expect(parseSize('--size', text)).toBe(bytes);
  });

  it('throws when the unit is unknown or the size is not positive', () => {
    expect(() => parseSize('--size', '3TiB')).toThrow(BenchOptionsError);
    expect(() => parseSize('--size', '3TiB')).toThrow(/--size: expected a size such as 256MiB.*got "3TiB"/);
    expect(() => parseSize('--size', '-1MiB')).toThrow(/--size: expected a size/);
    expect(() => parseSize('--size', '0')).toThrow(/--size: expected at least 1 byte, got "0"/);
  });
});

describe('parseCount', () => {
  it('throws when the text is not a whole number at least the minimum', () => {
    expect(() => parseCount('--runs', '0')).toThrow(/--runs: expected a whole number >= 1, got "0"/);
    expect(() => parseCount('--runs', '2.5')).toThrow(BenchOptionsError);
    expect(() => parseCount('--seed', 'x', 0)).toThrow(/--seed: expected a whole number >= 0/);
  });
});

describe('resolveSettings', () => {
  it('computes the full defaults, the quick defaults and lets explicit options win', () => {
    expect(resolveSettings({})).toMatchObject({
      totalBytes: 256 * 1024 ** 2,
      runs: 3,
      baselineRows: 50_000,
      hourlyRows: 10_000,
      runner: 'bundle',
    });
    expect(resolveSettings({ quick: true })).toMatchObject({
      totalBytes: 16 * 1024 ** 2,
      runs: 1,
      quick: true,
    });
    expect(resolveSettings({ quick: true, size: '2GiB', runs: '5', tsx: true })).toMatchObject({
      totalBytes: 2 * 1024 ** 3,
      runs: 5,
      runner: 'tsx',
    });
  });

  it('throws when an option is unusable', () => {
    expect(() => resolveSettings({ runs: '0' })).toThrow(/--runs/);
    expect(() => resolveSettings({ size: 'big' })).toThrow(/--size/);
    expect(() => resolveSettings({ baselineRows: '1' })).toThrow(
      /--baseline-rows: expected a whole number >= 2/,
    );
    expect(() => resolveSettings({ hourlyRows: 'many' })).toThrow(/--hourly-rows/);
  });
});

/** A child report with the given wall seconds and peak RSS (CPU = wall). */
function report(seconds: number, peakRssMiB: number): ChildReport {
  return {
    result: { kind: 'ingest', bytes: 0, seconds, cpuSeconds: seconds, timedMicros: [0, 0] },
    startRssMiB: 50,
    peakRssMiB,
  };
}

describe('median', () => {
  it('computes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('throws when the list is empty', () => {
    expect(() => median([])).toThrow(/median of an empty list/);
  });
});

describe('summarise', () => {
  it('computes median throughput and the largest peak RSS over runs', () => {
    // Given: 3 runs over 10 MB holding 20,000 rows, taking 1, 2 and 4 s
    const s = summarise('ingest', [report(2, 70), report(1, 90), report(4, 60)], 10_000_000, 20_000);
    // Then: medians of 10, 5 and 2.5 MB/s and of 20,000, 10,000 and 5,000 rows/s
    expect(s).toMatchObject({
      mbPerSecond: 5,
      rowsPerSecond: 10_000,
      seconds: 2,
      bestSeconds: 1,
      peakRssMiB: 90,
    });
  });

  it('throws when there are no runs', () => {
    expect(() => summarise('read', [], 1, 1)).toThrow(/no runs of read/);
  });
});

describe('checkTargets', () => {
  it('computes which targets are met', () => {
    // Given: CSV ingest at 1.5x the naive parse (met), JSON at 0.5x (missed), a 1.2 s window
    const at = (mbPerSecond: number, peakRssMiB = 80) => ({
      ...summarise('ingest', [report(1, peakRssMiB)], 1e6, 1),
      mbPerSecond,
    });
    const variants: VariantResults[] = [
      { variant: 'csv', read: at(300), splitParse: at(100), ingest: at(150) },
      { variant: 'json', read: at(300), splitParse: at(100), ingest: at(50, 250) },
    ];
    // When
    const checks = checkTargets(variants, summarise('window', [report(1.2, 100)], 1, 1));
    // Then
    const met = Object.fromEntries(checks.map((c) => [c.name, c.met]));
    expect(met).toEqual({
      'csv (c)/(b)': true,
      'csv (c) peak RSS MiB': true,
      'json (c)/(b)': false,
      'json (c) peak RSS MiB': false,
      '(d) window seconds': false,
      '(d) peak RSS MiB': true,
    });
  });
});

describe('topSelfTime', () => {
  it('computes self time per function from sample intervals, inside the window', () => {
    // Given: samples at t = 100, 110, 130, 160 µs (deltas 0, 10, 20, 30 after startTime 100), end at 200;
    // each sample lasts until the next: a 10 µs, b 20 µs, a 30 µs, (gc) 40 µs; ties keep first-seen order
    const frame = (functionName: string, url = 'file:///repo/x.ts') => ({
      functionName,
      url,
      lineNumber: 4,
      columnNumber: 0,
    });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('a') },
        { id: 2, callFrame: frame('b') },
        { id: 3, callFrame: frame('(garbage collector)', '') },
      ],
      startTime: 100,
      endTime: 200,
      samples: [1, 2, 1, 3],
      timeDeltas: [0, 10, 20, 30],
    };
    // When
    const all = topSelfTime(profile, 10, { root: '/repo' });
    const windowed = topSelfTime(profile, 1, { window: [115, 170] });
    // Then
    expect(all.map((t) => [t.name, t.location, t.selfMs * 1000, t.share])).toEqual([
      ['a', 'x.ts:5', 40, 0.4],
      ['(garbage collector)', '', 40, 0.4],
      ['b', 'x.ts:5', 20, 0.2],
    ]);
    // in [115, 170]: b 15 µs, a 30 µs, gc 10 µs
    expect(windowed.map((t) => [t.name, t.selfMs * 1000])).toEqual([['a', 30]]);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatasetManifest, generateDataset } from '../../bench/generate.js';
import { profileCaptureFile } from '../../bench/ingest.js';
import { measureIngest, parseMeasureTask } from '../../bench/measure.js';
import { BenchOptionsError, parseParser, resolveSettings } from '../../bench/options.js';
import { loadBaseline } from '../../functions/cli/baseline-store.js';

// The --parser switch of `npm run bench`: both parsers must count the same generated data (no timed assertions).

let dir: string;
let manifest: DatasetManifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftwatch-bench-parser-'));
  manifest = await generateDataset({
    dir,
    totalBytes: 60_000,
    seed: 11,
    baselineRows: 300,
    hourlyRows: 10,
    hours: 1,
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveSettings parser', () => {
  it('computes fast by default and reference when asked', () => {
    // Given no --parser and --parser reference
    // When the options are resolved, Then the parser is fast, else the one given
    expect(resolveSettings({}).parser).toBe('fast');
    expect(resolveSettings({ parser: 'reference' }).parser).toBe('reference');
  });

  it('throws when --parser names neither parser', () => {
    // Given an unknown parser name, When it is checked, Then the option and the value are named
    expect(() => parseParser('turbo')).toThrow(BenchOptionsError);
    expect(() => resolveSettings({ parser: 'turbo' })).toThrow(
      '--parser: expected fast or reference, got "turbo"',
    );
  });

  it('throws when a measurement task names an unknown parser', () => {
    // Given a child task with a bad parser, When it is validated, Then the field is named
    expect(() =>
      parseMeasureTask({ kind: 'ingest', files: ['x'], baselineDir: 'b', parser: 'turbo' }),
    ).toThrow(/parser/);
  });
});

describe('measureIngest parser', () => {
  it('computes the same lines, rows and no rejections with either parser, for every encoding', async () => {
    // Given the generated capture files of the three encodings
    const baselineDir = join(dir, manifest.baselineDir);
    for (const info of manifest.variants) {
      const files = [join(dir, info.path)];

      // When (c) runs with each parser
      const fast = await measureIngest(files, baselineDir, 'fast');
      const reference = await measureIngest(files, baselineDir, 'reference');

      // Then both count what was generated
      expect([fast.lines, fast.rows, fast.rejected]).toEqual([info.lines, info.rows, 0]);
      expect([reference.lines, reference.rows, reference.rejected]).toEqual([info.lines, info.rows, 0]);
    }
  });

  it('computes identical profiles with either parser, for every encoding', async () => {
    // Given the generated files and their baseline
    const loaded = await loadBaseline(join(dir, manifest.baselineDir));
    for (const info of manifest.variants) {
      // When each file is profiled with each parser
      const fast = await profileCaptureFile(join(dir, info.path), loaded, 'fast');
      const reference = await profileCaptureFile(join(dir, info.path), loaded, 'reference');

      // Then the profiles and summaries are deep-equal
      expect(fast).toStrictEqual(reference);
    }
  });
});

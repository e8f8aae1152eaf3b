import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildBaseline } from '../../../functions/core/baseline/build.js';
import { type BaselineFileReader, loadBaselineFrom } from '../../../functions/core/baseline/load.js';
import { BaselineError } from '../../../functions/errors.js';

const SDK_QUALITY = 'test/fixtures/model-monitor-outputs/sdk-quality-check-data-quality';

/** A baseline location held in memory; records which files were read. */
function memory(files: Record<string, unknown>): BaselineFileReader & { read: string[] } {
  const read: string[] = [];
  return {
    read,
    location: 'mem://baseline/',
    describe: (file) => `mem://baseline/${file}`,
    has: async (file) => file in files,
    readJson: async (file) => {
      read.push(file);
      return files[file];
    },
  };
}

const json = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as unknown;

describe('loadBaselineFrom', () => {
  it('computes the baseline from baseline.json when present, without reading statistics.json', async () => {
    // Given
    const baseline = await buildBaseline(
      async function* () {
        yield* [{ a: '1' }, { a: '2' }, { a: '3' }];
      },
      { source: 'rows' },
    );
    const reader = memory({ 'baseline.json': baseline, 'statistics.json': { not: 'read' } });
    // When
    const loaded = await loadBaselineFrom(reader);
    // Then: no constraints.json, so Model Monitor's suggestion from the profile
    expect(loaded.baseline.features.map((f) => f.name)).toEqual(['a']);
    expect(reader.read).toEqual(['baseline.json']);
    expect(loaded.constraints.features.map((f) => [f.name, f.inferred_type])).toEqual([['a', 'Integral']]);
  });

  it('computes the baseline from a Model Monitor statistics.json with its constraints.json', async () => {
    // Given: the SDK's real DefaultModelMonitor baseline files
    const reader = memory({
      'statistics.json': await json(`${SDK_QUALITY}/statistics.json`),
      'constraints.json': await json(`${SDK_QUALITY}/constraints.good.json`),
    });
    // When
    const loaded = await loadBaselineFrom(reader);
    // Then
    expect(loaded.baseline.source).toBe('mem://baseline/statistics.json');
    expect(loaded.baseline.features.map((f) => [f.name, f.kind, f.inferredType])).toEqual(
      ['_c0', '_c1', '_c2', '_c3', '_c4', '_c5'].map((n) => [n, 'numeric', 'Fractional']),
    );
    expect(loaded.constraints.monitoring_config.distribution_constraints.comparison_method).toBe('Robust');
    expect(reader.read).toEqual(['statistics.json', 'constraints.json']);
  });

  it('computes categorical columns from statistics.json when asked', async () => {
    // Given
    const reader = memory({ 'statistics.json': await json(`${SDK_QUALITY}/statistics.json`) });
    // When
    const loaded = await loadBaselineFrom(reader, { categorical: ['_c1'] });
    // Then
    expect(loaded.baseline.features.find((f) => f.name === '_c1')?.kind).toBe('categorical');
  });

  it('computes categorical columns from statistics.json for features the configuration declares categorical', async () => {
    // Given the SDK's statistics.json (all Fractional) and features[].type categorical for _c2
    const reader = memory({ 'statistics.json': await json(`${SDK_QUALITY}/statistics.json`) });
    // When
    const loaded = await loadBaselineFrom(reader, {
      types: new Map([
        ['_c2', 'categorical'],
        ['_c3', 'numeric'],
      ]),
    });
    // Then _c2 is categorical, _c3 stays numeric with its bins
    const kinds = new Map(loaded.baseline.features.map((f) => [f.name, f.kind]));
    expect(kinds.get('_c2')).toBe('categorical');
    expect(kinds.get('_c3')).toBe('numeric');
    expect(loaded.baseline.features.find((f) => f.name === '_c3')?.binEdges).toBeDefined();
  });

  it('throws when the configuration declares numeric a String feature of statistics.json (BaselineError naming it)', async () => {
    // Given a statistics.json whose only feature, message, is String
    const reader = memory({
      'statistics.json': await json('test/fixtures/model-monitor-outputs/sdk-tests-monitor/statistics.json'),
    });
    // When it is loaded with features[].type numeric for message
    const failure = await loadBaselineFrom(reader, { types: new Map([['message', 'numeric']]) }).catch(
      (e: unknown) => e,
    );
    // Then one clear error names the file, the feature and both types
    expect(failure).toBeInstanceOf(BaselineError);
    expect((failure as Error).message).toBe(
      'mem://baseline/statistics.json: features["message"].type is numeric, the baseline has it categorical; ' +
        'a String column has no numeric statistics to compare with',
    );
  });

  it('throws when the configuration declares a type baseline.json does not have (BaselineError naming it)', async () => {
    // Given a driftwatch baseline where a is numeric
    const baseline = await buildBaseline(
      async function* () {
        yield* [{ a: '1' }, { a: '2' }, { a: '3' }];
      },
      { source: 'rows' },
    );
    // When it is loaded with features[].type categorical for a (and a declaration for a feature it lacks)
    const failure = await loadBaselineFrom(memory({ 'baseline.json': baseline }), {
      types: new Map([
        ['a', 'categorical'],
        ['elsewhere', 'numeric'],
      ]),
    }).catch((e: unknown) => e);
    // Then the error names the feature and how to fix it; the unknown feature is not a problem of the baseline
    expect(failure).toBeInstanceOf(BaselineError);
    expect((failure as Error).message).toBe(
      'mem://baseline/baseline.json: features["a"].type is categorical, the baseline has it numeric; ' +
        'rebuild it with `driftwatch baseline --config`',
    );
  });

  it('throws when the location has neither baseline.json nor statistics.json (BaselineError)', async () => {
    await expect(loadBaselineFrom(memory({ 'constraints.json': {} }))).rejects.toThrow(
      new BaselineError(
        'mem://baseline/: no baseline.json or statistics.json; build one with `driftwatch baseline`',
      ),
    );
  });

  it('throws when baseline.json is not a driftwatch baseline (BaselineError naming the file)', async () => {
    const failure = await loadBaselineFrom(memory({ 'baseline.json': { format: 'x' } })).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(BaselineError);
    expect((failure as Error).message).toContain('mem://baseline/baseline.json: format');
  });
});

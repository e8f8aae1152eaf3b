import { describe, expect, it } from 'vitest';
import { InputError, InvalidEventError } from '../../functions/errors.js';
import { createHandler } from '../../functions/handlers/build-training-baseline.js';
import { MemoryObjectStore } from '../../scripts/local/state-machine.js';

// Training CSV as SageMaker's XGBoost reads it: no header, the label first.
const ROWS = [
  [1, 10, 'yes'],
  [0, 20, 'no'],
  [1, 30, 'yes'],
  [0, 40, 'yes'],
  [1, 50, 'no'],
];

function setup(rows = ROWS) {
  const store = new MemoryObjectStore();
  const csv = rows.map((r) => r.join(',')).join('\n');
  store.put({ bucket: 'data', key: 'churn/train/part-1.csv' }, `${csv}\n`);
  const handler = createHandler({
    store,
    trainingS3Uri: 's3://data/churn/train/',
    labelColumnIndex: 0,
    columns: ['day_mins', 'intl_plan'],
    categorical: ['intl_plan'],
    categoricalTopK: 100,
    sketchK: 200,
  });
  return { store, handler };
}

describe('build-training-baseline', () => {
  it('computes Model Monitor statistics of the training features, label left out', async () => {
    // Given five training rows
    const { store, handler } = setup();
    // When profiled
    const result = await handler({ output: 's3://art/run-1/baseline/' });
    // Then statistics.json describes the two named features over five rows
    expect(result).toEqual({
      statisticsS3Uri: 's3://art/run-1/baseline/statistics.json',
      constraintsS3Uri: 's3://art/run-1/baseline/constraints.json',
      baselineS3Uri: 's3://art/run-1/baseline/baseline.json',
      rows: 5,
    });
    const statistics = (await store.getJson({ bucket: 'art', key: 'run-1/baseline/statistics.json' })) as {
      dataset: { item_count: number };
      features: {
        name: string;
        inferred_type: string;
        numerical_statistics?: { mean: number; sum: number };
        string_statistics?: { distinct_count: number };
      }[];
    };
    expect(statistics.dataset.item_count).toBe(5);
    expect(statistics.features.map((f) => [f.name, f.inferred_type])).toEqual([
      ['day_mins', 'Integral'],
      ['intl_plan', 'String'],
    ]);
    // (10 + 20 + 30 + 40 + 50) / 5 = 30
    expect(statistics.features[0]?.numerical_statistics).toMatchObject({ mean: 30, sum: 150 });
    expect(statistics.features[1]?.string_statistics?.distinct_count).toBe(2);
    expect(await store.head({ bucket: 'art', key: 'run-1/baseline/constraints.json' })).toBeDefined();
  });

  it('throws when the training prefix holds no rows', async () => {
    const { handler } = setup([]);
    await expect(handler({ output: 's3://art/x/' })).rejects.toThrow(InputError);
  });

  it('throws when the output is not an s3:// URI', async () => {
    const { handler } = setup();
    await expect(handler({ output: '/tmp/x' })).rejects.toThrow(InvalidEventError);
  });
});

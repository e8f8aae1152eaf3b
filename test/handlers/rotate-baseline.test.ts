import { describe, expect, it } from 'vitest';
import { hashJson } from '../../functions/core/audit/canonical-json.js';
import { InvalidEventError, ObjectNotFoundError } from '../../functions/errors.js';
import { createHandler } from '../../functions/handlers/rotate-baseline.js';
import { MemoryObjectStore } from '../../scripts/local/state-machine.js';

function setup() {
  const store = new MemoryObjectStore();
  const removed: string[] = [];
  const handler = createHandler({
    store,
    remove: async ({ bucket, key }) => {
      removed.push(`${bucket}/${key}`);
      store.objects.delete(`${bucket}/${key}`);
    },
    baselineS3Uri: 's3://data/baselines/churn/',
  });
  for (const name of ['statistics.json', 'constraints.json', 'baseline.json']) {
    store.put({ bucket: 'data', key: `baselines/churn/${name}` }, '{"old":true}');
  }
  return { store, removed, handler };
}

const event = {
  statisticsS3Uri: 's3://art/run-2/baseline/statistics.json',
  constraintsS3Uri: 's3://art/run-2/baseline/constraints.json',
};

describe('rotate-baseline', () => {
  it("computes the endpoint baseline as the package's three files", async () => {
    // Given a package baseline with driftwatch's baseline.json beside statistics.json
    const { store, handler, removed } = setup();
    store.put({ bucket: 'art', key: 'run-2/baseline/statistics.json' }, '{"s":2}');
    store.put({ bucket: 'art', key: 'run-2/baseline/constraints.json' }, '{"c":2}');
    store.put({ bucket: 'art', key: 'run-2/baseline/baseline.json' }, '{"b":2}');
    // When rotated
    const result = await handler(event);
    // Then all three are replaced, each with the hash of what was written
    expect(await store.getJson({ bucket: 'data', key: 'baselines/churn/statistics.json' })).toEqual({ s: 2 });
    expect(await store.getJson({ bucket: 'data', key: 'baselines/churn/baseline.json' })).toEqual({ b: 2 });
    expect(result.files).toEqual([
      {
        name: 'statistics.json',
        source: 's3://art/run-2/baseline/statistics.json',
        sha256: hashJson({ s: 2 }),
      },
      {
        name: 'constraints.json',
        source: 's3://art/run-2/baseline/constraints.json',
        sha256: hashJson({ c: 2 }),
      },
      { name: 'baseline.json', source: 's3://art/run-2/baseline/baseline.json', sha256: hashJson({ b: 2 }) },
    ]);
    expect(removed).toEqual([]);
  });

  it('computes the removal of a stale baseline.json when the package has none', async () => {
    const { store, handler, removed } = setup();
    store.put({ bucket: 'art', key: 'run-2/baseline/statistics.json' }, '{"s":2}');
    store.put({ bucket: 'art', key: 'run-2/baseline/constraints.json' }, '{"c":2}');
    const result = await handler(event);
    expect(removed).toEqual(['data/baselines/churn/baseline.json']);
    expect(result.removed).toEqual(['s3://data/baselines/churn/baseline.json']);
  });

  it('throws when a baseline file is missing, leaving the current baseline untouched', async () => {
    const { store, handler } = setup();
    store.put({ bucket: 'art', key: 'run-2/baseline/statistics.json' }, '{"s":2}');
    await expect(handler(event)).rejects.toThrow(ObjectNotFoundError);
    expect(await store.getJson({ bucket: 'data', key: 'baselines/churn/statistics.json' })).toEqual({
      old: true,
    });
  });

  it('throws when the input lacks a URI', async () => {
    const { handler } = setup();
    await expect(handler({ statisticsS3Uri: 's3://a/b' })).rejects.toThrow(InvalidEventError);
    await expect(handler({ statisticsS3Uri: 's3://a/b' })).rejects.toThrow('constraintsS3Uri');
  });
});

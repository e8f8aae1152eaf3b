import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashJson } from '../../functions/core/audit/canonical-json.js';
import type { GateConfig } from '../../functions/core/config/quality-schema.js';
import { EvaluationInputError, InvalidEventError } from '../../functions/errors.js';
import { createHandler } from '../../functions/handlers/evaluate-candidate.js';
import { MemoryObjectStore } from '../../scripts/local/state-machine.js';
import { fixedClock } from './audit-support.js';

// Reference metrics: scripts/reference/evaluate-candidate.py (scipy.stats.mannwhitneyu for AUC, numpy for accuracy
// and F1), `python3 scripts/reference/evaluate-candidate.py > test/fixtures/workflows/evaluate-candidate-reference.json`.
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/workflows/evaluate-candidate-reference.json', import.meta.url), 'utf8'),
) as {
  labels: number[];
  champion: number[];
  challenger: number[];
  championMetrics: Record<string, number>;
  challengerMetrics: Record<string, number>;
};

const RUN = 's3://artifacts/retraining/churn/run-1';
const gate: GateConfig = {
  floors: { auc: 0.9 },
  maxRegression: {},
  minImprovement: {},
  bootstrap: { samples: 200, seed: 7, confidence: 0.95 },
  mcnemarAlpha: 0.05,
};

/** Batch transform output with the input joined: label, two features, then the prediction. */
function output(store: MemoryObjectStore, who: string, predictions: readonly (number | string)[]) {
  const lines = reference.labels.map((label, i) => `${label},1.5,x${i},${predictions[i]}`);
  store.put(
    { bucket: 'artifacts', key: `retraining/churn/run-1/${who}/holdout-1.csv.out` },
    `${lines.slice(0, 30).join('\n')}\n`,
  );
  store.put(
    { bucket: 'artifacts', key: `retraining/churn/run-1/${who}/holdout-2.csv.out` },
    `${lines.slice(30).join('\n')}\n`,
  );
  store.put({ bucket: 'artifacts', key: `retraining/churn/run-1/${who}/_SUCCESS` }, '');
}

function setup(champion: readonly (number | string)[], challenger: readonly (number | string)[]) {
  const store = new MemoryObjectStore();
  output(store, 'champion', champion);
  output(store, 'challenger', challenger);
  const handler = createHandler({
    store,
    clock: fixedClock('2026-11-26T10:00:00Z'),
    modelQuality: {
      problemType: 'BinaryClassification',
      probabilityThreshold: 0.5,
      probabilityAttribute: 'churn_probability',
      thresholds: { auc: { threshold: 0.8, comparisonOperator: 'LessThanThreshold' } },
    },
    gate,
    labelColumnIndex: 0,
  });
  const event = {
    championOutput: `${RUN}/champion/`,
    challengerOutput: `${RUN}/challenger/`,
    report: `${RUN}/evaluation/`,
  };
  return { store, run: () => handler(event) };
}

describe('evaluate-candidate', () => {
  it('computes a REJECT with the reference metrics when the challenger misses the AUC floor', async () => {
    // Given the reference holdout scored by both models
    const { store, run } = setup(reference.champion, reference.challenger);
    // When evaluated with an AUC floor of 0.9
    const result = await run();
    // Then the challenger's AUC (0.826, the reference) misses it; metrics equal the reference values
    expect(result.verdict).toBe('REJECT');
    expect(result.rows).toBe(60);
    expect(result.metrics.auc?.champion).toBeCloseTo(reference.championMetrics.auc as number, 12);
    expect(result.metrics.auc?.challenger).toBeCloseTo(reference.challengerMetrics.auc as number, 12);
    expect(result.reasons[0]).toMatch(/^auc 0\.826\d* misses the floor/);
    // And the challenger's Model Monitor statistics, the constraints and the evaluation are written
    const statistics = (await store.getJson({
      bucket: 'artifacts',
      key: 'retraining/churn/run-1/evaluation/statistics.json',
    })) as {
      dataset: { item_count: number };
      binary_classification_metrics: Record<string, { value: number }>;
    };
    expect(statistics.dataset.item_count).toBe(60);
    expect(statistics.binary_classification_metrics.accuracy?.value).toBeCloseTo(
      reference.challengerMetrics.accuracy as number,
      12,
    );
    expect(statistics.binary_classification_metrics.f1?.value).toBeCloseTo(
      reference.challengerMetrics.f1 as number,
      12,
    );
    expect(result.statisticsS3Uri).toBe(`${RUN}/evaluation/statistics.json`);
    expect(result.constraintsS3Uri).toBe(`${RUN}/evaluation/constraints.json`);
    const evaluation = await store.getJson({
      bucket: 'artifacts',
      key: 'retraining/churn/run-1/evaluation/evaluation.json',
    });
    expect(result.reportSha256).toBe(hashJson(evaluation));
  });

  it('computes a PROMOTE when the better model is the challenger', async () => {
    const { run } = setup(reference.challenger, reference.champion);
    const result = await run();
    expect(result.verdict).toBe('PROMOTE');
    expect(result.metrics.auc?.challenger).toBeCloseTo(reference.championMetrics.auc as number, 12);
  });

  it('computes the verdict over the rows both models scored, leaving unreadable rows out of both', async () => {
    // Given the challenger's prediction is missing on one row and unparseable on another
    const challenger: (number | string)[] = [...reference.champion];
    challenger[3] = '';
    challenger[40] = 'oops';
    const { run } = setup(reference.challenger, challenger);
    // When evaluated / Then 58 rows are used and 2 are reported as rejected
    const result = await run();
    expect(result.rows).toBe(58);
    expect(result.rejectedRows).toBe(2);
  });

  it('throws when the two outputs are different files', async () => {
    const { store, run } = setup(reference.champion, reference.challenger);
    store.objects.delete('artifacts/retraining/churn/run-1/challenger/holdout-2.csv.out');
    await expect(run()).rejects.toThrow(EvaluationInputError);
    await expect(run()).rejects.toThrow('champion and challenger outputs are different files');
  });

  it('throws when a model wrote no predictions', async () => {
    const { store, run } = setup(reference.champion, reference.challenger);
    for (const key of [...store.objects.keys()]) if (key.includes('/champion/')) store.objects.delete(key);
    await expect(run()).rejects.toThrow(`${RUN}/champion/: no prediction files found`);
  });

  it('throws when the task input is not three s3:// URIs', async () => {
    const handler = createHandler({
      store: new MemoryObjectStore(),
      clock: fixedClock('2026-11-26T10:00:00Z'),
      modelQuality: { problemType: 'Regression', probabilityThreshold: 0.5, thresholds: {} },
      labelColumnIndex: 0,
    });
    await expect(
      handler({ championOutput: 'x', challengerOutput: `${RUN}/c/`, report: `${RUN}/e/` }),
    ).rejects.toThrow(InvalidEventError);
  });
});

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  abCommand,
  estimateCommand,
  GATE_EXIT,
  gateCommand,
  QUALITY_EXIT,
  qualityCommand,
} from '../../functions/cli/quality-commands.js';
import { QualityInputError } from '../../functions/core/quality/errors.js';
import { InputError } from '../../functions/errors.js';
import { csvCaptureLine, groundTruthLine } from '../../scripts/local/records.js';
import { REFERENCE } from '../core/quality/support.js';

const run = promisify(execFile);
const CHURN_CSV = 'test/fixtures/model-monitor-outputs/churn-model-quality/validation_with_predictions.csv';
const CHURN_CAPTURES =
  'test/fixtures/model-monitor-outputs/churn-model-quality/captured-records-with-inferenceId.jsonl';
const CHURN_TRUTH = 'test/fixtures/quality/churn-ground-truth';
const GATE = 'test/fixtures/quality/gate';
const TIME = '2026-11-26T12:00:00Z';
const BINARY = { problemType: 'BinaryClassification', probabilityAttribute: 'probability' } as const;

const tmp = () => mkdtemp(join(tmpdir(), 'driftwatch-quality-'));
const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

/** Writes a monitor configuration of one endpoint, `churn`, with `settings` added to it; returns its path. */
async function writeChurnConfig(settings: Record<string, unknown>): Promise<string> {
  const config = join(await tmp(), 'config.json');
  await writeFile(
    config,
    JSON.stringify({
      version: 1,
      endpoints: [
        {
          name: 'churn',
          capture: { s3Uri: 's3://bucket/capture' },
          baseline: { s3Uri: 's3://bucket/baseline' },
          ...settings,
        },
      ],
    }),
  );
  return config;
}

/** Rows of a gate fixture CSV as [id, probability, prediction, label]. */
async function csvRows(path: string): Promise<string[][]> {
  const [, ...rows] = (await readFile(path, 'utf8')).trim().split('\n');
  return rows.map((r) => r.split(','));
}

/** Writes CSV rows as capture records (probability output) and returns the ground truth lines for them. */
async function writeCapturesFrom(csv: string, dir: string, prefix: string): Promise<string[]> {
  const rows = await csvRows(csv);
  const lines = rows.map(([id, probability]) =>
    csvCaptureLine({
      input: '1,2,3',
      output: probability ?? '',
      eventId: `${prefix}-${id}`,
      inferenceTime: '2026-11-26T10:15:00Z',
    }),
  );
  await mkdir(join(dir, '2026/11/26/10'), { recursive: true });
  await writeFile(join(dir, '2026/11/26/10/capture.jsonl'), `${lines.join('\n')}\n`);
  return rows.map(([id, , , label]) => groundTruthLine(`${prefix}-${id}`, label ?? ''));
}

describe('driftwatch quality', () => {
  it("computes a baseline from AWS's churn predictions CSV and suggests constraints", async () => {
    // Given: the notebook's baseline file (probability, prediction, label; threshold 0.8)
    const out = await tmp();
    // When
    const result = await qualityCommand({
      inputs: [CHURN_CSV],
      ...BINARY,
      probabilityThreshold: 0.8,
      suggestConstraints: true,
      format: 'text',
      out,
      evaluationTime: TIME,
    });
    // Then: sklearn's values (scripts/reference/model-quality.py), Model Monitor's files
    expect(result.exitCode).toBe(QUALITY_EXIT.ok);
    const stats = await readJson(join(out, 'statistics.json'));
    expect(stats.dataset).toEqual({ item_count: 201, evaluation_time: TIME });
    expect(stats.binary_classification_metrics.auc.value).toBeCloseTo(
      REFERENCE.churn.expected.auc as number,
      12,
    );
    expect(typeof stats.binary_classification_metrics.auc.standard_deviation).toBe('number');
    const constraints = await readJson(join(out, 'constraints.json'));
    expect(constraints.binary_classification_constraints.auc).toEqual({
      threshold: stats.binary_classification_metrics.auc.value,
      comparison_operator: 'LessThanThreshold',
    });
    expect(await readJson(join(out, 'constraint_violations.json'))).toEqual({ violations: [] });
    expect(result.stdout.split('\n')[0]).toBe('NOT CHECKED: no constraints given');
  });

  it('joins the churn captures to their ground truth and exits 1 on violations', async () => {
    // Given: the baseline's constraints
    const baseline = await tmp();
    await qualityCommand({
      inputs: [CHURN_CSV],
      ...BINARY,
      probabilityThreshold: 0.8,
      suggestConstraints: true,
      format: 'json',
      out: baseline,
    });
    const out = await tmp();
    // When: the captures' probability is output column 0 (Model Monitor's probability_attribute "0")
    const result = await qualityCommand({
      inputs: [CHURN_CAPTURES],
      groundTruth: [CHURN_TRUTH],
      problemType: 'BinaryClassification',
      probabilityAttribute: '0',
      probabilityThreshold: 0.8,
      constraints: join(baseline, 'constraints.json'),
      format: 'json',
      out,
    });
    // Then
    expect(result.exitCode).toBe(QUALITY_EXIT.violations);
    expect(result.report.join).toMatchObject({ captures: 9, matched: 3, latency: { median: 1 } });
    const violations = await readJson(join(out, 'constraint_violations.json'));
    expect(violations.violations[0]).toEqual({
      metric_name: 'accuracy',
      constraint_check_type: 'LessThanThreshold',
      description: 'Metric accuracy with 0.3333333333333333 was LessThanThreshold 0.9402985074626866',
    });
    expect(JSON.parse(result.stdout).violations).toHaveLength(violations.violations.length);
  });

  it('applies the configuration: problem type, attributes, thresholds and minSamples', async () => {
    // Given
    const config = await writeChurnConfig({
      groundTruth: { s3Uri: 's3://bucket/gt', lookbackHours: 2 },
      modelQuality: {
        problemType: 'BinaryClassification',
        probabilityAttribute: 'prediction',
        probabilityThreshold: 0.8,
        minSamples: 3,
        thresholds: { accuracy: { threshold: 0.5 } },
      },
    });
    // When
    const result = await qualityCommand({
      inputs: [CHURN_CAPTURES],
      groundTruth: [CHURN_TRUTH],
      config,
      format: 'text',
    });
    // Then: 3 pairs reach minSamples 3; accuracy 1/3 < 0.5
    expect(result.exitCode).toBe(QUALITY_EXIT.violations);
    expect(result.stdout).toContain('Metric accuracy with 0.3333333333333333 was LessThanThreshold 0.5');
  });

  it('throws when capture inputs have no ground truth or inputs are mixed', async () => {
    await expect(qualityCommand({ inputs: [CHURN_CAPTURES], ...BINARY, format: 'text' })).rejects.toThrow(
      /capture inputs need --ground-truth/,
    );
    await expect(
      qualityCommand({ inputs: [CHURN_CAPTURES, CHURN_CSV], ...BINARY, format: 'text' }),
    ).rejects.toThrow(InputError);
  });

  it('throws when the problem type is unknown or the label column is missing', async () => {
    await expect(qualityCommand({ inputs: [CHURN_CSV], format: 'text' })).rejects.toThrow(
      /needs --problem-type/,
    );
    await expect(
      qualityCommand({ inputs: [CHURN_CSV], ...BINARY, groundTruthAttribute: 'churned', format: 'text' }),
    ).rejects.toThrow(/no label column "churned"/);
  });

  it('throws when no capture joins a label', async () => {
    await expect(
      qualityCommand({
        inputs: [CHURN_CAPTURES],
        groundTruth: ['test/fixtures/sagemaker-data-capture/groundtruth-churn-batch'],
        ...BINARY,
        probabilityAttribute: '0',
        format: 'text',
      }),
    ).rejects.toThrow(/no capture joined to a label: 9 captures, 198 labels \(198 orphaned/);
  });
});

describe('driftwatch gate', () => {
  const gate = (candidate: string, extra: Partial<Parameters<typeof gateCommand>[0]> = {}) =>
    gateCommand({
      champion: `${GATE}/champion.csv`,
      candidate: `${GATE}/${candidate}.csv`,
      ...BINARY,
      floors: { auc: 0.8 },
      maxRegression: { auc: 0.01 },
      minImprovement: { accuracy: 0.005 },
      format: 'text',
      ...extra,
    });

  it('computes PROMOTE, INCONCLUSIVE and REJECT with exit codes 0, 3 and 1', async () => {
    const better = await gate('challenger-better');
    const close = await gate('challenger-close');
    const worse = await gate('challenger-worse');
    expect([better.result.verdict, close.result.verdict, worse.result.verdict]).toEqual([
      'PROMOTE',
      'INCONCLUSIVE',
      'REJECT',
    ]);
    expect([better.exitCode, close.exitCode, worse.exitCode]).toEqual([0, 3, 1]);
    expect(GATE_EXIT).toEqual({ PROMOTE: 0, REJECT: 1, INCONCLUSIVE: 3 });
  });

  it('computes json, markdown and junit reports and writes the JSON result', async () => {
    const out = join(await tmp(), 'gate.json');
    const json = await gate('challenger-worse', { format: 'json', out });
    const markdown = await gate('challenger-worse', { format: 'markdown' });
    const junit = await gate('challenger-worse', { format: 'junit' });
    expect(JSON.parse(json.stdout).verdict).toBe('REJECT');
    expect((await readJson(out)).verdict).toBe('REJECT');
    expect(markdown.stdout).toMatch(/^## ❌ Quality gate: REJECT/);
    expect(junit.stdout).toMatch(/<testsuite name="quality_gate" .* tests="4" failures="4"/);
  });

  it('pairs predictions without labels with a labels file by id', async () => {
    // Given: the challenger without its label column, rows shuffled, and the labels in their own file
    const dir = await tmp();
    const rows = await csvRows(`${GATE}/challenger-better.csv`);
    const shuffled = [...rows].reverse();
    await writeFile(
      join(dir, 'challenger.csv'),
      `id,probability\n${shuffled.map((r) => `${r[0]},${r[1]}`).join('\n')}\n`,
    );
    await writeFile(join(dir, 'labels.csv'), `id,label\n${rows.map((r) => `${r[0]},${r[3]}`).join('\n')}\n`);
    const champion = await csvRows(`${GATE}/champion.csv`);
    await writeFile(
      join(dir, 'champion.csv'),
      `id,probability\n${[...champion]
        .reverse()
        .map((r) => `${r[0]},${r[1]}`)
        .join('\n')}\n`,
    );
    // When
    const result = await gateCommand({
      champion: join(dir, 'champion.csv'),
      candidate: join(dir, 'challenger.csv'),
      labels: join(dir, 'labels.csv'),
      idColumn: 'id',
      ...BINARY,
      minImprovement: { auc: 0.01 },
      format: 'json',
    });
    // Then
    expect(result.result.verdict).toBe('PROMOTE');
    expect(result.result.rows).toBe(1000);
  });

  it('compares statistics.json files (e.g. from driftwatch quality or Model Monitor)', async () => {
    const champion = await tmp();
    const challenger = await tmp();
    await qualityCommand({ inputs: [`${GATE}/champion.csv`], ...BINARY, format: 'json', out: champion });
    await qualityCommand({
      inputs: [`${GATE}/challenger-better.csv`],
      ...BINARY,
      format: 'json',
      out: challenger,
    });
    const result = await gateCommand({
      champion: join(champion, 'statistics.json'),
      candidate: join(challenger, 'statistics.json'),
      minImprovement: { auc: 0.01 },
      format: 'text',
    });
    expect(result.result).toMatchObject({ verdict: 'PROMOTE', paired: false, mcnemar: null });
    expect(result.result.comparisons[0]?.interval.method).toBe('normal-approximation');
  });

  it('takes its rules from the configuration, overridden by flags', async () => {
    const config = await writeChurnConfig({
      groundTruth: { s3Uri: 's3://bucket/gt' },
      modelQuality: { problemType: 'BinaryClassification', probabilityAttribute: 'probability' },
      gate: { floors: { auc: 0.95 }, bootstrap: { samples: 200, seed: 7 } },
    });
    const fromConfig = await gateCommand({
      champion: `${GATE}/champion.csv`,
      candidate: `${GATE}/challenger-close.csv`,
      config,
      format: 'json',
    });
    const overridden = await gateCommand({
      champion: `${GATE}/champion.csv`,
      candidate: `${GATE}/challenger-close.csv`,
      config,
      floors: { auc: 0.85 },
      format: 'json',
    });
    // Then: the configuration's probabilityAttribute scores the AUC (0.909, below the configured floor 0.95)
    expect(fromConfig.result.comparisons[0]?.challenger).toBeCloseTo(0.9092, 4);
    expect(fromConfig.result.verdict).toBe('REJECT');
    expect(fromConfig.result.bootstrap).toEqual({ samples: 200, seed: 7, confidence: 0.95 });
    expect(overridden.result.verdict).toBe('PROMOTE');
  });

  it('throws when a rule is invalid, no rule is given or the files cannot be paired', async () => {
    await expect(gate('challenger-better', { maxRegression: { auc: -1 } })).rejects.toThrow(
      /gate rules: maxRegression.auc/,
    );
    await expect(
      gateCommand({
        champion: `${GATE}/champion.csv`,
        candidate: `${GATE}/challenger-better.csv`,
        ...BINARY,
        format: 'text',
      }),
    ).rejects.toThrow(/expected at least one metric/);
    await expect(gate('challenger-better', { problemType: undefined })).rejects.toThrow(
      /need --problem-type/,
    );
    await expect(
      gateCommand({
        champion: CHURN_CSV,
        candidate: `${GATE}/champion.csv`,
        ...BINARY,
        floors: { auc: 0.5 },
        format: 'text',
      }),
    ).rejects.toThrow(QualityInputError);
  });

  it('exits 3 for INCONCLUSIVE and 2 for an error through the real CLI', async () => {
    const args = ['--import', 'tsx', 'bin/driftwatch.ts', 'gate', '--champion', `${GATE}/champion.csv`];
    const inconclusive = await run(process.execPath, [
      ...args,
      '--candidate',
      `${GATE}/challenger-close.csv`,
      '--problem-type',
      'BinaryClassification',
      '--probability-attribute',
      'probability',
      '--min-improvement',
      'accuracy=0.005',
    ]).catch((err: { code: number; stdout: string }) => err);
    expect((inconclusive as { code?: number }).code).toBe(3);
    expect((inconclusive as { stdout: string }).stdout).toMatch(/^INCONCLUSIVE: /);
    const error = await run(process.execPath, [
      ...args,
      '--candidate',
      'missing.csv',
      '--floor',
      'auc=0.5',
    ]).catch((err: { code: number; stderr: string }) => err);
    expect((error as { code?: number }).code).toBe(2);
    expect((error as { stderr: string }).stderr).toMatch(/^driftwatch: /);
  });
});

describe('driftwatch ab', () => {
  it('compares two variants joined to one ground-truth prefix', async () => {
    // Given: variant A scored like the champion, B like the better challenger, labels collected at 11:00
    const dir = await tmp();
    const truthA = await writeCapturesFrom(`${GATE}/champion.csv`, join(dir, 'capture/AllTraffic'), 'a');
    const truthB = await writeCapturesFrom(
      `${GATE}/challenger-better.csv`,
      join(dir, 'capture/Challenger'),
      'b',
    );
    await mkdir(join(dir, 'gt/2026/11/26/11'), { recursive: true });
    await writeFile(join(dir, 'gt/2026/11/26/11/labels.jsonl'), `${[...truthA, ...truthB].join('\n')}\n`);
    // When
    const result = await abCommand({
      variants: [join(dir, 'capture/AllTraffic'), join(dir, 'capture/Challenger')],
      groundTruth: [join(dir, 'gt')],
      problemType: 'BinaryClassification',
      probabilityAttribute: 'prediction',
      samples: 200,
      format: 'text',
    });
    // Then
    expect(result.exitCode).toBe(0);
    expect(result.result.joins.map((j) => j.matched)).toEqual([1000, 1000]);
    expect(result.result.primary).toMatchObject({
      metric: 'accuracy',
      significant: true,
      better: 'Challenger',
    });
    expect(result.result.predictionDrift.method).toBe('ks');
    expect(result.stdout.split('\n')[0]).toMatch(/^DIFFERENT: Challenger has the better accuracy/);
  });
});

describe('driftwatch ab errors', () => {
  it('throws when a variant has no capture joined to a label', async () => {
    await expect(
      abCommand({
        variants: [CHURN_CAPTURES, CHURN_CAPTURES],
        groundTruth: ['test/fixtures/sagemaker-data-capture/groundtruth-churn-batch'],
        ...BINARY,
        probabilityAttribute: '0',
        format: 'text',
      }),
    ).rejects.toThrow(/captured-records-with-inferenceId.jsonl: no capture joined to a label/);
  });

  it('throws when --endpoint is given without --config', async () => {
    await expect(
      abCommand({
        variants: [CHURN_CAPTURES, CHURN_CAPTURES],
        groundTruth: [CHURN_TRUTH],
        endpoint: 'x',
        format: 'text',
      }),
    ).rejects.toThrow(/--endpoint needs --config/);
  });
});

describe('driftwatch gate input errors', () => {
  it('throws when a file is neither statistics.json nor a CSV', async () => {
    await expect(
      gateCommand({
        champion: 'README.md',
        candidate: `${GATE}/champion.csv`,
        ...BINARY,
        floors: { auc: 0.5 },
        format: 'text',
      }),
    ).rejects.toThrow(/README.md: expected a statistics.json or a predictions .csv/);
  });

  it('throws when separate labels do not line up or JSONL labels have no id column', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'p.csv'), 'probability\n0.2\n0.9\n');
    await writeFile(join(dir, 'labels.csv'), 'label\n0\n');
    const base = {
      champion: join(dir, 'p.csv'),
      candidate: join(dir, 'p.csv'),
      ...BINARY,
      floors: { auc: 0.5 },
      format: 'text',
    } as const;
    await expect(gateCommand({ ...base, labels: join(dir, 'labels.csv') })).rejects.toThrow(
      /labels.csv has 1 rows but .*p.csv has 2; give --id-column/,
    );
    await expect(gateCommand({ ...base, labels: CHURN_TRUTH })).rejects.toThrow(
      /ground-truth JSONL labels need --id-column/,
    );
    await expect(gateCommand(base)).rejects.toThrow(/has no label column "label"; give --labels/);
  });
});

describe('driftwatch estimate', () => {
  it('estimates a window from its probabilities within the stated tolerance of the realised accuracy', async () => {
    // Given: the champion's first 500 rows calibrate, its last 500 rows are the window (labels removed)
    const dir = await tmp();
    const rows = await csvRows(`${GATE}/champion.csv`);
    await writeFile(
      join(dir, 'calibration.csv'),
      `id,probability,prediction,label\n${rows
        .slice(0, 500)
        .map((r) => r.join(','))
        .join('\n')}\n`,
    );
    const window = rows.slice(500);
    await writeFile(
      join(dir, 'window.csv'),
      `id,probability\n${window.map((r) => `${r[0]},${r[1]}`).join('\n')}\n`,
    );
    const realised = window.filter((r) => r[2] === r[3]).length / window.length;
    // When
    const result = await estimateCommand({
      calibration: join(dir, 'calibration.csv'),
      windows: [join(dir, 'window.csv')],
      format: 'json',
    });
    // Then: 500 rows; the realised accuracy's sd is about 0.017, so 0.05 is about 3 sd
    const estimate = result.windows[0]?.estimate;
    expect(estimate?.method).toBe('CBPE');
    expect(Math.abs((estimate?.estimates.accuracy ?? 0) - realised)).toBeLessThan(0.05);
    expect(JSON.parse(result.stdout).calibration.method).toBe('isotonic');
  });

  it('throws when the calibration file has no labels', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'c.csv'), 'probability\n0.2\n0.9\n');
    await expect(
      estimateCommand({ calibration: join(dir, 'c.csv'), windows: [], format: 'text' }),
    ).rejects.toThrow(/no label column/);
  });
});

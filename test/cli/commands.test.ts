import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineCommand, driftCommand, EXIT, profileCommand } from '../../functions/cli/commands.js';
import { loadCliSettings } from '../../functions/cli/config-settings.js';
import type { StatisticsFile } from '../../functions/core/model-monitor/types.js';
import { csvCaptureLine } from '../../scripts/local/records.js';

const run = promisify(execFile);
const MARKETPLACE = 'test/fixtures/drift-datasets/marketplace-data-quality';
const SDK_QUALITY = 'test/fixtures/model-monitor-outputs/sdk-quality-check-data-quality';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'driftwatch-cli-'));
}

/** Writes a monitor configuration of one endpoint, `marketplace`, with `settings` added to it; returns its path. */
async function writeMarketplaceConfig(settings: Record<string, unknown>): Promise<string> {
  const config = {
    version: 1,
    endpoints: [
      {
        name: 'marketplace',
        capture: { s3Uri: 's3://bucket/capture' },
        baseline: { s3Uri: 's3://bucket/baseline/' },
        ...settings,
      },
    ],
  };
  const configPath = join(await tmp(), 'driftwatch.config.json');
  await writeFile(configPath, JSON.stringify(config));
  return configPath;
}

/** Writes CSV rows as SageMaker capture records (text/csv), `perFile` records per file. */
async function writeCaptures(dir: string, rows: string[], perFile: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0, f = 0; i < rows.length; i += perFile, f++) {
    const lines = rows.slice(i, i + perFile).map((data, j) =>
      csvCaptureLine({
        input: data,
        eventId: `e-${i + j}`,
        inferenceTime: `2026-11-26T${String(f).padStart(2, '0')}:00:00Z`,
      }),
    );
    await writeFile(join(dir, `part-${String(f).padStart(3, '0')}.jsonl`), `${lines.join('\n')}\n`);
  }
}

describe('driftwatch baseline', () => {
  it('agrees with the statistics.json Model Monitor produced for the same data', async () => {
    // Given: the headerless CSV Model Monitor profiled in the SDK's quality-check test
    const out = await tmp();
    // When
    const result = await baselineCommand({ input: `${SDK_QUALITY}/baseline_dataset.csv`, out });
    // Then
    expect(result.exitCode).toBe(EXIT.ok);
    const ours = JSON.parse(await readFile(join(out, 'statistics.json'), 'utf8')) as StatisticsFile;
    const theirs = JSON.parse(await readFile(`${SDK_QUALITY}/statistics.json`, 'utf8')) as StatisticsFile;
    expect(ours.dataset.item_count).toBe(theirs.dataset.item_count);
    expect(ours.features.map((f) => [f.name, f.inferred_type])).toEqual(
      theirs.features.map((f) => [f.name, f.inferred_type]),
    );
    const rel = (a: number | undefined, b: number | undefined) =>
      Math.abs((a ?? Number.NaN) - (b ?? 0)) / Math.max(1e-12, Math.abs(b ?? 0));
    theirs.features.forEach((t, i) => {
      const o = ours.features[i]?.numerical_statistics;
      const r = t.numerical_statistics;
      expect(o?.common).toEqual(r?.common);
      for (const key of ['mean', 'std_dev', 'min', 'max', 'sum'] as const) {
        if ((r?.[key] ?? 0) === 0) expect(o?.[key]).toBe(0);
        else expect(rel(o?.[key], r?.[key])).toBeLessThanOrEqual(1e-6);
      }
      expect(o?.distribution?.kll?.buckets).toEqual(r?.distribution?.kll?.buckets);
    });
  });

  it('writes constraints.json and baseline.json, leaving out the target', async () => {
    const out = await tmp();
    await baselineCommand({ input: `${MARKETPLACE}/baseline.csv`, out, target: 'target' });
    const constraints = JSON.parse(await readFile(join(out, 'constraints.json'), 'utf8'));
    const baseline = JSON.parse(await readFile(join(out, 'baseline.json'), 'utf8'));
    expect(constraints.features).toHaveLength(28);
    expect(constraints.features.map((f: { name: string }) => f.name)).not.toContain('target');
    expect(constraints.monitoring_config.distribution_constraints.comparison_threshold).toBe(0.1);
    expect(baseline.features[0]).toMatchObject({ name: 'gender', kind: 'numeric', inferredType: 'Integral' });
  });

  it('throws when the target column is not in the file', async () => {
    await expect(
      baselineCommand({ input: `${MARKETPLACE}/baseline.csv`, out: await tmp(), target: 'label' }),
    ).rejects.toThrow(/column\(s\) label not found/);
  });
});

describe('driftwatch drift', () => {
  let baselineDir: string;
  let driftRows: string[];
  beforeAll(async () => {
    baselineDir = await tmp();
    await baselineCommand({ input: `${MARKETPLACE}/baseline.csv`, out: baselineDir, target: 'target' });
    driftRows = (await readFile(`${MARKETPLACE}/data_quality_drift.csv`, 'utf8')).trim().split('\n');
  });

  it('reports the drift, data-type and completeness violations the marketplace file was built to trigger', async () => {
    // When: the headerless inference CSV, in baseline feature order
    const out = await tmp();
    const result = await driftCommand({
      inputs: [`${MARKETPLACE}/data_quality_drift.csv`],
      baseline: baselineDir,
      format: 'json',
      out,
    });
    // Then
    expect(result.exitCode).toBe(EXIT.drift);
    const report = JSON.parse(result.stdout);
    expect(report.records).toEqual({ lines: 320, accepted: 320, rejected: 0 });
    expect(report.drift).toBe(true);
    const drifted = report.features
      .filter((f: { drift: boolean }) => f.drift)
      .map((f: { name: string }) => f.name);
    expect(drifted).toEqual(['gender', 'age_range', 'household_income_range']);
    const checks = report.violations.map(
      (v: { feature_name: string; constraint_check_type: string }) =>
        `${v.feature_name}:${v.constraint_check_type}`,
    );
    expect(checks).toEqual(
      expect.arrayContaining([
        'gender:baseline_drift_check',
        'household_income_range:baseline_drift_check',
        'age_range:completeness_check',
        'zip_feature_0:data_type_check',
        'zip_feature_1:data_type_check',
      ]),
    );
    const drift = report.violations.find(
      (v: { constraint_check_type: string }) => v.constraint_check_type === 'baseline_drift_check',
    );
    expect(drift.description).toMatch(/distance: [0-9.]+ exceeds threshold: 0\.1/);
    for (const f of report.features) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          'name',
          'type',
          'method',
          'threshold',
          'statistic',
          'drift',
          'missingRate',
          'baselineMissingRate',
          'statistics',
        ]),
      );
    }
    // gender is constant in the baseline, so its normalised Wasserstein is infinite (null in JSON): use income.
    expect(report.features[2].statistics).toEqual(
      expect.objectContaining({
        linf: expect.any(Number),
        linfRobust: expect.any(Number),
        ks: expect.any(Number),
        ksPValue: expect.any(Number),
        psi: expect.any(Number),
        js: expect.any(Number),
        wasserstein: expect.any(Number),
        wassersteinNorm: expect.any(Number),
      }),
    );
    const written = JSON.parse(await readFile(join(out, 'constraint_violations.json'), 'utf8'));
    expect(written.violations).toEqual(report.violations);
    const stats = JSON.parse(await readFile(join(out, 'statistics.json'), 'utf8'));
    expect(stats.dataset.item_count).toBe(320);
  });

  it('gives the same verdict from capture files, and from merged hourly profiles of them', async () => {
    // Given: the same rows as SageMaker capture files, 32 per hour
    const dir = await tmp();
    await writeCaptures(join(dir, 'capture'), driftRows, 32);
    const fromCsv = await driftCommand({
      inputs: [`${MARKETPLACE}/data_quality_drift.csv`],
      baseline: baselineDir,
      format: 'json',
    });
    // When
    const fromCapture = await driftCommand({
      inputs: [join(dir, 'capture')],
      baseline: baselineDir,
      format: 'json',
    });
    for (let h = 0; h < 10; h++) {
      const file = join(dir, 'capture', `part-${String(h).padStart(3, '0')}.jsonl`);
      await profileCommand({
        inputs: [file],
        baseline: baselineDir,
        out: join(dir, 'profiles', `h${h}.profile.json`),
      });
    }
    const fromProfiles = await driftCommand({
      inputs: [join(dir, 'profiles')],
      baseline: baselineDir,
      format: 'json',
    });
    // Then
    const verdict = (r: typeof fromCsv) => ({
      records: r.report.records,
      features: r.report.features.map((f) => [f.name, f.drift, f.statistic]),
      violations: r.report.violations,
    });
    expect(verdict(fromCapture)).toEqual(verdict(fromCsv));
    expect(verdict(fromProfiles)).toEqual(verdict(fromCapture));
    expect(fromCapture.report.inferenceTime).toEqual({
      first: '2026-11-26T00:00:00Z',
      last: '2026-11-26T09:00:00Z',
    });
  });

  it('finds no drift and no violations in the baseline data itself', async () => {
    // Given: the baseline's feature columns (without the target) as a headerless CSV
    const dir = await tmp();
    const lines = (await readFile(`${MARKETPLACE}/baseline.csv`, 'utf8')).trim().split('\n').slice(1);
    await writeFile(
      join(dir, 'same.csv'),
      `${lines.map((l) => l.split(',').slice(1).join(',')).join('\n')}\n`,
    );
    const result = await driftCommand({
      inputs: [join(dir, 'same.csv')],
      baseline: baselineDir,
      format: 'text',
    });
    expect(result.report.violations).toEqual([]);
    expect(result.report.drift).toBe(false);
    expect(result.exitCode).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/^OK: no drift in 28 features/);
  });

  it('reports a column the baseline does not have as extra_column_check, as Model Monitor does', async () => {
    // The baseline left the target out; the training CSV still has it.
    const result = await driftCommand({
      inputs: [`${MARKETPLACE}/baseline.csv`],
      baseline: baselineDir,
      format: 'json',
    });
    expect(result.report.violations).toEqual([
      expect.objectContaining({ feature_name: 'target', constraint_check_type: 'extra_column_check' }),
    ]);
    expect(result.exitCode).toBe(EXIT.drift);
  });

  it('reads the --prediction column of a current CSV as the prediction, not as an extra column', async () => {
    // Given a baseline whose prediction is the training CSV's target column
    const withPrediction = await tmp();
    await baselineCommand({
      input: `${MARKETPLACE}/baseline.csv`,
      out: withPrediction,
      prediction: 'target',
    });
    const rows = (await readFile(`${MARKETPLACE}/baseline.csv`, 'utf8')).trim().split('\n').length - 1;
    // When the same CSV, target column included, is checked against it
    const result = await driftCommand({
      inputs: [`${MARKETPLACE}/baseline.csv`],
      baseline: withPrediction,
      format: 'json',
    });
    // Then target is compared as the prediction, every row of it, and nothing is an extra column
    expect(result.report.violations).toEqual([]);
    expect(result.report.prediction).toMatchObject({ name: 'prediction', count: rows, drift: false });
    expect(result.exitCode).toBe(EXIT.ok);
  });

  it('reports each rejected capture line with file, line, field and reason, and still uses the rest', async () => {
    const dir = await tmp();
    await writeCaptures(dir, driftRows.slice(0, 5), 5);
    const file = join(dir, 'part-000.jsonl');
    const good = await readFile(file, 'utf8');
    await writeFile(
      file,
      `${good}{not json\n{"captureData":{"endpointInput":{"mode":"INPUT","data":"1,2","encoding":"CSV"}}}\n`,
    );
    const result = await driftCommand({ inputs: [dir], baseline: baselineDir, format: 'json' });
    expect(result.report.records).toEqual({ lines: 7, accepted: 5, rejected: 2 });
    expect(result.report.rejections).toEqual([
      expect.objectContaining({ line: 6, reason: expect.stringMatching(/JSON/i) }),
      expect.objectContaining({
        line: 7,
        field: expect.stringContaining('endpointInput'),
        reason: expect.stringMatching(/expected 28 fields .*found 2/),
      }),
    ]);
    expect(result.report.rejections[0]?.file).toContain('part-000.jsonl');
  });
});

describe('driftwatch drift --config', () => {
  it('applies the configured methods, thresholds, disabled features and data-quality settings', async () => {
    // Given
    const baselineDir = await tmp();
    await baselineCommand({ input: `${MARKETPLACE}/baseline.csv`, out: baselineDir, target: 'target' });
    const configPath = await writeMarketplaceConfig({
      drift: { method: 'psi', threshold: 0.5 },
      dataQuality: { datatypeCheckThreshold: 0.9, completenessTolerance: 0.05 },
      features: [
        { name: 'gender', drift: { method: 'linf', threshold: 0.9 } },
        { name: 'zip_feature_0', enabled: false },
      ],
    });
    const settings = await loadCliSettings(configPath, undefined);
    // When
    const { report } = await driftCommand(
      { inputs: [`${MARKETPLACE}/data_quality_drift.csv`], baseline: baselineDir, format: 'json' },
      settings,
    );
    // Then
    const gender = report.features.find((f) => f.name === 'gender');
    expect(gender).toMatchObject({ method: 'linf', threshold: 0.9, drift: false });
    const income = report.features.find((f) => f.name === 'household_income_range');
    expect(income).toMatchObject({ method: 'psi', threshold: 0.5 });
    expect(income?.statistic).toBe(income?.statistics.psi);
    expect(report.features.map((f) => f.name)).not.toContain('zip_feature_0');
    const checks = report.violations.map((v) => `${v.feature_name}:${v.constraint_check_type}`);
    // 96.9% integral >= 0.9; completeness 96.9% >= 1.0 - 0.05; zip_feature_0 disabled.
    expect(checks).not.toContain('zip_feature_1:data_type_check');
    expect(checks).not.toContain('age_range:completeness_check');
    expect(checks.some((c) => c.startsWith('zip_feature_0:'))).toBe(false);
    expect(checks).toContain('gender:baseline_drift_check');
  });

  it('profiles and compares the features the configuration declares categorical as categorical', async () => {
    // Given a configuration declaring age_range (integer codes) categorical
    const configPath = await writeMarketplaceConfig({
      features: [{ name: 'age_range', type: 'categorical' }],
    });
    const baselineDir = await tmp();
    // When the binary builds the baseline with --config and the drift check runs with the same configuration
    await run('node', [
      'bin/driftwatch.js',
      'baseline',
      `${MARKETPLACE}/baseline.csv`,
      '--target',
      'target',
      '--config',
      configPath,
      '--out',
      baselineDir,
    ]);
    const settings = await loadCliSettings(configPath, undefined);
    const { report } = await driftCommand(
      { inputs: [`${MARKETPLACE}/data_quality_drift.csv`], baseline: baselineDir, format: 'json' },
      settings,
    );
    // Then age_range is a categorical feature of the baseline and is compared with a categorical method
    const baseline = JSON.parse(await readFile(join(baselineDir, 'baseline.json'), 'utf8')) as {
      features: { name: string; kind: string }[];
    };
    expect(baseline.features.find((f) => f.name === 'age_range')?.kind).toBe('categorical');
    expect(baseline.features.find((f) => f.name === 'household_income_range')?.kind).toBe('numeric');
    expect(report.features.find((f) => f.name === 'age_range')?.type).toBe('categorical');
  });

  it('throws naming the feature when a declared type contradicts the baseline', async () => {
    // Given a baseline built without configuration (age_range numeric) and a configuration declaring it categorical
    const baselineDir = await tmp();
    await baselineCommand({ input: `${MARKETPLACE}/baseline.csv`, out: baselineDir, target: 'target' });
    const configPath = await writeMarketplaceConfig({
      features: [{ name: 'age_range', type: 'categorical' }],
    });

    // When the drift check runs with it
    const settings = await loadCliSettings(configPath, undefined);
    const failure = driftCommand(
      { inputs: [`${MARKETPLACE}/data_quality_drift.csv`], baseline: baselineDir, format: 'json' },
      settings,
    );
    // Then it stops with the feature, both types and the remedy
    await expect(failure).rejects.toThrow(
      /features\["age_range"\]\.type is categorical, the baseline has it numeric; rebuild it with `driftwatch baseline --config`/,
    );
  });

  it('throws naming the field when the configuration is invalid', async () => {
    const configPath = join(await tmp(), 'bad.json');
    await writeFile(
      configPath,
      JSON.stringify({ version: 1, endpoints: [{ name: 'x', capture: { s3Uri: 'nope' } }] }),
    );
    await expect(loadCliSettings(configPath, undefined)).rejects.toThrow(/endpoints\[0\]\.capture\.s3Uri/);
  });
});

describe('driftwatch (binary)', () => {
  it('exits 1 on drift and prints JSON', async () => {
    const dir = await tmp();
    await run('node', [
      'bin/driftwatch.js',
      'baseline',
      `${MARKETPLACE}/baseline.csv`,
      '--target',
      'target',
      '--out',
      dir,
    ]);
    const err = await run('node', [
      'bin/driftwatch.js',
      'drift',
      '--baseline',
      dir,
      `${MARKETPLACE}/data_quality_drift.csv`,
      '--format',
      'json',
    ]).catch((e: { code: number; stdout: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect(JSON.parse((err as { stdout: string }).stdout).drift).toBe(true);
  });

  it('exits 2 with a message naming the problem on bad input', async () => {
    const missing = await run('node', [
      'bin/driftwatch.js',
      'drift',
      '--baseline',
      '/nonexistent',
      `${MARKETPLACE}/baseline.csv`,
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('/nonexistent: baseline directory not found'),
    });
    const usage = await run('node', ['bin/driftwatch.js', 'drift', `${MARKETPLACE}/baseline.csv`]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(usage).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("required option '--baseline <dir>'"),
    });
  });
});

/**
 * The CLI with s3:// URIs, on a real S3-protocol server (s3rver on 127.0.0.1, started here): captures under a
 * prefix (one of them gzip-compressed), a training CSV and a Model Monitor baseline prefix give the same results
 * as the same files read from disk; a missing prefix or a malformed URI is one clear error.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.js';
import { baselineCommand, driftCommand, profileCommand } from '../../functions/cli/commands.js';
import { useObjectStore } from '../../functions/cli/input-files.js';
import { InputError } from '../../functions/errors.js';
import { type LocalS3, startLocalS3 } from '../support/s3rver.js';

const CHURN_CAPTURE =
  'test/fixtures/model-monitor-outputs/churn-model-quality/captured-records-with-inferenceId.jsonl';
const SDK_QUALITY = 'test/fixtures/model-monitor-outputs/sdk-quality-check-data-quality';
const MARKETPLACE = 'test/fixtures/drift-datasets/marketplace-data-quality';
const BUCKET = 'ci-bucket';

describe('driftwatch CLI with s3:// URIs (s3rver)', () => {
  let s3: LocalS3;
  let work: string;
  const lines: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'driftwatch-cli-s3-'));
    s3 = await startLocalS3([BUCKET]);
    const put = (key: string, body: string | Uint8Array) => s3.put(BUCKET, key, body);
    // The real churn capture file split in two hourly objects, the second gzip-compressed; a stray file beside them.
    const text = await readFile(CHURN_CAPTURE, 'utf8');
    lines.push(...text.split('\n').filter((l) => l.trim() !== ''));
    const half = Math.floor(lines.length / 2);
    await put('capture/churn/AllTraffic/2021/02/05/05/a.jsonl', `${lines.slice(0, half).join('\n')}\n`);
    await put(
      'capture/churn/AllTraffic/2021/02/05/06/b.jsonl',
      gzipSync(`${lines.slice(half).join('\n')}\n`),
    );
    await put('capture/churn/AllTraffic/README.txt', 'not an input');
    // A Model Monitor baseline (statistics.json and constraints.json) and the marketplace training CSV.
    await put('baselines/mm/statistics.json', await readFile(`${SDK_QUALITY}/statistics.json`));
    await put('baselines/mm/constraints.json', await readFile(`${SDK_QUALITY}/constraints.good.json`));
    await put('training/marketplace.csv', await readFile(`${MARKETPLACE}/baseline.csv`));
    useObjectStore(new S3ObjectStore(s3.client));
  });

  afterAll(async () => {
    useObjectStore(undefined);
    await s3?.close();
  });

  it('computes the same baseline from a CSV object as from the file', async () => {
    // Given the marketplace training CSV on disk and as an S3 object
    const fromDisk = join(work, 'b-disk');
    const fromS3 = join(work, 'b-s3');
    // When both are profiled
    await baselineCommand({ input: `${MARKETPLACE}/baseline.csv`, out: fromDisk, target: 'target' });
    await baselineCommand({
      input: `s3://${BUCKET}/training/marketplace.csv`,
      out: fromS3,
      target: 'target',
    });
    // Then statistics.json is the same
    expect(await readFile(join(fromS3, 'statistics.json'), 'utf8')).toBe(
      await readFile(join(fromDisk, 'statistics.json'), 'utf8'),
    );
  });

  it('computes the drift report of an S3 capture prefix against an S3 baseline prefix as from local files', async () => {
    // Given the churn capture records on disk, and a local baseline of the same shape made from them
    const baselineDir = join(work, 'churn-baseline');
    const csv = join(work, 'churn.csv');
    await writeFile(csv, `${lines.map((l) => JSON.parse(l).captureData.endpointInput.data).join('\n')}\n`);
    await baselineCommand({ input: csv, out: baselineDir, header: false });
    // When the drift check reads the capture prefix (plain and gzip objects) from S3, and the files from disk
    const fromS3 = await driftCommand({
      inputs: [`s3://${BUCKET}/capture/churn/AllTraffic/`],
      baseline: baselineDir,
      format: 'json',
    });
    const fromDisk = await driftCommand({ inputs: [CHURN_CAPTURE], baseline: baselineDir, format: 'json' });
    // Then every record was read, the stray file ignored, and the results agree feature by feature
    expect(fromS3.report.records).toEqual({ lines: lines.length, accepted: lines.length, rejected: 0 });
    expect(fromS3.report.inputs).toEqual([
      `s3://${BUCKET}/capture/churn/AllTraffic/2021/02/05/05/a.jsonl`,
      `s3://${BUCKET}/capture/churn/AllTraffic/2021/02/05/06/b.jsonl`,
    ]);
    expect(fromS3.report.features.map((f) => [f.name, f.statistic, f.drift])).toEqual(
      fromDisk.report.features.map((f) => [f.name, f.statistic, f.drift]),
    );
    expect(fromS3.report.violations).toEqual(fromDisk.report.violations);
  });

  it('computes a profile against a Model Monitor baseline at an s3:// prefix', async () => {
    // Given the SDK's Model Monitor baseline files under s3://ci-bucket/baselines/mm/
    const out = join(work, 'mm.profile.json');
    // When the SDK's own baseline dataset is profiled against it
    const result = await profileCommand({
      inputs: [`${SDK_QUALITY}/baseline_dataset.csv`],
      baseline: `s3://${BUCKET}/baselines/mm`,
      out,
    });
    // Then every row is profiled against the baseline's six features
    const profile = JSON.parse(await readFile(out, 'utf8')) as { features: { name: string }[]; rows: number };
    expect(result.exitCode).toBe(0);
    expect(profile.features.map((f) => f.name)).toEqual(['_c0', '_c1', '_c2', '_c3', '_c4', '_c5']);
    const csvRows = (await readFile(`${SDK_QUALITY}/baseline_dataset.csv`, 'utf8')).trim().split('\n').length;
    expect(profile.rows).toBe(csvRows);
  });

  it('throws an InputError naming a prefix with no objects', async () => {
    const failure = driftCommand({
      inputs: [`s3://${BUCKET}/capture/nowhere/`],
      baseline: `s3://${BUCKET}/baselines/mm`,
      format: 'json',
    });
    await expect(failure).rejects.toThrow(
      new InputError(`s3://${BUCKET}/capture/nowhere/: no such object or prefix`),
    );
  });

  it('throws an InputError naming a malformed URI', async () => {
    const failure = driftCommand({
      inputs: ['s3://Bad_Bucket/x.jsonl'],
      baseline: `s3://${BUCKET}/baselines/mm`,
      format: 'json',
    });
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(/invalid S3 URI "s3:\/\/Bad_Bucket\/x\.jsonl"/);
  });
});

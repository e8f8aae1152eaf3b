import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAuditStore } from '../../functions/adapters/local-audit-store.js';
import { S3AuditStore } from '../../functions/adapters/s3-audit-store.js';
import { auditCommand } from '../../functions/cli/audit-program.js';
import { buildProgram } from '../../functions/cli/program.js';
import { InputError } from '../../functions/errors.js';
import { AuditTrail } from '../../functions/handlers/audit-trail.js';
import type { AuditStore } from '../../functions/ports/audit-store.js';
import { fixedClock } from '../handlers/audit-support.js';
import { type LocalS3, startLocalS3 } from '../support/s3rver.js';

/** Writes the decisions of one retraining run into `store` through the same trail the Lambdas use. */
async function writeRun(store: AuditStore, endpoint: string): Promise<string> {
  const trail = new AuditTrail(store, fixedClock('2026-11-26T10:00:00Z'));
  const run = 'arn:aws:states:us-east-1:111111111111:execution:Retrain:a';
  const drafts = [
    { kind: 'trigger', detail: { source: 'alarm', reason: 'Threshold Crossed' } },
    { kind: 'training-result', detail: { status: 'Completed' } },
    { kind: 'gate-verdict', detail: { verdict: 'reject', reasons: ['auc below floor'] }, final: true },
  ] as const;
  let hash = '';
  for (const d of drafts) {
    const record = await trail.append(endpoint, async () => ({ workflow: 'retraining', runId: run, ...d }));
    hash = record?.hash ?? '';
  }
  return hash;
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'driftwatch-audit-cli-'));
}

describe('auditCommand', () => {
  it('computes exit 0 and a listing for intact chains', async () => {
    // Given a directory with the chains of two endpoints
    const dir = await tempDir();
    await writeRun(new LocalAuditStore(dir), 'churn-endpoint');
    await writeRun(new LocalAuditStore(dir), 'fraud-endpoint');
    // When audited
    const result = await auditCommand({ location: dir, format: 'text' });
    // Then both chains are listed as intact
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('churn-endpoint: 3 record(s), intact, head ');
    expect(result.stdout).toContain('fraud-endpoint: 3 record(s), intact');
    expect(result.stdout).toMatch(/#2 +2026-11-26T10:00:00.000Z {2}retraining gate-verdict +reject/);
  });

  it('computes exit 1 and the problem when a record was edited', async () => {
    // Given a chain whose gate verdict was changed from reject to pass
    const dir = await tempDir();
    await writeRun(new LocalAuditStore(dir), 'churn-endpoint');
    const file = join(dir, 'churn-endpoint', '000000000002.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"reject"', '"pass"'));
    // When audited as JSON
    const result = await auditCommand({ location: dir, format: 'json' });
    const report = JSON.parse(result.stdout) as {
      intact: boolean;
      chains: { problems: { name: string }[] }[];
    };
    // Then the chain is broken at that record
    expect(result.exitCode).toBe(1);
    expect(report.intact).toBe(false);
    expect(report.chains[0]?.problems.map((p) => p.name)).toEqual(['000000000002.json']);
  });

  it('computes exit 1 when the head differs from the expected one', async () => {
    // Given an intact chain whose last record was removed after its head was published
    const dir = await tempDir();
    const published = await writeRun(new LocalAuditStore(dir), 'churn-endpoint');
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'churn-endpoint', '000000000002.json'));
    // When audited against the published head / Then the truncation is found
    const result = await auditCommand({
      location: join(dir, 'churn-endpoint'),
      format: 'text',
      expectHead: published,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('(records were removed from the end)');
  });

  it('throws when the location holds no records', async () => {
    const dir = await tempDir();
    await expect(auditCommand({ location: dir, format: 'text' })).rejects.toThrow(InputError);
    await expect(auditCommand({ location: dir, format: 'text' })).rejects.toThrow('no audit records found');
  });

  it('is registered as `driftwatch audit`', () => {
    const audit = buildProgram().commands.find((c) => c.name() === 'audit');
    expect(audit?.options.map((o) => o.long)).toEqual(['--endpoint', '--expect-head', '--format']);
  });
});

describe('auditCommand on an S3-protocol server', () => {
  let s3: LocalS3;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await startLocalS3(['audit-bucket']);
    client = s3.client;
  });
  afterAll(async () => {
    await s3.close();
  });

  it('computes exit 0 for a chain written through S3 and read back by s3:// URI', async () => {
    // Given a chain written with the S3 store the Lambdas use
    await writeRun(new S3AuditStore(client, 'audit-bucket', 'audit'), 'churn-endpoint');
    // When audited by URI, as the root and as the endpoint's folder
    const root = await auditCommand(
      { location: 's3://audit-bucket/audit', format: 'text' },
      { s3Client: client },
    );
    const folder = await auditCommand(
      { location: 's3://audit-bucket/audit/churn-endpoint/', format: 'text' },
      { s3Client: client },
    );
    // Then both verify
    expect(root.exitCode).toBe(0);
    expect(root.stdout).toContain('audit trail s3://audit-bucket/audit');
    expect(root.stdout).toContain('churn-endpoint: 3 record(s), intact');
    expect(folder.exitCode).toBe(0);
  });
});

/**
 * Security guarantees of the synthesized stacks and of the configuration, for both configuration shapes (imported
 * buckets; buckets created by the stack): least privilege per function on the data buckets, KMS on every bucket,
 * queue and topic, TLS-only resource policies, no secrets in function environments, S3 locations that mean one
 * place, and capture objects above payload.maxObjectBytes refused before they are read.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMonitorConfig } from '../../functions/core/config/parse.js';
import { configuredS3UriProblem } from '../../functions/core/config/s3-uri.js';
import { oneEndpointConfig } from '../handlers/support/deps.js';
import { captureEmf, findMetrics } from '../handlers/support/emf.js';
import { exampleApp } from '../infra/support.js';
import type { LocalS3 } from '../support/s3rver.js';
import {
  captureRecord,
  DIMS,
  HOUR_PREFIX,
  objectCreated,
  realHandlers,
  startBaselinedS3,
} from './support.js';

const CONFIGS = [undefined, 'test/fixtures/infra/created-buckets.config.json'] as const;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Logical id of a `{Ref}` / `{Fn::GetAtt}` value, else undefined. */
function refOf(value: unknown): string | undefined {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return v?.Ref ?? v?.['Fn::GetAtt']?.[0];
}

/** Every statement of the policies attached to the role `roleId`, inline or AWS::IAM::Policy. */
function statementsOfRole(resources: Resources, roleId: string): Statement[] {
  const role = resources[roleId];
  const inline = (
    (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
  ).flatMap((p) => p.PolicyDocument.Statement);
  const attached = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => (r.Properties.Roles as unknown[]).some((ref) => refOf(ref) === roleId))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached];
}

describe.each(CONFIGS)('security of the monitoring stack (config %s)', (configFile) => {
  let template: Template;
  let resources: Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  beforeAll(() => {
    template = exampleApp(configFile ? { configFile } : {}).template();
    resources = template.toJSON().Resources as Resources;
  });

  it('computes, for every function, S3 data-bucket access without wildcard actions and under prefixes only', () => {
    // Given every Lambda function and its role's statements
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(2);
    const findings: string[] = [];
    for (const [id, fn] of functions) {
      const roleId = refOf(fn.Properties.Role);
      if (roleId === undefined) throw new Error(`${id} has no role reference`);
      // When its S3 statements are read
      const s3 = statementsOfRole(resources, roleId).filter((s) =>
        list(s.Action).some((a) => a.startsWith('s3:')),
      );
      for (const s of s3) {
        // Then no action is a wildcard, and object actions never cover a whole bucket (".../*" right after it)
        for (const action of list(s.Action))
          if (action.includes('*')) findings.push(`${id}: action ${action}`);
        if (list(s.Action).some((a) => /^s3:(Get|Put)Object$/.test(a))) {
          for (const r of list(s.Resource)) {
            const text = JSON.stringify(r);
            if (/:s3:::[^/"]*\/\*"|"\/\*"\]/.test(text)) findings.push(`${id}: whole bucket ${text}`);
          }
        }
        if (list(s.Action).includes('s3:ListBucket') && !s.Condition?.StringLike?.['s3:prefix']) {
          findings.push(`${id}: ListBucket without s3:prefix`);
        }
      }
    }
    expect(findings).toEqual([]);
  });

  it('computes KMS encryption for every data bucket, queue and topic (SSE-S3 only for the access-log bucket)', () => {
    // Given every bucket, queue and topic; access-log buckets are the LoggingConfiguration targets, which S3
    // server access logging requires to use SSE-S3 (log delivery cannot use a KMS key)
    const buckets = ofType('AWS::S3::Bucket');
    const queues = ofType('AWS::SQS::Queue');
    const topics = ofType('AWS::SNS::Topic');
    const logTargets = new Set(
      buckets.flatMap(([, b]) => {
        const target = refOf(
          (b.Properties.LoggingConfiguration as { DestinationBucketName?: unknown })?.DestinationBucketName,
        );
        return target ? [target] : [];
      }),
    );
    // When their encryption settings are read
    const encryption = buckets.map(([id, b]) => {
      const rules = (b.Properties.BucketEncryption as { ServerSideEncryptionConfiguration: unknown[] })
        ?.ServerSideEncryptionConfiguration as { ServerSideEncryptionByDefault: Record<string, unknown> }[];
      const rule = rules?.[0]?.ServerSideEncryptionByDefault;
      return [id, rule?.SSEAlgorithm, rule?.KMSMasterKeyID !== undefined];
    });
    // Then each data bucket, queue and topic names a KMS key
    expect(queues.length).toBeGreaterThan(0);
    expect(topics.length).toBeGreaterThan(0);
    expect(encryption).toEqual(
      buckets.map(([id]) => (logTargets.has(id) ? [id, 'AES256', false] : [id, 'aws:kms', true])),
    );
    expect(encryption.filter(([, algorithm]) => algorithm === 'aws:kms').length).toBe(
      buckets.length - logTargets.size,
    );
    expect(queues.filter(([, q]) => q.Properties.KmsMasterKeyId === undefined).map(([id]) => id)).toEqual([]);
    expect(topics.filter(([, t]) => t.Properties.KmsMasterKeyId === undefined).map(([id]) => id)).toEqual([]);
  });

  it('computes a TLS-only policy (Deny when aws:SecureTransport is false) for every bucket, queue and topic', () => {
    // Given the resource policies and what they apply to
    const denies = (doc: unknown) =>
      (doc as { Statement: Statement[] }).Statement.some(
        (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      );
    const covered = new Set<string>();
    for (const [, p] of ofType('AWS::S3::BucketPolicy')) {
      if (denies(p.Properties.PolicyDocument)) covered.add(refOf(p.Properties.Bucket) ?? '');
    }
    for (const [, p] of [...ofType('AWS::SQS::QueuePolicy'), ...ofType('AWS::SNS::TopicPolicy')]) {
      if (!denies(p.Properties.PolicyDocument)) continue;
      for (const target of list((p.Properties.Queues ?? p.Properties.Topics) as unknown[])) {
        covered.add(refOf(target) ?? '');
      }
    }
    // When every bucket, queue and topic is looked up
    const all = [...ofType('AWS::S3::Bucket'), ...ofType('AWS::SQS::Queue'), ...ofType('AWS::SNS::Topic')];
    // Then each is covered
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.map(([id]) => id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('computes function environments without secrets (names and literal values)', () => {
    // Given every function's environment variables
    const variables = ofType('AWS::Lambda::Function').flatMap(([id, fn]) =>
      Object.entries(
        ((fn.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {}) as Record<
          string,
          unknown
        >,
      ).map(([name, value]) => ({ id, name, value })),
    );
    // When names and literal values are matched against secret-like patterns
    const secretName = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY|AUTH/i;
    const secretValue =
      /(AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN|^[A-Za-z0-9+/]{40}$|xox[abp]-|ghp_[A-Za-z0-9]{36}/;
    const findings = variables.filter(
      (v) => secretName.test(v.name) || (typeof v.value === 'string' && secretValue.test(v.value)),
    );
    // Then there are variables, and none looks like a secret
    expect(variables.length).toBeGreaterThan(4);
    expect(findings).toEqual([]);
  });
});

describe('the secret patterns themselves', () => {
  it('computes a match for an access key id and a secret access key shape', () => {
    // Given AWS's documented example credentials (not real)
    const secretValue =
      /(AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN|^[A-Za-z0-9+/]{40}$|xox[abp]-|ghp_[A-Za-z0-9]{36}/;
    // When / Then
    expect(secretValue.test('AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(secretValue.test('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12')).toBe(true);
    expect(secretValue.test('driftwatch-ingest')).toBe(false);
  });
});

describe('configured S3 locations', () => {
  const withBaseline = (s3Uri: string) => () =>
    parseMonitorConfig({
      version: 1,
      endpoints: [{ name: 'churn', capture: { s3Uri: 's3://capture/datacapture' }, baseline: { s3Uri } }],
    });

  it.each([
    ['s3://baselines/churn/../other/', 'the key must not contain "." or ".." path segments'],
    ['s3://baselines/./churn/', 'the key must not contain "." or ".." path segments'],
    ['s3://baselines/churn//v1/', 'the key must not contain empty path segments ("//" or a leading "/")'],
    ['s3://baselines//churn/', 'the key must not contain empty path segments ("//" or a leading "/")'],
    ['https://baselines.s3.amazonaws.com/churn/', 'expected a URI starting with "s3://"'],
    ['s3://Baselines/churn/', 'bucket name may only contain lowercase letters, digits, "." and "-"'],
  ])('throws when a location is %s', (uri, reason) => {
    // Given a configuration whose baseline location is not one well-defined place
    // When it is validated / Then the problem is named
    expect(configuredS3UriProblem(uri)).toBe(reason);
    expect(withBaseline(uri)).toThrow(reason);
  });

  it('computes a trailing slash and ordinary keys as fine', () => {
    // Given / When / Then
    expect(configuredS3UriProblem('s3://baselines/churn/')).toBeUndefined();
    expect(configuredS3UriProblem('s3://baselines/churn/v1.2/..data')).toBeUndefined();
    expect(withBaseline('s3://baselines/churn/')).not.toThrow();
  });

  it('throws when a location lies outside allowedS3Prefixes (same bucket, "/" boundary)', () => {
    // Given prefixes that allow s3://ml-data/prod only
    const config = (baseline: string) => () =>
      parseMonitorConfig({
        version: 1,
        allowedS3Prefixes: ['s3://ml-data/prod'],
        endpoints: [
          { name: 'churn', capture: { s3Uri: 's3://ml-data/prod/capture' }, baseline: { s3Uri: baseline } },
        ],
      });
    // When / Then
    expect(config('s3://ml-data/prod/baselines/churn/')).not.toThrow();
    expect(config('s3://ml-data/production/baselines/')).toThrow(
      'expected a location under one of allowedS3Prefixes',
    );
    expect(config('s3://other-bucket/prod/baselines/')).toThrow(
      'expected a location under one of allowedS3Prefixes',
    );
  });
});

describe('capture objects larger than payload.maxObjectBytes', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startBaselinedS3();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it("computes a too-large skip from the object's own ContentLength even when the event understates the size", async () => {
    // Given: a 1,000-byte limit, an object of more than that, and an event that claims 10 bytes
    const key = `${HOUR_PREFIX}/big.jsonl`;
    const body = `${Array.from({ length: 20 }, (_, i) => JSON.stringify(captureRecord(String(i), 'a'))).join('\n')}\n`;
    expect(body.length).toBeGreaterThan(1000);
    await s3.put('capture', key, body);
    const { ingest } = realHandlers(
      s3,
      new Date('2026-11-26T11:20:00Z'),
      oneEndpointConfig({ payload: { maxObjectBytes: 1000 } }),
    );
    const emf = captureEmf();
    // When
    const result = await ingest(objectCreated(key, 10)).finally(() => emf.restore());
    // Then: a clear result naming the size and the limit, the ObjectsTooLarge metric, no records counted
    expect(result.objects).toMatchObject([
      {
        status: 'skipped',
        reason: 'too-large',
        detail: `${body.length} bytes, more than payload.maxObjectBytes (1000)`,
      },
    ]);
    expect(findMetrics(emf.metrics(), 'ObjectsTooLarge', DIMS).map((m) => m.value)).toEqual([1]);
    expect(findMetrics(emf.metrics(), 'RecordsAccepted', DIMS)).toEqual([]);
  });
});

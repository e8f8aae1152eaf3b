import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/handlers/merge-ground-truth.js';
import { readMonitorConfig } from '../../../functions/handlers/runtime.js';
import { endpointContext } from '../../../functions/services/endpoint-context.js';
import { qualityContext } from '../../../functions/services/merge-ground-truth.js';
import { ENV } from '../../../functions/shared/env.js';
import { CaptureSource } from '../../../lib/constructs/capture-source.js';
import { GroundTruthMerge } from '../../../lib/constructs/ground-truth-merge.js';
import { ReportsStore } from '../../../lib/constructs/reports-store.js';
import { MonitoringStack } from '../../../lib/stacks/monitoring-stack.js';
import { csvCaptureLine } from '../../../scripts/local/records.js';
import { recordingLog, recordingMetrics, steppingClock } from '../../handlers/support/deps.js';
import { MemoryStore } from '../../handlers/support/memory-store.js';
import {
  EXAMPLE_CONFIG_FILE,
  exampleApp,
  loadConfig,
  s3Arn,
  statementsFor,
  statementsOfRole,
  testApp,
  testStack,
} from '../support.js';

function setup() {
  const stack = testStack();
  const data = s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data');
  const capture = new CaptureSource(stack, 'Capture', { existingBucket: data, capturePrefix: 'datacapture' });
  const quality = new GroundTruthMerge(stack, 'Quality', {
    endpointName: 'churn-endpoint',
    groundTruth: { bucket: data, prefix: 'ground-truth/churn-endpoint' },
    captureSource: capture,
    baseline: { bucket: data, prefix: 'baselines/churn-endpoint' },
    reports: new ReportsStore(stack, 'Reports', { existingBucket: data, prefix: 'driftwatch' }),
    configFile: EXAMPLE_CONFIG_FILE,
  });
  return { stack, quality, template: Template.fromStack(stack) };
}

describe('GroundTruthMerge', () => {
  it('computes a Node.js 22 arm64 function with its dead-letter queue and the endpoint in its environment', () => {
    // Given / When
    const { template } = setup();
    // Then
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 600,
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: {
        TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityDeadLetterQueue'), 'Arn'] },
      },
      Environment: {
        Variables: Match.objectLike({
          [ENV.endpointName]: 'churn-endpoint',
          [ENV.reportsBucket]: 'example-ml-data',
          [ENV.reportsPrefix]: 'driftwatch',
          [ENV.powertoolsServiceName]: 'driftwatch-merge-ground-truth',
        }),
      },
    });
  });

  it('computes an EventBridge rule on Object Created under the ground-truth prefix, with retries and the queue', () => {
    // Given / When
    const { template } = setup();
    // Then
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: ['example-ml-data'] },
          object: { key: [{ prefix: 'ground-truth/churn-endpoint/' }] },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityMergeFunction'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityDeadLetterQueue'), 'Arn'] },
          },
        }),
      ],
    });
  });

  it('computes an hourly schedule that sends the endpoint name, through a role that may invoke only this function', () => {
    // Given / When
    const { template } = setup();
    // Then
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityMergeFunction'), 'Arn'] },
        Input: '{"endpoint":"churn-endpoint"}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityScheduleRole'), 'Arn'] },
      },
    });
  });

  it('computes least-privilege S3 access: list and read captures, ground truth and baseline; write reports', () => {
    // Given the function's role
    const { stack, quality, template } = setup();
    const role = quality.function.role as iam.IRole;
    // When its S3 statements are collected
    const list = statementsFor(template, stack, role, 's3:ListBucket');
    const get = statementsFor(template, stack, role, 's3:GetObject');
    const put = statementsFor(template, stack, role, 's3:PutObject');
    const s3Actions = statementsOfRole(template, stack, role)
      .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
      .filter((action) => action.startsWith('s3:'));
    // Then listing is limited by prefix, reading to the three prefixes, writing to the endpoint's reports
    expect(list.map((statement) => statement.Condition)).toEqual([
      { StringLike: { 's3:prefix': ['datacapture/churn-endpoint', 'datacapture/churn-endpoint/*'] } },
      {
        StringLike: {
          's3:prefix': ['ground-truth/churn-endpoint', 'ground-truth/churn-endpoint/*'],
        },
      },
      { StringLike: { 's3:prefix': ['baselines/churn-endpoint', 'baselines/churn-endpoint/*'] } },
    ]);
    const readable = get.flatMap((statement) =>
      Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource],
    );
    expect(readable).toHaveLength(3);
    expect(readable).toEqual(
      expect.arrayContaining([
        s3Arn('example-ml-data/datacapture/churn-endpoint/*'),
        s3Arn('example-ml-data/ground-truth/churn-endpoint/*'),
        s3Arn('example-ml-data/baselines/churn-endpoint/*'),
      ]),
    );
    expect(put.map((statement) => statement.Resource)).toEqual([
      s3Arn('example-ml-data/driftwatch/reports/churn-endpoint/*'),
    ]);
    expect([...new Set(s3Actions)].sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
  });
});

describe('GroundTruthMerge in the example stack', () => {
  it('computes model-quality alarms that select exactly the metrics the merge handler publishes', async () => {
    // Given the example configuration's stack (auc and f1 thresholds) and its alarms on Model Monitor's namespace
    const template = exampleApp().template();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => alarm.Properties as { Namespace?: string; MetricName?: string; Dimensions?: unknown[] })
      .filter((alarm) => alarm.Namespace === 'aws/sagemaker/Endpoints/model-metrics');
    expect(alarms.map((alarm) => alarm.MetricName).sort()).toEqual(['auc', 'f1']);
    // and the real handler over the same configuration, with 40 churn predictions labelled an hour later
    const config = readMonitorConfig(EXAMPLE_CONFIG_FILE);
    const rows = readFileSync(
      'test/fixtures/model-monitor-outputs/churn-model-quality/validation_with_predictions.csv',
      'utf8',
    )
      .trim()
      .split('\n')
      .slice(1, 41)
      .map((line) => line.split(','));
    const store = new MemoryStore();
    const captures = rows.map(([probability], i) =>
      csvCaptureLine({
        input: '1,2,3,4,5,6,7,8,9,0',
        output: probability ?? '',
        eventId: `e-${i}`,
        inferenceTime: '2026-11-26T10:15:00Z',
      }),
    );
    const labels = rows.map(([, , label], i) =>
      JSON.stringify({
        groundTruthData: { data: label, encoding: 'CSV' },
        eventMetadata: { eventId: `e-${i}` },
      }),
    );
    store.put(
      'example-ml-data',
      'datacapture/churn-endpoint/AllTraffic/2026/11/26/10/a.jsonl',
      captures.join('\n'),
    );
    store.put('example-ml-data', 'ground-truth/churn-endpoint/2026/11/26/11/l.jsonl', labels.join('\n'));
    const metrics = recordingMetrics();
    const handler = createHandler({
      endpoint: endpointContext(config, 'churn-endpoint', { bucket: 'example-ml-data', key: 'driftwatch' }),
      quality: qualityContext(config, 'churn-endpoint'),
      store,
      metrics,
      log: recordingLog(),
      clock: steppingClock(new Date('2026-11-26T12:20:00Z')),
    });
    // When a ground-truth object of 11:00 arrives
    const result = await handler({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: {
        bucket: { name: 'example-ml-data' },
        object: { key: 'ground-truth/churn-endpoint/2026/11/26/11/l.jsonl' },
      },
    });
    // Then 40 pairs (>= minSamples 30) were evaluated, and every alarm's namespace, name and dimension set is
    // among the published metrics, exactly
    expect(result.windows[0]).toMatchObject({ evaluated: 40, published: true });
    const published = metrics.flushed.map((m) =>
      JSON.stringify([
        m.namespace,
        m.name,
        Object.entries(m.dimensions)
          .map(([Name, Value]) => ({ Name, Value }))
          .sort((a, b) => a.Name.localeCompare(b.Name)),
      ]),
    );
    for (const alarm of alarms) {
      const dimensions = [...(alarm.Dimensions as { Name: string; Value: string }[])].sort((a, b) =>
        a.Name.localeCompare(b.Name),
      );
      expect(published).toContain(JSON.stringify([alarm.Namespace, alarm.MetricName, dimensions]));
    }
  });

  it('computes decrypt on groundTruth.kmsKeyArn for labels in their own SSE-KMS bucket, and none without it', () => {
    // Given the example with its labels moved to a bucket of their own, with and without the labels' key
    const keyArn = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const stackWith = (kmsKeyArn: string | undefined) => {
      const config = loadConfig('examples/driftwatch.config.json');
      const endpoint = config.endpoints[0];
      if (endpoint?.groundTruth === undefined) throw new Error('the example has ground truth');
      endpoint.groundTruth = {
        ...endpoint.groundTruth,
        s3Uri: 's3://example-labels/churn/',
        ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
      };
      const stack = new MonitoringStack(testApp(), 'S', { config, configFile: EXAMPLE_CONFIG_FILE });
      const role = stack.endpoints.get('churn-endpoint')?.quality?.function.role as iam.IRole;
      return statementsFor(Template.fromStack(stack), stack, role, 'kms:Decrypt').flatMap((statement) =>
        Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource],
      );
    };
    // When each is synthesized / Then the merge function may decrypt with the labels' key only when it is given
    expect(stackWith(keyArn)).toContain(keyArn);
    expect(stackWith(undefined)).not.toContain(keyArn);
  });

  it('computes no merge function for an endpoint without groundTruth and modelQuality', () => {
    // Given the configuration whose endpoints have neither
    const { monitoringStack } = exampleApp({ configFile: 'test/fixtures/infra/created-buckets.config.json' });
    // When / Then
    for (const monitor of monitoringStack.endpoints.values()) expect(monitor.quality).toBeUndefined();
    Template.fromStack(monitoringStack).resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      {
        Environment: {
          Variables: Match.objectLike({ [ENV.powertoolsServiceName]: 'driftwatch-merge-ground-truth' }),
        },
      },
      0,
    );
  });
});

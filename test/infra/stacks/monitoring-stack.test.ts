import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { MonitorConfig } from '../../../functions/core/config/index.js';
import { ENV } from '../../../functions/shared/env.js';
import { MonitoringStack } from '../../../lib/stacks/monitoring-stack.js';
import { EXAMPLE_CONFIG_FILE, exampleApp, loadConfig, stableTemplate, testApp } from '../support.js';

const CREATED = 'test/fixtures/infra/created-buckets.config.json';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:ml-alerts';

function stackFrom(config: MonitorConfig): Template {
  return Template.fromStack(new MonitoringStack(testApp(), 'S', { config, configFile: EXAMPLE_CONFIG_FILE }));
}

describe('MonitoringStack', () => {
  it('computes the example pipeline on the existing data bucket without creating buckets', () => {
    // Given the example configuration (existing capture bucket, reports under its prefix)
    const { monitoringStack, template } = exampleApp();
    // When it is synthesized
    const t = template();
    // Then the stack is named after stackName and holds one pipeline, one key and one topic
    expect(monitoringStack.stackName).toBe('DriftwatchChurn-Monitoring');
    expect(
      Object.fromEntries(
        [
          'AWS::S3::Bucket',
          'AWS::KMS::Key',
          'AWS::SNS::Topic',
          'AWS::SQS::Queue',
          'AWS::Lambda::Function',
          'AWS::Events::Rule',
          'AWS::Scheduler::Schedule',
          'AWS::StepFunctions::StateMachine',
          'AWS::CloudWatch::CompositeAlarm',
          'AWS::CloudWatch::Dashboard',
          'Custom::S3BucketNotifications',
        ].map((type) => [type, Object.keys(t.findResources(type)).length]),
      ),
    ).toEqual({
      'AWS::S3::Bucket': 0,
      'AWS::KMS::Key': 1,
      'AWS::SNS::Topic': 1,
      'AWS::SQS::Queue': 1,
      // ingest, evaluate, merge-ground-truth and CDK's bucket-notifications handler
      'AWS::Lambda::Function': 4,
      // capture objects -> ingest, ground-truth objects -> merge-ground-truth
      'AWS::Events::Rule': 2,
      // window evaluation, model-quality evaluation
      'AWS::Scheduler::Schedule': 2,
      'AWS::StepFunctions::StateMachine': 1,
      'AWS::CloudWatch::CompositeAlarm': 1,
      'AWS::CloudWatch::Dashboard': 1,
      'Custom::S3BucketNotifications': 1,
    });
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ml-oncall@example.com',
    });
    // and the one key (rotating) encrypts the topic and the queue, for CloudWatch alarms and EventBridge too
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
          Match.objectLike({
            Sid: 'AllowEventBridgeDeadLetters',
            Principal: { Service: 'events.amazonaws.com' },
          }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [ENV.reportsBucket]: 'example-ml-data',
          [ENV.reportsPrefix]: 'driftwatch/reports/churn-endpoint',
        },
      },
    });
    t.hasOutput('AlarmTopicArn', {});
    t.hasOutput('BackfillStateMachineArnchurnendpoint', {});
    t.hasOutput('DashboardNamechurnendpoint', {});
  });

  it('computes one created capture bucket for endpoints that share it, a reports bucket and access logs', () => {
    // Given two endpoints capturing into one bucket the stack creates, and no reports location
    const { template } = exampleApp({ configFile: CREATED });
    const t = template();
    // When it is synthesized
    // Then the capture bucket (named as configured), the reports bucket and the log bucket exist once each
    t.resourceCountIs('AWS::S3::Bucket', 3);
    t.resourceCountIs('Custom::S3BucketNotifications', 1);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'driftwatch-capture-test',
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogs') } },
    });
    t.resourceCountIs('AWS::KMS::Key', 1);
    // and both endpoints write under the root of the shared reports bucket
    const functions = Object.values(t.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.[ENV.endpointName] !== undefined,
    );
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables[ENV.reportsPrefix]).toBe('');
      expect(fn.Properties.Environment.Variables[ENV.reportsBucket]).toEqual({
        Ref: expect.stringMatching(/^ReportsBucket/),
      });
    }
    t.resourceCountIs('AWS::Events::Rule', 2);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { object: { key: [{ prefix: 'capture/prod/fraud-endpoint/' }] } } },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://hooks.example.com/driftwatch',
    });
  });

  it('computes alarm actions on an existing topic without creating one', () => {
    // Given the example with notifications.existingTopicArn
    const example = loadConfig('examples/driftwatch.config.json');
    const t = stackFrom({
      ...example,
      notifications: { emails: [], httpsEndpoints: [], existingTopicArn: TOPIC_ARN },
    });
    // When it is synthesized / Then no topic is created and alarms notify the existing one
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [TOPIC_ARN], OKActions: [TOPIC_ARN] });
  });

  it('throws when endpoints disagree on whether their shared capture bucket exists', () => {
    // Given two endpoints capturing into one bucket, one saying it exists and one not
    const config = loadConfig(CREATED);
    const [first, second] = config.endpoints;
    if (first === undefined || second === undefined) {
      throw new Error('fixture has two endpoints');
    }
    const conflicting = {
      ...config,
      endpoints: [first, { ...second, capture: { ...second.capture, existingBucket: true } }],
    };
    // When / Then the stack names the bucket and the fix
    expect(() => stackFrom(conflicting)).toThrow(
      /capture bucket driftwatch-capture-test is configured with capture.existingBucket false by one endpoint and true by another/,
    );
  });

  it('throws when endpoints sharing a capture bucket name different keys', () => {
    // Given the second endpoint naming a KMS key for the shared bucket
    const config = loadConfig(CREATED);
    const [first, second] = config.endpoints;
    if (first === undefined || second === undefined) {
      throw new Error('fixture has two endpoints');
    }
    const keyArn = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const conflicting = {
      ...config,
      endpoints: [first, { ...second, capture: { ...second.capture, kmsKeyArn: keyArn } }],
    };
    // When / Then the stack refuses, quoting both
    expect(() => stackFrom(conflicting)).toThrow(
      /different capture.kmsKeyArn values \(none and arn:aws:kms:/,
    );
  });

  it('computes the same template as the reviewed snapshot (asset hashes stripped)', () => {
    // Given the example configuration
    const { template } = exampleApp();
    // When it is synthesized / Then it matches the committed snapshot
    expect(stableTemplate(template())).toMatchSnapshot();
  });
});

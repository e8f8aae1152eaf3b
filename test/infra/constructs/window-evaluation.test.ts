import { TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../../functions/shared/env.js';
import { ReportsStore } from '../../../lib/constructs/reports-store.js';
import { WindowEvaluation } from '../../../lib/constructs/window-evaluation.js';
import { EXAMPLE_CONFIG_FILE, s3Arn, statementsFor, testStack } from '../support.js';

function setup(schedule?: scheduler.ScheduleExpression) {
  const stack = testStack();
  const data = s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data');
  const evaluation = new WindowEvaluation(stack, 'Evaluation', {
    endpointName: 'churn-endpoint',
    baseline: { bucket: data, prefix: 'baselines/churn-endpoint' },
    reports: new ReportsStore(stack, 'Reports', { existingBucket: data, prefix: 'driftwatch' }),
    configFile: EXAMPLE_CONFIG_FILE,
    schedule,
  });
  return { stack, evaluation, template: Template.fromStack(stack) };
}

describe('WindowEvaluation', () => {
  it('computes an hourly EventBridge Scheduler schedule that invokes the function with the endpoint', () => {
    // Given an evaluation with the default schedule
    const { template } = setup();
    // When it is synthesized
    // Then the schedule sends {"endpoint": name} to the function, with delivery retries
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EvaluationEvaluateFunction'), 'Arn'] },
        Input: '{"endpoint":"churn-endpoint"}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EvaluationScheduleRole'), 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });

  it('computes a cron schedule in the configured time zone', () => {
    // Given a cron expression in Berlin time
    const { template } = setup(
      scheduler.ScheduleExpression.expression('cron(15 * * * ? *)', TimeZone.of('Europe/Berlin')),
    );
    // When / Then the schedule carries both
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });

  it('computes a function that reads profiles and the baseline and writes reports of its endpoint only', () => {
    // Given an evaluation
    const { stack, evaluation, template } = setup();
    const role = evaluation.function.role as iam.IRole;
    // When its S3 permissions are inspected
    const list = statementsFor(template, stack, role, 's3:ListBucket');
    const get = statementsFor(template, stack, role, 's3:GetObject');
    const put = statementsFor(template, stack, role, 's3:PutObject');
    // Then listing is limited by prefix and objects by the endpoint's keys
    expect(list.map((statement) => statement.Condition)).toEqual([
      { StringLike: { 's3:prefix': ['baselines/churn-endpoint', 'baselines/churn-endpoint/*'] } },
      {
        StringLike: {
          's3:prefix': ['driftwatch/profiles/churn-endpoint', 'driftwatch/profiles/churn-endpoint/*'],
        },
      },
    ]);
    expect(get.map((statement) => statement.Resource)).toEqual([
      [
        s3Arn('example-ml-data/baselines/churn-endpoint/*'),
        s3Arn('example-ml-data/driftwatch/profiles/churn-endpoint/*'),
      ],
    ]);
    expect(put.map((statement) => statement.Resource)).toEqual([
      s3Arn('example-ml-data/driftwatch/reports/churn-endpoint/*'),
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [ENV.powertoolsServiceName]: 'driftwatch-evaluate',
          [ENV.endpointName]: 'churn-endpoint',
        },
      },
    });
  });

  it('computes invoke permission for the scheduler role on this function only', () => {
    // Given an evaluation
    const { stack, evaluation, template } = setup();
    // When the scheduler role's permissions are inspected
    const scheduleRole = evaluation.node.findChild('ScheduleRole') as iam.Role;
    // Then it may invoke the evaluate function (and its qualifiers), nothing else
    const functionArn = { 'Fn::GetAtt': [expect.stringMatching(/^EvaluationEvaluateFunction/), 'Arn'] };
    expect(statementsFor(template, stack, scheduleRole, 'lambda:InvokeFunction')).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: [functionArn, { 'Fn::Join': ['', [functionArn, ':*']] }],
      },
    ]);
  });
});

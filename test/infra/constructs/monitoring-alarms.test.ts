import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import {
  MonitoringAlarms,
  type MonitoringAlarmsProps,
  NotificationTopic,
} from '../../../lib/constructs/monitoring-alarms.js';
import { DriftwatchMetrics } from '../../../lib/constructs/monitoring-metrics.js';
import { flattenCfnReference } from '../../../lib/nag.js';
import { stubIngestionMetrics, testStack } from '../support.js';

const ingestion = stubIngestionMetrics();

function setup(props: Partial<MonitoringAlarmsProps> = {}) {
  const stack = testStack('Alarms');
  const topic = new sns.Topic(stack, 'Topic');
  const alarms = new MonitoringAlarms(stack, 'Alarms', {
    metrics: new DriftwatchMetrics({ endpointName: 'churn-endpoint', monitoringScheduleName: 'churn-mm' }),
    featureNames: ['day_mins', 'intl_plan'],
    topic,
    ingestion,
    ...props,
  });
  return { stack, alarms, template: Template.fromStack(stack) };
}

function alarmsByName(template: Template): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => [
      alarm.Properties.AlarmName as string,
      alarm.Properties as Record<string, unknown>,
    ]),
  );
}

describe('MonitoringAlarms', () => {
  it('computes the recommended alarms by default, each notifying the topic', () => {
    // Given two features, one variant, the ingestion and a topic
    const { template } = setup();
    // When the alarms are synthesized
    const alarms = alarmsByName(template);
    // Then drift and data quality are Warnings, pipeline and endpoint health Critical; latency is opt-in
    expect(Object.keys(alarms).sort()).toEqual(
      [
        'FeatureDrift-AllTraffic-day_mins-Warning',
        'FeatureDrift-AllTraffic-intl_plan-Warning',
        'DriftedFeatureShare-AllTraffic-Warning',
        'Violations-AllTraffic-Warning',
        'RejectedRecordRate-AllTraffic-Warning',
        'Invocation5xxErrors-AllTraffic-Critical',
        'IngestErrors-Critical',
        'DeadLetterQueueDepth-Critical',
        'BaselineUnavailable-Critical',
      ]
        .map((suffix) => `Alarms-churn-endpoint-${suffix}`)
        .sort(),
    );
    expect(alarms['Alarms-churn-endpoint-FeatureDrift-AllTraffic-day_mins-Warning']).toMatchObject({
      Namespace: 'driftwatch',
      MetricName: 'FeatureDrifted',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Period: 3600,
      TreatMissingData: 'notBreaching',
      Dimensions: [
        { Name: 'Endpoint', Value: 'churn-endpoint' },
        { Name: 'Feature', Value: 'day_mins' },
        { Name: 'Variant', Value: 'AllTraffic' },
      ],
    });
    expect(alarms['Alarms-churn-endpoint-DriftedFeatureShare-AllTraffic-Warning']).toMatchObject({
      Threshold: 0.3,
    });
    expect(alarms['Alarms-churn-endpoint-RejectedRecordRate-AllTraffic-Warning']).toMatchObject({
      Threshold: 0.05,
    });
    expect(alarms['Alarms-churn-endpoint-Invocation5xxErrors-AllTraffic-Critical']).toMatchObject({
      Namespace: 'AWS/SageMaker',
      MetricName: 'Invocation5XXErrors',
      Period: 300,
      Threshold: 1,
    });
    for (const alarm of Object.values(alarms)) {
      expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Topic/) }]);
      expect(alarm.OKActions).toEqual([{ Ref: expect.stringMatching(/^Topic/) }]);
    }
  });

  it('computes the rejected-record alarm on metric math over the record Sums', () => {
    // Given the default alarms
    const { template } = setup();
    // When the rejected-record alarm is inspected
    const alarm = alarmsByName(template)['Alarms-churn-endpoint-RejectedRecordRate-AllTraffic-Warning'];
    // Then it evaluates rejected / (accepted + rejected)
    expect(alarm?.Metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Expression:
            'IF((accepted_AllTraffic + rejected_AllTraffic) > 0, rejected_AllTraffic / (accepted_AllTraffic + rejected_AllTraffic), 0)',
        }),
      ]),
    );
  });

  it('computes one alarm per severity given, with its own settings', () => {
    // Given a Warning and a Critical drifted-share alarm, a latency alarm and model-quality alarms
    const { template } = setup({
      driftedFeatureShareAlarms: {
        Warning: { threshold: 0.3 },
        Critical: {
          threshold: 0.6,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          period: Duration.minutes(30),
        },
      },
      modelLatencyP99Alarms: { Critical: { threshold: 200_000 } },
      modelQualityAlarms: {
        auc: { Warning: { threshold: 0.8 } },
        rmse: { Critical: { threshold: 2.5, comparisonOperator: 'GreaterThanThreshold' } },
      },
      retrainRule: 'drift_or_quality',
    });
    // When the alarms are inspected
    const alarms = alarmsByName(template);
    // Then each carries its severity's settings and operator
    expect(alarms['Alarms-churn-endpoint-DriftedFeatureShare-AllTraffic-Critical']).toMatchObject({
      Threshold: 0.6,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Period: 1800,
    });
    expect(alarms['Alarms-churn-endpoint-DriftedFeatureShare-AllTraffic-Warning']).toMatchObject({
      Threshold: 0.3,
    });
    expect(alarms['Alarms-churn-endpoint-ModelLatencyP99-AllTraffic-Critical']).toMatchObject({
      MetricName: 'ModelLatency',
      ExtendedStatistic: 'p99',
      Threshold: 200_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarms['Alarms-churn-endpoint-ModelQuality-auc-Warning']).toMatchObject({
      Namespace: 'aws/sagemaker/Endpoints/model-metrics',
      MetricName: 'auc',
      ComparisonOperator: 'LessThanThreshold',
      Dimensions: [
        { Name: 'Endpoint', Value: 'churn-endpoint' },
        { Name: 'MonitoringSchedule', Value: 'churn-mm' },
      ],
    });
    expect(alarms['Alarms-churn-endpoint-ModelQuality-rmse-Critical']).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('computes no alarm for a severity map left empty', () => {
    // Given every configurable alarm switched off except drift share (needed by the retrain rule)
    const { template } = setup({
      featureDriftAlarms: {},
      violationAlarms: {},
      rejectedRecordRateAlarms: {},
      ingestErrorAlarms: {},
      deadLetterQueueAlarms: {},
      baselineUnavailableAlarms: {},
      invocation5xxAlarms: {},
    });
    // When / Then only the drifted-feature-share alarm and the composite remain
    expect(Object.keys(alarmsByName(template))).toEqual([
      'Alarms-churn-endpoint-DriftedFeatureShare-AllTraffic-Warning',
    ]);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
  });

  it('computes the composite retrain alarm for each rule', () => {
    // Given one drift-share and one model-quality alarm
    const drift = 'ALARM("<AlarmsDriftedFeatureShareAllTrafficWarning.Arn>")';
    const auc = 'ALARM("<AlarmsModelQualityaucWarning.Arn>")';
    const expected = {
      drift_only: `(${drift})`,
      quality_only: `(${auc})`,
      drift_and_quality: `((${drift}) AND (${auc}))`,
      drift_or_quality: `((${drift}) OR (${auc}))`,
    } as const;
    for (const [retrainRule, rule] of Object.entries(expected)) {
      // When the composite is built with the rule
      const { stack, alarms, template } = setup({
        modelQualityAlarms: { auc: { Warning: { threshold: 0.8 } } },
        retrainRule: retrainRule as keyof typeof expected,
      });
      const [composite] = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
      // Then its rule combines the drift alarm and the quality alarm as configured
      const flat = flattenCfnReference(stack.resolve(composite?.Properties.AlarmRule)).replace(
        /([A-Za-z]+)[0-9A-F]{8}\.Arn/g,
        '$1.Arn',
      );
      expect(flat).toBe(rule);
      expect(composite?.Properties).toMatchObject({
        AlarmName: 'Alarms-churn-endpoint-Retrain',
        AlarmActions: [{ Ref: expect.stringMatching(/^Topic/) }],
      });
      expect(alarms.retrainAlarm).toBeDefined();
    }
  });

  it('computes no composite alarm when it is disabled', () => {
    // Given the retrain alarm disabled
    const { alarms, template } = setup({ disableRetrainAlarm: true });
    // When / Then there is none
    expect(alarms.retrainAlarm).toBeUndefined();
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
  });

  it('throws when the retrain rule needs a model-quality alarm that does not exist', () => {
    // Given no model-quality alarms
    // When / Then a quality rule is refused with the fix
    expect(() => setup({ retrainRule: 'drift_and_quality' })).toThrow(
      /Alarms\/Alarms: retrainRule "drift_and_quality" needs a model-quality alarm, but modelQualityAlarms is empty/,
    );
  });

  it('throws when the retrain rule needs a drift alarm that does not exist', () => {
    // Given no drifted-feature-share alarms
    // When / Then a drift rule is refused with the fix
    expect(() => setup({ driftedFeatureShareAlarms: {} })).toThrow(
      /retrainRule "drift_only" needs a drifted-feature-share alarm, but driftedFeatureShareAlarms is empty/,
    );
  });

  it('throws when datapointsToAlarm exceeds evaluationPeriods', () => {
    // Given 3 of 2 periods
    // When / Then the alarm is refused, naming it
    expect(() =>
      setup({ violationAlarms: { Warning: { threshold: 1, evaluationPeriods: 2, datapointsToAlarm: 3 } } }),
    ).toThrow(
      /Alarms\/Alarms\/Violations-AllTraffic: datapointsToAlarm \(3\) exceeds evaluationPeriods \(2\)/,
    );
  });

  it('throws when no variant is given', () => {
    // Given an empty variant list
    // When / Then the construct asks for one
    expect(() => setup({ variantNames: [] })).toThrow(/variantNames is empty/);
  });
});

describe('NotificationTopic', () => {
  it('computes a KMS-encrypted, TLS-only topic that CloudWatch may publish to, with subscriptions', () => {
    // Given an email and an HTTPS endpoint
    const stack = testStack();
    // When the topic is created
    new NotificationTopic(stack, 'Notifications', {
      emails: ['ml-oncall@example.com'],
      httpsUrls: ['https://hooks.example.com/x'],
    });
    // Then it is encrypted with a key CloudWatch may use, refuses plain HTTP and has both subscriptions
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotificationsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ml-oncall@example.com',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://hooks.example.com/x',
    });
  });

  it('throws when an HTTPS endpoint is not an https:// URL', () => {
    // Given a plain-HTTP webhook
    // When / Then the topic refuses it, quoting it
    expect(
      () => new NotificationTopic(testStack(), 'N', { httpsUrls: ['http://hooks.example.com/x'] }),
    ).toThrow(/httpsUrls must be https:\/\/ URLs, got "http:\/\/hooks\.example\.com\/x"/);
  });
});

import { describe, expect, it } from 'vitest';
import type { EndpointConfig } from '../../../functions/core/config/index.js';
import { monitoredInputFeatures } from '../../../lib/constructs/endpoint-monitor.js';
import { flattenCfnReference } from '../../../lib/nag.js';
import { exampleApp, loadConfig } from '../support.js';

function alarmsByName(template: ReturnType<ReturnType<typeof exampleApp>['template']>) {
  return Object.fromEntries(
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => [
      String(alarm.Properties.AlarmName).replace(/^DriftwatchChurn-Monitoring-churn-endpoint-/, ''),
      alarm.Properties as Record<string, unknown>,
    ]),
  );
}

describe('monitoredInputFeatures', () => {
  it('computes the input features named by the configuration, without outputs or disabled features', () => {
    // Given an endpoint with columns, JSON paths, a feature override, an output and a disabled feature
    const endpoint = {
      payload: {
        input: { columns: ['a', 'b'], paths: { c: '$.c' } },
        output: { names: ['score'] },
      },
      features: [
        { name: 'b', enabled: true },
        { name: 'score', enabled: true },
        { name: 'a', enabled: false },
        { name: 'd', enabled: true },
      ],
    } as unknown as EndpointConfig;
    // When the monitored features are listed
    // Then each input appears once, in configuration order
    expect(monitoredInputFeatures(endpoint)).toEqual(['b', 'c', 'd']);
  });
});

describe('EndpointMonitor', () => {
  it('computes alarms from the example configuration, severity by kind', () => {
    // Given the example configuration (share 0.3 over 2 of 3 periods, latency 200000 us, auc/f1 thresholds)
    const { template } = exampleApp();
    // When its alarms are listed
    const alarms = alarmsByName(template());
    const features = loadConfig('examples/driftwatch.config.json').endpoints[0]?.payload.input.columns ?? [];
    // Then every configured alarm exists with the configured settings
    expect(Object.keys(alarms).sort()).toEqual(
      [
        ...features.map((feature) => `FeatureDrift-AllTraffic-${feature}-Warning`),
        'DriftedFeatureShare-AllTraffic-Warning',
        'Violations-AllTraffic-Warning',
        'RejectedRecordRate-AllTraffic-Warning',
        'ModelLatencyP99-AllTraffic-Critical',
        'Invocation5xxErrors-AllTraffic-Critical',
        'IngestErrors-Critical',
        'DeadLetterQueueDepth-Critical',
        'BaselineUnavailable-Critical',
        'ModelQuality-auc-Warning',
        'ModelQuality-f1-Warning',
      ].sort(),
    );
    expect(alarms['DriftedFeatureShare-AllTraffic-Warning']).toMatchObject({
      Threshold: 0.3,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Period: 3600,
    });
    expect(alarms['ModelLatencyP99-AllTraffic-Critical']).toMatchObject({ Threshold: 200000, Period: 300 });
    expect(alarms['ModelQuality-auc-Warning']).toMatchObject({
      Threshold: 0.8,
      ComparisonOperator: 'LessThanThreshold',
      Dimensions: [
        { Name: 'Endpoint', Value: 'churn-endpoint' },
        { Name: 'MonitoringSchedule', Value: 'churn-endpoint-driftwatch' },
      ],
    });
    expect(alarms['IngestErrors-Critical']).toMatchObject({ Period: 300, Threshold: 1 });
  });

  it('computes the composite retrain alarm from the configured rule (drift_and_quality)', () => {
    // Given the example configuration
    const { template } = exampleApp();
    // When the composite alarm is read
    const [composite] = Object.values(template().findResources('AWS::CloudWatch::CompositeAlarm'));
    const rule = flattenCfnReference(composite?.Properties.AlarmRule).replace(
      /([A-Za-z]+)[0-9A-F]{8}\.Arn/g,
      '$1',
    );
    // Then it needs the drift alarm AND one of the quality alarms
    expect(rule).toBe(
      '((ALARM("<churnendpointAlarmsDriftedFeatureShareAllTrafficWarning>")) AND ' +
        '(ALARM("<churnendpointAlarmsModelQualityaucWarning>") OR ALARM("<churnendpointAlarmsModelQualityf1Warning>")))',
    );
  });

  it('computes the schedule from the configuration', () => {
    // Given the example configuration (rate(1 hour)) and one with a cron in Berlin time
    const example = exampleApp().template();
    const created = exampleApp({ configFile: 'test/fixtures/infra/created-buckets.config.json' }).template();
    // When / Then each schedule carries its expression and time zone
    example.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      ScheduleExpressionTimezone: 'UTC',
      Target: { Input: '{"endpoint":"churn-endpoint"}' },
    });
    created.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(10 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: { Input: '{"endpoint":"fraud-endpoint"}' },
    });
  });

  it('computes no per-feature, latency or retrain alarms where the configuration turns them off', () => {
    // Given the created-buckets configuration (churn: featureDrift off; fraud: retrain off, two variants)
    const { template } = exampleApp({ configFile: 'test/fixtures/infra/created-buckets.config.json' });
    // When the alarms are listed
    const names = Object.values(template().findResources('AWS::CloudWatch::Alarm')).map((alarm) =>
      String(alarm.Properties.AlarmName),
    );
    const composites = Object.values(template().findResources('AWS::CloudWatch::CompositeAlarm'));
    // Then churn has no feature alarm, fraud has one per feature and variant, and only churn has a retrain alarm
    expect(names.filter((name) => name.includes('churn-endpoint-FeatureDrift'))).toEqual([]);
    expect(names.filter((name) => name.includes('fraud-endpoint-FeatureDrift')).sort()).toEqual(
      [
        'DriftwatchCreated-Monitoring-fraud-endpoint-FeatureDrift-Blue-amount-Warning',
        'DriftwatchCreated-Monitoring-fraud-endpoint-FeatureDrift-Blue-country-Warning',
        'DriftwatchCreated-Monitoring-fraud-endpoint-FeatureDrift-Green-amount-Warning',
        'DriftwatchCreated-Monitoring-fraud-endpoint-FeatureDrift-Green-country-Warning',
      ].sort(),
    );
    expect(names.filter((name) => name.includes('ModelLatencyP99'))).toHaveLength(2);
    expect(composites.map((alarm) => alarm.Properties.AlarmName)).toEqual([
      'DriftwatchCreated-Monitoring-churn-endpoint-Retrain',
    ]);
  });
});

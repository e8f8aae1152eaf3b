import { describe, expect, it } from 'vitest';
import {
  AlarmEvaluator,
  aggregate,
  alarmsOfTemplate,
  evaluateCompositeRule,
  evaluateMetricAlarm,
  type MetricAlarmDefinition,
  parseEmf,
} from '../../scripts/local/alarms.js';

// Hand-worked cases of CloudWatch's alarm rules (M out of N, treat-missing-data, comparison operators, composite
// rules) as the CloudWatch user guide states them ("Evaluating an alarm", "Configuring how alarms treat missing
// data", "Creating a composite alarm").

const HOUR = 3_600_000;
const share: MetricAlarmDefinition = {
  kind: 'metric',
  name: 'share',
  namespace: 'driftwatch',
  metricName: 'DriftedFeatureShare',
  dimensions: { Endpoint: 'e', Variant: 'AllTraffic' },
  statistic: 'Maximum',
  periodSeconds: 3600,
  threshold: 0.3,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  treatMissingData: 'notBreaching',
};

describe('evaluateMetricAlarm', () => {
  it.each([
    // [periods, treatMissingData, previous, expected]: 2 of 3 must breach (>= 0.3)
    [[0.5, undefined, 0.4], 'notBreaching', 'OK', 'ALARM'],
    [[0.5, undefined, 0.1], 'notBreaching', 'OK', 'OK'],
    [[0.3, 0.3, 0], 'notBreaching', 'OK', 'ALARM'],
    [[undefined, undefined, undefined], 'notBreaching', 'ALARM', 'OK'],
    [[undefined, undefined, 0.1], 'breaching', 'OK', 'ALARM'],
    [[undefined, undefined, undefined], 'missing', 'OK', 'INSUFFICIENT_DATA'],
    [[undefined, 0.9, undefined], 'missing', 'OK', 'OK'],
    [[undefined, undefined, undefined], 'ignore', 'ALARM', 'ALARM'],
    [[0.9, 0.9, 0.1, 0.1], 'notBreaching', 'ALARM', 'OK'],
    [[0.9], 'notBreaching', 'OK', 'OK'],
  ] as const)(
    'computes %j with %s missing data (was %s) as %s',
    (periods, treatMissingData, previous, expected) => {
      // Given the drifted-feature-share alarm / When its periods are evaluated / Then the state is the hand-worked one
      expect(evaluateMetricAlarm({ ...share, treatMissingData }, periods, previous)).toBe(expected);
    },
  );

  it.each([
    ['GreaterThanThreshold', 0.3, 'OK'],
    ['GreaterThanOrEqualToThreshold', 0.3, 'ALARM'],
    ['LessThanThreshold', 0.75, 'OK'],
    ['LessThanThreshold', 0.74, 'ALARM'],
    ['LessThanOrEqualToThreshold', 0.75, 'ALARM'],
  ] as const)('applies %s to %d at the threshold', (comparisonOperator, value, expected) => {
    // Given a one-period alarm whose threshold is 0.3 (greater) or 0.75 (less)
    const threshold = comparisonOperator.startsWith('Greater') ? 0.3 : 0.75;
    const alarm = { ...share, comparisonOperator, threshold, evaluationPeriods: 1, datapointsToAlarm: 1 };
    // When / Then
    expect(evaluateMetricAlarm(alarm, [value], 'OK')).toBe(expected);
  });
});

describe('aggregate', () => {
  it('computes each statistic of a period', () => {
    const values = [1, 4, 2, 5];
    expect(aggregate(values, 'Maximum')).toBe(5);
    expect(aggregate(values, 'Minimum')).toBe(1);
    expect(aggregate(values, 'Sum')).toBe(12);
    expect(aggregate(values, 'Average')).toBe(3);
    expect(aggregate(values, 'SampleCount')).toBe(4);
    expect(aggregate([], 'Sum')).toBeUndefined();
  });
});

describe('evaluateCompositeRule', () => {
  const states = new Map([
    ['drift', 'ALARM'],
    ['quality', 'OK'],
  ] as const);

  it.each([
    ['ALARM("drift")', true],
    ['ALARM("drift") AND ALARM("quality")', false],
    ['ALARM("drift") OR ALARM("quality")', true],
    ['ALARM("drift") AND NOT ALARM("quality")', true],
    ['(ALARM("quality") OR OK("quality")) AND ALARM(drift)', true],
    ['ALARM("arn:aws:cloudwatch:us-east-1:111111111111:alarm:drift")', true],
    ['INSUFFICIENT_DATA("never-reported")', true],
    ['ALARM("quality") OR FALSE', false],
    ['TRUE AND ALARM("drift")', true],
  ])('computes %s as %s', (rule, expected) => {
    expect(evaluateCompositeRule(rule, states)).toBe(expected);
  });

  it('throws when the rule is malformed', () => {
    expect(() => evaluateCompositeRule('ALARM("drift") AND', states)).toThrow(SyntaxError);
    expect(() => evaluateCompositeRule('ALARM("drift")) ', states)).toThrow(/unexpected \)/);
  });
});

describe('alarmsOfTemplate', () => {
  it('reads metric alarms and resolves a composite rule to alarm names', () => {
    // Given a template as CDK synthesizes it: a metric alarm, a metric-math alarm and a composite over the first
    const template = {
      Resources: {
        ShareAlarm: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            AlarmName: 'share-alarm',
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            DatapointsToAlarm: 2,
            Dimensions: [{ Name: 'Endpoint', Value: 'e' }],
            EvaluationPeriods: 3,
            MetricName: 'DriftedFeatureShare',
            Namespace: 'driftwatch',
            Period: 3600,
            Statistic: 'Maximum',
            Threshold: 0.3,
            TreatMissingData: 'notBreaching',
          },
        },
        RateAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [], Threshold: 0.05 } },
        Retrain: {
          Type: 'AWS::CloudWatch::CompositeAlarm',
          Properties: {
            AlarmName: 'retrain',
            AlarmRule: { 'Fn::Join': ['', ['(ALARM("', { 'Fn::GetAtt': ['ShareAlarm', 'Arn'] }, '"))']] },
          },
        },
      },
    };
    // When
    const alarms = alarmsOfTemplate(template);
    // Then
    expect(alarms).toEqual([
      {
        kind: 'metric',
        name: 'share-alarm',
        namespace: 'driftwatch',
        metricName: 'DriftedFeatureShare',
        dimensions: { Endpoint: 'e' },
        statistic: 'Maximum',
        periodSeconds: 3600,
        threshold: 0.3,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: 'notBreaching',
      },
      { kind: 'unsupported', name: 'RateAlarm', reason: 'metric math' },
      { kind: 'composite', name: 'retrain', rule: '(ALARM("share-alarm"))' },
    ]);
  });
});

describe('parseEmf', () => {
  it('reads every metric of an EMF document with its dimension set and skips other lines', () => {
    // Given one EMF document (as Powertools prints it) between log lines
    const doc = {
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [
          { Namespace: 'driftwatch', Dimensions: [['Endpoint']], Metrics: [{ Name: 'A' }, { Name: 'B' }] },
        ],
      },
      Endpoint: 'e',
      A: 0.5,
      B: [1, 2],
    };
    // When
    const points = parseEmf(`log line\n${JSON.stringify(doc)}\n{"level":"INFO"}\n`, 42);
    // Then
    expect(points).toEqual([
      { namespace: 'driftwatch', name: 'A', dimensions: { Endpoint: 'e' }, value: 0.5, time: 42 },
      { namespace: 'driftwatch', name: 'B', dimensions: { Endpoint: 'e' }, value: 1, time: 42 },
      { namespace: 'driftwatch', name: 'B', dimensions: { Endpoint: 'e' }, value: 2, time: 42 },
    ]);
  });
});

describe('AlarmEvaluator', () => {
  it('fires the metric alarm at the end of the second breaching hour and the composite with it', () => {
    // Given the share alarm and a composite on it, and hourly datapoints 0.1, 0.5, 0.6 (hours 0-2)
    const evaluator = new AlarmEvaluator([
      share,
      { kind: 'composite', name: 'retrain', rule: 'ALARM("share")' },
    ]);
    const point = (hour: number, value: number) => ({
      namespace: 'driftwatch',
      name: 'DriftedFeatureShare',
      dimensions: { Endpoint: 'e', Variant: 'AllTraffic' },
      value,
      time: hour * HOUR + 60_000,
    });
    // A point with other dimensions is not the alarm's metric.
    evaluator.add([
      point(0, 0.1),
      point(1, 0.5),
      { ...point(1, 0.9), dimensions: { Endpoint: 'e' } },
      point(2, 0.6),
    ]);
    // When evaluated at the end of each hour
    const changes = [1, 2, 3].map((hour) => evaluator.evaluate(hour * HOUR));
    // Then OK after hour 0 and hour 1 (one breach), ALARM after hour 2 (two of three)
    expect(changes[0]).toEqual([
      { name: 'share', from: 'INSUFFICIENT_DATA', to: 'OK' },
      { name: 'retrain', from: 'INSUFFICIENT_DATA', to: 'OK' },
    ]);
    expect(changes[1]).toEqual([]);
    expect(changes[2]).toEqual([
      { name: 'share', from: 'OK', to: 'ALARM' },
      { name: 'retrain', from: 'OK', to: 'ALARM' },
    ]);
    expect(evaluator.state('retrain')).toBe('ALARM');
  });
});

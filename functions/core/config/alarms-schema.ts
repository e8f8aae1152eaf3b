import { z } from 'zod';
import {
  flag,
  type NumberRange,
  numberIn,
  oneOf,
  optionalWith,
  reportMissing,
  section,
  withDefault,
} from './fields.js';

// CloudWatch alarms of one endpoint. Recommended alarms are on by default; thresholds that belong to another
// section (feature drift, model quality) are not repeated here.

const alarmShape = (enabled: boolean, periodMinutes: number) => ({
  enabled: withDefault(flag(), enabled, 'Whether the alarm is created.'),
  periodMinutes: withDefault(
    numberIn({ int: true, min: 1, max: 1440 }),
    periodMinutes,
    'Alarm period in minutes.',
  ),
  evaluationPeriods: withDefault(
    numberIn({ int: true, min: 1, max: 1440 }),
    1,
    'Number of recent periods the alarm looks at.',
  ),
  datapointsToAlarm: withDefault(
    numberIn({ int: true, min: 1, max: 1440 }),
    1,
    'How many of those periods must breach (at most evaluationPeriods).',
  ),
});

function checkDatapoints(
  alarm: { evaluationPeriods: number; datapointsToAlarm: number },
  ctx: z.RefinementCtx,
) {
  if (alarm.datapointsToAlarm > alarm.evaluationPeriods) {
    ctx.addIssue({
      code: 'custom',
      path: ['datapointsToAlarm'],
      message: `expected at most evaluationPeriods (${alarm.evaluationPeriods})`,
      input: alarm.datapointsToAlarm,
    });
  }
}

const alarmWithoutThreshold = (enabled: boolean, periodMinutes: number) =>
  z.strictObject(alarmShape(enabled, periodMinutes)).superRefine(checkDatapoints);

const thresholdAlarm = (
  enabled: boolean,
  periodMinutes: number,
  range: NumberRange,
  threshold: number,
  meaning: string,
) =>
  z
    .strictObject({
      ...alarmShape(enabled, periodMinutes),
      threshold: withDefault(numberIn(range), threshold, meaning),
    })
    .superRefine(checkDatapoints);

/** An alarm on a metric without its own threshold (the threshold comes from the section it watches). */
export const AlarmSettingsSchema = alarmWithoutThreshold(true, 60);
/** Alarm settings without a threshold. */
export type AlarmSettings = z.output<typeof AlarmSettingsSchema>;
/** Alarm settings with a threshold. */
export type ThresholdAlarmSettings = AlarmSettings & { threshold: number };

/** Latency alarm: off by default because no latency is right for every model. */
export const LatencyAlarmSchema = z
  .strictObject({
    ...alarmShape(false, 5),
    threshold: optionalWith(
      numberIn({ gt: 0 }),
      'p99 ModelLatency (AWS/SageMaker, microseconds) above which the alarm fires. Required when enabled.',
      'none',
    ),
  })
  .superRefine((alarm, ctx) => {
    checkDatapoints(alarm, ctx);
    if (alarm.enabled && alarm.threshold === undefined) {
      reportMissing(
        ctx,
        ['threshold'],
        'expected a latency threshold in microseconds because the alarm is enabled',
      );
    }
  });
/** The latency alarm settings. */
export type LatencyAlarmSettings = z.output<typeof LatencyAlarmSchema>;

/** Which alarms together mean "retrain". */
export const RetrainRuleSchema = oneOf([
  'drift_only',
  'quality_only',
  'drift_and_quality',
  'drift_or_quality',
]);
/** A retraining rule name. */
export type RetrainRule = z.infer<typeof RetrainRuleSchema>;

/** The composite alarm that starts retraining. */
export const RetrainAlarmSchema = z.strictObject({
  enabled: withDefault(flag(), true, 'Whether the composite retraining alarm is created.'),
  rule: withDefault(
    RetrainRuleSchema,
    'drift_only',
    'drift_only: the driftedFeatureShare alarm. quality_only: any model-quality alarm. drift_and_quality: both at ' +
      'once. drift_or_quality: either.',
  ),
});
/** The composite retraining alarm settings. */
export type RetrainAlarmSettings = z.output<typeof RetrainAlarmSchema>;

/** CloudWatch alarms for one endpoint; recommended alarms are on by default. */
export const AlarmsConfigSchema = z.strictObject({
  featureDrift: section(
    alarmWithoutThreshold(true, 60),
    "One alarm per monitored feature, in ALARM when the feature's drift verdict is positive (its resolved drift " +
      'threshold is the threshold).',
  ),
  driftedFeatureShare: section(
    thresholdAlarm(true, 60, { gt: 0, max: 1 }, 0.3, 'Fraction of monitored features flagged as drifted.'),
    'Alarm on the fraction of features that drifted in a window.',
  ),
  violations: section(
    thresholdAlarm(
      true,
      60,
      { int: true, min: 1 },
      1,
      'Number of data-quality constraint violations in a window.',
    ),
    'Alarm on data-quality constraint violations.',
  ),
  modelQuality: section(
    alarmWithoutThreshold(true, 60),
    'One alarm per metric in modelQuality.thresholds, with that threshold and comparison operator.',
  ),
  rejectedRecordRate: section(
    thresholdAlarm(true, 60, { gt: 0, max: 1 }, 0.05, 'Fraction of capture records rejected as unreadable.'),
    'Alarm on unreadable capture records.',
  ),
  ingestErrors: section(
    thresholdAlarm(true, 5, { int: true, min: 1 }, 1, 'Failed ingest invocations per period.'),
    'Alarm on ingest function errors.',
  ),
  dlqDepth: section(
    thresholdAlarm(true, 5, { int: true, min: 1 }, 1, 'Messages waiting in the dead-letter queue.'),
    'Alarm on the ingest dead-letter queue.',
  ),
  modelLatencyP99Micros: section(LatencyAlarmSchema, "Alarm on the endpoint's p99 ModelLatency."),
  invocation5xxErrors: section(
    thresholdAlarm(true, 5, { int: true, min: 1 }, 1, 'Invocation5XXErrors (AWS/SageMaker) per period.'),
    "Alarm on the endpoint's 5xx errors.",
  ),
  retrain: section(RetrainAlarmSchema, 'Composite alarm that starts the retraining workflow.'),
});
/** The `alarms` section. */
export type AlarmsConfig = z.output<typeof AlarmsConfigSchema>;

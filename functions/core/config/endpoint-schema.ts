import { z } from 'zod';
import { CATEGORICAL_METHODS, NUMERIC_METHODS } from '../drift/methods.js';
import { AlarmsConfigSchema } from './alarms-schema.js';
import {
  DataQualitySettingsSchema,
  DriftOverrideSchema,
  EndpointDriftOverrideSchema,
} from './drift-schema.js';
import {
  featureName,
  flag,
  GIB,
  jsonPath,
  MIB,
  matching,
  numberIn,
  oneOf,
  optionalWith,
  rangeProblem,
  reportDuplicates,
  reportMissing,
  s3Uri,
  sageMakerName,
  scheduleExpression,
  section,
  timeZone,
  withDefault,
} from './fields.js';
import {
  checkMetricNames,
  GateConfigSchema,
  type MetricSpec,
  ModelQualityConfigSchema,
} from './quality-schema.js';
import { DeploymentConfigSchema, RetrainingConfigSchema } from './workflow-schema.js';

// One monitored endpoint: where its data is, how to read it, and what driftwatch does for it.

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]{1,256}$/;

/** One production variant of the endpoint. */
export const VariantConfigSchema = z.strictObject({
  name: sageMakerName('a SageMaker production variant name').describe(
    'Production variant name, as in the capture path <capture>/<endpoint>/<variant>/... and the VariantName metric ' +
      'dimension.',
  ),
});
/** A production variant. */
export type VariantConfig = z.output<typeof VariantConfigSchema>;

/** Where the endpoint's DataCaptureConfig writes. */
export const CaptureConfigSchema = z.strictObject({
  s3Uri: s3Uri().describe(
    "The endpoint's DataCaptureConfig DestinationS3Uri; objects arrive under <s3Uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/.",
  ),
  existingBucket: withDefault(
    flag(),
    true,
    'true: the bucket already exists and the stack imports it; false: the stack creates it.',
  ),
  kmsKeyArn: optionalWith(
    matching(KMS_KEY_ARN, 'a KMS key or alias ARN'),
    'KMS key that encrypts the capture objects (DataCaptureConfig KmsKeyId); readers are granted decrypt.',
    'objects are read as S3-managed (SSE-S3) encrypted',
  ),
});
/** The `capture` section. */
export type CaptureConfig = z.output<typeof CaptureConfigSchema>;

/** Where the baseline is. */
export const BaselineConfigSchema = z.strictObject({
  s3Uri: s3Uri().describe(
    'Prefix holding the Model Monitor baseline statistics.json and constraints.json (and the driftwatch baseline ' +
      'profile when one was built).',
  ),
});
/** The `baseline` section. */
export type BaselineConfig = z.output<typeof BaselineConfigSchema>;

/** Where reports (statistics.json, constraint_violations.json, driftwatch reports) are written. */
export const ReportsConfigSchema = z.strictObject({
  s3Uri: optionalWith(
    s3Uri(),
    'Prefix under which each evaluation writes its Model Monitor-format results and driftwatch reports.',
    'a reports bucket created by the stack',
  ),
});
/** The `reports` section. */
export type ReportsConfig = z.output<typeof ReportsConfigSchema>;

/** Ground-truth labels (Model Monitor format) for model-quality metrics. */
export const GroundTruthConfigSchema = z.strictObject({
  s3Uri: s3Uri().describe(
    'Prefix where ground-truth JSONL lands, under <s3Uri>/yyyy/mm/dd/hh/ (collection hour).',
  ),
  lookbackHours: withDefault(
    numberIn({ int: true, min: 1, max: 8760 }),
    24,
    'How long after an inference its label may arrive and still be joined.',
  ),
  labelAttribute: optionalWith(
    jsonPath(),
    'JSON path of the label inside groundTruthData.data when that data is JSON.',
    'the whole data value is the label',
  ),
  mergeExpression: withDefault(
    scheduleExpression(),
    'rate(1 hour)',
    'EventBridge Scheduler expression (in schedule.timezone) that starts a model-quality evaluation of the latest ' +
      'window; new ground-truth objects start one too.',
  ),
  kmsKeyArn: optionalWith(
    matching(KMS_KEY_ARN, 'a KMS key or alias ARN'),
    'KMS key that encrypts the ground-truth objects (SSE-KMS); the merge function is granted decrypt.',
    'the capture key when the labels share the capture bucket, else S3-managed (SSE-S3) encryption',
  ),
});
/** The `groundTruth` section. */
export type GroundTruthConfig = z.output<typeof GroundTruthConfigSchema>;

const payloadFormat = (side: string) =>
  withDefault(
    oneOf(['auto', 'csv', 'json']),
    'auto',
    `How the ${side} data is decoded; auto decides from the record's encoding and observedContentType.`,
  );

/** How features are read from the captured request (mirrors the capture parser's InputMapping). */
export const InputPayloadSchema = z.strictObject({
  format: payloadFormat('request'),
  columns: optionalWith(
    z.array(featureName()).min(1, { error: 'expected at least one column name' }),
    'Feature names in payload order, for CSV rows and positional JSON lists.',
    'names from the baseline statistics.json in order, else _c0, _c1, ...',
  ),
  paths: optionalWith(
    z.record(featureName(), jsonPath()),
    'Feature name -> JSON path, for JSON payloads (e.g. {"age": "$.instances[*].age"}).',
    'JSON objects are read by their keys',
  ),
});
/** The `payload.input` section. */
export type InputPayloadConfig = z.output<typeof InputPayloadSchema>;

/** How outputs are read from the captured response (mirrors the capture parser's OutputMapping). */
export const OutputPayloadSchema = z.strictObject({
  format: payloadFormat('response'),
  path: optionalWith(
    jsonPath(),
    'JSON path of the prediction(s) in a JSON response (e.g. "$.predictions[*].score").',
    'a number, CSV or list as is, else the first of the keys predictions, score, probability, probabilities, ' +
      'predicted_label',
  ),
  names: optionalWith(
    z.array(featureName()).min(1, { error: 'expected at least one output name' }),
    'Names of the output columns, in order.',
    '["prediction"] for one value per row, ["prediction_0", ...] for several',
  ),
});
/** The `payload.output` section. */
export type OutputPayloadConfig = z.output<typeof OutputPayloadSchema>;

/** How captured payloads are decoded, and size limits. */
export const PayloadConfigSchema = z.strictObject({
  input: section(InputPayloadSchema, 'How features are read from requests.'),
  output: section(OutputPayloadSchema, 'How predictions are read from responses.'),
  maxObjectBytes: withDefault(
    numberIn({ int: true, min: 1, max: 5 * 1024 * GIB }),
    5 * GIB,
    'Capture objects larger than this are skipped and reported instead of read.',
  ),
  maxLineBytes: withDefault(
    numberIn({ int: true, min: 1024, max: GIB }),
    64 * MIB,
    'Capture lines longer than this are rejected without being buffered whole.',
  ),
});
/** The `payload` section. */
export type PayloadConfig = z.output<typeof PayloadConfigSchema>;

/** Per-feature settings; a feature not listed here uses the endpoint and global settings. */
export const FeatureConfigSchema = z.strictObject({
  name: featureName().describe(
    'Feature or output name, as in payload columns/paths/names and statistics.json.',
  ),
  type: optionalWith(
    oneOf(['numeric', 'categorical']),
    'How the feature is profiled and compared.',
    'inferred from the baseline statistics.json (Integral/Fractional -> numeric, String -> categorical)',
  ),
  enabled: withDefault(flag(), true, 'false excludes the feature from drift and data-quality checks.'),
  drift: optionalWith(DriftOverrideSchema, 'Drift overrides for this feature.', 'the endpoint settings'),
  dataQuality: optionalWith(
    DataQualitySettingsSchema,
    'Data-quality overrides for this feature.',
    'the endpoint settings',
  ),
});
/** One entry of `features`. */
export type FeatureConfig = z.output<typeof FeatureConfigSchema>;

/** When windows are evaluated. */
export const ScheduleConfigSchema = z.strictObject({
  evaluateExpression: withDefault(
    scheduleExpression(),
    'rate(1 hour)',
    'EventBridge Scheduler expression that starts a window evaluation.',
  ),
  timezone: withDefault(timeZone(), 'UTC', 'Time zone in which a cron expression is read.'),
  windowHours: withDefault(
    numberIn({ int: true, min: 1, max: 8760 }),
    1,
    'Length of the evaluated window, in whole hours of capture (capture is partitioned by hour).',
  ),
  delayMinutes: withDefault(
    numberIn({ int: true, min: 0, max: 1440 }),
    15,
    'The window ends this long before the evaluation starts, because capture delivery to S3 takes minutes.',
  ),
});
/** The `schedule` section. */
export type ScheduleConfig = z.output<typeof ScheduleConfigSchema>;

const DEFAULT_OUTPUT_NAME = /^prediction(_\d+)?$/;

/** One monitored SageMaker endpoint and everything driftwatch does for it. */
export const EndpointConfigSchema = z
  .strictObject({
    name: sageMakerName('a SageMaker endpoint name').describe('SageMaker endpoint name.'),
    variants: withDefault(
      z.array(VariantConfigSchema).min(1, { error: 'expected at least one variant' }),
      [{ name: 'AllTraffic' }],
      'Production variants to monitor.',
    ),
    monitoringScheduleName: optionalWith(
      sageMakerName('a monitoring schedule name'),
      'MonitoringSchedule dimension of the Model Monitor-compatible metrics; set it to an existing schedule name to ' +
        'keep its alarms and dashboards working.',
      '"<endpoint name>-driftwatch"',
    ),
    modelPackageGroupName: optionalWith(
      sageMakerName('a model package group name'),
      'SageMaker Model Registry group that retraining registers to and whose approvals deployment watches.',
      'the endpoint name',
    ),
    capture: CaptureConfigSchema.describe('Where data capture lands.'),
    baseline: BaselineConfigSchema.describe('The Model Monitor baseline to compare against.'),
    reports: section(ReportsConfigSchema, 'Where results are written.'),
    groundTruth: optionalWith(GroundTruthConfigSchema, 'Ground-truth labels.', 'no model-quality monitoring'),
    payload: section(PayloadConfigSchema, 'How captured payloads are read.'),
    features: withDefault(
      z.array(FeatureConfigSchema),
      [],
      'Per-feature settings (inputs and outputs); unlisted features use the endpoint settings.',
    ),
    drift: section(EndpointDriftOverrideSchema, 'Endpoint-level drift overrides of defaults.drift.'),
    dataQuality: section(DataQualitySettingsSchema, 'Endpoint-level overrides of defaults.dataQuality.'),
    schedule: section(ScheduleConfigSchema, 'When windows are evaluated.'),
    alarms: section(AlarmsConfigSchema, 'CloudWatch alarms.'),
    modelQuality: optionalWith(ModelQualityConfigSchema, 'Model-quality monitoring.', 'none'),
    gate: optionalWith(GateConfigSchema, 'Quality gate for retrained models.', 'none'),
    retraining: optionalWith(RetrainingConfigSchema, 'Drift- or schedule-triggered retraining.', 'none'),
    deployment: optionalWith(DeploymentConfigSchema, 'Blue/green deployment of approved models.', 'none'),
  })
  .superRefine((endpoint, ctx) => {
    reportDuplicates(
      endpoint.variants.map((variant) => variant.name),
      (index) => ['variants', index, 'name'],
      'variant name',
      ctx,
    );
    reportDuplicates(
      endpoint.features.map((feature) => feature.name),
      (index) => ['features', index, 'name'],
      'feature name',
      ctx,
    );
    checkFeatureMethods(endpoint, ctx);
    checkPayload(endpoint, ctx);
    checkQualitySections(endpoint, ctx);
  })
  .transform((endpoint) => ({
    ...endpoint,
    monitoringScheduleName: endpoint.monitoringScheduleName ?? `${endpoint.name}-driftwatch`,
    modelPackageGroupName: endpoint.modelPackageGroupName ?? endpoint.name,
  }));
/** One entry of `endpoints`, with derived defaults filled in. */
export type EndpointConfig = z.output<typeof EndpointConfigSchema>;
type EndpointBeforeDefaults = z.output<(typeof EndpointConfigSchema)['in']>;

function checkFeatureMethods(endpoint: EndpointBeforeDefaults, ctx: z.RefinementCtx) {
  endpoint.features.forEach((feature, index) => {
    const method = feature.drift?.method;
    if (feature.type === undefined || method === undefined) {
      return;
    }
    const allowed = feature.type === 'numeric' ? NUMERIC_METHODS : CATEGORICAL_METHODS;
    if (!allowed.has(method)) {
      ctx.addIssue({
        code: 'custom',
        path: ['features', index, 'drift', 'method'],
        message: `expected a method for ${feature.type} features (${[...allowed].join(', ')})`,
        input: method,
      });
    }
  });
}

function checkPayload(endpoint: EndpointBeforeDefaults, ctx: z.RefinementCtx) {
  const { input, output } = endpoint.payload;
  if (input.format === 'csv' && input.paths !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['payload', 'input', 'paths'],
      message: 'expected no paths because format is "csv" (paths read JSON payloads; use columns)',
      input: input.paths,
    });
  }
  if (output.format === 'csv' && output.path !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['payload', 'output', 'path'],
      message: 'expected no path because format is "csv" (path reads JSON responses; use names)',
      input: output.path,
    });
  }
  reportDuplicates(
    input.columns ?? [],
    (index) => ['payload', 'input', 'columns', index],
    'column name',
    ctx,
  );
  reportDuplicates(output.names ?? [], (index) => ['payload', 'output', 'names', index], 'output name', ctx);
  const inputNames = new Set([...(input.columns ?? []), ...Object.keys(input.paths ?? {})]);
  (output.names ?? []).forEach((name, index) => {
    if (inputNames.has(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['payload', 'output', 'names', index],
        message:
          'expected an output name different from every input feature name (they share statistics.json)',
        input: name,
      });
    }
  });
  // Only when the inputs are named here can a feature override be checked against them.
  if (inputNames.size === 0) {
    return;
  }
  const isOutput = (name: string) =>
    output.names === undefined ? DEFAULT_OUTPUT_NAME.test(name) : output.names.includes(name);
  endpoint.features.forEach((feature, index) => {
    if (!inputNames.has(feature.name) && !isOutput(feature.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['features', index, 'name'],
        message: `expected a name from payload.input.columns, payload.input.paths or payload.output.names (${[
          ...inputNames,
          ...(output.names ?? ['prediction']),
        ].join(', ')})`,
        input: feature.name,
      });
    }
  });
}

function checkQualitySections(endpoint: EndpointBeforeDefaults, ctx: z.RefinementCtx) {
  const { modelQuality, gate, retraining, alarms } = endpoint;
  if (modelQuality !== undefined && endpoint.groundTruth === undefined) {
    reportMissing(ctx, ['groundTruth'], 'expected a groundTruth section because modelQuality needs labels');
  }
  if (modelQuality !== undefined && endpoint.payload.output.names !== undefined) {
    const names = endpoint.payload.output.names;
    for (const field of ['inferenceAttribute', 'probabilityAttribute'] as const) {
      const value = modelQuality[field];
      if (value !== undefined && !names.includes(value)) {
        ctx.addIssue({
          code: 'custom',
          path: ['modelQuality', field],
          message: `expected one of payload.output.names (${names.join(', ')})`,
          input: value,
        });
      }
    }
  }
  if (gate !== undefined) {
    if (modelQuality === undefined) {
      reportMissing(
        ctx,
        ['modelQuality'],
        'expected a modelQuality section because the gate compares its metrics and needs its problemType',
      );
    } else {
      const checkRange = (spec: MetricSpec, value: unknown) => rangeProblem(spec.range, value as number);
      checkMetricNames(modelQuality.problemType, gate.floors, ['gate', 'floors'], ctx, checkRange);
      checkMetricNames(modelQuality.problemType, gate.maxRegression, ['gate', 'maxRegression'], ctx);
      checkMetricNames(modelQuality.problemType, gate.minImprovement, ['gate', 'minImprovement'], ctx);
    }
  }
  if (retraining?.approval === 'Approved' && gate === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['retraining', 'approval'],
      message:
        'expected "PendingManualApproval" unless a gate section is configured (Approved deploys ungated models)',
      input: retraining.approval,
    });
  }
  const retrain = alarms.retrain;
  if (retrain.enabled && retrain.rule !== 'drift_only') {
    const hasQualityAlarm =
      modelQuality !== undefined &&
      Object.keys(modelQuality.thresholds).length > 0 &&
      alarms.modelQuality.enabled;
    if (!hasQualityAlarm) {
      ctx.addIssue({
        code: 'custom',
        path: ['alarms', 'retrain', 'rule'],
        message:
          'expected "drift_only" unless modelQuality has thresholds and alarms.modelQuality is enabled (the rule ' +
          'needs a model-quality alarm)',
        input: retrain.rule,
      });
    }
  }
  if (retrain.enabled && retrain.rule !== 'quality_only' && !alarms.driftedFeatureShare.enabled) {
    ctx.addIssue({
      code: 'custom',
      path: ['alarms', 'retrain', 'rule'],
      message:
        'expected "quality_only" while alarms.driftedFeatureShare is disabled (the rule needs the drift alarm)',
      input: retrain.rule,
    });
  }
}

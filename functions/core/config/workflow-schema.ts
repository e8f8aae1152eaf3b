import { z } from 'zod';
import {
  ecrImage,
  flag,
  instanceType,
  matching,
  numberIn,
  oneOf,
  optionalInstanceType,
  optionalWith,
  reportDuplicates,
  reportMissing,
  s3Uri,
  scheduleExpression,
  section,
  text,
  withDefault,
} from './fields.js';

// Retraining (train a challenger, evaluate it against the champion, register it) and blue/green deployment of an
// approved model package. Limits are SageMaker's API limits, so a bad value fails here and not mid-deployment.

const ALGORITHM =
  /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:algorithm\/)?[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const CHANNEL_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** One training input channel. */
export const TrainingChannelSchema = z.strictObject({
  name: matching(CHANNEL_NAME, 'a channel name of 1-64 letters, digits, ".", "-" and "_"').describe(
    'Channel name, e.g. "train" or "validation".',
  ),
  s3Uri: s3Uri().describe('S3 prefix with the channel data.'),
  contentType: optionalWith(
    text('a MIME type', 256),
    'Content type of the data, e.g. "text/csv".',
    'none sent',
  ),
  inputMode: withDefault(oneOf(['File', 'Pipe', 'FastFile']), 'File', 'SageMaker training input mode.'),
});
/** A training channel. */
export type TrainingChannel = z.output<typeof TrainingChannelSchema>;

/** The SageMaker training job that produces a challenger. */
export const TrainingConfigSchema = z
  .strictObject({
    image: optionalWith(ecrImage(), 'Training image URI. Exactly one of image and algorithmName.', 'none'),
    algorithmName: optionalWith(
      matching(ALGORITHM, 'a SageMaker algorithm name or ARN'),
      'SageMaker algorithm resource name or ARN. Exactly one of image and algorithmName.',
      'none',
    ),
    inferenceImage: optionalWith(
      ecrImage(),
      'Image that serves the trained model (the candidate model that scores the holdout, and the registered model ' +
        'package). The retraining workflow needs it with algorithmName.',
      "the training image (SageMaker's framework images, e.g. XGBoost, both train and serve)",
    ),
    instanceType: instanceType(
      'Training instance type (full SageMaker name with the "ml." prefix).',
      'ml.m5.xlarge',
    ),
    instanceCount: withDefault(numberIn({ int: true, min: 1, max: 100 }), 1, 'Training instances.'),
    volumeSizeGb: withDefault(
      numberIn({ int: true, min: 1, max: 16_384 }),
      30,
      'Training volume size in GB.',
    ),
    maxRuntimeSeconds: withDefault(
      numberIn({ int: true, min: 1, max: 2_419_200 }),
      86_400,
      'Stopping condition: longest the training job may run.',
    ),
    // prefault, not default: the values pass through the String transform and the JSON Schema keeps the default.
    hyperparameters: z
      .record(
        text('a hyperparameter name', 256),
        z
          .union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' })
          .transform(String),
      )
      .refine((record) => Object.keys(record).length <= 100, {
        error: 'expected at most 100 hyperparameters',
      })
      .prefault({})
      .describe(
        'Hyperparameters; numbers and booleans are passed as strings, as SageMaker requires. Default: {}.',
      ),
    channels: z
      .array(TrainingChannelSchema)
      .min(1, { error: 'expected at least one training channel' })
      .describe('Input channels.'),
    outputS3Uri: s3Uri().describe('Where the training job writes model artifacts.'),
    roleArn: optionalWith(
      matching(ROLE_ARN, 'an IAM role ARN'),
      'Execution role for the training job.',
      'a role created by the stack with access to the channels and output',
    ),
  })
  .superRefine((training, ctx) => {
    if (training.image === undefined && training.algorithmName === undefined) {
      reportMissing(ctx, ['image'], 'expected exactly one of image and algorithmName (neither is set)');
    }
    if (training.image !== undefined && training.algorithmName !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['algorithmName'],
        message: 'expected exactly one of image and algorithmName (image is set too)',
        input: training.algorithmName,
      });
    }
    reportDuplicates(
      training.channels.map((channel) => channel.name),
      (index) => ['channels', index, 'name'],
      'channel name',
      ctx,
    );
  });
/** The `retraining.training` section. */
export type TrainingConfig = z.output<typeof TrainingConfigSchema>;

/** How a challenger (and the champion) are scored on the holdout set. */
export const EvaluationConfigSchema = z
  .strictObject({
    mode: withDefault(
      oneOf(['batch-transform', 'processing']),
      'batch-transform',
      'batch-transform: a SageMaker batch transform scores the holdout; processing: a processing job with ' +
        'processingImage does.',
    ),
    holdoutS3Uri: s3Uri().describe('Holdout data with labels, the same for champion and challenger.'),
    contentType: withDefault(text('a MIME type', 256), 'text/csv', 'Content type of the holdout data.'),
    labelColumnIndex: withDefault(
      numberIn({ int: true, min: 0 }),
      0,
      'Zero-based column of the label in the holdout CSV (excluded from the model input).',
    ),
    instanceType: instanceType('Instance type of the evaluation job.', 'ml.m5.xlarge'),
    instanceCount: withDefault(numberIn({ int: true, min: 1, max: 100 }), 1, 'Evaluation instances.'),
    outputS3Uri: optionalWith(s3Uri(), 'Where predictions and evaluation reports go.', 'under reports.s3Uri'),
    processingImage: optionalWith(
      ecrImage(),
      'Image of the evaluation processing job. Required when mode is "processing".',
      'none',
    ),
  })
  .superRefine((evaluation, ctx) => {
    if (evaluation.mode === 'processing' && evaluation.processingImage === undefined) {
      reportMissing(ctx, ['processingImage'], 'expected an ECR image URI because mode is "processing"');
    }
    if (evaluation.mode === 'batch-transform' && evaluation.processingImage !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['processingImage'],
        message: 'expected no processingImage because mode is "batch-transform" (it would be ignored)',
        input: evaluation.processingImage,
      });
    }
  });
/** The `retraining.evaluation` section. */
export type EvaluationConfig = z.output<typeof EvaluationConfigSchema>;

/** Retraining: train a challenger, gate it, register it. */
export const RetrainingConfigSchema = z.strictObject({
  enabled: withDefault(flag(), true, 'Whether the retraining workflow is deployed and may start.'),
  cooldownHours: withDefault(
    numberIn({ int: true, min: 0, max: 8760 }),
    24,
    'Minimum time between two retraining starts; triggers inside it are recorded and skipped.',
  ),
  schedule: optionalWith(
    scheduleExpression(),
    'Also retrain on this EventBridge Scheduler expression.',
    'retrain only when the retrain alarm fires',
  ),
  training: TrainingConfigSchema.describe('The SageMaker training job.'),
  evaluation: EvaluationConfigSchema.describe('How champion and challenger are scored.'),
  approval: withDefault(
    oneOf(['PendingManualApproval', 'Approved']),
    'PendingManualApproval',
    'ModelApprovalStatus of a registered challenger that passed the gate; Approved deploys it automatically.',
  ),
});
/** The `retraining` section. */
export type RetrainingConfig = z.output<typeof RetrainingConfigSchema>;

/** Blue/green traffic shifting (SageMaker TrafficRoutingConfig). */
export const TrafficRoutingConfigSchema = z
  .strictObject({
    type: withDefault(
      oneOf(['ALL_AT_ONCE', 'CANARY', 'LINEAR']),
      'ALL_AT_ONCE',
      'ALL_AT_ONCE: one shift then a bake period; CANARY: canarySizePercent first, the rest after the wait; ' +
        'LINEAR: linearStepPercent per step.',
    ),
    canarySizePercent: optionalWith(
      numberIn({ int: true, min: 1, max: 50 }),
      'CANARY only: capacity percentage of the first step (SageMaker allows at most 50%).',
      'none; required for CANARY',
    ),
    linearStepPercent: optionalWith(
      numberIn({ int: true, min: 10, max: 50 }),
      'LINEAR only: capacity percentage per step (SageMaker allows 10-50%).',
      'none; required for LINEAR',
    ),
    waitIntervalSeconds: withDefault(
      numberIn({ int: true, min: 0, max: 3600 }),
      300,
      'Wait (bake time) between steps, watching the rollback alarms.',
    ),
  })
  .superRefine((routing, ctx) => {
    const requirements = [
      { field: 'canarySizePercent', type: 'CANARY', value: routing.canarySizePercent },
      { field: 'linearStepPercent', type: 'LINEAR', value: routing.linearStepPercent },
    ] as const;
    for (const { field, type, value } of requirements) {
      if (routing.type === type && value === undefined) {
        reportMissing(ctx, [field], `expected ${field} because type is "${type}"`);
      }
      if (routing.type !== type && value !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `expected no ${field} because type is "${routing.type}" (it applies to ${type} only)`,
          input: value,
        });
      }
    }
  });
/** The `deployment.trafficRouting` section. */
export type TrafficRoutingConfig = z.output<typeof TrafficRoutingConfigSchema>;

/** Blue/green deployment of an approved model package. */
export const DeploymentConfigSchema = z
  .strictObject({
    enabled: withDefault(flag(), true, 'Whether approval of a model package deploys it.'),
    trafficRouting: section(TrafficRoutingConfigSchema, 'How traffic moves to the new fleet.'),
    terminationWaitSeconds: withDefault(
      numberIn({ int: true, min: 0, max: 3600 }),
      300,
      'How long the old fleet is kept after the shift, for a fast rollback.',
    ),
    maximumExecutionTimeoutSeconds: withDefault(
      numberIn({ int: true, min: 600, max: 28_800 }),
      3600,
      'Longest the whole deployment may take; must exceed waitIntervalSeconds + terminationWaitSeconds.',
    ),
    autoRollback: section(
      z.strictObject({
        enabled: withDefault(
          flag(),
          true,
          "Roll back when an alarm fires during the deployment (the endpoint's latency and 5xx alarms, if enabled).",
        ),
        alarmNames: withDefault(
          z.array(text('a CloudWatch alarm name', 255)).max(8, { error: 'expected at most 8 extra alarms' }),
          [],
          'Extra CloudWatch alarms that roll back the deployment (SageMaker allows 10 in total).',
        ),
      }),
      'AutoRollbackConfiguration.',
    ),
    instanceType: optionalInstanceType(
      'Instance type of the new production variants.',
      "the current variants' instance type",
    ),
    initialInstanceCount: optionalWith(
      numberIn({ int: true, min: 1, max: 1000 }),
      'Instance count of the new production variants.',
      "the current variants' instance count",
    ),
    pollIntervalSeconds: withDefault(
      numberIn({ int: true, min: 5, max: 3600 }),
      60,
      'How often the workflow checks the endpoint status.',
    ),
    maxPolls: withDefault(
      numberIn({ int: true, min: 1, max: 10_000 }),
      120,
      'Status checks before the workflow gives up; pollIntervalSeconds x maxPolls must cover the timeout.',
    ),
    rotateBaseline: withDefault(
      flag(),
      true,
      "After a successful deployment, make the new model's baseline the endpoint's baseline.",
    ),
  })
  .superRefine((deployment, ctx) => {
    const waits = deployment.trafficRouting.waitIntervalSeconds + deployment.terminationWaitSeconds;
    if (deployment.maximumExecutionTimeoutSeconds <= waits) {
      ctx.addIssue({
        code: 'custom',
        path: ['maximumExecutionTimeoutSeconds'],
        message: `expected more than trafficRouting.waitIntervalSeconds + terminationWaitSeconds (${waits})`,
        input: deployment.maximumExecutionTimeoutSeconds,
      });
    }
    const polled = deployment.pollIntervalSeconds * deployment.maxPolls;
    if (polled < deployment.maximumExecutionTimeoutSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxPolls'],
        message:
          `expected pollIntervalSeconds x maxPolls (${polled} s) to be at least maximumExecutionTimeoutSeconds ` +
          `(${deployment.maximumExecutionTimeoutSeconds} s), so the workflow does not give up before SageMaker does`,
        input: deployment.maxPolls,
      });
    }
  });
/** The `deployment` section. */
export type DeploymentConfig = z.output<typeof DeploymentConfigSchema>;

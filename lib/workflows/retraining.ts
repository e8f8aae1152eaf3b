import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { RetrainingConfig } from '../../functions/core/config/workflow-schema.js';
import { createdBy, sageMakerArn } from './naming.js';
import { sageMakerJob } from './sagemaker-jobs.js';
import {
  type AuditStep,
  auditTask,
  CAUGHT,
  invoke,
  notificationSubject,
  notifyTask,
  sageMakerCall,
} from './steps.js';

/** The functions the retraining workflow calls. */
export interface RetrainingFunctions {
  readonly guard: lambda.IFunction;
  readonly resolveChampion: lambda.IFunction;
  readonly buildBaseline: lambda.IFunction;
  readonly evaluate: lambda.IFunction;
  readonly audit: lambda.IFunction;
}

/** What the retraining definition is built from. */
export interface RetrainingDefinitionProps {
  readonly endpointName: string;
  readonly modelPackageGroupName: string;
  readonly retraining: RetrainingConfig;
  /** Role the training, scoring jobs and the candidate model run as. */
  readonly sageMakerRoleArn: string;
  /** `s3://bucket/prefix` under which each run's predictions, evaluation and baseline go (`<prefix>/<job>/...`). */
  readonly artifactsS3Uri: string;
  readonly functions: RetrainingFunctions;
  readonly topic: sns.ITopic;
}

const JOB = '$.guard.names.trainingJob';
const at = sfn.JsonPath.stringAt;

/** SageMaker's CSV InputFilter that drops the label column `k` (`$[1:]`, `$[0,1,3:]`, ...). */
export function labelFilter(k: number): string {
  return k === 0 ? '$[1:]' : `$[${[...Array(k).keys(), `${k + 1}:`].join(',')}]`;
}

/** `s3://.../<training job>/<leaf>/` for this run, as a JSONPath intrinsic. */
function runUri(props: RetrainingDefinitionProps, leaf: string): string {
  return sfn.JsonPath.format(`${props.artifactsS3Uri}/{}/${leaf}/`, at(JOB));
}

function tags(props: RetrainingDefinitionProps) {
  return [
    { Key: 'driftwatch:endpoint', Value: props.endpointName },
    { Key: 'driftwatch:execution', 'Value.$': '$$.Execution.Name' },
  ];
}

/**
 * The retraining state machine's definition: guard -> train (.sync) -> candidate model -> score champion and
 * challenger on the holdout and profile the training data (in parallel) -> gate -> register the model package ->
 * notify; every decision appended to the audit trail. Paths: skipped by the guard, training failure, gate reject,
 * gate inconclusive, registration (pending approval or approved), any other failure.
 */
export function retrainingDefinition(scope: Construct, props: RetrainingDefinitionProps): sfn.IChainable {
  const { functions, retraining, topic, endpointName } = props;
  const { training, evaluation } = retraining;
  const audit = (id: string, step: Omit<AuditStep, 'workflow'>) =>
    auditTask(scope, id, functions.audit, { workflow: 'retraining', ...step });
  const notify = (id: string, subject: string, message: string) =>
    notifyTask(scope, id, topic, notificationSubject(endpointName, subject), message);

  // Any failure after training: record it, notify, fail.
  const failed = audit('Record retraining failure', {
    kind: 'retraining-failure',
    final: true,
    // Only the caught error: the failure may come before the guard named the run's jobs.
    detail: { ...CAUGHT },
  })
    .next(
      notify(
        'Notify retraining failure',
        'retraining failed',
        sfn.JsonPath.format(
          `Retraining of ${endpointName} failed ({}): {}. Execution: {}`,
          CAUGHT.error,
          CAUGHT.cause,
          sfn.JsonPath.executionId,
        ),
      ),
    )
    .next(
      new sfn.Fail(scope, 'Retraining failed', { error: 'RetrainingFailed', cause: 'see the audit trail' }),
    );
  const onError = <T extends { addCatch(h: sfn.IChainable, p?: sfn.CatchProps): unknown }>(state: T): T => {
    state.addCatch(failed, { resultPath: '$.error' });
    return state;
  };

  const guard = invoke(
    scope,
    'Guard',
    functions.guard,
    {
      input: sfn.JsonPath.entirePayload,
      executionArn: sfn.JsonPath.executionId,
      startTime: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
    },
    '$.guard',
  );

  const algorithm =
    training.image !== undefined
      ? { TrainingImage: training.image, TrainingInputMode: 'File' }
      : { AlgorithmName: training.algorithmName, TrainingInputMode: 'File' };
  const train = sageMakerJob(
    scope,
    'Train',
    'TrainingJob',
    {
      'TrainingJobName.$': JOB,
      AlgorithmSpecification: algorithm,
      RoleArn: props.sageMakerRoleArn,
      HyperParameters: training.hyperparameters,
      InputDataConfig: training.channels.map((channel) => ({
        ChannelName: channel.name,
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: channel.s3Uri,
            S3DataDistributionType: 'FullyReplicated',
          },
        },
        ...(channel.contentType !== undefined ? { ContentType: channel.contentType } : {}),
        InputMode: channel.inputMode,
      })),
      OutputDataConfig: { S3OutputPath: training.outputS3Uri },
      ResourceConfig: {
        InstanceType: training.instanceType,
        InstanceCount: training.instanceCount,
        VolumeSizeInGB: training.volumeSizeGb,
      },
      StoppingCondition: { MaxRuntimeInSeconds: training.maxRuntimeSeconds },
      Tags: tags(props),
    },
    {
      'name.$': '$.TrainingJobName',
      'arn.$': '$.TrainingJobArn',
      'status.$': '$.TrainingJobStatus',
      'modelArtifacts.$': '$.ModelArtifacts.S3ModelArtifacts',
    },
    '$.training',
  );
  const trainingFailed = audit('Record training failure', {
    kind: 'training-result',
    final: true,
    detail: { status: 'Failed', trainingJobName: at(JOB), ...CAUGHT },
  })
    .next(
      notify(
        'Notify training failure',
        'training failed',
        sfn.JsonPath.format(`Training job {} of ${endpointName} failed: {}`, at(JOB), CAUGHT.cause),
      ),
    )
    .next(
      new sfn.Fail(scope, 'Training failed', { error: 'TrainingFailed', cause: 'the training job failed' }),
    );
  train.addCatch(trainingFailed, { errors: ['States.ALL'], resultPath: '$.error' });

  const recordTraining = audit('Record training result', {
    kind: 'training-result',
    detail: {
      status: at('$.training.status'),
      trainingJobName: at(JOB),
      modelArtifacts: at('$.training.modelArtifacts'),
    },
    inputs: { trainingJob: at('$.training') },
  });

  const inferenceImage = training.inferenceImage ?? training.image;
  const createModel = onError(
    sageMakerCall(scope, 'Create candidate model', {
      service: 'sagemaker',
      action: 'createModel',
      parameters: {
        ModelName: at('$.guard.names.model'),
        ExecutionRoleArn: props.sageMakerRoleArn,
        PrimaryContainer: { Image: inferenceImage, ModelDataUrl: at('$.training.modelArtifacts') },
        Tags: tags(props),
      },
      iamResources: [createdBy(scope, 'model', endpointName)],
      additionalIamStatements: [],
      resultPath: sfn.JsonPath.DISCARD,
    }),
  );

  const champion = onError(invoke(scope, 'Find champion', functions.resolveChampion, {}, '$.champion'));

  const score = (who: 'champion' | 'challenger') => {
    const id = who === 'champion' ? 'Score champion' : 'Score challenger';
    if (evaluation.mode === 'batch-transform') {
      return sageMakerJob(
        scope,
        id,
        'TransformJob',
        {
          'TransformJobName.$': `$.guard.names.${who}Job`,
          'ModelName.$': who === 'champion' ? '$.champion.modelName' : '$.guard.names.model',
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: evaluation.holdoutS3Uri } },
            ContentType: evaluation.contentType,
            SplitType: 'Line',
          },
          TransformOutput: { 'S3OutputPath.$': runUri(props, who), Accept: 'text/csv', AssembleWith: 'Line' },
          TransformResources: {
            InstanceType: evaluation.instanceType,
            InstanceCount: evaluation.instanceCount,
          },
          // The model sees the features only; the output keeps the whole input row (label included) + prediction.
          DataProcessing: { InputFilter: labelFilter(evaluation.labelColumnIndex), JoinSource: 'Input' },
          Tags: tags(props),
        },
        undefined,
        null,
      );
    }
    return sageMakerJob(
      scope,
      id,
      'ProcessingJob',
      {
        'ProcessingJobName.$': `$.guard.names.${who}Job`,
        RoleArn: props.sageMakerRoleArn,
        AppSpecification: { ImageUri: evaluation.processingImage },
        ProcessingResources: {
          ClusterConfig: {
            InstanceType: evaluation.instanceType,
            InstanceCount: evaluation.instanceCount,
            VolumeSizeInGB: 30,
          },
        },
        ProcessingInputs: [
          {
            InputName: 'holdout',
            S3Input: {
              S3Uri: evaluation.holdoutS3Uri,
              LocalPath: '/opt/ml/processing/holdout',
              S3DataType: 'S3Prefix',
              S3InputMode: 'File',
            },
          },
          {
            InputName: 'model',
            S3Input: {
              'S3Uri.$': who === 'champion' ? '$.champion.modelDataUrl' : '$.training.modelArtifacts',
              LocalPath: '/opt/ml/processing/model',
              S3DataType: 'S3Prefix',
              S3InputMode: 'File',
            },
          },
        ],
        ProcessingOutputConfig: {
          Outputs: [
            {
              OutputName: 'predictions',
              S3Output: {
                'S3Uri.$': runUri(props, who),
                LocalPath: '/opt/ml/processing/output',
                S3UploadMode: 'EndOfJob',
              },
            },
          ],
        },
        Environment: {
          DRIFTWATCH_LABEL_COLUMN: String(evaluation.labelColumnIndex),
          DRIFTWATCH_CONTENT_TYPE: evaluation.contentType,
          DRIFTWATCH_MODEL: who,
        },
        StoppingCondition: { MaxRuntimeInSeconds: 86_400 },
        Tags: tags(props),
      },
      undefined,
      null,
    );
  };

  // Into a field, not '$': aws-local-stepfunctions treats a ResultPath of '$' as a field named '$'.
  const profile = invoke(
    scope,
    'Profile training data',
    functions.buildBaseline,
    { output: runUri(props, 'baseline') },
    '$.baseline',
  );
  const scoring = onError(
    new sfn.Parallel(scope, 'Score and profile', {
      resultSelector: { baseline: sfn.JsonPath.objectAt('$[2].baseline') },
      resultPath: '$.scoring',
    })
      .branch(score('champion'))
      .branch(score('challenger'))
      .branch(profile),
  );

  const evaluate = onError(
    invoke(
      scope,
      'Evaluate candidate',
      functions.evaluate,
      {
        championOutput: runUri(props, 'champion'),
        challengerOutput: runUri(props, 'challenger'),
        report: runUri(props, 'evaluation'),
      },
      '$.evaluation',
    ),
  );

  const gateDetail = {
    verdict: at('$.evaluation.verdict'),
    reasons: sfn.JsonPath.listAt('$.evaluation.reasons'),
    metrics: sfn.JsonPath.objectAt('$.evaluation.metrics'),
    rows: sfn.JsonPath.numberAt('$.evaluation.rows'),
    champion: at('$.champion.modelName'),
    report: at('$.evaluation.reportS3Uri'),
  };
  const gateInputs = { evaluation: sfn.JsonPath.objectAt('$.evaluation') };
  const summary = (what: string) =>
    sfn.JsonPath.format(
      `${what} Candidate {} of ${endpointName} against champion {}: {}. Evaluation: {}. Execution: {}`,
      at('$.guard.names.model'),
      at('$.champion.modelName'),
      sfn.JsonPath.jsonToString(sfn.JsonPath.listAt('$.evaluation.reasons')),
      at('$.evaluation.reportS3Uri'),
      sfn.JsonPath.executionId,
    );

  const rejected = audit('Record gate rejection', {
    kind: 'gate-verdict',
    final: true,
    detail: gateDetail,
    inputs: gateInputs,
  })
    .next(
      notify('Notify rejection', 'candidate rejected', summary('The quality gate REJECTED the candidate.')),
    )
    .next(new sfn.Succeed(scope, 'Candidate rejected'));
  const inconclusive = audit('Record inconclusive gate', {
    kind: 'gate-verdict',
    final: true,
    detail: gateDetail,
    inputs: gateInputs,
  })
    .next(
      notify(
        'Notify inconclusive gate',
        'gate inconclusive',
        summary('The quality gate could not decide (INCONCLUSIVE); the candidate was not registered.'),
      ),
    )
    .next(new sfn.Succeed(scope, 'Gate inconclusive'));

  const register = onError(
    sageMakerCall(scope, 'Register model package', {
      service: 'sagemaker',
      action: 'createModelPackage',
      parameters: {
        ModelPackageGroupName: props.modelPackageGroupName,
        ModelPackageDescription: sfn.JsonPath.format(
          'driftwatch retraining of {} ({}), gate {}',
          endpointName,
          at('$.guard.request.source'),
          at('$.evaluation.verdict'),
        ),
        ModelApprovalStatus: retraining.approval,
        InferenceSpecification: {
          Containers: [{ Image: inferenceImage, ModelDataUrl: at('$.training.modelArtifacts') }],
          SupportedContentTypes: [evaluation.contentType],
          SupportedResponseMIMETypes: ['text/csv'],
        },
        ModelMetrics: {
          ModelQuality: {
            Statistics: { ContentType: 'application/json', S3Uri: at('$.evaluation.statisticsS3Uri') },
          },
          ModelDataQuality: {
            Statistics: { ContentType: 'application/json', S3Uri: at('$.scoring.baseline.statisticsS3Uri') },
            Constraints: {
              ContentType: 'application/json',
              S3Uri: at('$.scoring.baseline.constraintsS3Uri'),
            },
          },
        },
        DriftCheckBaselines: {
          ModelDataQuality: {
            Statistics: { ContentType: 'application/json', S3Uri: at('$.scoring.baseline.statisticsS3Uri') },
            Constraints: {
              ContentType: 'application/json',
              S3Uri: at('$.scoring.baseline.constraintsS3Uri'),
            },
          },
        },
        CustomerMetadataProperties: {
          'driftwatch:trainingJob': at(JOB),
          'driftwatch:gateVerdict': at('$.evaluation.verdict'),
          'driftwatch:evaluation': at('$.evaluation.reportS3Uri'),
          'driftwatch:execution': sfn.JsonPath.executionId,
        },
      },
      iamResources: [
        sageMakerArn(scope, 'model-package-group', props.modelPackageGroupName),
        sageMakerArn(scope, 'model-package', `${props.modelPackageGroupName}/*`),
      ],
      resultSelector: { 'modelPackageArn.$': '$.ModelPackageArn' },
      resultPath: '$.registration',
    }),
  );
  const approveHint =
    retraining.approval === 'Approved'
      ? 'It was registered as Approved, so the deployment workflow deploys it now.'
      : 'Approve it to deploy: aws sagemaker update-model-package --model-package-arn {} --model-approval-status Approved ' +
        '(or in SageMaker Studio, Models > Model registry).';
  const registered = audit('Record registration', {
    kind: 'registration',
    final: true,
    detail: {
      modelPackageArn: at('$.registration.modelPackageArn'),
      approvalStatus: retraining.approval,
      verdict: at('$.evaluation.verdict'),
    },
    inputs: { registration: sfn.JsonPath.objectAt('$.registration') },
  })
    .next(
      notify(
        'Notify registration',
        `candidate registered (${retraining.approval})`,
        sfn.JsonPath.format(
          `The quality gate PROMOTED candidate {} of ${endpointName}: {}. Registered as {} (${retraining.approval}). ` +
            approveHint,
          at('$.guard.names.model'),
          sfn.JsonPath.jsonToString(sfn.JsonPath.listAt('$.evaluation.reasons')),
          at('$.registration.modelPackageArn'),
          ...(retraining.approval === 'Approved' ? [] : [at('$.registration.modelPackageArn')]),
        ),
      ),
    )
    .next(new sfn.Succeed(scope, 'Candidate registered'));

  const passed = audit('Record gate pass', {
    kind: 'gate-verdict',
    detail: gateDetail,
    inputs: gateInputs,
  }).next(register.next(registered));
  const verdict = new sfn.Choice(scope, 'Gate verdict?')
    .when(sfn.Condition.stringEquals('$.evaluation.verdict', 'PROMOTE'), passed)
    .when(sfn.Condition.stringEquals('$.evaluation.verdict', 'REJECT'), rejected)
    .when(sfn.Condition.stringEquals('$.evaluation.verdict', 'INCONCLUSIVE'), inconclusive)
    .otherwise(
      new sfn.Pass(scope, 'Unknown verdict', {
        parameters: { Error: 'UnknownVerdict', 'Cause.$': '$.evaluation.verdict' },
        resultPath: '$.error',
      }).next(failed),
    );

  onError(recordTraining);
  return guard.next(
    new sfn.Choice(scope, 'Proceed?')
      .when(
        sfn.Condition.booleanEquals('$.guard.proceed', false),
        new sfn.Succeed(scope, 'Retraining skipped'),
      )
      .otherwise(
        train
          .next(recordTraining)
          .next(createModel)
          .next(champion)
          .next(scoring)
          .next(evaluate)
          .next(verdict),
      ),
  );
}

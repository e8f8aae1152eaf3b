import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EndpointConfig } from '../../functions/core/config/endpoint-schema.js';
import { acknowledgeWildcards, defaultPolicyOf } from '../nag.js';
import { type WorkflowFunctionOptions, workflowFunction } from '../workflows/functions.js';
import { createdBy, stateMachineName as defaultStateMachineName, sageMakerArn } from '../workflows/naming.js';
import { retrainingDefinition } from '../workflows/retraining.js';
import {
  acknowledgeWorkflowFindings,
  createWorkflowStateMachine,
  startExecutionTarget,
} from '../workflows/state-machine.js';
import type { AuditTrailStore } from './audit-trail.js';
import {
  grant,
  grantListAndRead,
  grantObjectWrite,
  ImportedLocations,
  type S3Location,
} from './s3-location.js';
import { sameAccountServicePrincipal } from './service-principal.js';

/** Properties of a {@link RetrainingWorkflow}. */
export interface RetrainingWorkflowProps {
  /** The endpoint's configuration; its `retraining` and `modelQuality` sections must be set. */
  readonly endpoint: EndpointConfig;
  /** The monitor configuration file, bundled next to each handler. */
  readonly configFile: string;
  /** Where verdicts, registrations and failures are announced. */
  readonly topic: sns.ITopic;
  /** The audit trail the guard reads and every step appends to. */
  readonly auditTrail: AuditTrailStore;
  /** The endpoint's audit-append function (shared with the deployment workflow). */
  readonly auditFunction: lambda.IFunction;
  /** The Model Registry group candidates are registered in (created by the stack). */
  readonly modelPackageGroupName: string;
  /** Where each run writes predictions, evaluation and the training baseline (`<prefix>/<training job>/...`). */
  readonly artifacts: S3Location;
  /**
   * The composite alarm whose ALARM state starts retraining.
   * @default - no alarm trigger (schedule and manual starts only)
   */
  readonly retrainAlarm?: cloudwatch.IAlarm;
  /** Receives failed deliveries of the alarm rule and the schedule, and stray async invocations. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Name of the state machine (the guard's permission to read its executions is scoped by it).
   * @default `driftwatch-<endpoint, cut to 32>-<6 hex>-retraining` (see stateMachineName in lib/workflows/naming.ts)
   */
  readonly stateMachineName?: string;
  /**
   * Retention of the state machine's and functions' logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The repository ARN of an ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]`). */
export function ecrRepositoryArn(scope: Construct, image: string): string {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  if (match === null) throw new Error(`${image} is not an ECR image URI`);
  const [, account, region, repository] = match;
  return Stack.of(scope).formatArn({
    service: 'ecr',
    account,
    region,
    resource: 'repository',
    resourceName: repository,
  });
}

/**
 * Allows Describe* on the serving endpoint, its current config and models (created outside driftwatch too, so any
 * name) and the packages of the endpoint's model package group.
 */
export function grantDescribeServing(
  scope: Construct,
  role: iam.IRole,
  name: string,
  groupName: string,
): void {
  grant(
    role,
    ['sagemaker:DescribeEndpoint'],
    [sageMakerArn(scope, 'endpoint', name)],
    'Reads its own endpoint.',
  );
  grant(
    role,
    ['sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel'],
    [sageMakerArn(scope, 'endpoint-config', '*'), sageMakerArn(scope, 'model', '*')],
    'The endpoint may serve a config and model created outside driftwatch, so their names are unknown; ' +
      'Describe* reads configuration only.',
  );
  grant(
    role,
    ['sagemaker:DescribeModelPackage'],
    [sageMakerArn(scope, 'model-package', `${groupName}/*`)],
    "Reads packages of the endpoint's own model package group only.",
  );
}

/**
 * The retraining workflow of one endpoint: a Step Functions state machine (see lib/workflows/retraining.ts) with
 * its functions, started by the composite retrain alarm entering ALARM, by the configured schedule and by hand.
 * The SageMaker jobs run as the configured role or one created here with access to exactly the configured data.
 */
export class RetrainingWorkflow extends Construct {
  /** The state machine. */
  readonly stateMachine: sfn.StateMachine;
  /** The role the training job, scoring jobs and candidate model run as. */
  readonly sageMakerRole: iam.IRole;
  /** The functions the state machine calls. */
  readonly functions: {
    guard: lambda.IFunction;
    resolveChampion: lambda.IFunction;
    buildBaseline: lambda.IFunction;
    evaluate: lambda.IFunction;
  };
  /** The EventBridge rule on the retrain alarm, when one is given. */
  readonly alarmRule?: events.Rule;
  /** The retraining schedule, when configured. */
  readonly schedule?: scheduler.Schedule;

  private readonly imports = new ImportedLocations(this);

  constructor(scope: Construct, id: string, props: RetrainingWorkflowProps) {
    super(scope, id);
    const { endpoint } = props;
    const retraining = endpoint.retraining;
    if (retraining === undefined) {
      throw new Error(
        `${this.node.path}: endpoint ${endpoint.name} has no retraining section; add one or drop the workflow`,
      );
    }
    if (endpoint.modelQuality === undefined) {
      throw new Error(
        `${this.node.path}: endpoint ${endpoint.name} has no modelQuality section; retraining needs its problemType ` +
          'and how predictions are read to evaluate candidates',
      );
    }
    const { training, evaluation } = retraining;
    if (training.algorithmName !== undefined && training.inferenceImage === undefined) {
      throw new Error(
        `${this.node.path}: retraining.training.algorithmName is set without inferenceImage; set ` +
          'retraining.training.inferenceImage to the image that serves the trained model',
      );
    }
    const stateMachineName =
      props.stateMachineName ??
      defaultStateMachineName(Stack.of(this).stackName, endpoint.name, 'retraining');
    const stack = Stack.of(this);

    this.sageMakerRole =
      training.roleArn !== undefined
        ? iam.Role.fromRoleArn(this, 'SageMakerRole', training.roleArn, { mutable: false })
        : this.createSageMakerRole(props);

    const options: WorkflowFunctionOptions = { ...props, endpointName: endpoint.name };
    const guard = workflowFunction(
      this,
      'Guard',
      'retrain-guard.ts',
      'retraining guard (one at a time, cooldown)',
      options,
    );
    props.auditTrail.grantAppend(guard.role, endpoint.name);
    grant(
      guard.role,
      ['states:DescribeExecution'],
      [
        stack.formatArn({
          service: 'states',
          resource: 'execution',
          resourceName: `${stateMachineName}:*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      'Reads whether executions of its own state machine still run (to keep one retraining at a time).',
    );
    const resolveChampion = workflowFunction(
      this,
      'ResolveChampion',
      'resolve-champion.ts',
      'find the serving model',
      options,
    );
    grantDescribeServing(this, resolveChampion.role, endpoint.name, props.modelPackageGroupName);
    const buildBaseline = workflowFunction(
      this,
      'BuildBaseline',
      'build-training-baseline.ts',
      'profile the training data into a baseline',
      options,
      { memorySize: 2048, timeout: Duration.minutes(15) },
    );
    const channel = training.channels.find((c) => c.name === 'train') ?? training.channels[0];
    if (channel !== undefined)
      this.grantPrefixRead(buildBaseline.role, channel.s3Uri, 'Reads the training channel.');
    grantObjectWrite(
      buildBaseline.role,
      props.artifacts,
      '',
      `Writes baselines of ${endpoint.name}'s training runs.`,
    );
    const evaluate = workflowFunction(
      this,
      'Evaluate',
      'evaluate-candidate.ts',
      'score the candidate against the champion',
      options,
      {
        memorySize: 2048,
        timeout: Duration.minutes(15),
      },
    );
    grantListAndRead(
      evaluate.role,
      props.artifacts,
      '',
      `Reads predictions of ${endpoint.name}'s training runs.`,
    );
    grantObjectWrite(
      evaluate.role,
      props.artifacts,
      '',
      `Writes evaluations of ${endpoint.name}'s training runs.`,
    );
    this.functions = {
      guard: guard.function,
      resolveChampion: resolveChampion.function,
      buildBaseline: buildBaseline.function,
      evaluate: evaluate.function,
    };

    const artifactsS3Uri = `s3://${props.artifacts.bucket.bucketName}${props.artifacts.prefix === '' ? '' : `/${props.artifacts.prefix}`}`;
    this.stateMachine = createWorkflowStateMachine(this, {
      stateMachineName,
      comment: `driftwatch retraining of endpoint ${endpoint.name}: guard, train, evaluate, gate, register`,
      definition: retrainingDefinition(new Construct(this, 'States'), {
        endpointName: endpoint.name,
        modelPackageGroupName: props.modelPackageGroupName,
        retraining,
        sageMakerRoleArn: this.sageMakerRole.roleArn,
        artifactsS3Uri,
        functions: { ...this.functions, audit: props.auditFunction },
        topic: props.topic,
      }),
      timeout: Duration.seconds(training.maxRuntimeSeconds).plus(Duration.hours(12)),
      logRetention: props.logRetention,
    });
    this.grantJobs(endpoint.name, evaluation.mode === 'batch-transform' ? 'TransformJob' : 'ProcessingJob');

    if (props.retrainAlarm !== undefined) {
      this.alarmRule = new events.Rule(this, 'RetrainAlarmRule', {
        description: `driftwatch: retrain ${endpoint.name} when its retrain alarm enters ALARM`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: [props.retrainAlarm.alarmArn],
          detail: { state: { value: ['ALARM'] } },
        },
        targets: [startExecutionTarget(this.stateMachine, props.deadLetterQueue)],
      });
    }
    if (retraining.schedule !== undefined) {
      const role = new iam.Role(this, 'ScheduleRole', {
        assumedBy: sameAccountServicePrincipal(this, 'scheduler.amazonaws.com'),
        description: `Lets EventBridge Scheduler start retraining of ${endpoint.name}`,
      });
      this.schedule = new scheduler.Schedule(this, 'Schedule', {
        description: `driftwatch: scheduled retraining of endpoint ${endpoint.name}`,
        schedule: scheduler.ScheduleExpression.expression(retraining.schedule),
        target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
          role,
          input: scheduler.ScheduleTargetInput.fromObject({ trigger: 'schedule' }),
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
        }),
      });
    }
    this.acknowledgeFindings(props);
  }

  /** Allows starting a retraining by hand (`{"trigger": "manual", "reason": "..."}`). */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** Failed executions (AWS/States `ExecutionsFailed`, Sum). */
  metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  private grantPrefixRead(grantee: iam.IGrantable, uri: string, why: string): void {
    grantListAndRead(grantee, this.imports.locationOf(uri), '', why);
  }

  /** The SageMaker execution role: reads the channels and holdout, writes models and predictions, pulls images. */
  private createSageMakerRole(props: RetrainingWorkflowProps): iam.Role {
    const retraining = props.endpoint.retraining;
    if (retraining === undefined) throw new Error('unreachable: retraining checked by the constructor');
    const { training, evaluation } = retraining;
    const role = new iam.Role(this, 'SageMakerExecutionRole', {
      assumedBy: sameAccountServicePrincipal(this, 'sagemaker.amazonaws.com'),
      description: `Runs the training and scoring jobs and candidate models of ${props.endpoint.name}`,
    });
    for (const channel of training.channels) {
      this.grantPrefixRead(role, channel.s3Uri, `Training reads channel ${channel.name}.`);
    }
    this.grantPrefixRead(role, evaluation.holdoutS3Uri, 'Scoring jobs read the holdout.');
    const output = this.imports.locationOf(training.outputS3Uri);
    grantObjectWrite(role, output, '', 'Training writes model artifacts under the configured output prefix.');
    this.grantPrefixRead(
      role,
      training.outputS3Uri,
      'Candidate models and scoring jobs read the trained artifacts.',
    );
    grantListAndRead(role, props.artifacts, '', 'Scoring jobs read their own outputs (multipart uploads).');
    grantObjectWrite(role, props.artifacts, '', 'Scoring jobs write predictions under the run prefix.');
    const images = [training.image, training.inferenceImage, evaluation.processingImage].filter(
      (image): image is string => image !== undefined,
    );
    if (images.length > 0) {
      grant(
        role,
        ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        [...new Set(images.map((image) => ecrRepositoryArn(this, image)))],
        'Pulls the configured training, inference and processing images only.',
      );
    }
    grant(
      role,
      ['ecr:GetAuthorizationToken'],
      ['*'],
      'ecr:GetAuthorizationToken supports no resource-level permissions; the only valid resource is "*".',
    );
    grant(
      role,
      ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: '/aws/sagemaker/*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      'SageMaker jobs write their logs to log groups named /aws/sagemaker/<job type>, created on first use.',
    );
    const metrics = new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
    });
    role.addToPrincipalPolicy(metrics);
    acknowledgeWildcards(
      defaultPolicyOf(role),
      metrics,
      'cloudwatch:PutMetricData supports no resource-level permissions; it is limited to the /aws/sagemaker/* namespaces.',
    );
    return role;
  }

  /** The state machine's permissions for its `.sync` SageMaker jobs and for passing the SageMaker role. */
  private grantJobs(endpointName: string, scoring: 'TransformJob' | 'ProcessingJob'): void {
    const role = this.stateMachine.role;
    const kinds: [string, string, string][] = [
      ['TrainingJob', 'training-job', 'TrainingJobs'],
      [scoring, scoring === 'TransformJob' ? 'transform-job' : 'processing-job', `${scoring}s`],
    ];
    for (const [job, resource, rule] of kinds) {
      grant(
        role,
        [`sagemaker:Create${job}`, `sagemaker:Describe${job}`, `sagemaker:Stop${job}`, 'sagemaker:AddTags'],
        [createdBy(this, resource, endpointName)],
        `Runs ${job}s named after the endpoint (<endpoint>-<time>-<hash>[-champion|-challenger]) only.`,
      );
      grant(
        role,
        ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        [
          Stack.of(this).formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: `StepFunctionsGetEventsForSageMaker${rule}Rule`,
          }),
        ],
        'The .sync integration waits for the job through this Step Functions-managed rule.',
      );
    }
    grant(
      role,
      ['sagemaker:AddTags'],
      [createdBy(this, 'model', endpointName)],
      'Tags the candidate models it creates.',
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.sageMakerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
  }

  private acknowledgeFindings(props: RetrainingWorkflowProps): void {
    acknowledgeWorkflowFindings(this.stateMachine, [...Object.values(this.functions), props.auditFunction]);
    const policy = defaultPolicyOf(this.stateMachine.role);
    acknowledgeWildcards(
      policy,
      new iam.PolicyStatement({
        actions: ['sagemaker:createModel'],
        resources: [createdBy(this, 'model', props.endpoint.name)],
      }),
      'Creates candidate models named after the endpoint only.',
    );
    acknowledgeWildcards(
      policy,
      new iam.PolicyStatement({
        actions: ['sagemaker:createModelPackage'],
        resources: [sageMakerArn(this, 'model-package', `${props.modelPackageGroupName}/*`)],
      }),
      "Registers versions in the endpoint's own model package group only.",
    );
  }
}

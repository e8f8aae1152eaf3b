import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  BaselineError,
  ConfigurationError,
  InputError,
  InvalidEventError,
  ObjectNotFoundError,
} from '../../functions/errors.js';
import { joinKey } from '../../functions/shared/s3-layout.js';
import { acknowledgeGeneratedPolicy } from '../nag.js';
import { acknowledgeWorkflowFindings, createWorkflowStateMachine } from '../workflows/state-machine.js';
import type { ICaptureSource } from './capture-source.js';

/** The longest range one backfill execution evaluates, in hours (92 days), so its window list stays small. */
export const MAX_BACKFILL_HOURS = 2208;

/**
 * Errors of the handlers that no retry can fix (functions/errors.ts, by class name: the Retry contract); anything
 * else, StorageError included, is retried.
 */
export const NON_RETRYABLE_ERRORS: readonly string[] = [
  BaselineError,
  ConfigurationError,
  InputError,
  InvalidEventError,
  ObjectNotFoundError,
].map((error) => error.name);

/** Properties of a {@link BackfillWorkflow}. */
export interface BackfillWorkflowProps {
  /** The monitored SageMaker endpoint. */
  readonly endpointName: string;
  /** Where the endpoint's capture objects are. */
  readonly captureSource: ICaptureSource;
  /** The ingest function (invoked with `{bucket, key}` per capture object). */
  readonly ingestFunction: lambda.IFunction;
  /** The evaluate function (invoked with `{endpoint, windowEnd}` per hour of the range). */
  readonly evaluateFunction: lambda.IFunction;
  /**
   * Capture objects ingested in parallel.
   * @default 50
   */
  readonly ingestConcurrency?: number;
  /**
   * Windows evaluated in parallel.
   * @default 5
   */
  readonly evaluateConcurrency?: number;
  /**
   * Percentage of capture objects that may fail (after retries) without failing the backfill.
   * @default 0
   */
  readonly toleratedFailurePercentage?: number;
  /**
   * Longest an execution may run.
   * @default Duration.hours(24)
   */
  readonly timeout?: Duration;
  /**
   * Retention of the execution log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Backfill of one endpoint's history (or of everything, for users who outgrow per-object events): a Step Functions
 * state machine that lists the capture objects under a prefix (Distributed Map, S3 ListObjectsV2 item reader), ingests
 * those whose capture hour lies in `[from, to)` with bounded concurrency, then evaluates the window ending at each
 * hour of the range.
 *
 * Input: `{"from": "<ISO time>", "to": "<ISO time>", "prefix"?: "<key prefix under the endpoint's capture prefix>"}`;
 * `from` is rounded down and `to` up to whole hours; the range may span at most {@link MAX_BACKFILL_HOURS} hours.
 *
 * @example
 * const backfill = new BackfillWorkflow(this, 'Backfill', {
 *   endpointName: 'churn-endpoint',
 *   captureSource: capture,
 *   ingestFunction: ingestion.function,
 *   evaluateFunction: evaluation.function,
 *   ingestConcurrency: 20,
 * });
 */
export class BackfillWorkflow extends Construct {
  /** The state machine. */
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: BackfillWorkflowProps) {
    super(scope, id);
    const ingestConcurrency = props.ingestConcurrency ?? 50;
    const evaluateConcurrency = props.evaluateConcurrency ?? 5;
    const tolerated = props.toleratedFailurePercentage ?? 0;
    for (const [name, value] of [
      ['ingestConcurrency', ingestConcurrency],
      ['evaluateConcurrency', evaluateConcurrency],
    ] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 10_000) {
        throw new Error(`${this.node.path}: ${name} must be an integer from 1 to 10000, got ${value}`);
      }
    }
    if (!(tolerated >= 0 && tolerated <= 100)) {
      throw new Error(`${this.node.path}: toleratedFailurePercentage must be 0-100, got ${tolerated}`);
    }
    const capture = props.captureSource;
    const endpointPrefix = capture.endpointPrefix(props.endpointName);
    const captureDepth = capture.prefix === '' ? 0 : joinKey(capture.prefix).split('/').length;

    const plan = sfn.Pass.jsonata(this, 'Plan', {
      comment: 'Validates the input and lists the hours of the range (JSONata: date arithmetic).',
      outputs: planExpression(endpointPrefix),
    });

    const ingestObjects = new sfn.DistributedMap(this, 'IngestObjects', {
      comment: 'Ingests every capture object under the prefix whose capture hour lies in [from, to).',
      itemReader: new PrefixScopedS3ObjectsItemReader(capture, endpointPrefix),
      itemSelector: {
        bucket: capture.bucket.bucketName,
        'key.$': '$$.Map.Item.Value.Key',
        'from.$': '$.from',
        'to.$': '$.to',
      },
      maxConcurrency: ingestConcurrency,
      toleratedFailurePercentage: tolerated === 0 ? undefined : tolerated,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      resultPath: sfn.JsonPath.DISCARD,
      label: 'IngestObjects',
    });
    ingestObjects.itemProcessor(this.ingestItemPath(props.ingestFunction, captureDepth));

    const evaluateWindows = new sfn.DistributedMap(this, 'EvaluateWindows', {
      comment: 'Evaluates the window ending at each hour of the range.',
      itemsPath: '$.windowEnds',
      itemSelector: { endpoint: props.endpointName, 'windowEnd.$': '$$.Map.Item.Value' },
      maxConcurrency: evaluateConcurrency,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      resultPath: sfn.JsonPath.DISCARD,
      label: 'EvaluateWindows',
    });
    const evaluate = new tasks.LambdaInvoke(this, 'EvaluateWindow', {
      lambdaFunction: props.evaluateFunction,
      payload: sfn.TaskInput.fromObject({ 'endpoint.$': '$.endpoint', 'windowEnd.$': '$.windowEnd' }),
      payloadResponseOnly: true,
    });
    addRetries(evaluate);
    evaluateWindows.itemProcessor(evaluate);

    this.stateMachine = createWorkflowStateMachine(this, {
      comment: `driftwatch backfill of endpoint ${props.endpointName}: ingest capture objects, then evaluate windows`,
      definition: plan.next(ingestObjects).next(evaluateWindows).next(new sfn.Succeed(this, 'Done')),
      timeout: props.timeout ?? Duration.hours(24),
      logRetention: props.logRetention,
    });
    this.acknowledgeFindings(props);
  }

  /** Executions that failed (AWS/States `ExecutionsFailed`, Sum). */
  metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /** Allows starting a backfill. */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  // The per-item path, in JSONPath so that it also runs locally: split the key, check SageMaker's layout
  // (<capture>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>), build the capture hour, keep it if from <= hour < to.
  private ingestItemPath(ingestFunction: lambda.IFunction, captureDepth: number): sfn.IChainable {
    const segments = captureDepth + 7;
    const year = captureDepth + 2;
    const skip = new sfn.Succeed(this, 'SkipObject', {
      comment: "Not SageMaker's capture layout, or outside the time range.",
    });
    const splitKey = new sfn.Pass(this, 'SplitKey', {
      parameters: {
        'bucket.$': '$.bucket',
        'key.$': '$.key',
        'from.$': '$.from',
        'to.$': '$.to',
        'parts.$': "States.StringSplit($.key, '/')",
        'segments.$': "States.ArrayLength(States.StringSplit($.key, '/'))",
      },
    });
    const part = (offset: number) => `States.ArrayGetItem($.parts, ${year + offset})`;
    const captureHour = new sfn.Pass(this, 'CaptureHour', {
      parameters: {
        'bucket.$': '$.bucket',
        'key.$': '$.key',
        'from.$': '$.from',
        'to.$': '$.to',
        'hour.$': `States.Format('{}-{}-{}T{}:00:00Z', ${part(0)}, ${part(1)}, ${part(2)}, ${part(3)})`,
      },
    });
    const ingest = new tasks.LambdaInvoke(this, 'Ingest', {
      lambdaFunction: ingestFunction,
      payload: sfn.TaskInput.fromObject({ 'bucket.$': '$.bucket', 'key.$': '$.key' }),
      payloadResponseOnly: true,
      resultPath: sfn.JsonPath.DISCARD,
    });
    addRetries(ingest);
    const inRange = new sfn.Choice(this, 'InRange')
      .when(
        sfn.Condition.and(
          sfn.Condition.isTimestamp('$.hour'),
          sfn.Condition.timestampGreaterThanEqualsJsonPath('$.hour', '$.from'),
          sfn.Condition.timestampLessThanJsonPath('$.hour', '$.to'),
        ),
        ingest,
      )
      .otherwise(skip);
    const isCaptureKey = new sfn.Choice(this, 'IsCaptureKey')
      .when(sfn.Condition.numberEquals('$.segments', segments), captureHour.next(inRange))
      .otherwise(skip);
    return splitKey.next(isCaptureKey);
  }

  private acknowledgeFindings(props: BackfillWorkflowProps): void {
    acknowledgeWorkflowFindings(this.stateMachine, [props.ingestFunction, props.evaluateFunction]);
    const distributedMapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (distributedMapPolicy !== undefined) {
      acknowledgeGeneratedPolicy(
        distributedMapPolicy,
        'states:',
        'A Distributed Map starts, describes, stops and redrives child executions of this state machine, whose ' +
          'names Step Functions generates.',
      );
    }
  }
}

function addRetries(task: tasks.LambdaInvoke): void {
  // Retriers match in order: input and baseline problems are final; anything else (S3 5xx after the SDK's own
  // retries, timeouts, throttling) is retried with backoff.
  task.addRetry({ errors: [...NON_RETRYABLE_ERRORS], maxAttempts: 0 });
  task.addRetry({
    errors: [sfn.Errors.ALL],
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 3,
    jitterStrategy: sfn.JitterType.FULL,
  });
}

/**
 * The JSONata of the Plan state: checks `prefix` (default: the endpoint's capture prefix), `from` and `to`, rounds
 * them to whole hours and lists `windowEnds` (every hour end in `(from, to]`), all as `YYYY-MM-DDTHH:MM:SSZ`.
 */
export function planExpression(endpointPrefix: string): string {
  // One line: a JSONata field is "{% <expression> %}" and validators read it as a single-line string.
  return oneLine(`{% (
  $base := ${JSON.stringify(endpointPrefix)};
  $in := $states.input;
  $hour := 3600000;
  $picture := '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]Z';
  $prefix := $exists($in.prefix) ? $in.prefix : $base;
  $type($prefix) = 'string' and $substring($prefix, 0, $length($base)) = $base
    ? null : $error('prefix must start with ' & $base & ', got ' & $string($prefix));
  $type($in.from) = 'string' and $type($in.to) = 'string'
    ? null : $error('from and to must be ISO 8601 times, e.g. 2026-11-01T00:00:00Z');
  $start := $floor($toMillis($in.from) / $hour) * $hour;
  $end := $ceil($toMillis($in.to) / $hour) * $hour;
  $hours := ($end - $start) / $hour;
  $hours >= 1 and $hours <= ${MAX_BACKFILL_HOURS}
    ? null : $error('the range from ' & $in.from & ' to ' & $in.to & ' must span 1 to ${MAX_BACKFILL_HOURS} hours');
  {
    'prefix': $prefix,
    'from': $fromMillis($start, $picture),
    'to': $fromMillis($end, $picture),
    'windowEnds': [$map([1..$hours], function($i) { $fromMillis($start + $i * $hour, $picture) })]
  }
) %}`);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/**
 * The S3 ListObjectsV2 item reader, with `s3:ListBucket` limited (condition `s3:prefix`) to one endpoint's capture
 * prefix instead of the whole bucket.
 */
class PrefixScopedS3ObjectsItemReader implements sfn.IItemReader {
  readonly bucket: ICaptureSource['bucket'];
  readonly resource: string;
  private readonly reader: sfn.S3ObjectsItemReader;

  constructor(
    private readonly capture: ICaptureSource,
    private readonly allowedPrefix: string,
  ) {
    this.bucket = capture.bucket;
    this.reader = new sfn.S3ObjectsItemReader({
      bucket: capture.bucket,
      prefix: sfn.JsonPath.stringAt('$.prefix'),
    });
    this.resource = this.reader.resource;
  }

  render(queryLanguage?: sfn.QueryLanguage): unknown {
    return this.reader.render(queryLanguage);
  }

  providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.capture.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${this.allowedPrefix}*`] } },
      }),
    ];
  }

  validateItemReader(): string[] {
    return this.reader.validateItemReader();
  }
}

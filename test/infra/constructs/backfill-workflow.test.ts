import aslValidator from 'asl-validator';
import { Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
// jsonata is the engine Step Functions' JSONata states follow (it is installed with asl-validator).
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import * as errors from '../../../functions/errors.js';
import {
  BackfillWorkflow,
  type BackfillWorkflowProps,
  MAX_BACKFILL_HOURS,
  NON_RETRYABLE_ERRORS,
  planExpression,
} from '../../../lib/constructs/backfill-workflow.js';
import { CaptureSource } from '../../../lib/constructs/capture-source.js';
import { type AslDefinition, type AslState, type CfnTemplate, stateMachineAsl } from '../../support/asl.js';
import { s3Arn, statementsOfRole, testStack } from '../support.js';

const PREFIX = 'datacapture/churn-endpoint/';

function setup(props: Partial<BackfillWorkflowProps> = {}) {
  const stack = testStack();
  const captureSource = new CaptureSource(stack, 'Capture', {
    capturePrefix: 'datacapture',
    existingBucket: s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data'),
  });
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => ({});'),
    });
  const backfill = new BackfillWorkflow(stack, 'Backfill', {
    endpointName: 'churn-endpoint',
    captureSource,
    ingestFunction: fn('IngestFn'),
    evaluateFunction: fn('EvaluateFn'),
    ...props,
  });
  const template = Template.fromStack(stack);
  return { stack, backfill, template, asl: stateMachineAsl(template.toJSON() as CfnTemplate) };
}

function state(asl: AslDefinition, name: string): AslState {
  const found = asl.States[name];
  if (found === undefined) {
    throw new Error(`no state ${name}`);
  }
  return found;
}

function itemStates(map: AslState): AslDefinition {
  return map.ItemProcessor as AslDefinition;
}

/** The plan's JSONata output for an input, as Step Functions evaluates `{% ... %}` with `$states.input` bound. */
async function plan(asl: AslDefinition, input: unknown): Promise<unknown> {
  const output = String(state(asl, 'Plan').Output);
  const expression = output.replace(/^\{%/, '').replace(/%\}$/, '');
  return JSON.parse(JSON.stringify(await jsonata(expression).evaluate({}, { states: { input } })));
}

/**
 * The definition after the Plan state, runnable by aws-local-stepfunctions: the S3 item reader (a service call) is
 * replaced by items from the input (`$.items`, shaped like ListObjectsV2 items); everything else is as synthesized.
 */
function localDefinition(asl: AslDefinition): AslDefinition {
  const { ItemReader: _reader, ...ingest } = state(asl, 'IngestObjects');
  return {
    StartAt: 'IngestObjects',
    States: {
      IngestObjects: { ...ingest, ItemsPath: '$.items' },
      EvaluateWindows: state(asl, 'EvaluateWindows'),
      Done: state(asl, 'Done'),
    },
  };
}

const item = (hourPath: string, file = 'f.jsonl', variant = 'AllTraffic') => ({
  Key: `${PREFIX}${variant}/${hourPath}/${file}`,
  Size: 100,
  Etag: '"e"',
  LastModified: 1_764_151_200,
});

async function runLocally(
  asl: AslDefinition,
  input: Record<string, unknown>,
  handlers: { Ingest?: (input: unknown) => unknown; EvaluateWindow?: (input: unknown) => unknown } = {},
) {
  const ingested: unknown[] = [];
  const evaluated: unknown[] = [];
  const machine = new StateMachine(localDefinition(asl) as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: {
        Ingest: (event) => {
          ingested.push(event);
          return (handlers.Ingest?.(event) ?? { status: 'ingested' }) as never;
        },
        EvaluateWindow: (event) => {
          evaluated.push(event);
          return (handlers.EvaluateWindow?.(event) ?? { status: 'evaluated' }) as never;
        },
      },
      retryIntervalOverrides: { Ingest: 0, EvaluateWindow: 0 },
    },
  });
  return { result: execution.result, ingested, evaluated };
}

describe('BackfillWorkflow', () => {
  it('computes Plan, then a Distributed Map over the S3 listing, then a Distributed Map over the windows', () => {
    // Given a backfill with default settings
    const { asl } = setup();
    // When its definition is read
    const ingest = state(asl, 'IngestObjects');
    const evaluate = state(asl, 'EvaluateWindows');
    // Then the S3 listing under the planned prefix feeds bounded, standard child executions
    expect(asl.StartAt).toBe('Plan');
    expect(state(asl, 'Plan')).toMatchObject({
      Type: 'Pass',
      QueryLanguage: 'JSONata',
      Next: 'IngestObjects',
    });
    expect(ingest).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { Bucket: 'example-ml-data', 'Prefix.$': '$.prefix' },
      },
      ItemSelector: {
        bucket: 'example-ml-data',
        'key.$': '$$.Map.Item.Value.Key',
        'from.$': '$.from',
        'to.$': '$.to',
      },
      MaxConcurrency: 50,
      ResultPath: null,
      Label: 'IngestObjects',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      Next: 'EvaluateWindows',
    });
    expect(ingest.ToleratedFailurePercentage).toBeUndefined();
    expect(evaluate).toMatchObject({
      ItemsPath: '$.windowEnds',
      ItemSelector: { endpoint: 'churn-endpoint', 'windowEnd.$': '$$.Map.Item.Value' },
      MaxConcurrency: 5,
      ResultPath: null,
      Next: 'Done',
    });
    expect(state(asl, 'Done').Type).toBe('Succeed');
    expect(asl.TimeoutSeconds).toBe(86_400);
  });

  it('computes a definition that the ASL validator accepts', () => {
    // Given the synthesized definition
    const { asl } = setup();
    // When it is validated against the Amazon States Language schemas
    const result = aslValidator(asl);
    // Then it is valid
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('computes the configured concurrency and failure tolerance', () => {
    // Given explicit settings
    const { asl } = setup({ ingestConcurrency: 7, evaluateConcurrency: 2, toleratedFailurePercentage: 5 });
    // When / Then they appear on the maps
    expect(state(asl, 'IngestObjects')).toMatchObject({ MaxConcurrency: 7, ToleratedFailurePercentage: 5 });
    expect(state(asl, 'EvaluateWindows')).toMatchObject({ MaxConcurrency: 2 });
  });

  it('computes retries that skip the errors no retry can fix and retry the rest with backoff', () => {
    // Given the definition
    const { asl } = setup();
    // When the retriers of both tasks are read
    const ingest = state(itemStates(state(asl, 'IngestObjects')), 'Ingest');
    const evaluate = state(itemStates(state(asl, 'EvaluateWindows')), 'EvaluateWindow');
    // Then the handlers' final errors (by class name, functions/errors.ts) are not retried, StorageError is
    expect(NON_RETRYABLE_ERRORS).toEqual([
      errors.BaselineError.name,
      errors.ConfigurationError.name,
      errors.InputError.name,
      errors.InvalidEventError.name,
      errors.ObjectNotFoundError.name,
    ]);
    expect(NON_RETRYABLE_ERRORS).not.toContain(errors.StorageError.name);
    for (const task of [ingest, evaluate]) {
      expect(task.Retry).toEqual([
        expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.ServiceException']) }),
        { ErrorEquals: [...NON_RETRYABLE_ERRORS], MaxAttempts: 0 },
        {
          ErrorEquals: ['States.ALL'],
          IntervalSeconds: 5,
          MaxAttempts: 3,
          BackoffRate: 2,
          JitterStrategy: 'FULL',
        },
      ]);
    }
    expect(ingest).toMatchObject({
      Resource: expect.stringMatching(/^arn:aws:lambda:us-east-1:111111111111:function:IngestFn/),
      Parameters: { 'bucket.$': '$.bucket', 'key.$': '$.key' },
    });
  });

  it('computes the plan: whole hours, one window end per hour, prefix defaulting to the endpoint', async () => {
    // Given the Plan state's expression
    const { asl } = setup();
    // When it is evaluated on a range that starts and ends mid-hour (window ends computed by hand)
    const output = await plan(asl, { from: '2026-11-26T10:30:00Z', to: '2026-11-26T12:10:00Z' });
    // Then from rounds down, to rounds up, and each hour of the range ends one window
    expect(output).toEqual({
      prefix: PREFIX,
      from: '2026-11-26T10:00:00Z',
      to: '2026-11-26T13:00:00Z',
      windowEnds: ['2026-11-26T11:00:00Z', '2026-11-26T12:00:00Z', '2026-11-26T13:00:00Z'],
    });
  });

  it('computes the plan of one hour across midnight with an offset time and a narrower prefix', async () => {
    // Given a one-hour range written with a +02:00 offset (22:00-23:00Z) and a variant prefix
    const { asl } = setup();
    // When it is planned
    const output = await plan(asl, {
      from: '2026-11-27T00:00:00+02:00',
      to: '2026-11-27T01:00:00+02:00',
      prefix: `${PREFIX}AllTraffic/2026/11/26/`,
    });
    // Then times are UTC and the single window end is still a list
    expect(output).toEqual({
      prefix: `${PREFIX}AllTraffic/2026/11/26/`,
      from: '2026-11-26T22:00:00Z',
      to: '2026-11-26T23:00:00Z',
      windowEnds: ['2026-11-26T23:00:00Z'],
    });
  });

  it('throws when the plan input is unusable', async () => {
    // Given inputs with a foreign prefix, missing times, an empty range, a too-long range and a bad time
    const { asl } = setup();
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { from: '2026-11-26T10:00:00Z', to: '2026-11-26T11:00:00Z', prefix: 'datacapture/other/' },
        /prefix must start with datacapture\/churn-endpoint\/, got datacapture\/other\//,
      ],
      [{ to: '2026-11-26T11:00:00Z' }, /from and to must be ISO 8601 times/],
      [{ from: '2026-11-26T10:00:00Z', to: '2026-11-26T10:00:00Z' }, /must span 1 to 2208 hours/],
      [{ from: '2026-01-01T00:00:00Z', to: '2026-04-05T00:00:00Z' }, /must span 1 to 2208 hours/],
      [{ from: 'yesterday', to: '2026-11-26T11:00:00Z' }, /ISO 8601/],
    ];
    // When each is planned / Then the state fails with a message naming the problem
    for (const [input, message] of cases) {
      await expect(plan(asl, input)).rejects.toThrow(message);
    }
    expect(MAX_BACKFILL_HOURS).toBe(2208);
  });

  it('computes the per-item path locally: only capture objects of the range are ingested, with {bucket, key}', async () => {
    // Given listed objects: two in range, one on each side of it, one not in SageMaker's layout, one with a
    // non-numeric hour path, and one of another variant in range
    const { asl } = setup();
    const planned = await plan(asl, { from: '2026-11-26T10:00:00Z', to: '2026-11-26T12:00:00Z' });
    const items = [
      item('2026/11/26/10', 'a.jsonl'),
      item('2026/11/26/12', 'b.jsonl'),
      item('2026/11/26/09', 'c.jsonl'),
      item('2026/11/26/11', 'd.jsonl'),
      { ...item('x', 'e'), Key: `${PREFIX}notes.txt` },
      item('yyyy/11/26/11', 'f.jsonl'),
      item('2026/11/26/11', 'g.jsonl', 'Canary'),
    ];
    // When the definition after Plan runs locally
    const run = await runLocally(asl, { ...(planned as object), items });
    await run.result;
    // Then exactly the in-range capture objects were ingested, then each window of the range evaluated
    expect(run.ingested).toEqual([
      { bucket: 'example-ml-data', key: `${PREFIX}AllTraffic/2026/11/26/10/a.jsonl` },
      { bucket: 'example-ml-data', key: `${PREFIX}AllTraffic/2026/11/26/11/d.jsonl` },
      { bucket: 'example-ml-data', key: `${PREFIX}Canary/2026/11/26/11/g.jsonl` },
    ]);
    expect(run.evaluated).toEqual([
      { endpoint: 'churn-endpoint', windowEnd: '2026-11-26T11:00:00Z' },
      { endpoint: 'churn-endpoint', windowEnd: '2026-11-26T12:00:00Z' },
    ]);
  });

  it('computes the per-item path at the bucket root when the capture prefix is empty', async () => {
    // Given capture at the bucket root (the hour segments sit two places earlier)
    const stack = testStack();
    const captureSource = new CaptureSource(stack, 'Capture', {
      capturePrefix: '',
      existingBucket: s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data'),
    });
    const fn = (id: string) =>
      new lambda.Function(stack, id, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('x'),
      });
    new BackfillWorkflow(stack, 'Backfill', {
      endpointName: 'churn-endpoint',
      captureSource,
      ingestFunction: fn('I'),
      evaluateFunction: fn('E'),
    });
    const asl = stateMachineAsl(Template.fromStack(stack).toJSON() as CfnTemplate);
    // When a root-level capture object of the range runs through the item path
    const run = await runLocally(asl, {
      from: '2026-11-26T10:00:00Z',
      to: '2026-11-26T11:00:00Z',
      windowEnds: [],
      items: [{ Key: 'churn-endpoint/AllTraffic/2026/11/26/10/a.jsonl' }],
    });
    await run.result;
    // Then it is ingested
    expect(run.ingested).toEqual([
      { bucket: 'example-ml-data', key: 'churn-endpoint/AllTraffic/2026/11/26/10/a.jsonl' },
    ]);
  });

  it('throws when ingest fails with BaselineError (no retry), and retries a StorageError until it succeeds', async () => {
    // Given an ingest function that fails with a baseline problem, and one that fails twice with storage errors
    const { asl } = setup();
    const input = {
      from: '2026-11-26T10:00:00Z',
      to: '2026-11-26T11:00:00Z',
      windowEnds: ['2026-11-26T11:00:00Z'],
      items: [item('2026/11/26/10')],
    };
    const baseline = await runLocally(asl, input, {
      Ingest: () => {
        throw new errors.BaselineError('no baseline');
      },
    });
    let storageFailures = 0;
    const storage = await runLocally(asl, input, {
      Ingest: () => {
        storageFailures += 1;
        if (storageFailures < 3) {
          throw new errors.StorageError('S3 503');
        }
        return { status: 'ingested' };
      },
    });
    // When both run / Then the baseline failure fails the execution after one attempt and no window is evaluated
    const failure = await baseline.result.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExecutionError);
    expect((failure as ExecutionError).cause).toMatchObject({
      name: 'BaselineError',
      message: 'no baseline',
    });
    expect(baseline.ingested).toHaveLength(1);
    expect(baseline.evaluated).toEqual([]);
    // and the storage failure is retried until it succeeds, then the window is evaluated
    await storage.result;
    expect(storage.ingested).toHaveLength(3);
    expect(storage.evaluated).toEqual([{ endpoint: 'churn-endpoint', windowEnd: '2026-11-26T11:00:00Z' }]);
  });

  it('computes a role that lists the endpoint prefix only and invokes the two functions', () => {
    // Given a backfill
    const { stack, backfill, template } = setup();
    // When its role is inspected
    const statements = statementsOfRole(template, stack, backfill.stateMachine.role as iam.IRole);
    // Then listing is limited to the endpoint's capture prefix and logging and tracing are on
    expect(statements).toContainEqual({
      Action: 's3:ListBucket',
      Effect: 'Allow',
      Resource: s3Arn('example-ml-data'),
      Condition: { StringLike: { 's3:prefix': [`${PREFIX}*`] } },
    });
    const invoke = statements.find((statement) => statement.Action === 'lambda:InvokeFunction');
    expect(JSON.stringify(invoke?.Resource)).toMatch(/IngestFn.*EvaluateFn|EvaluateFn.*IngestFn/);
    expect(statements.some((statement) => JSON.stringify(statement).includes('s3:GetObject'))).toBe(false);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
  });

  it('throws when a concurrency or the failure tolerance is out of range', () => {
    // Given settings outside their limits
    // When / Then each is refused with its name and value
    expect(() => setup({ ingestConcurrency: 0 })).toThrow(
      /ingestConcurrency must be an integer from 1 to 10000, got 0/,
    );
    expect(() => setup({ evaluateConcurrency: 2.5 })).toThrow(
      /evaluateConcurrency must be an integer .* got 2\.5/,
    );
    expect(() => setup({ toleratedFailurePercentage: 150 })).toThrow(
      /toleratedFailurePercentage must be 0-100, got 150/,
    );
  });

  it('computes the plan expression for a prefix with quotes safely', async () => {
    // Given a capture prefix containing both quote characters
    const expression = planExpression(`it's "odd"/churn-endpoint/`).replace(/^\{%/, '').replace(/%\}$/, '');
    // When it is evaluated without a prefix in the input
    const output = (await jsonata(expression).evaluate(
      {},
      {
        states: { input: { from: '2026-11-26T10:00:00Z', to: '2026-11-26T11:00:00Z' } },
      },
    )) as { prefix: string };
    // Then the default prefix is the exact string
    expect(output.prefix).toBe(`it's "odd"/churn-endpoint/`);
  });
});

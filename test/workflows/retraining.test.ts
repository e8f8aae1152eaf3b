import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../scripts/local/asl.js';
import {
  aslOf,
  failingFirst,
  firstCall,
  type TaskHandler,
  taskError,
} from '../../scripts/local/state-machine.js';
import { lifecycleApp } from './support.js';
import { ENDPOINT, World } from './world.js';

// The retraining state machine as synthesized from the example configuration, executed locally on every path.
// SageMaker and SNS tasks are answered here (their received Parameters are asserted); the driftwatch functions
// are the real handlers over in-memory ports.

let template: Template;
let asl: AslDefinition;

beforeAll(() => {
  template = lifecycleApp().template();
  asl = aslOf(template, 'churnendpointRetrainingStateMachine');
});

const alarmEvent = {
  version: '0',
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  resources: ['arn:aws:cloudwatch:us-east-1:111111111111:alarm:churn-retrain'],
  detail: { alarmName: 'churn-retrain', state: { value: 'ALARM', reason: 'Threshold Crossed: drift' } },
};

const ARTIFACTS = 's3://example-ml-data/driftwatch/reports/churn-endpoint/retraining/churn-endpoint';

type Verdict = 'PROMOTE' | 'REJECT' | 'INCONCLUSIVE';

/** The states inside the parallel scoring step (they run concurrently, so their order is not asserted). */
const BRANCHES = ['Score champion', 'Score challenger', 'Profile training data'];
const mainPath = (states: string[]) => states.filter((s) => !BRANCHES.includes(s));

/** SageMaker, SNS and the two data functions, answering as a healthy account does. */
function sageMaker(verdict: Verdict = 'PROMOTE'): Record<string, TaskHandler> {
  return {
    Train: (input) => {
      const job = (input as { TrainingJobName: string }).TrainingJobName;
      return {
        TrainingJobName: job,
        TrainingJobArn: `arn:aws:sagemaker:us-east-1:111111111111:training-job/${job}`,
        TrainingJobStatus: 'Completed',
        ModelArtifacts: { S3ModelArtifacts: `s3://example-ml-data/churn/models/${job}/output/model.tar.gz` },
      };
    },
    'Create candidate model': () => ({ ModelArn: 'arn:model' }),
    'Score champion': () => ({ TransformJobStatus: 'Completed' }),
    'Score challenger': () => ({ TransformJobStatus: 'Completed' }),
    'Profile training data': (input) => {
      const output = (input as { output: string }).output;
      return {
        statisticsS3Uri: `${output}statistics.json`,
        constraintsS3Uri: `${output}constraints.json`,
        baselineS3Uri: `${output}baseline.json`,
        rows: 2666,
      };
    },
    'Evaluate candidate': (input) => {
      const { report } = input as { report: string };
      return {
        verdict,
        reasons:
          verdict === 'PROMOTE'
            ? ['all 3 checks passed']
            : verdict === 'REJECT'
              ? ['auc 0.61 misses the floor (>= 0.75)']
              : ['auc may be worse than allowed: improvement -0.004 [-0.03, 0.02], allowed -0.01'],
        rows: 500,
        rejectedRows: 0,
        metrics: { auc: { champion: 0.9, challenger: verdict === 'REJECT' ? 0.61 : 0.91 } },
        reportS3Uri: `${report}evaluation.json`,
        reportSha256: 'a'.repeat(64),
        statisticsS3Uri: `${report}statistics.json`,
        constraintsS3Uri: `${report}constraints.json`,
      };
    },
    'Register model package': () => ({
      ModelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/churn-endpoint/7',
    }),
    'Notify registration': () => ({ MessageId: '1' }),
    'Notify rejection': () => ({ MessageId: '1' }),
    'Notify inconclusive gate': () => ({ MessageId: '1' }),
    'Notify training failure': () => ({ MessageId: '1' }),
    'Notify retraining failure': () => ({ MessageId: '1' }),
  };
}

describe('retraining workflow', () => {
  it('computes a registered candidate pending approval when the gate promotes it', async () => {
    // Given an empty audit trail and a healthy account
    const world = new World();
    // When the retrain alarm starts an execution
    const run = await world.run(asl, alarmEvent, sageMaker('PROMOTE'));
    // Then it takes the whole path and ends registered
    expect(run.error).toBeUndefined();
    expect(mainPath(run.states)).toEqual([
      'Guard',
      'Proceed?',
      'Train',
      'Record training result',
      'Create candidate model',
      'Find champion',
      'Score and profile',
      'Evaluate candidate',
      'Gate verdict?',
      'Record gate pass',
      'Register model package',
      'Record registration',
      'Notify registration',
      'Candidate registered',
    ]);
    expect(run.states.filter((s) => BRANCHES.includes(s)).sort()).toEqual([...BRANCHES].sort());
    const job = firstCall<{ TrainingJobName: string }>(run, 'Train').TrainingJobName;
    expect(job).toMatch(/^churn-endpoint-\d{14}-[0-9a-f]{4}$/);
    // And the training job is the configured one
    expect(run.calls.get('Train')).toEqual([
      {
        TrainingJobName: job,
        AlgorithmSpecification: {
          TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
          TrainingInputMode: 'File',
        },
        RoleArn: expect.stringContaining('SageMakerExecutionRole'),
        HyperParameters: { objective: 'binary:logistic', max_depth: '5', eta: '0.2', num_round: '100' },
        InputDataConfig: [
          {
            ChannelName: 'train',
            DataSource: {
              S3DataSource: {
                S3DataType: 'S3Prefix',
                S3Uri: 's3://example-ml-data/churn/train/',
                S3DataDistributionType: 'FullyReplicated',
              },
            },
            ContentType: 'text/csv',
            InputMode: 'File',
          },
          {
            ChannelName: 'validation',
            DataSource: {
              S3DataSource: {
                S3DataType: 'S3Prefix',
                S3Uri: 's3://example-ml-data/churn/validation/',
                S3DataDistributionType: 'FullyReplicated',
              },
            },
            ContentType: 'text/csv',
            InputMode: 'File',
          },
        ],
        OutputDataConfig: { S3OutputPath: 's3://example-ml-data/churn/models/' },
        ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
        StoppingCondition: { MaxRuntimeInSeconds: 86_400 },
        Tags: [
          { Key: 'driftwatch:endpoint', Value: ENDPOINT },
          { Key: 'driftwatch:execution', Value: 'run-1' },
        ],
      },
    ]);
    // And the candidate model serves the trained artifacts with the training image
    expect(run.calls.get('Create candidate model')).toEqual([
      {
        ModelName: job,
        ExecutionRoleArn: expect.stringContaining('SageMakerExecutionRole'),
        PrimaryContainer: {
          Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
          ModelDataUrl: `s3://example-ml-data/churn/models/${job}/output/model.tar.gz`,
        },
        Tags: expect.any(Array),
      },
    ]);
    // And champion (the serving model) and challenger score the same holdout, label column filtered out
    const transform = (model: string, who: string) => ({
      TransformJobName: `${job}-${who}`,
      ModelName: model,
      TransformInput: {
        DataSource: {
          S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://example-ml-data/churn/holdout/' },
        },
        ContentType: 'text/csv',
        SplitType: 'Line',
      },
      TransformOutput: {
        S3OutputPath: `${ARTIFACTS}/${job}/${who}/`,
        Accept: 'text/csv',
        AssembleWith: 'Line',
      },
      TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
      DataProcessing: { InputFilter: '$[1:]', JoinSource: 'Input' },
      Tags: expect.any(Array),
    });
    expect(run.calls.get('Score champion')).toEqual([transform('churn-model-1', 'champion')]);
    expect(run.calls.get('Score challenger')).toEqual([transform(job, 'challenger')]);
    expect(run.calls.get('Evaluate candidate')).toEqual([
      {
        championOutput: `${ARTIFACTS}/${job}/champion/`,
        challengerOutput: `${ARTIFACTS}/${job}/challenger/`,
        report: `${ARTIFACTS}/${job}/evaluation/`,
      },
    ]);
    // And the package carries the model metrics and the training data's drift-check baselines
    const baseline = `${ARTIFACTS}/${job}/baseline/`;
    expect(run.calls.get('Register model package')).toEqual([
      {
        ModelPackageGroupName: 'churn-endpoint',
        ModelPackageDescription: 'driftwatch retraining of churn-endpoint (alarm), gate PROMOTE',
        ModelApprovalStatus: 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [
            {
              Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
              ModelDataUrl: `s3://example-ml-data/churn/models/${job}/output/model.tar.gz`,
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
        ModelMetrics: {
          ModelQuality: {
            Statistics: {
              ContentType: 'application/json',
              S3Uri: `${ARTIFACTS}/${job}/evaluation/statistics.json`,
            },
          },
          ModelDataQuality: {
            Statistics: { ContentType: 'application/json', S3Uri: `${baseline}statistics.json` },
            Constraints: { ContentType: 'application/json', S3Uri: `${baseline}constraints.json` },
          },
        },
        DriftCheckBaselines: {
          ModelDataQuality: {
            Statistics: { ContentType: 'application/json', S3Uri: `${baseline}statistics.json` },
            Constraints: { ContentType: 'application/json', S3Uri: `${baseline}constraints.json` },
          },
        },
        CustomerMetadataProperties: {
          'driftwatch:trainingJob': job,
          'driftwatch:gateVerdict': 'PROMOTE',
          'driftwatch:evaluation': `${ARTIFACTS}/${job}/evaluation/evaluation.json`,
          'driftwatch:execution': expect.stringMatching(/:execution:sm:run-1$/),
        },
      },
    ]);
    // And the notification says where and how to approve
    const message = firstCall<{ Message: string }>(run, 'Notify registration').Message;
    expect(message).toContain('arn:aws:sagemaker:us-east-1:111111111111:model-package/churn-endpoint/7');
    expect(message).toContain('--model-approval-status Approved');
    // And the audit trail holds each decision, intact, the last one final
    expect(world.records().map((r) => [r.kind, r.final])).toEqual([
      ['trigger', false],
      ['training-result', false],
      ['gate-verdict', false],
      ['registration', true],
    ]);
    expect(world.records()[2]?.detail).toMatchObject({
      verdict: 'PROMOTE',
      reasons: ['all 3 checks passed'],
    });
    // And the notification carries the chain's head hash (for `driftwatch audit --expect-head`)
    expect(firstCall<{ MessageAttributes: unknown }>(run, 'Notify registration').MessageAttributes).toEqual({
      'driftwatch.auditHash': { DataType: 'String', StringValue: world.records().at(-1)?.hash },
      'driftwatch.execution': {
        DataType: 'String',
        StringValue: expect.stringMatching(/:execution:sm:run-1$/),
      },
    });
  });

  it('computes a failed run, recorded and notified, when the training job fails', async () => {
    // Given a training job that fails
    const world = new World();
    const handlers = {
      ...sageMaker(),
      Train: () => {
        throw taskError('States.TaskFailed', '{"FailureReason":"AlgorithmError: out of memory"}');
      },
    };
    // When the alarm starts an execution
    const run = await world.run(asl, alarmEvent, handlers);
    // Then the failure is recorded as the final training result, notified, and the execution fails
    expect(run.states).toEqual([
      'Guard',
      'Proceed?',
      'Train',
      'Record training failure',
      'Notify training failure',
      'Training failed',
    ]);
    expect(run.error).toEqual({ name: 'TrainingFailed', cause: 'the training job failed' });
    const records = world.records();
    expect(records.map((r) => [r.kind, r.final])).toEqual([
      ['trigger', false],
      ['training-result', true],
    ]);
    expect(records[1]?.detail).toMatchObject({ status: 'Failed', error: 'States.TaskFailed' });
    expect(firstCall<{ Message: string }>(run, 'Notify training failure').Message).toContain('out of memory');
    expect(run.calls.has('Create candidate model')).toBe(false);
    // And a job that ran and failed is not started again
    expect(run.calls.get('Train')).toHaveLength(1);
  });

  it('computes a trained candidate when starting the training job and a scoring job is throttled once', async () => {
    // Given CreateTrainingJob and the champion's CreateTransformJob throttled at their first start
    const world = new World();
    const healthy = sageMaker('PROMOTE');
    const handlers = {
      ...healthy,
      Train: failingFirst(1, 'SageMaker.AmazonSageMakerException', healthy.Train),
      'Score champion': failingFirst(1, 'SageMaker.AmazonSageMakerException', healthy['Score champion']),
    };
    // When the alarm starts an execution
    const run = await world.run(asl, alarmEvent, handlers);
    // Then both starts are retried with the same parameters and the candidate is registered
    expect(run.error).toBeUndefined();
    expect(run.calls.get('Train')).toHaveLength(2);
    expect(run.calls.get('Train')?.[1]).toEqual(run.calls.get('Train')?.[0]);
    expect(run.calls.get('Score champion')).toHaveLength(2);
    expect(mainPath(run.states).at(-1)).toBe('Candidate registered');
    expect(world.records().filter((r) => r.kind === 'training-result')).toHaveLength(1);
  });

  it.each([
    ['REJECT', 'Record gate rejection', 'Notify rejection', 'Candidate rejected', 'REJECTED'],
    [
      'INCONCLUSIVE',
      'Record inconclusive gate',
      'Notify inconclusive gate',
      'Gate inconclusive',
      'INCONCLUSIVE',
    ],
  ] as const)(
    'computes an unregistered candidate when the gate says %s',
    async (verdict, record, notify, end, word) => {
      // Given a gate that does not promote
      const world = new World();
      // When the alarm starts an execution
      const run = await world.run(asl, alarmEvent, sageMaker(verdict));
      // Then the verdict and its reasons are recorded as final, notified, and nothing is registered
      expect(mainPath(run.states).slice(-5)).toEqual([
        'Evaluate candidate',
        'Gate verdict?',
        record,
        notify,
        end,
      ]);
      expect(run.error).toBeUndefined();
      expect(run.calls.has('Register model package')).toBe(false);
      const last = world.records().at(-1);
      expect(last).toMatchObject({ kind: 'gate-verdict', final: true, detail: { verdict } });
      expect((last?.detail.reasons as string[] | undefined)?.[0]).toMatch(/auc/);
      expect(firstCall<{ Message: string }>(run, notify).Message).toContain(word);
    },
  );

  it('computes a failed run, recorded and notified, when a later step fails', async () => {
    // Given an evaluation that cannot read the predictions
    const world = new World();
    const handlers = {
      ...sageMaker(),
      'Evaluate candidate': () => {
        throw taskError('EvaluationInputError', 'champion has 500 rows, challenger 499');
      },
    };
    // When the alarm starts an execution
    const run = await world.run(asl, alarmEvent, handlers);
    // Then the error is not retried, is recorded as the run's final record, and the execution fails
    expect(run.calls.get('Evaluate candidate')).toHaveLength(1);
    expect(mainPath(run.states).slice(-4)).toEqual([
      'Evaluate candidate',
      'Record retraining failure',
      'Notify retraining failure',
      'Retraining failed',
    ]);
    expect(run.error?.name).toBe('RetrainingFailed');
    expect(world.records().at(-1)).toMatchObject({
      kind: 'retraining-failure',
      final: true,
      detail: { error: 'EvaluationInputError', cause: 'champion has 500 rows, challenger 499' },
    });
  });

  it('computes a registration that survives a throttled CreateModelPackage and SNS publish', async () => {
    // Given CreateModelPackage throttled once and the registration notice twice
    const world = new World();
    const healthy = sageMaker('PROMOTE');
    const handlers = {
      ...healthy,
      'Register model package': failingFirst(
        1,
        'SageMaker.SageMakerException',
        healthy['Register model package'],
      ),
      'Notify registration': failingFirst(2, 'SNS.KMSThrottlingException', healthy['Notify registration']),
    };
    // When the alarm starts an execution
    const run = await world.run(asl, alarmEvent, handlers);
    // Then both are retried and the candidate is registered once
    expect(run.error).toBeUndefined();
    expect(run.calls.get('Register model package')).toHaveLength(2);
    expect(run.calls.get('Notify registration')).toHaveLength(3);
    expect(mainPath(run.states).at(-1)).toBe('Candidate registered');
    expect(world.records().filter((r) => r.kind === 'registration')).toHaveLength(1);
  });

  it('computes a skip, recorded, for a trigger inside the cooldown', async () => {
    // Given a run that started and finished an hour ago
    const world = new World();
    await world.run(asl, alarmEvent, sageMaker());
    world.clock.set('2026-11-26T11:00:00Z');
    // When the schedule starts another execution
    const run = await world.run(asl, { trigger: 'schedule' }, sageMaker());
    // Then the guard skips it (recorded as a final skip) and no job starts
    expect(run.states).toEqual(['Guard', 'Proceed?', 'Retraining skipped']);
    expect(run.calls.has('Train')).toBe(false);
    expect(world.records().at(-1)).toMatchObject({
      kind: 'skip',
      final: true,
      detail: {
        source: 'schedule',
        decision: { reason: 'cooldown', nextAllowedAt: '2026-11-27T10:00:00.000Z' },
      },
    });
  });

  it('computes one run from a burst of alarm events, the others recorded as skipped', async () => {
    // Given five executions started at once by a burst of alarm events; training waits until every guard decided
    const world = new World();
    const guard = world.functionHandlers().Guard as TaskHandler;
    let decided = 0;
    let release: () => void = () => {};
    const allDecided = new Promise<void>((resolve) => {
      release = resolve;
    });
    const base = sageMaker();
    const handlers = {
      ...base,
      Guard: async (input: unknown) => {
        const result = await guard(input);
        decided += 1;
        if (decided === 5) release();
        return result;
      },
      Train: async (input: unknown) => {
        await allDecided;
        return (base.Train as TaskHandler)(input);
      },
    };
    // When they run concurrently
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => world.run(asl, alarmEvent, handlers, `burst-${n}`)),
    );
    // Then exactly one trains and registers; four are skipped because it is running
    expect(results.filter((r) => r.calls.has('Train'))).toHaveLength(1);
    expect(results.filter((r) => r.states.at(-1) === 'Retraining skipped')).toHaveLength(4);
    const records = world.records();
    expect(records.filter((r) => r.kind === 'trigger')).toHaveLength(1);
    expect(
      records.filter((r) => r.kind === 'skip').map((r) => (r.detail.decision as { reason: string }).reason),
    ).toEqual(['run-in-progress', 'run-in-progress', 'run-in-progress', 'run-in-progress']);
  });

  it('computes a run started by hand that ignores the cooldown', async () => {
    // Given a run an hour ago
    const world = new World();
    await world.run(asl, alarmEvent, sageMaker());
    world.clock.set('2026-11-26T11:00:00Z');
    // When an operator starts one with a reason
    const run = await world.run(
      asl,
      { trigger: 'manual', reason: 'new labels', ignoreCooldown: true },
      sageMaker(),
    );
    // Then it runs, and the package description names the manual trigger
    expect(run.states.at(-1)).toBe('Candidate registered');
    expect(
      firstCall<{ ModelPackageDescription: string }>(run, 'Register model package').ModelPackageDescription,
    ).toBe('driftwatch retraining of churn-endpoint (manual), gate PROMOTE');
    expect(
      world
        .records()
        .filter((r) => r.kind === 'trigger')
        .at(-1)?.detail,
    ).toMatchObject({
      source: 'manual',
      reason: 'new labels',
      ignoreCooldown: true,
    });
  });
});

import { Aws, Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

// SageMaker jobs run through Step Functions' optimized `.sync` integrations. They are custom states, not the CDK
// task classes: the definitions send every parameter the configuration controls (the CDK training task cannot send
// an algorithm and an image the way the configuration allows, and there is no processing task), and the construct
// grants exactly the job ARNs this workflow creates instead of `training-job/*`.

/** The SageMaker job types the workflows run and wait for. */
export type SageMakerJob = 'TrainingJob' | 'TransformJob' | 'ProcessingJob';

/**
 * A `.sync` SageMaker job state: sends `parameters`, waits for the job, keeps `resultSelector` at `resultPath`.
 * Starting the job is retried on `SageMaker.AmazonSageMakerException`, the error the optimized integration gives
 * throttling and service faults (3 retries, 5 s then doubling); a job that runs and fails is `States.TaskFailed` and
 * is not retried, nor are the errors SageMaker names (`ResourceLimitExceeded`, `ResourceInUse`).
 */
export function sageMakerJob(
  scope: Construct,
  id: string,
  job: SageMakerJob,
  parameters: Record<string, unknown>,
  resultSelector: Record<string, unknown> | undefined,
  resultPath: string | null,
): sfn.CustomState {
  return new sfn.CustomState(scope, id, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${Aws.PARTITION}:states:::sagemaker:create${job}.sync`,
      Parameters: parameters,
      ...(resultSelector !== undefined ? { ResultSelector: resultSelector } : {}),
      ResultPath: resultPath,
    },
  }).addRetry({
    errors: ['SageMaker.AmazonSageMakerException'],
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 3,
  });
}

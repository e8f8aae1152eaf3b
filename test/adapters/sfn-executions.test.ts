import { DescribeExecutionCommand, SFNClient, SFNServiceException } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SfnExecutions } from '../../functions/adapters/sfn-executions.js';
import { AwsServiceError } from '../../functions/errors.js';

const sfn = mockClient(SFNClient);
const executions = () => new SfnExecutions(new SFNClient({ region: 'us-east-1' }));
const arn = 'arn:aws:states:us-east-1:111111111111:execution:Retrain:a';
const failure = (name: string) =>
  new SFNServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message: name });

describe('SfnExecutions', () => {
  beforeEach(() => sfn.reset());

  it('computes the status of an execution', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    expect(await executions().status(arn)).toBe('RUNNING');
    expect(sfn).toReceiveCommandWith(DescribeExecutionCommand, { executionArn: arn });
  });

  it('computes undefined for an execution that does not exist', async () => {
    sfn.on(DescribeExecutionCommand).rejects(failure('ExecutionDoesNotExist'));
    expect(await executions().status(arn)).toBeUndefined();
  });

  it('throws when Step Functions fails', async () => {
    sfn.on(DescribeExecutionCommand).rejects(failure('AccessDeniedException'));
    await expect(executions().status(arn)).rejects.toThrow(AwsServiceError);
    await expect(executions().status(arn)).rejects.toThrow(
      `DescribeExecution ${arn} failed: AccessDeniedException`,
    );
  });
});

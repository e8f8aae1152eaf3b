import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { awsFailure } from '../errors.js';
import type { ExecutionStatus, ExecutionStatusReader } from '../ports/executions.js';

/** {@link ExecutionStatusReader} on Step Functions DescribeExecution. */
export class SfnExecutions implements ExecutionStatusReader {
  /** @param client a Step Functions client, created once per cold start */
  constructor(private readonly client: SFNClient) {}

  async status(executionArn: string): Promise<ExecutionStatus | undefined> {
    try {
      const response = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return response.status as ExecutionStatus | undefined;
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === 'ExecutionDoesNotExist' || name === 'InvalidArn') return undefined;
      throw awsFailure(`DescribeExecution ${executionArn}`, err);
    }
  }
}

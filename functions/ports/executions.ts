/** Step Functions execution statuses. */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

/** Reads whether a workflow execution is still running (Step Functions DescribeExecution in AWS). */
export interface ExecutionStatusReader {
  /** The status of an execution, or undefined when no such execution exists. */
  status(executionArn: string): Promise<ExecutionStatus | undefined>;
}

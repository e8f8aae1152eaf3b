import { createHash } from 'node:crypto';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

// The names the workflows give SageMaker resources start with the endpoint's name cut to 32 characters (see
// runNames in functions/core/audit/run-guard.ts), so IAM can be scoped to `<prefix>-*`.

const PREFIX_LENGTH = 32;

/** The name prefix of every SageMaker resource one endpoint's workflows create (without the trailing hyphen). */
export function resourcePrefix(endpointName: string): string {
  return endpointName.slice(0, PREFIX_LENGTH).replace(/-+$/, '');
}

/**
 * The ARN of a SageMaker resource of this account and region. SageMaker writes names in ARNs in lower case, so
 * names and patterns are lower-cased here.
 */
export function sageMakerArn(scope: Construct, resource: string, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource,
    resourceName: name.toLowerCase(),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** ARN pattern of the resources of one kind (`training-job`, `model`, ...) the endpoint's workflows create. */
export function createdBy(scope: Construct, resource: string, endpointName: string): string {
  return sageMakerArn(scope, resource, `${resourcePrefix(endpointName)}-*`);
}

/**
 * The physical name of one of an endpoint's state machines: `driftwatch-<endpoint, cut to 32>-<6 hex>-<kind>`, at
 * most 61 characters (Step Functions allows 80). The hex digits (SHA-256 of stack and endpoint name) keep two
 * stacks, or two endpoints with the same first 32 characters, apart.
 */
export function stateMachineName(
  stackName: string,
  endpointName: string,
  kind: 'retraining' | 'deployment',
): string {
  const hash = createHash('sha256').update(`${stackName}/${endpointName}`).digest('hex').slice(0, 6);
  return `driftwatch-${resourcePrefix(endpointName)}-${hash}-${kind}`;
}

import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The service principal `service` (e.g. `scheduler.amazonaws.com`) limited to requests on behalf of the account of
 * `scope`'s stack (condition `aws:SourceAccount`), so that another account's schedules or jobs cannot have the
 * service assume a role that trusts it (the confused-deputy problem).
 */
export function sameAccountServicePrincipal(scope: Construct, service: string): iam.ServicePrincipal {
  return new iam.ServicePrincipal(service, {
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  });
}

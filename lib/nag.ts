import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

// cdk-nag 3 reads acknowledgements from construct metadata (Validations.of(x).acknowledge). Every acknowledgement
// here is placed on exactly one CloudFormation resource, never on a scope, so it cannot hide a finding elsewhere.

/** Acknowledges one cdk-nag finding (e.g. `AwsSolutions-L1`) on one CloudFormation resource, with the reason. */
export function acknowledgeFinding(resource: IConstruct, id: string, reason: string): void {
  const target = cfnResourceOf(resource);
  if (!isAcknowledged(target, id)) {
    Validations.of(target).acknowledge({ id, reason });
  }
}

/** Whether `id` is already acknowledged on this construct itself (shared singletons are acknowledged once). */
export function isAcknowledged(construct: IConstruct, id: string): boolean {
  return construct.node.metadata.some(
    (entry) =>
      entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY &&
      typeof entry.data === 'object' &&
      entry.data !== null &&
      // CDK stores the id with an `Annotation::` prefix (older versions `annotation::`), as cdk-nag strips it.
      Object.keys(entry.data as Record<string, unknown>).some(
        (key) => key.replace(/^annotation::/i, '') === id,
      ),
  );
}

/**
 * Acknowledges the AwsSolutions-IAM5 findings that `statement` causes on the policy resource `policy` (the
 * `Action::<a>` and `Resource::<r>` finding ids, computed as cdk-nag flattens CloudFormation references), so each
 * wildcard is acknowledged by name where it is granted, with the reason it is needed.
 */
export function acknowledgeWildcards(
  policy: IConstruct,
  statement: iam.PolicyStatement,
  reason: string,
): void {
  const resource = cfnResourceOf(policy);
  for (const finding of wildcardFindings(Stack.of(resource), statement)) {
    acknowledgeFinding(resource, `AwsSolutions-IAM5[${finding}]`, reason);
  }
}

/**
 * Acknowledges every AwsSolutions-IAM5 finding of a policy resource that CDK generated whole (e.g. a Distributed
 * Map's child-execution policy), after checking that each of its actions starts with `servicePrefix`, so that the
 * acknowledgement cannot cover a statement of another service added later.
 */
export function acknowledgeGeneratedPolicy(policy: IConstruct, servicePrefix: string, reason: string): void {
  const resource = cfnResourceOf(policy);
  const document = Stack.of(resource).resolve((resource as iam.CfnPolicy).policyDocument) as {
    Statement?: { Action?: unknown; Resource?: unknown }[];
  };
  for (const statement of document.Statement ?? []) {
    const actions = toArray(statement.Action).map(String);
    const foreign = actions.filter((action) => !action.startsWith(servicePrefix));
    if (foreign.length > 0) {
      throw new Error(
        `${resource.node.path} grants ${foreign.join(', ')}, not only ${servicePrefix}* actions`,
      );
    }
    const findings = [
      ...actions.filter((action) => action.includes('*')).map((action) => `Action::${action}`),
      ...toArray(statement.Resource)
        .map(flattenCfnReference)
        .filter((flat) => flat.includes('*'))
        .map((flat) => `Resource::${flat}`),
    ];
    for (const finding of findings) {
      acknowledgeFinding(resource, `AwsSolutions-IAM5[${finding}]`, reason);
    }
  }
}

/** The `Action::...`/`Resource::...` wildcard findings of one statement, in cdk-nag's notation. */
export function wildcardFindings(stack: Stack, statement: iam.PolicyStatement): string[] {
  const json = stack.resolve(statement.toStatementJson()) as { Action?: unknown; Resource?: unknown };
  const actions = toArray(json.Action).filter((action) => String(action).includes('*'));
  const resources = toArray(json.Resource)
    .map(flattenCfnReference)
    .filter((flat) => flat.includes('*'));
  return [...actions.map((action) => `Action::${String(action)}`), ...resources.map((r) => `Resource::${r}`)];
}

/** The default policy resource of a role (created when the first statement is added). */
export function defaultPolicyOf(role: iam.IRole): IConstruct {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy === undefined) {
    throw new Error(
      `${role.node.path} has no DefaultPolicy yet: add its statements before acknowledging them`,
    );
  }
  return policy;
}

/**
 * Flattens a CloudFormation value the way cdk-nag names findings: `Fn::Join` joined, `Ref` as `<Id>`,
 * `Fn::GetAtt` as `<Id.Attr>`, `${x}` in `Fn::Sub` as `<x>`.
 */
export function flattenCfnReference(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flattenCfnReference).join(delimiter);
    }
    if (node['Fn::Sub'] !== undefined) {
      return flattenCfnReference(node['Fn::Sub']);
    }
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) {
      return `<${flattenCfnReference(getAtt[0])}.${flattenCfnReference(getAtt[1])}>`;
    }
    if (node['Fn::ImportValue'] !== undefined) {
      return flattenCfnReference(node['Fn::ImportValue']);
    }
    if (node.Ref !== undefined) {
      return `<${flattenCfnReference(node.Ref)}>`;
    }
  }
  return JSON.stringify(value);
}

function toArray(value: unknown): unknown[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function cfnResourceOf(construct: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(construct)) {
    return construct;
  }
  const child = construct.node.defaultChild;
  if (child !== undefined && CfnResource.isCfnResource(child)) {
    return child;
  }
  throw new Error(
    `${construct.node.path} is not a CloudFormation resource and has none as its default child`,
  );
}

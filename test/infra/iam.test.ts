import { type CfnResource, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { exampleApp } from './support.js';

// Least privilege across every policy the stacks synthesize, for each configuration shape.
const CONFIGS = [undefined, 'test/fixtures/infra/created-buckets.config.json'] as const;

// The only actions that may be granted on Resource "*", each because the service has no resource-level
// permissions for it (AWS Service Authorization Reference).
const STAR_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'xray:PutTraceSegments': 'X-Ray tracing of functions and the state machine',
  'xray:PutTelemetryRecords': 'X-Ray tracing',
  'xray:GetSamplingRules': 'X-Ray tracing of the state machine',
  'xray:GetSamplingTargets': 'X-Ray tracing of the state machine',
  'logs:CreateLogDelivery': 'Step Functions vended logs',
  'logs:DeleteLogDelivery': 'Step Functions vended logs',
  'logs:DescribeLogGroups': 'Step Functions vended logs',
  'logs:DescribeResourcePolicies': 'Step Functions vended logs',
  'logs:GetLogDelivery': 'Step Functions vended logs',
  'logs:ListLogDeliveries': 'Step Functions vended logs',
  'logs:PutResourcePolicy': 'Step Functions vended logs',
  'logs:UpdateLogDelivery': 'Step Functions vended logs',
  's3:PutBucketNotification': "CDK's bucket-notifications handler, bucket named at deploy time",
};

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function policyResources(stack: Stack): CfnResource[] {
  return stack.node
    .findAll()
    .filter(
      (construct): construct is CfnResource =>
        construct instanceof iam.CfnPolicy ||
        construct instanceof iam.CfnRole ||
        construct instanceof iam.CfnManagedPolicy,
    );
}

function statementsOf(resource: CfnResource): PolicyStatement[] {
  const stack = resource.stack;
  if (resource instanceof iam.CfnPolicy || resource instanceof iam.CfnManagedPolicy) {
    return (stack.resolve(resource.policyDocument) as { Statement: PolicyStatement[] }).Statement;
  }
  const role = resource as iam.CfnRole;
  const inline = (stack.resolve(role.policies) ?? []) as {
    PolicyDocument: { Statement: PolicyStatement[] };
  }[];
  return inline.flatMap((policy) => policy.PolicyDocument.Statement);
}

function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

function acknowledgedReasons(construct: IConstruct): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const entry of construct.node.metadata) {
    if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        reasons.set(id.replace(/^annotation::/i, ''), reason);
      }
    }
  }
  return reasons;
}

describe.each(CONFIGS)('IAM of the monitoring stack (config %s)', (configFile) => {
  const { monitoringStack } = exampleApp({ configFile });
  const policies = policyResources(monitoringStack);
  const statements = policies.flatMap((policy) =>
    statementsOf(policy).map((statement) => ({ policy, statement })),
  );

  it('computes no wildcard action (no s3:*, no *)', () => {
    // Given every statement of every policy
    // When the actions are collected
    const wildcards = statements.flatMap(({ statement }) =>
      actionsOf(statement).filter((a) => a.includes('*')),
    );
    // Then none is a wildcard
    expect(statements.length).toBeGreaterThan(10);
    expect(wildcards).toEqual([]);
  });

  it('computes Resource "*" only for actions without resource-level permissions', () => {
    // Given the statements granted on Resource "*"
    const starActions = statements
      .filter(({ statement }) => resourcesOf(statement).includes('*'))
      .flatMap(({ statement }) => actionsOf(statement));
    // When each action is looked up in the explained list
    const unexplained = starActions.filter((action) => STAR_RESOURCE_ACTIONS[action] === undefined);
    // Then every one is explained
    expect(starActions.length).toBeGreaterThan(0);
    expect(unexplained).toEqual([]);
  });

  it('computes an acknowledgement with a reason for every wildcard cdk-nag finds, on its own policy', () => {
    // Given cdk-nag's own IAM5 rule applied to each policy resource
    const missing: string[] = [];
    let findings = 0;
    for (const policy of policies) {
      const result = rules.iam.IAMNoWildcardPermissions(policy);
      const reasons = acknowledgedReasons(policy);
      // When each finding is looked up among that resource's own acknowledgements
      for (const finding of Array.isArray(result) ? result : []) {
        findings += 1;
        const reason = reasons.get(`AwsSolutions-IAM5[${finding}]`) ?? '';
        if (reason.length < 30) {
          missing.push(`${policy.node.path}: ${finding}`);
        }
      }
    }
    // Then none lacks an explained acknowledgement
    expect(findings).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('computes S3 access as object reads and writes under prefixes and prefix-limited listing', () => {
    // Given every S3 action granted
    const s3Statements = statements.filter(({ statement }) =>
      actionsOf(statement).some((a) => a.startsWith('s3:')),
    );
    // When they are grouped
    const actions = new Set(s3Statements.flatMap(({ statement }) => actionsOf(statement)));
    const lists = s3Statements.filter(({ statement }) => actionsOf(statement).includes('s3:ListBucket'));
    const objectArns = s3Statements
      .filter(({ statement }) =>
        actionsOf(statement).some((a) => a === 's3:GetObject' || a === 's3:PutObject'),
      )
      .flatMap(({ statement }) => resourcesOf(statement).map((r) => JSON.stringify(r)));
    // Then only these actions appear (the notification ones are CDK's notifications handler's), every listing is
    // limited by s3:prefix and no object grant covers a whole bucket
    const allowed = [
      's3:GetBucketNotification',
      's3:GetObject',
      's3:ListBucket',
      's3:PutBucketNotification',
      's3:PutObject',
    ];
    expect([...actions].filter((action) => !allowed.includes(action))).toEqual([]);
    expect(['s3:GetObject', 's3:PutObject', 's3:ListBucket'].every((action) => actions.has(action))).toBe(
      true,
    );
    for (const { statement } of lists) {
      expect(statement.Condition?.StringLike?.['s3:prefix']).toBeDefined();
    }
    for (const arn of objectArns) {
      expect(arn).toMatch(/\/[^*"/]+\/\*"/);
    }
  });

  it('computes resource policies that allow no anonymous principal', () => {
    // Given the bucket, queue and topic policies
    const template = Template.fromStack(monitoringStack);
    const documents = ['AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy'].flatMap(
      (type) =>
        Object.values(template.findResources(type)).map(
          (resource) =>
            resource.Properties.PolicyDocument as { Statement: { Effect: string; Principal?: unknown }[] },
        ),
    );
    // When their Allow statements with principal "*" are collected
    const open = documents.flatMap((document) =>
      document.Statement.filter(
        (statement) => statement.Effect === 'Allow' && JSON.stringify(statement.Principal).includes('"*"'),
      ),
    );
    // Then there are none (the only "*" principals are the TLS-only Deny statements)
    expect(documents.length).toBeGreaterThan(0);
    expect(open).toEqual([]);
  });
});

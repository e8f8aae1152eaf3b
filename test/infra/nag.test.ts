import { type Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import {
  acknowledgeFinding,
  acknowledgeGeneratedPolicy,
  acknowledgeWildcards,
  defaultPolicyOf,
  flattenCfnReference,
  isAcknowledged,
  wildcardFindings,
} from '../../lib/nag.js';
import { testStack } from './support.js';

function acknowledgements(construct: { node: Stack['node'] }): Record<string, string> {
  return Object.assign(
    {},
    ...construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((entry) => entry.data as Record<string, string>),
  );
}

describe('flattenCfnReference', () => {
  it('computes the names cdk-nag gives CloudFormation references', () => {
    // Given references in each intrinsic form (cdk-nag 3.0.2 utils/flatten-cfn-reference.js is the reference)
    const cases: [unknown, string][] = [
      ['plain', 'plain'],
      [{ Ref: 'Bucket' }, '<Bucket>'],
      [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, '<Fn.Arn>'],
      [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::b/*']] },
        'arn:<AWS::Partition>:s3:::b/*',
      ],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
      [{ 'Fn::Sub': 'arn:${AWS::Partition}:x' }, 'arn:<AWS::Partition>:x'],
      [{ 'Fn::ImportValue': 'Exported' }, 'Exported'],
      [{ 'Fn::Select': [0, ['a']] }, '{"Fn::Select":[0,["a"]]}'],
    ];
    // When each is flattened / Then it reads as cdk-nag names it
    for (const [value, expected] of cases) {
      expect(flattenCfnReference(value)).toBe(expected);
    }
  });
});

describe('wildcardFindings', () => {
  it('computes one finding per wildcard action and per wildcard resource', () => {
    // Given a statement with a wildcard action, a wildcard object ARN and an exact ARN
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'data');
    const statement = new iam.PolicyStatement({
      actions: ['s3:GetObject*', 's3:PutObject'],
      resources: [bucket.arnForObjects('p/*'), bucket.bucketArn],
    });
    // When its findings are computed
    const findings = wildcardFindings(stack, statement);
    // Then the wildcard action and the wildcard resource are named, nothing else
    expect(findings).toEqual(['Action::s3:GetObject*', 'Resource::arn:<AWS::Partition>:s3:::data/p/*']);
  });
});

describe('acknowledgeFinding', () => {
  it('computes the acknowledgement on the default CloudFormation resource, once', () => {
    // Given a bucket (an L2 whose default child is the CfnBucket)
    const bucket = new s3.Bucket(testStack(), 'Bucket');
    const resource = bucket.node.defaultChild as s3.CfnBucket;
    // When the same finding is acknowledged twice
    acknowledgeFinding(bucket, 'AwsSolutions-S1', 'reason one');
    acknowledgeFinding(bucket, 'AwsSolutions-S1', 'reason two');
    // Then the CfnBucket carries it once, with the first reason, and the L2 carries nothing
    expect(isAcknowledged(resource, 'AwsSolutions-S1')).toBe(true);
    expect(Object.values(acknowledgements(resource))).toEqual(['reason one']);
    expect(acknowledgements(bucket)).toEqual({});
  });

  it('throws when the construct is not a CloudFormation resource', () => {
    // Given a stack (a scope, not a resource)
    const stack = testStack();
    // When / Then acknowledging on it is refused with the path
    expect(() => acknowledgeFinding(stack, 'AwsSolutions-S1', 'why')).toThrow(
      /Test is not a CloudFormation resource/,
    );
  });
});

describe('acknowledgeWildcards', () => {
  it('computes the IAM5 acknowledgements of a statement on the policy resource', () => {
    // Given a role whose policy has an object-prefix grant
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const statement = new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::b/p/*'],
    });
    role.addToPrincipalPolicy(statement);
    // When its wildcards are acknowledged
    acknowledgeWildcards(defaultPolicyOf(role), statement, 'objects under p/');
    // Then the policy resource carries exactly that finding id
    const policy = defaultPolicyOf(role).node.defaultChild as iam.CfnPolicy;
    expect(isAcknowledged(policy, 'AwsSolutions-IAM5[Resource::arn:aws:s3:::b/p/*]')).toBe(true);
    expect(Object.keys(acknowledgements(policy))).toHaveLength(1);
  });

  it('throws when the role has no default policy yet', () => {
    // Given a role without statements
    const role = new iam.Role(testStack(), 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    // When / Then asking for its default policy names the role
    expect(() => defaultPolicyOf(role)).toThrow(/Test\/Role has no DefaultPolicy yet/);
  });
});

describe('acknowledgeGeneratedPolicy', () => {
  it('computes acknowledgements for every wildcard of a one-service policy', () => {
    // Given a generated policy with two wildcard resources of one service
    const stack = testStack();
    const policy = new iam.Policy(stack, 'Generated', {
      statements: [
        new iam.PolicyStatement({
          actions: ['states:DescribeExecution'],
          resources: ['arn:aws:states:x:1:execution:m:*'],
        }),
        new iam.PolicyStatement({
          actions: ['states:StartExecution'],
          resources: ['arn:aws:states:x:1:stateMachine:m'],
        }),
      ],
    });
    policy.attachToRole(
      new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }),
    );
    // When it is acknowledged for the service
    acknowledgeGeneratedPolicy(policy, 'states:', 'child executions');
    // Then only the wildcard resource is acknowledged
    expect(Object.keys(acknowledgements(policy.node.defaultChild as iam.CfnPolicy))).toEqual([
      'Annotation::AwsSolutions-IAM5[Resource::arn:aws:states:x:1:execution:m:*]',
    ]);
  });

  it('throws when the policy grants actions of another service', () => {
    // Given a policy that also grants an S3 action
    const stack = testStack();
    const policy = new iam.Policy(stack, 'Mixed', {
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
    });
    policy.attachToRole(
      new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }),
    );
    // When / Then acknowledging it as a states policy is refused, naming the action
    expect(() => acknowledgeGeneratedPolicy(policy, 'states:', 'why')).toThrow(
      /grants s3:GetObject, not only states:/,
    );
  });
});

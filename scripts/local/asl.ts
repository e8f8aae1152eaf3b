// Turns a synthesized state machine's DefinitionString (CloudFormation intrinsics around JSON fragments) into
// runnable Amazon States Language, with fake but well-formed ARNs and names derived from the resource types.

/** A CloudFormation template as `Template.toJSON()` returns it. */
export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** The values pseudo parameters resolve to. */
export const FAKE_ENV = { partition: 'aws', region: 'us-east-1', account: '111111111111' } as const;

const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Partition': FAKE_ENV.partition,
  'AWS::Region': FAKE_ENV.region,
  'AWS::AccountId': FAKE_ENV.account,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'TestStack',
  'AWS::NoValue': '',
};

/** The fake physical name of a resource: its logical ID, lower-cased for buckets (S3 names are lower case). */
export function fakeName(template: CfnTemplate, logicalId: string): string {
  const type = resourceType(template, logicalId);
  return type === 'AWS::S3::Bucket' ? logicalId.toLowerCase() : logicalId;
}

/** The fake ARN of a resource, in its service's ARN format. */
export function fakeArn(template: CfnTemplate, logicalId: string): string {
  const { partition, region, account } = FAKE_ENV;
  const name = fakeName(template, logicalId);
  switch (resourceType(template, logicalId)) {
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${name}`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${name}`;
    case 'AWS::SNS::Topic':
      return `arn:${partition}:sns:${region}:${account}:${name}`;
    case 'AWS::CloudWatch::Alarm':
    case 'AWS::CloudWatch::CompositeAlarm':
      return `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`;
    default:
      return `arn:${partition}:cloudformation:${region}:${account}:resource/${name}`;
  }
}

/** Resolves Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Ref and Fn::GetAtt (Arn, Name) inside `value`. */
export function resolveCfn(value: unknown, template: CfnTemplate): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveCfn(item, template));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [key] = keys;
    const arg = node[key as string];
    switch (key) {
      case 'Ref':
        return ref(String(arg), template);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = arg as [string, string];
        return attribute === 'Arn' ? fakeArn(template, logicalId) : fakeName(template, logicalId);
      }
      case 'Fn::Join': {
        const [delimiter, parts] = arg as [string, unknown[]];
        return parts.map((part) => String(resolveCfn(part, template))).join(delimiter);
      }
      case 'Fn::Split': {
        const [delimiter, source] = arg as [string, unknown];
        return String(resolveCfn(source, template)).split(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [number, unknown];
        return (resolveCfn(list, template) as unknown[])[Number(index)];
      }
      case 'Fn::Sub': {
        const text = typeof arg === 'string' ? arg : String((arg as [string])[0]);
        return text.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
          const [logicalId, attribute] = name.split('.');
          return attribute === undefined
            ? ref(logicalId as string, template)
            : String(resolveCfn({ 'Fn::GetAtt': [logicalId, attribute] }, template));
        });
      }
      default:
        break;
    }
  }
  return Object.fromEntries(keys.map((key) => [key, resolveCfn(node[key], template)]));
}

/** The ASL of the state machine whose logical ID starts with `logicalIdPrefix` (the only one when omitted). */
export function stateMachineAsl(template: CfnTemplate, logicalIdPrefix = ''): AslDefinition {
  const matches = Object.entries(template.Resources).filter(
    ([id, resource]) =>
      resource.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith(logicalIdPrefix),
  );
  const [match, ...others] = matches;
  if (match === undefined || others.length > 0) {
    throw new Error(
      `expected one state machine with logical ID prefix "${logicalIdPrefix}", found ${matches.length}`,
    );
  }
  const definition = resolveCfn(match[1].Properties?.DefinitionString, template);
  return JSON.parse(String(definition)) as AslDefinition;
}

/** A state machine definition (the subset the tests navigate). */
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

/** One state (loosely typed: tests read the fields they assert). */
export interface AslState {
  Type: string;
  [field: string]: unknown;
}

function ref(name: string, template: CfnTemplate): string {
  const pseudo = PSEUDO[name];
  if (pseudo !== undefined) {
    return pseudo;
  }
  const type = resourceType(template, name);
  return type === 'AWS::StepFunctions::StateMachine' || type === 'AWS::SNS::Topic'
    ? fakeArn(template, name)
    : fakeName(template, name);
}

function resourceType(template: CfnTemplate, logicalId: string): string {
  const resource = template.Resources[logicalId];
  if (resource === undefined) {
    throw new Error(`no resource ${logicalId} in the template`);
  }
  return resource.Type;
}

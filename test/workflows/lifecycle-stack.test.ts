import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { aslOf } from '../../scripts/local/state-machine.js';
import { EXAMPLE_CONFIG_FILE } from '../infra/support.js';
import { lifecycleApp } from './support.js';

// The lifecycle stack as bin/app.ts builds it from the example configuration: both workflows synthesized, valid
// ASL, the triggers, the audit bucket, IAM scoped to the endpoint, the model package group and the training role.

let template: Template;
let monitoring: Template;

beforeAll(() => {
  const app = lifecycleApp();
  template = app.template();
  monitoring = app.monitoringTemplate();
});

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every policy statement of the lifecycle stack that grants `action`. */
function statementsGranting(action: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action));
}

const flat = (value: unknown) => JSON.stringify(value);

/** A copy of the example configuration with `edit` applied, as a file. */
interface ConfigDocument {
  $schema?: string;
  endpoints: {
    retraining: Record<string, unknown> & { training: Record<string, unknown> };
    deployment: Record<string, unknown>;
  }[];
}

function configWith(edit: (endpoint: ConfigDocument['endpoints'][number]) => void): string {
  const config = JSON.parse(readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')) as ConfigDocument;
  const endpoint = config.endpoints[0];
  if (endpoint === undefined) throw new Error('the example has an endpoint');
  edit(endpoint);
  delete config.$schema;
  const file = join(mkdtempSync(join(tmpdir(), 'driftwatch-config-')), 'driftwatch.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('LifecycleStack', () => {
  it('computes both state machines as valid ASL', () => {
    // Given the synthesized definitions / When validated by asl-validator / Then both are valid
    for (const prefix of ['churnendpointRetrainingStateMachine', 'churnendpointDeploymentStateMachine']) {
      const result = aslValidator(aslOf(template, prefix, monitoring), { checkArn: true, checkPaths: true });
      expect(result.errors, prefix).toEqual([]);
      expect(result.isValid).toBe(true);
    }
  });

  it('computes the triggers: the retrain alarm entering ALARM, and approvals of the group', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [Match.anyValue()],
        detail: { state: { value: ['ALARM'] } },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('RetrainingStateMachine') } })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['churn-endpoint'], ModelApprovalStatus: ['Approved'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('DeploymentStateMachine') } })],
    });
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'churn-endpoint',
    });
  });

  it('computes an audit bucket with Object Lock as configured and no lifecycle rule that deletes records', () => {
    // Given the example's audit.objectLock (GOVERNANCE, 365 days)
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: Match.absent(),
    });
    // And nobody in the stack may delete an audit record
    expect(statementsGranting('s3:DeleteObject').map((s) => flat(s.Resource))).toEqual([
      expect.stringContaining('baselines/churn-endpoint/baseline.json'),
    ]);
  });

  it('computes IAM scoped to the endpoint, its model package group and its own job names', () => {
    // Training and scoring jobs, models and endpoint configs: names that start with the endpoint's
    for (const action of [
      'sagemaker:CreateTrainingJob',
      'sagemaker:CreateTransformJob',
      'sagemaker:createModel',
    ]) {
      const resources = statementsGranting(action).map((s) => flat(s.Resource));
      expect(resources.length, action).toBeGreaterThan(0);
      for (const resource of resources)
        expect(resource).toMatch(/(training-job|transform-job|model)\/churn-endpoint-\*/);
    }
    // UpdateEndpoint: this endpoint and its own endpoint configs only
    const update = statementsGranting('sagemaker:updateEndpoint');
    expect(update).toHaveLength(1);
    expect(((update[0]?.Resource ?? []) as unknown[]).map(flat).sort()).toEqual([
      expect.stringMatching(/:endpoint-config\/churn-endpoint-\*"/),
      expect.stringMatching(/:endpoint\/churn-endpoint"/),
    ]);
    // Registration: the endpoint's group only
    expect(flat(statementsGranting('sagemaker:createModelPackage').map((s) => s.Resource))).toMatch(
      /model-package-group\/churn-endpoint".*model-package\/churn-endpoint\/\*/,
    );
    // The SageMaker role is passed only to SageMaker
    const passRole = statementsGranting('iam:PassRole');
    expect(passRole.length).toBe(2);
    for (const statement of passRole) {
      expect(statement.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
      });
      expect(flat(statement.Resource)).toMatch(/SageMakerExecutionRole/);
    }
    // No statement allows every SageMaker action or resource
    const all = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(all.filter((s) => flat(s.Action).includes('sagemaker:*'))).toEqual([]);
  });

  it('computes the configured schedule and an approved registration from an edited configuration', () => {
    // Given the example with a weekly schedule and approval Approved
    const configFile = configWith((endpoint) => {
      endpoint.retraining.schedule = 'rate(7 days)';
      endpoint.retraining.approval = 'Approved';
    });
    const app = lifecycleApp({ configFile });
    const edited = app.template();
    // Then a schedule starts the state machine with {"trigger":"schedule"}
    edited.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(7 days)',
      Target: Match.objectLike({ Input: '{"trigger":"schedule"}' }),
    });
    // And the registration step registers as Approved
    const asl = aslOf(edited, 'churnendpointRetrainingStateMachine', app.monitoringTemplate());
    expect(
      (asl.States['Register model package'] as unknown as { Parameters: { ModelApprovalStatus: string } })
        .Parameters.ModelApprovalStatus,
    ).toBe('Approved');
  });

  it('throws when a training algorithm has no inference image', () => {
    const configFile = configWith((endpoint) => {
      delete endpoint.retraining.training.image;
      endpoint.retraining.training.algorithmName = 'my-algorithm';
    });
    expect(() => lifecycleApp({ configFile })).toThrow(
      'retraining.training.algorithmName is set without inferenceImage',
    );
  });

  it('throws when more than 10 rollback alarms are configured', () => {
    const configFile = configWith((endpoint) => {
      endpoint.deployment.autoRollback = {
        alarmNames: Array.from({ length: 8 }, (_, i) => `extra-${i}`),
      };
    });
    expect(() => lifecycleApp({ configFile })).toThrow('11 rollback alarms, SageMaker allows 10');
  });
});

describe('cdk-nag AwsSolutions on the lifecycle stack', () => {
  it('computes a validation report with no finding in the lifecycle stack', () => {
    // Given the app with the lifecycle stack and the AwsSolutions checks registered (as bin/app.ts does)
    const outdir = mkdtempSync(join(tmpdir(), 'driftwatch-nag-'));
    const { app } = lifecycleApp({ nag: true, outdir });
    // When it is synthesized
    let synthError: unknown;
    try {
      app.synth();
    } catch (error) {
      synthError = error;
    }
    // Then the report lists no violation anywhere (lifecycle or monitoring) and synthesis succeeded
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
      }[];
    };
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((v) =>
        v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`),
      ),
    );
    expect(findings).toEqual([]);
    expect(synthError).toBeUndefined();
  });
});

// Shared helpers of the infrastructure tests: apps built like bin/app.ts, with cdk.json's feature flags, and
// fast by default (STACK-NOTES G1 and G2: no built-in CloudFormation validation, no esbuild bundling).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { type MonitorConfig, parseMonitorConfigText } from '../../functions/core/config/index.js';
import { PROJECT_ROOT } from '../../lib/constructs/function-bundling.js';
import type { IIngestionMetrics } from '../../lib/constructs/monitoring-alarms.js';
import { buildMonitoringApp, DEFAULT_CONFIG_FILE, type MonitoringApp } from '../../lib/monitoring-app.js';

/** The example configuration the app defaults to. */
export const EXAMPLE_CONFIG_FILE = DEFAULT_CONFIG_FILE;

/** The feature flags of cdk.json, so tests build what `cdk synth` builds. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** An App with cdk.json's flags; bundling is skipped unless `bundle` is set. */
export function testApp(options: { bundle?: boolean; outdir?: string; validation?: boolean } = {}): App {
  return new App({
    context: { ...cdkJsonContext(), ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    builtinCloudFormationValidation: options.validation ?? false,
    outdir: options.outdir,
  });
}

/** A bare stack in a test app, for construct tests. */
export function testStack(id = 'Test'): Stack {
  return new Stack(testApp(), id);
}

/** Parses a configuration file of the repository (relative to its root). */
export function loadConfig(relativePath: string): MonitorConfig {
  return parseMonitorConfigText(readFileSync(join(PROJECT_ROOT, relativePath), 'utf8'), relativePath);
}

/** The example app as bin/app.ts builds it (without cdk-nag unless asked), and its monitoring template. */
export function exampleApp(
  options: { nag?: boolean; configFile?: string; outdir?: string } = {},
): MonitoringApp & {
  app: App;
  template: () => Template;
} {
  const app = testApp({ outdir: options.outdir });
  const built = buildMonitoringApp(app, {
    configFile: options.configFile ?? EXAMPLE_CONFIG_FILE,
    nag: options.nag ?? false,
  });
  return { ...built, app, template: () => Template.fromStack(built.monitoringStack) };
}

/** One IAM policy statement as synthesized. */
export interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of every AWS::IAM::Policy attached to `role`, in template order. */
export function statementsOfRole(template: Template, stack: Stack, role: iam.IRole): Statement[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((roleRef) => roleRef.Ref === roleId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The statements of `role` that grant `action`. */
export function statementsFor(
  template: Template,
  stack: Stack,
  role: iam.IRole,
  action: string,
): Statement[] {
  return statementsOfRole(template, stack, role).filter((statement) =>
    (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).includes(action),
  );
}

/** `arn:<partition>:s3:::<rest>` as CDK renders it for an imported bucket. */
export function s3Arn(rest: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${rest}`]] };
}

/** The template without what changes with every build of the handlers (asset hashes and paths), for snapshots. */
export function stableTemplate(template: Template): unknown {
  const text = JSON.stringify(template.toJSON())
    .replace(/[0-9a-f]{64}(\.zip)?/g, '<asset-hash>')
    .replace(/"aws:asset:path":"[^"]*"/g, '"aws:asset:path":"<asset-path>"');
  return JSON.parse(text);
}

/** Ingestion metrics (Lambda errors, dead-letter queue depth) without an ingestion construct behind them. */
export function stubIngestionMetrics(): IIngestionMetrics {
  return {
    metricErrors: (props) =>
      new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', ...props }),
    metricDeadLetterQueueDepth: (props) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        ...props,
      }),
  };
}

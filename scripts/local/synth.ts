// Synthesizes the driftwatch app in-process, as `cdk synth` builds it (cdk.json's feature flags) but fast: no
// esbuild bundling and no built-in CloudFormation validation (STACK-NOTES G1, G2). Used by the demo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { MonitorConfig } from '../../functions/core/config/index.js';
import { PROJECT_ROOT } from '../../lib/constructs/function-bundling.js';
import { buildMonitoringApp } from '../../lib/monitoring-app.js';
import { addLifecycleStack } from '../../lib/stacks/lifecycle-stack.js';
import type { CfnTemplate } from './asl.js';

/** The two synthesized templates of a configuration and the configuration they were built from. */
export interface SynthesizedApp {
  config: MonitorConfig;
  monitoring: Template;
  lifecycle: Template;
}

/** Synthesizes the monitoring and lifecycle stacks of `configFile` as bin/app.ts builds them (without cdk-nag). */
export function synthesizeApp(configFile: string): SynthesizedApp {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const built = buildMonitoringApp(app, { configFile, nag: false });
  const lifecycle = addLifecycleStack(app, built, { configFile });
  return {
    config: built.config,
    monitoring: Template.fromStack(built.monitoringStack),
    lifecycle: Template.fromStack(lifecycle),
  };
}

/** The template's resources of CloudFormation `type`, by logical ID. */
export function resourcesOfType(
  template: Template,
  type: string,
): [string, { Type: string; Properties?: Record<string, unknown> }][] {
  return Object.entries((template.toJSON() as CfnTemplate).Resources).filter(([, r]) => r.Type === type);
}

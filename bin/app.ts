#!/usr/bin/env node
// The CDK app: `cdk synth -c config=PATH` (default: the example configuration). No resources here.
import { App } from 'aws-cdk-lib';
import { ConfigValidationError } from '../functions/core/config/index.js';
import { buildMonitoringApp, DEFAULT_CONFIG_FILE } from '../lib/monitoring-app.js';
import { addLifecycleStack, needsLifecycleStack } from '../lib/stacks/lifecycle-stack.js';

const app = new App();
const context: unknown = app.node.tryGetContext('config');
const configFile = typeof context === 'string' && context !== '' ? context : DEFAULT_CONFIG_FILE;
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
try {
  const monitoring = buildMonitoringApp(app, {
    configFile,
    nag: app.node.tryGetContext('nag') !== 'false',
    env,
  });
  // Retraining, blue/green deployment and the audit trail, wired to the monitoring stack (lib/stacks/lifecycle-stack.ts),
  // for configurations that have them.
  if (needsLifecycleStack(monitoring.config)) addLifecycleStack(app, monitoring, { configFile, env });
} catch (error) {
  if (error instanceof ConfigValidationError) {
    console.error(`driftwatch: the monitor configuration is invalid:\n${error.message}`);
    process.exit(1);
  }
  throw error;
}

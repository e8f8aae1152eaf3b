import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { MonitorConfig } from '../../functions/core/config/index.js';
import { addLifecycleStack, type LifecycleStack } from '../../lib/stacks/lifecycle-stack.js';
import { EXAMPLE_CONFIG_FILE, exampleApp } from '../infra/support.js';

/** The example app (monitoring stack as bin/app.ts builds it) with the lifecycle stack wired as bin/app.ts does. */
export function lifecycleApp(options: { nag?: boolean; configFile?: string; outdir?: string } = {}): {
  app: App;
  config: MonitorConfig;
  stack: LifecycleStack;
  template: () => Template;
  monitoringTemplate: () => Template;
} {
  const built = exampleApp(options);
  const stack = addLifecycleStack(built.app, built, {
    configFile: options.configFile ?? EXAMPLE_CONFIG_FILE,
  });
  return {
    app: built.app,
    config: built.config,
    stack,
    template: () => Template.fromStack(stack),
    monitoringTemplate: () => Template.fromStack(built.monitoringStack),
  };
}

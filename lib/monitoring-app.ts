import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type MonitorConfig, parseMonitorConfigText } from '../functions/core/config/index.js';
import { PROJECT_ROOT } from './constructs/function-bundling.js';
import { MonitoringStack } from './stacks/monitoring-stack.js';

/** The configuration used when the app gets no `-c config=PATH`: the example, so `npm run synth` works as is. */
export const DEFAULT_CONFIG_FILE = join(PROJECT_ROOT, 'examples', 'driftwatch.config.json');

/** Options of {@link buildMonitoringApp}. */
export interface MonitoringAppOptions {
  /** The monitor configuration file (relative paths are resolved against the working directory). */
  readonly configFile: string;
  /**
   * Whether to run cdk-nag's AwsSolutions checks at synth (any unacknowledged finding fails it).
   * @default true
   */
  readonly nag?: boolean;
  /**
   * Account and region of the stacks.
   * @default - environment-agnostic
   */
  readonly env?: { readonly account?: string; readonly region?: string };
}

/** What {@link buildMonitoringApp} built. */
export interface MonitoringApp {
  /** The validated configuration. */
  readonly config: MonitorConfig;
  /** The monitoring stack. */
  readonly monitoringStack: MonitoringStack;
}

/**
 * Builds the driftwatch stacks into `app` from a monitor configuration file: validates it (ConfigValidationError
 * lists every problem with its line), tags every resource with `tags`, and registers cdk-nag AwsSolutions checks.
 */
export function buildMonitoringApp(app: App, options: MonitoringAppOptions): MonitoringApp {
  const configFile = resolve(options.configFile);
  const config = parseMonitorConfigText(readFileSync(configFile, 'utf8'), options.configFile);
  const monitoringStack = new MonitoringStack(app, `${config.stackName}-Monitoring`, {
    config,
    configFile,
    env: options.env,
    description: `driftwatch monitoring of ${config.endpoints.map((endpoint) => endpoint.name).join(', ')}`,
    tags: config.tags,
  });
  for (const [key, value] of Object.entries(config.tags)) {
    Tags.of(monitoringStack).add(key, value);
  }
  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }
  return { config, monitoringStack };
}

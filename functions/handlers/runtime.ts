import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createEmfMetricSink } from '../adapters/emf-metrics.js';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { parseMonitorConfigText } from '../core/config/parse.js';
import type { MonitorConfig } from '../core/config/schema.js';
import { ConfigurationError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { LogSink } from '../ports/log-sink.js';
import { BaselineCache } from '../services/baseline-cache.js';
import type { DriftServiceContext, ServiceContext } from '../services/context.js';
import { endpointContext } from '../services/endpoint-context.js';
import { BUNDLED_CONFIG_FILE, ENV } from '../shared/env.js';
import { DRIFTWATCH_NAMESPACE, MODEL_MONITOR_DATA_NAMESPACE } from '../shared/metrics.js';

/** Re-exported for the handlers built on this module (the name lives in functions/shared/env.ts). */
export { BUNDLED_CONFIG_FILE };

/** What the ingest and evaluate-window handlers work with; built once per cold start by {@link functionDeps}. */
export type FunctionDeps = DriftServiceContext;

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Reads and validates the monitor configuration file.
 * @throws ConfigurationError naming the file and every problem
 */
export function readMonitorConfig(file: string | URL): MonitorConfig {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing
      ? `no such file; the stack bundles it next to the handler, or set ${ENV.monitorConfigPath}`
      : (err as Error).message;
    throw new ConfigurationError(`${path}: ${why}`, { cause: err });
  }
  try {
    return parseMonitorConfigText(text, path);
  } catch (err) {
    throw new ConfigurationError((err as Error).message, { cause: err });
  }
}

/**
 * A variable the stack sets; a clear error, naming `setBy`, when it is missing.
 * @throws ConfigurationError when the variable is unset or blank
 */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string, setBy = 'the stack'): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`environment variable ${name} is not set; ${setBy} sets it`);
  }
  return value;
}

/**
 * The context every deployed monitoring function shares, from its environment: the configuration file
 * (`DRIFTWATCH_CONFIG_PATH`, else `bundledConfig`), the endpoint (`DRIFTWATCH_ENDPOINT`), the reports location
 * (`DRIFTWATCH_REPORTS_BUCKET`, `DRIFTWATCH_REPORTS_PREFIX`), one S3 client (region, credentials and endpoint
 * from the standard AWS_* variables) and EMF metrics in the driftwatch namespace and `modelMonitorNamespace`.
 * Returns the configuration too, for the function's own sections.
 * @throws ConfigurationError when the configuration or a variable is missing or invalid
 */
export function serviceDeps(
  env: NodeJS.ProcessEnv,
  bundledConfig: URL,
  logger: Logger,
  modelMonitorNamespace: string,
): { config: MonitorConfig; context: ServiceContext } {
  const config = readMonitorConfig(env[ENV.monitorConfigPath] ?? bundledConfig);
  const endpoint = endpointContext(config, requiredEnv(env, ENV.endpointName), {
    bucket: requiredEnv(env, ENV.reportsBucket),
    key: env[ENV.reportsPrefix] ?? '',
  });
  const store = new S3ObjectStore(new S3Client({}));
  const metrics = createEmfMetricSink({
    namespaces: [DRIFTWATCH_NAMESPACE, modelMonitorNamespace],
    logger,
    onError: (error, names) =>
      logger.error('metrics not published', { error: (error as Error).message, metrics: names.slice(0, 10) }),
  });
  return {
    config,
    context: {
      endpoint,
      store,
      metrics,
      log: logSink(logger),
      clock: systemClock,
    },
  };
}

/**
 * The dependencies of the ingest and evaluate-window functions: {@link serviceDeps} with Model Monitor's
 * data-metrics namespace, and the baseline cache.
 * @throws ConfigurationError when the configuration or a variable is missing or invalid
 */
export function functionDeps(env: NodeJS.ProcessEnv, bundledConfig: URL, logger: Logger): FunctionDeps {
  const { context } = serviceDeps(env, bundledConfig, logger, MODEL_MONITOR_DATA_NAMESPACE);
  return {
    ...context,
    baselines: new BaselineCache(context.store, context.endpoint.baseline, context.endpoint.settings),
  };
}

/** The port's view of a Powertools logger. */
export function logSink(logger: Logger): LogSink {
  return {
    info: (message, attributes) => logger.info(message, ...(attributes ? [attributes] : [])),
    warn: (message, attributes) => logger.warn(message, ...(attributes ? [attributes] : [])),
    error: (message, attributes) => logger.error(message, ...(attributes ? [attributes] : [])),
  };
}

/** The Powertools logger of a function (service name and level from POWERTOOLS_* variables). */
export function createLogger(): Logger {
  return new Logger();
}

/**
 * Wraps a handler in the middy chain both functions share: Powertools' Lambda context in every log line.
 * Metrics are flushed by the handlers themselves (see EmfMetricSink), one EMF document per dimension set.
 */
export function withMiddleware<TResult>(
  handler: (event: unknown) => Promise<TResult>,
  logger: Logger,
): middy.MiddyfiedHandler<unknown, TResult, Error, Context> {
  return middy<unknown, TResult, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler((event: unknown) => handler(event));
}

/** Creates the value on first use and keeps it: dependencies are built once per cold start, not at import. */
export function once<T>(create: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: create() };
    return value.v;
  };
}

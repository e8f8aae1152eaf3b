// The real handlers run on this machine (the demo, the integration and robustness suites): the Lambda context a
// middy chain needs, and the dependencies functionDeps() builds in Lambda, with the store and clock given here.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { createEmfMetricSink } from '../../functions/adapters/emf-metrics.js';
import type { S3Location } from '../../functions/core/config/s3-uri.js';
import type { MonitorConfig } from '../../functions/core/config/schema.js';
import { type FunctionDeps, logSink } from '../../functions/handlers/runtime.js';
import type { Clock } from '../../functions/ports/clock.js';
import type { ObjectStore } from '../../functions/ports/object-store.js';
import { BaselineCache } from '../../functions/services/baseline-cache.js';
import { endpointContext } from '../../functions/services/endpoint-context.js';

/** A Lambda context of a function called `functionName`, with a minute left, for a handler's middy chain. */
export function lambdaContext(functionName: string): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111111111111:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'local-request',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Where and how the handlers of one endpoint run locally. */
export interface LocalFunctionOptions {
  config: MonitorConfig;
  endpointName: string;
  /** Where reports and profiles go (the stack's DRIFTWATCH_REPORTS_BUCKET and _PREFIX). */
  reports: S3Location;
  store: ObjectStore;
  clock: Clock;
  /** Receives the log lines and Powertools' metric warnings. */
  logger: Logger;
  /** The namespaces the EMF metrics (printed on stdout) may use. */
  namespaces: readonly string[];
}

/** The dependencies of the ingest and evaluate-window handlers (and, with `quality` added, merge-ground-truth). */
export function localFunctionDeps(options: LocalFunctionOptions): FunctionDeps {
  const endpoint = endpointContext(options.config, options.endpointName, options.reports);
  return {
    endpoint,
    store: options.store,
    metrics: createEmfMetricSink({ namespaces: options.namespaces, logger: options.logger }),
    log: logSink(options.logger),
    clock: options.clock,
    baselines: new BaselineCache(options.store, endpoint.baseline, endpoint.settings),
  };
}

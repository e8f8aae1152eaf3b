/**
 * Evaluate-window Lambda, started by EventBridge Scheduler with `{ "endpoint": name }` (and by the backfill state
 * machine with `{ "endpoint", "windowEnd" }`): merges the window's profiles, runs drift and data-quality checks,
 * writes statistics.json, constraint_violations.json and drift-report.json, publishes the window's metrics and
 * returns a small summary.
 *
 * The window is the `windowHours` hours (default schedule.windowHours) before `windowEnd`; `windowEnd` defaults
 * to the start of the hour that contains (now - schedule.delayMinutes), i.e. the current hour once capture
 * delivery for the previous hour has had delayMinutes to land.
 *
 * Errors: InvalidEventError (bad event, or an endpoint this function does not serve), BaselineError,
 * StorageError, ConfigurationError; see ingest-capture.ts.
 */
import { evaluateWindow, type WindowSummary } from '../services/evaluate-window.js';
import { BUNDLED_CONFIG_FILE } from '../shared/env.js';
import { requestedWindow } from './events.js';
import { createLogger, type FunctionDeps, functionDeps, once, withMiddleware } from './runtime.js';

/** What the evaluate-window handler needs. */
export type EvaluateWindowDeps = FunctionDeps;

/** The evaluate-window handler over its ports: validates the event, evaluates, flushes metrics even on error. */
export function createHandler(deps: EvaluateWindowDeps): (event: unknown) => Promise<WindowSummary> {
  return async (event) => {
    try {
      return await evaluateWindow(requestedWindow(event, deps, deps.endpoint.windowHours), deps);
    } finally {
      deps.metrics.flush();
    }
  };
}

const logger = createLogger();

/** Dependencies from the environment: config file next to the bundle, S3 client, EMF metrics, Powertools logger. */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): EvaluateWindowDeps {
  return functionDeps(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url), logger);
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);

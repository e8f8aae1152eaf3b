import type { Clock } from '../ports/clock.js';
import type { LogSink } from '../ports/log-sink.js';
import type { MetricSink } from '../ports/metric-sink.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { BaselineCache } from './baseline-cache.js';
import type { EndpointContext } from './endpoint-context.js';

/**
 * The endpoint and the ports every monitoring service works with, built once per cold start by the handler's
 * defaultDeps() (tests and the demo build their own). A service that needs more extends it.
 */
export interface ServiceContext {
  endpoint: EndpointContext;
  store: ObjectStore;
  metrics: MetricSink;
  log: LogSink;
  clock: Clock;
}

/** What the services that compare capture data with the endpoint's baseline (ingest, evaluate-window) work with. */
export interface DriftServiceContext extends ServiceContext {
  baselines: BaselineCache;
}

/** The hours a window service evaluates: [windowEnd - windowHours, windowEnd). */
export interface WindowRequest {
  /** A whole UTC hour. */
  windowEnd: Date;
  windowHours: number;
}

// The public constructs of driftwatch's deployed half.
export * from './constructs/backfill-workflow.js';
export * from './constructs/capture-ingestion.js';
export * from './constructs/capture-source.js';
export * from './constructs/dead-letter-queue.js';
export * from './constructs/driftwatch-function.js';
export * from './constructs/endpoint-monitor.js';
export * from './constructs/function-bundling.js';
export * from './constructs/monitoring-alarms.js';
export * from './constructs/monitoring-dashboard.js';
export * from './constructs/monitoring-metrics.js';
export * from './constructs/reports-store.js';
export * from './constructs/s3-location.js';
export * from './constructs/secure-bucket.js';
export * from './constructs/window-evaluation.js';
export * from './monitoring-app.js';
export * from './stacks/monitoring-stack.js';

/** Environment variable names the stack sets and the handlers read (only in `defaultDeps()`). */
export const ENV = {
  /** The monitor configuration of the function's endpoint, as JSON (validated by the config schema). */
  monitorConfig: 'DRIFTWATCH_CONFIG',
  /** Path of the monitor configuration file; unset in Lambda, where the file sits next to the bundled handler. */
  monitorConfigPath: 'DRIFTWATCH_CONFIG_PATH',
  /** The endpoint this function serves. */
  endpointName: 'DRIFTWATCH_ENDPOINT',
  /** Bucket and prefix where profiles and reports are written. */
  reportsBucket: 'DRIFTWATCH_REPORTS_BUCKET',
  reportsPrefix: 'DRIFTWATCH_REPORTS_PREFIX',
  /** Bucket of the audit trail (retraining and deployment functions). */
  auditBucket: 'DRIFTWATCH_AUDIT_BUCKET',
  /** Key prefix of the audit trail ('' for the bucket root); records are `<prefix>/<endpoint>/<sequence>.json`. */
  auditPrefix: 'DRIFTWATCH_AUDIT_PREFIX',
  /** Powertools settings. */
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** File name of the monitor configuration the stack copies next to each bundled handler. */
export const BUNDLED_CONFIG_FILE = 'driftwatch.config.json';

/** Key prefix of the audit trail in the bucket the stack creates. */
export const AUDIT_PREFIX = 'audit';

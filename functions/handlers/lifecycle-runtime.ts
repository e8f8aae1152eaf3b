import { S3Client } from '@aws-sdk/client-s3';
import { S3AuditStore } from '../adapters/s3-audit-store.js';
import { findEndpoint } from '../core/config/resolve.js';
import type { EndpointConfig, MonitorConfig } from '../core/config/schema.js';
import { ConfigurationError } from '../errors.js';
import { ENV } from '../shared/env.js';
import { AuditTrail } from './audit-trail.js';
import { readMonitorConfig, requiredEnv, systemClock } from './runtime.js';

// Shared by the retraining and deployment functions: which endpoint they serve and where the audit trail is.

/** The configuration of the one endpoint a lifecycle function serves. */
export interface LifecycleEndpoint {
  config: MonitorConfig;
  endpoint: EndpointConfig;
}

/** Who sets the lifecycle functions' variables, for the message when one is missing. */
const SET_BY = 'the lifecycle stack';

/**
 * The endpoint's configuration: the file at `DRIFTWATCH_CONFIG_PATH` (else the bundled one), the endpoint named by
 * `DRIFTWATCH_ENDPOINT`.
 * @throws ConfigurationError when the file, the variable or the endpoint is missing
 */
export function lifecycleEndpoint(env: NodeJS.ProcessEnv, bundledConfig: URL): LifecycleEndpoint {
  const config = readMonitorConfig(env[ENV.monitorConfigPath] ?? bundledConfig);
  try {
    return { config, endpoint: findEndpoint(config, requiredEnv(env, ENV.endpointName, SET_BY)) };
  } catch (err) {
    if (err instanceof ConfigurationError) throw err;
    throw new ConfigurationError((err as Error).message, { cause: err });
  }
}

/** The audit trail at `DRIFTWATCH_AUDIT_BUCKET`/`DRIFTWATCH_AUDIT_PREFIX`, written through `client`. */
export function auditTrailFromEnv(env: NodeJS.ProcessEnv, client: S3Client = new S3Client({})): AuditTrail {
  const store = new S3AuditStore(
    client,
    requiredEnv(env, ENV.auditBucket, SET_BY),
    env[ENV.auditPrefix] ?? '',
  );
  return new AuditTrail(store, systemClock);
}

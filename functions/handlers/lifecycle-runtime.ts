import { S3Client } from '@aws-sdk/client-s3';
import { S3AuditStore } from '../adapters/s3-audit-store.js';
import { findEndpoint } from '../core/config/resolve.js';
import type { EndpointConfig, MonitorConfig } from '../core/config/schema.js';
import { ConfigurationError } from '../errors.js';
import { ENV } from '../shared/env.js';
import { AuditTrail } from './audit-trail.js';
import { readMonitorConfig, systemClock } from './runtime.js';

// Shared by the retraining and deployment functions: which endpoint they serve and where the audit trail is.

/** The configuration of the one endpoint a lifecycle function serves. */
export interface LifecycleEndpoint {
  config: MonitorConfig;
  endpoint: EndpointConfig;
}

/** A variable the stack sets; a clear error when it is missing. */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`environment variable ${name} is not set; the lifecycle stack sets it`);
  }
  return value;
}

/**
 * The endpoint's configuration: the file at `DRIFTWATCH_CONFIG_PATH` (else the bundled one), the endpoint named by
 * `DRIFTWATCH_ENDPOINT`.
 * @throws ConfigurationError when the file, the variable or the endpoint is missing
 */
export function lifecycleEndpoint(env: NodeJS.ProcessEnv, bundledConfig: URL): LifecycleEndpoint {
  const config = readMonitorConfig(env[ENV.monitorConfigPath] ?? bundledConfig);
  try {
    return { config, endpoint: findEndpoint(config, requiredEnv(env, ENV.endpointName)) };
  } catch (err) {
    if (err instanceof ConfigurationError) throw err;
    throw new ConfigurationError((err as Error).message, { cause: err });
  }
}

/** The audit trail at `DRIFTWATCH_AUDIT_BUCKET`/`DRIFTWATCH_AUDIT_PREFIX`, written through `client`. */
export function auditTrailFromEnv(env: NodeJS.ProcessEnv, client: S3Client = new S3Client({})): AuditTrail {
  const store = new S3AuditStore(client, requiredEnv(env, ENV.auditBucket), env[ENV.auditPrefix] ?? '');
  return new AuditTrail(store, systemClock);
}

import { findEndpoint } from '../core/config/resolve.js';
import { parseS3Uri, type S3Location } from '../core/config/s3-uri.js';
import type { MonitorConfig } from '../core/config/schema.js';
import { type EndpointMonitorSettings, endpointMonitorSettings } from '../core/monitor-settings.js';
import { ConfigurationError } from '../errors.js';
import { joinKey } from '../shared/s3-layout.js';

/** Everything a function needs to know about the one endpoint it serves, resolved once per cold start. */
export interface EndpointContext {
  endpointName: string;
  /** Production variants monitored, in configuration order. */
  variants: readonly string[];
  /** The MonitoringSchedule dimension of the Model Monitor-compatible metrics and the reports' folder. */
  monitoringScheduleName: string;
  /** Where the endpoint's DataCaptureConfig writes (key = the prefix, without trailing slash). */
  capture: S3Location;
  /** The baseline prefix (baseline.json or statistics.json, and constraints.json). */
  baseline: S3Location;
  /** Where profiles and window reports are written. */
  reports: S3Location;
  /** Capture objects larger than this are skipped (payload.maxObjectBytes). */
  maxObjectBytes: number;
  /** Default window length in hours (schedule.windowHours). */
  windowHours: number;
  /** How long after an hour ends its capture is considered complete (schedule.delayMinutes). */
  delayMinutes: number;
  /** Drift methods, thresholds, payload mapping and data-quality settings, shared with the CLI. */
  settings: EndpointMonitorSettings;
}

function location(uri: string, field: string): S3Location {
  try {
    const parsed = parseS3Uri(uri);
    return { bucket: parsed.bucket, key: joinKey(parsed.key) };
  } catch (err) {
    throw new ConfigurationError(`${field}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Resolves the configuration of `endpointName` for a deployed function. `reports` comes from the function's
 * environment (the stack creates a reports bucket unless the endpoint's `reports.s3Uri` is set).
 * @throws ConfigurationError when the endpoint is not in the configuration
 */
export function endpointContext(
  config: MonitorConfig,
  endpointName: string,
  reports: S3Location,
): EndpointContext {
  let endpoint: ReturnType<typeof findEndpoint>;
  try {
    endpoint = findEndpoint(config, endpointName);
  } catch (err) {
    throw new ConfigurationError((err as Error).message, { cause: err });
  }
  return {
    endpointName,
    variants: endpoint.variants.map((v) => v.name),
    monitoringScheduleName: endpoint.monitoringScheduleName,
    capture: location(endpoint.capture.s3Uri, 'capture.s3Uri'),
    baseline: location(endpoint.baseline.s3Uri, 'baseline.s3Uri'),
    reports: { bucket: reports.bucket, key: joinKey(reports.key) },
    maxObjectBytes: endpoint.payload.maxObjectBytes,
    windowHours: endpoint.schedule.windowHours,
    delayMinutes: endpoint.schedule.delayMinutes,
    settings: endpointMonitorSettings(config, endpointName),
  };
}

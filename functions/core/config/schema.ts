import { z } from 'zod';
import { AuditConfigSchema, NotificationsConfigSchema } from './account-schema.js';
import { checkDriftChain, DefaultsConfigSchema, type DriftLevel } from './drift-schema.js';
import { EndpointConfigSchema } from './endpoint-schema.js';
import { matching, optionalWith, reportDuplicates, s3Uri, section, text, withDefault } from './fields.js';
import { isS3UriWithin } from './s3-uri.js';

// The single monitor configuration consumed by bin/app.ts (stacks) and the CLI (local checks). Shape rules:
// camelCase keys; unknown keys rejected (a typo must not silently fall back to a default); every optional field
// states its default in its description (and so in the JSON Schema); cross-field rules in superRefine next to the
// section they concern, rules spanning sections here.

export * from './account-schema.js';
export * from './alarms-schema.js';
export * from './drift-schema.js';
export * from './endpoint-schema.js';
export * from './quality-schema.js';
export * from './workflow-schema.js';

/** The only configuration format version this code reads. */
export const CONFIG_VERSION = 1;

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

const monitorConfigObject = z.strictObject({
  $schema: optionalWith(
    z.string({ error: 'expected a string' }),
    'JSON Schema reference for editors.',
    'none',
  ),
  version: z
    .literal(CONFIG_VERSION, { error: `expected ${CONFIG_VERSION}, the only configuration version` })
    .describe('Configuration format version.'),
  stackName: withDefault(
    matching(
      STACK_NAME,
      'a CloudFormation stack name (a letter, then up to 127 letters, digits and hyphens)',
    ),
    'Driftwatch',
    'Name (and prefix) of the CloudFormation stacks.',
  ),
  tags: withDefault(
    z.record(
      text('a tag key', 128),
      z.string({ error: 'expected a string' }).max(256, { error: 'expected at most 256 characters' }),
    ),
    {},
    'Tags applied to every resource.',
  ),
  allowedS3Prefixes: optionalWith(
    z.array(s3Uri()).min(1, { error: 'expected at least one prefix' }),
    'If set, every S3 location in this file must lie under one of these prefixes (same bucket, key equal to or ' +
      'below the prefix at a "/" boundary).',
    'any bucket',
  ),
  defaults: section(DefaultsConfigSchema, 'Settings for every endpoint.'),
  endpoints: z
    .array(EndpointConfigSchema)
    .min(1, { error: 'expected at least one endpoint' })
    .describe('Monitored endpoints.'),
  notifications: section(NotificationsConfigSchema, 'Where alarms and workflow results are sent.'),
  audit: section(AuditConfigSchema, 'The audit log.'),
});
type ConfigBeforeChecks = z.output<typeof monitorConfigObject>;

/** The whole monitor configuration document. */
export const MonitorConfigSchema = monitorConfigObject
  .superRefine((config, ctx) => {
    reportDuplicates(
      config.endpoints.map((endpoint) => endpoint.name),
      (index) => ['endpoints', index, 'name'],
      'endpoint name',
      ctx,
    );
    checkDriftLevels(config, ctx);
    checkAllowedS3Prefixes(config, ctx);
  })
  .meta({
    title: 'driftwatch monitor configuration',
    description:
      'Endpoints, capture and baseline locations, payload mapping, drift and quality thresholds, schedules, alarms, ' +
      'retraining, gate, deployment and notifications for driftwatch. One file for the CDK app and the CLI.',
  });
/** The monitor configuration with every default applied. */
export type MonitorConfig = z.output<typeof MonitorConfigSchema>;
/** The monitor configuration as written in the file (defaults not yet applied). */
export type MonitorConfigInput = z.input<typeof MonitorConfigSchema>;

function checkDriftLevels(config: ConfigBeforeChecks, ctx: z.RefinementCtx) {
  const global: DriftLevel = { path: ['defaults', 'drift'], settings: config.defaults.drift };
  checkDriftChain([global], ctx);
  config.endpoints.forEach((endpoint, endpointIndex) => {
    const endpointLevel: DriftLevel = {
      path: ['endpoints', endpointIndex, 'drift'],
      settings: endpoint.drift,
    };
    checkDriftChain([global, endpointLevel], ctx);
    endpoint.features.forEach((feature, featureIndex) => {
      if (feature.drift !== undefined) {
        const featureLevel: DriftLevel = {
          path: ['endpoints', endpointIndex, 'features', featureIndex, 'drift'],
          settings: feature.drift,
        };
        checkDriftChain([global, endpointLevel, featureLevel], ctx);
      }
    });
  });
}

/** Every `s3Uri`/`...S3Uri` string in a parsed document with its path (generic, so new fields are covered). */
export function collectS3Uris(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; uri: string }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => collectS3Uris(item, [...path, index]));
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    if (typeof child === 'string' && (key === 's3Uri' || key.endsWith('S3Uri'))) {
      return [{ path: [...path, key], uri: child }];
    }
    return key === 'allowedS3Prefixes' ? [] : collectS3Uris(child, [...path, key]);
  });
}

function checkAllowedS3Prefixes(config: ConfigBeforeChecks, ctx: z.RefinementCtx) {
  const allowed = config.allowedS3Prefixes;
  if (allowed === undefined) {
    return;
  }
  for (const { path, uri } of collectS3Uris(config)) {
    if (!allowed.some((prefix) => isWithin(uri, prefix))) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `expected a location under one of allowedS3Prefixes (${allowed.join(', ')})`,
        input: uri,
      });
    }
  }
}

function isWithin(uri: string, prefix: string): boolean {
  try {
    return isS3UriWithin(uri, prefix);
  } catch {
    // A malformed URI has already been reported by its own field.
    return true;
  }
}

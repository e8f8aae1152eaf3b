/**
 * Audit-append Lambda, a task of the retraining and deployment state machines: seals one decision
 * `{ workflow, kind, runId, final?, detail?, inputs? }` into the endpoint's hash chain. `inputs` maps a name to
 * the JSON the decision was based on (an event, a job description, a report summary); only its SHA-256 (of the
 * RFC 8785 canonical JSON) is stored. Returns `{ sequence, hash }` of the new record.
 *
 * Errors: InvalidEventError (bad event), AuditFormatError (detail or inputs not JSON), AuditConflictError (lost
 * the race for the next sequence too often; retried by the state machine), AuditChainError, StorageError.
 */
import { z } from 'zod';
import { hashJson } from '../core/audit/canonical-json.js';
import { AUDIT_KINDS, AUDIT_WORKFLOWS, type AuditDraftInput } from '../core/audit/record.js';
import type { AuditTrail } from './audit-trail.js';
import { auditTrailFromEnv, lifecycleEndpoint } from './lifecycle-runtime.js';
import { BUNDLED_CONFIG_FILE, createLogger, once, withMiddleware } from './runtime.js';
import { parseEvent } from './validation.js';

/** What the audit-append handler needs. */
export interface AuditAppendDeps {
  endpointName: string;
  trail: AuditTrail;
}

/** The event the state machines send. */
export const AuditAppendEventSchema = z.object({
  workflow: z.enum(AUDIT_WORKFLOWS, { error: `expected one of ${AUDIT_WORKFLOWS.join(', ')}` }),
  kind: z.enum(AUDIT_KINDS, { error: `expected one of ${AUDIT_KINDS.join(', ')}` }),
  runId: z.string({ error: 'expected the execution ARN' }).min(1, { error: 'expected the execution ARN' }),
  final: z.boolean({ error: 'expected true or false' }).optional(),
  detail: z.record(z.string(), z.unknown(), { error: 'expected a JSON object' }).optional(),
  inputs: z.record(z.string(), z.unknown(), { error: 'expected an object of named inputs' }).optional(),
});

/** Where a record landed. */
export interface AuditAppendResult {
  sequence: number;
  hash: string;
}

/** Turns a validated event into a record draft, hashing each named input. */
export function draftFromEvent(event: z.output<typeof AuditAppendEventSchema>): AuditDraftInput {
  return {
    workflow: event.workflow,
    kind: event.kind,
    runId: event.runId,
    final: event.final ?? false,
    detail: event.detail ?? {},
    inputs: Object.entries(event.inputs ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => ({ name, sha256: hashJson(value) })),
  };
}

/** The audit-append handler over its ports. */
export function createHandler(deps: AuditAppendDeps): (event: unknown) => Promise<AuditAppendResult> {
  return async (event) => {
    const draft = draftFromEvent(parseEvent(AuditAppendEventSchema, event, 'audit-append event'));
    const record = await deps.trail.append(deps.endpointName, async () => draft);
    // A decision that always returns a draft always yields a record.
    if (record === undefined) throw new Error('audit-append: no record was appended');
    return { sequence: record.sequence, hash: record.hash };
  };
}

const logger = createLogger();

/** Dependencies from the environment: the endpoint from the bundled configuration, the audit trail in S3. */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): AuditAppendDeps {
  const { endpoint } = lifecycleEndpoint(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url));
  return { endpointName: endpoint.name, trail: auditTrailFromEnv(env) };
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);

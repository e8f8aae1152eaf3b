import { z } from 'zod';

// One audit record: an immutable decision of the retraining or deployment workflow, hash-chained per endpoint.

/** Identifies a driftwatch audit record. */
export const AUDIT_FORMAT = 'driftwatch.audit';

/** `previousHash` of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The workflows that write audit records. */
export const AUDIT_WORKFLOWS = ['retraining', 'deployment'] as const;
/** A workflow that writes audit records. */
export type AuditWorkflow = (typeof AUDIT_WORKFLOWS)[number];

/**
 * What a record says happened. Retraining: `trigger` (a run starts), `skip` (a trigger was refused), `training-result`,
 * `gate-verdict`, `registration`, `retraining-failure`. Deployment: `approval` (a package was approved),
 * `trigger` (a deployment asked for by hand), `skip` (the package is already deployed), `deployment-start`,
 * `deployment-success`, `rollback`, `deployment-failure`.
 */
export const AUDIT_KINDS = [
  'trigger',
  'skip',
  'training-result',
  'gate-verdict',
  'registration',
  'retraining-failure',
  'approval',
  'deployment-start',
  'deployment-success',
  'rollback',
  'deployment-failure',
] as const;
/** A record kind. */
export type AuditKind = (typeof AUDIT_KINDS)[number];

const HASH = /^[0-9a-f]{64}$/;
const sha256 = z
  .string({ error: 'expected a SHA-256 hash' })
  .regex(HASH, { error: 'expected 64 lower-case hex digits' });
const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what}` })
    .min(1, { error: `expected ${what}` })
    .max(max, { error: `expected ${what} of at most ${max} characters` });
const json = z.record(z.string(), z.unknown(), { error: 'expected a JSON object' });

/** The hash of one input a decision was based on (an event, a job description, a report). */
export const AuditInputSchema = z.strictObject({
  name: text('an input name', 128),
  sha256,
  /** Where the input is kept, when it is an object in S3. */
  uri: z.string().max(2048).optional(),
});
/** An input of a decision. */
export type AuditInput = z.output<typeof AuditInputSchema>;

/** What a workflow asks to record; the log adds the endpoint, sequence, time and hashes. */
export const AuditDraftSchema = z.strictObject({
  workflow: z.enum(AUDIT_WORKFLOWS, { error: `expected one of ${AUDIT_WORKFLOWS.join(', ')}` }),
  kind: z.enum(AUDIT_KINDS, { error: `expected one of ${AUDIT_KINDS.join(', ')}` }),
  /** The execution that made the decision (Step Functions execution ARN), or the tool that did. */
  runId: text('a run id (the execution ARN)', 2048),
  /** Whether this record ends its run (no more records of this run follow). */
  final: z.boolean({ error: 'expected true or false' }).default(false),
  /** The decision and its reasons; small, readable JSON. */
  detail: json.default({}),
  inputs: z.array(AuditInputSchema).max(32, { error: 'expected at most 32 inputs' }).default([]),
});
/** A record as a workflow drafts it, with defaults applied. */
export type AuditDraft = z.output<typeof AuditDraftSchema>;
/** A record draft as written (defaults not applied). */
export type AuditDraftInput = z.input<typeof AuditDraftSchema>;

/** A sealed audit record as stored. */
export const AuditRecordSchema = z.strictObject({
  format: z.literal(AUDIT_FORMAT, { error: `expected "${AUDIT_FORMAT}"` }),
  version: z.literal(1, { error: 'expected 1' }),
  endpoint: text('an endpoint name', 63),
  /** Position in the endpoint's chain, from 0. */
  sequence: z.number({ error: 'expected a sequence number' }).int().min(0),
  recordedAt: z.iso.datetime({ error: 'expected an ISO-8601 UTC time' }),
  ...AuditDraftSchema.shape,
  final: z.boolean({ error: 'expected true or false' }),
  detail: json,
  inputs: z.array(AuditInputSchema),
  /** `hash` of the record before this one; GENESIS_HASH for the first. */
  previousHash: sha256,
  /** SHA-256 of the canonical JSON (RFC 8785) of this record without its `hash` property. */
  hash: sha256,
});
/** A sealed audit record. */
export type AuditRecord = z.output<typeof AuditRecordSchema>;
/** A record before its hash is computed. */
export type UnsealedAuditRecord = Omit<AuditRecord, 'hash'>;

const SEQUENCE_DIGITS = 12;
const RECORD_NAME = /^(\d{12})\.json$/;

/**
 * The object name of a record within its endpoint's folder: the sequence, zero-padded to 12 digits so that key
 * order is chain order, e.g. `000000000042.json`.
 */
export function auditRecordName(sequence: number): string {
  return `${String(sequence).padStart(SEQUENCE_DIGITS, '0')}.json`;
}

/** The sequence an object name stands for, or undefined when the name is not a record name. */
export function sequenceOfRecordName(name: string): number | undefined {
  const match = RECORD_NAME.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

import { DriftwatchError } from '../../errors.js';

/** Thrown when a value cannot be canonicalised or a record draft is not a valid audit record. */
export class AuditFormatError extends DriftwatchError {}

/**
 * Thrown when a record could not be appended because other writers kept taking the next sequence number; a
 * Step Functions Retry on this name tries again.
 */
export class AuditConflictError extends DriftwatchError {}

/** Thrown when the chain cannot be extended or read: its newest record (or one read for a decision) is invalid. */
export class AuditChainError extends DriftwatchError {}

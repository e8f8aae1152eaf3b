import { hashJson } from './canonical-json.js';
import { AuditFormatError } from './errors.js';
import {
  AUDIT_FORMAT,
  type AuditDraft,
  type AuditDraftInput,
  AuditDraftSchema,
  type AuditRecord,
  AuditRecordSchema,
  GENESIS_HASH,
  sequenceOfRecordName,
  type UnsealedAuditRecord,
} from './record.js';

/**
 * The hash of a record: lower-case hex SHA-256 of the RFC 8785 canonical JSON of the record without its `hash`
 * property. Because the record holds `previousHash`, each hash covers the whole chain before it.
 */
export function hashRecord(record: UnsealedAuditRecord | AuditRecord): string {
  const { hash: _ignored, ...body } = record as AuditRecord;
  return hashJson(body);
}

/** The last record of a chain, or nothing for an empty chain. */
export interface ChainHead {
  sequence: number;
  hash: string;
}

/**
 * Seals a draft as the record after `head`: sequence head.sequence + 1 (0 for an empty chain), previousHash
 * head.hash (GENESIS_HASH), and its own hash.
 * @throws AuditFormatError naming the field when the draft is invalid or not canonicalisable JSON
 */
export function sealRecord(
  endpoint: string,
  head: ChainHead | undefined,
  draft: AuditDraftInput | AuditDraft,
  recordedAt: Date,
): AuditRecord {
  const parsed = AuditDraftSchema.safeParse(draft);
  if (!parsed.success) {
    throw new AuditFormatError(`audit draft: ${describeIssues(parsed.error.issues)}`);
  }
  const body: UnsealedAuditRecord = {
    format: AUDIT_FORMAT,
    version: 1,
    endpoint,
    sequence: head === undefined ? 0 : head.sequence + 1,
    recordedAt: recordedAt.toISOString(),
    ...parsed.data,
    previousHash: head?.hash ?? GENESIS_HASH,
  };
  const checked = AuditRecordSchema.safeParse({ ...body, hash: GENESIS_HASH });
  if (!checked.success) {
    throw new AuditFormatError(`audit record: ${describeIssues(checked.error.issues)}`);
  }
  return { ...body, hash: hashRecord(body) };
}

/** One stored object of a chain: its name within the endpoint's folder and its parsed JSON content. */
export interface StoredAuditObject {
  name: string;
  value: unknown;
}

/** Why a chain is broken at one object. */
export interface ChainProblem {
  /** The object name. */
  name: string;
  /** The object's position in name order, from 0. */
  position: number;
  message: string;
}

/** The outcome of {@link verifyChain}. */
export interface ChainVerification {
  endpoint: string;
  /** Records that parsed, in chain order (including ones with problems). */
  records: AuditRecord[];
  problems: ChainProblem[];
  /** True when every object is a valid record, positions are 0..n-1 without gaps, and every hash links. */
  intact: boolean;
  /** The last record's hash, to compare with a head published elsewhere (truncation is only visible that way). */
  headHash?: string;
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .map(
      (issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(record)'}: ${issue.message}`,
    )
    .join('; ');
}

/**
 * Verifies one endpoint's chain from its stored objects (in any order; they are sorted by name). Broken links
 * are results, not exceptions: each object that is not a record, sits at the wrong position (a gap or a
 * duplicate), belongs to another endpoint, does not hash to its `hash`, or whose `previousHash` is not the hash
 * of the object before it, is reported as a problem.
 */
export function verifyChain(endpoint: string, objects: readonly StoredAuditObject[]): ChainVerification {
  const sorted = [...objects].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const records: AuditRecord[] = [];
  const problems: ChainProblem[] = [];
  let previousHash: string | undefined = GENESIS_HASH;
  let expected = 0;
  sorted.forEach((object, position) => {
    const problem = (message: string) => problems.push({ name: object.name, position, message });
    const named = sequenceOfRecordName(object.name);
    if (named === undefined) {
      problem('not a record name (expected 12 digits and .json)');
    } else {
      if (named !== expected) {
        problem(`expected sequence ${expected} here, found ${named} (a record is missing before it)`);
      }
      // Count on from the name found, so one missing record is reported once.
      expected = named + 1;
    }
    const parsed = AuditRecordSchema.safeParse(object.value);
    if (!parsed.success) {
      problem(`not a valid audit record: ${describeIssues(parsed.error.issues)}`);
      // The next record cannot be linked to an object whose hash cannot be trusted.
      previousHash = undefined;
      return;
    }
    const record = parsed.data;
    records.push(record);
    if (record.sequence !== named && named !== undefined) {
      problem(`sequence ${record.sequence} does not match the object name`);
    }
    if (record.endpoint !== endpoint) {
      problem(`endpoint "${record.endpoint}" does not match the chain "${endpoint}"`);
    }
    const recomputed = hashRecord(record);
    if (recomputed !== record.hash) {
      problem(`content changed: hash is ${record.hash}, content hashes to ${recomputed}`);
    }
    if (previousHash !== undefined && record.previousHash !== previousHash) {
      problem(
        `previousHash ${record.previousHash} is not the hash of the record before it (${previousHash})`,
      );
    }
    // Link the next record to the stored hash, so one altered record is reported once, not for every successor.
    previousHash = record.hash;
  });
  const last = records.at(-1);
  return {
    endpoint,
    records,
    problems,
    intact: problems.length === 0,
    ...(last !== undefined ? { headHash: last.hash } : {}),
  };
}

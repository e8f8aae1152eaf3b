import { describe, expect, it } from 'vitest';
import { hashRecord, sealRecord, verifyChain } from '../../../functions/core/audit/chain.js';
import { AuditFormatError } from '../../../functions/core/audit/errors.js';
import {
  type AuditRecord,
  auditRecordName,
  GENESIS_HASH,
  sequenceOfRecordName,
} from '../../../functions/core/audit/record.js';
import { auditReference } from './support.js';

const reference = auditReference();
const objects = () =>
  reference.chain.map(({ record }) => ({
    name: auditRecordName(record.sequence),
    value: structuredClone(record) as unknown,
  }));

describe('sealRecord', () => {
  it('computes the records and hashes of the reference chain', () => {
    // Given the reference drafts and times (scripts/reference/audit-chain.py)
    let head: AuditRecord | undefined;
    for (const { draft, recordedAt, record } of reference.chain) {
      // When each is sealed after the previous one
      const sealed = sealRecord('churn-endpoint', head, draft, new Date(recordedAt));
      // Then it equals the reference record, hash included
      expect(sealed).toEqual(record);
      head = sealed;
    }
    expect(reference.chain[0]?.record.previousHash).toBe(GENESIS_HASH);
  });

  it('computes a hash that changes with any field', () => {
    // Given a sealed record
    const first = reference.chain[0]?.record as AuditRecord;
    // When one detail changes / Then the hash differs
    expect(hashRecord({ ...first, detail: { ...first.detail, reason: 'other' } })).not.toBe(first.hash);
    expect(hashRecord(first)).toBe(first.hash);
  });

  it.each([
    ['an unknown kind', { kind: 'promote' }, 'kind: expected one of'],
    ['a missing runId', { runId: undefined }, 'runId: expected a run id'],
    ['an input hash that is not hex', { inputs: [{ name: 'event', sha256: 'xyz' }] }, 'inputs.0.sha256'],
    ['a detail that is not an object', { detail: [1] }, 'detail: expected a JSON object'],
  ])('throws when the draft has %s', (_what, change, message) => {
    // Given a draft with one bad field
    const draft = { workflow: 'retraining', kind: 'trigger', runId: 'run-1', ...change };
    // When sealed / Then the error names the field
    expect(() => sealRecord('ep', undefined, draft as never, new Date(0))).toThrow(AuditFormatError);
    expect(() => sealRecord('ep', undefined, draft as never, new Date(0))).toThrow(message);
  });

  it('throws when the detail is not canonicalisable JSON', () => {
    // Given a detail holding NaN / When sealed / Then the path is named
    const draft = {
      workflow: 'retraining' as const,
      kind: 'skip' as const,
      runId: 'r',
      detail: { x: Number.NaN },
    };
    expect(() => sealRecord('ep', undefined, draft, new Date(0))).toThrow(
      '$.detail.x: expected a finite number',
    );
  });
});

describe('verifyChain', () => {
  it('computes an intact verdict for the reference chain', () => {
    // Given the reference records as stored objects, in shuffled order
    const stored = objects().reverse();
    // When verified
    const result = verifyChain('churn-endpoint', stored);
    // Then it is intact, in chain order, with the last hash as head
    expect(result.problems).toEqual([]);
    expect(result.intact).toBe(true);
    expect(result.records.map((r) => r.sequence)).toEqual([0, 1, 2, 3]);
    expect(result.headHash).toBe(reference.chain[3]?.record.hash);
  });

  it('computes an intact verdict without a head for an empty chain', () => {
    expect(verifyChain('ep', [])).toEqual({ endpoint: 'ep', records: [], problems: [], intact: true });
  });

  it('computes a broken verdict when a record was edited', () => {
    // Given the chain with the gate verdict changed from pass to reject, hash left as it was
    const stored = objects();
    const gate = stored[2]?.value as AuditRecord;
    gate.detail = { ...gate.detail, verdict: 'reject' };
    // When verified
    const result = verifyChain('churn-endpoint', stored);
    // Then exactly that record is reported
    expect(result.intact).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ name: '000000000002.json', position: 2 });
    expect(result.problems[0]?.message).toMatch(/^content changed: hash is [0-9a-f]{64}, content hashes to/);
  });

  it('computes a broken verdict when an edited record was re-hashed', () => {
    // Given the gate verdict edited and its hash recomputed, so that only the next link breaks
    const stored = objects();
    const gate = stored[2]?.value as AuditRecord;
    gate.detail = { ...gate.detail, verdict: 'reject' };
    gate.hash = hashRecord(gate);
    // When verified / Then the record after it no longer links
    const result = verifyChain('churn-endpoint', stored);
    expect(result.problems.map((p) => [p.position, p.message.split(' ')[0]])).toEqual([[3, 'previousHash']]);
  });

  it('computes a broken verdict when a record was deleted', () => {
    // Given the chain without record 1
    const stored = objects().filter((o) => o.name !== auditRecordName(1));
    // When verified / Then the gap and the broken link are reported at the next record
    const result = verifyChain('churn-endpoint', stored);
    expect(result.intact).toBe(false);
    expect(result.problems.map((p) => p.message)).toEqual([
      'expected sequence 1 here, found 2 (a record is missing before it)',
      expect.stringMatching(/^previousHash/),
    ]);
  });

  it('computes a broken verdict for objects that are not records', () => {
    // Given a stray object and a record of another endpoint
    const stored = objects();
    stored.push({ name: 'notes.txt', value: 'hello' });
    const first = stored[0]?.value as AuditRecord;
    first.endpoint = 'other-endpoint';
    first.hash = hashRecord(first);
    // When verified
    const result = verifyChain('churn-endpoint', stored);
    // Then both are reported, and the re-hashed first record breaks the link to the second
    expect(result.problems.map((p) => p.name)).toEqual([
      '000000000000.json',
      '000000000001.json',
      'notes.txt',
      'notes.txt',
    ]);
    expect(result.problems[0]?.message).toBe(
      'endpoint "other-endpoint" does not match the chain "churn-endpoint"',
    );
    expect(result.problems[3]?.message).toMatch(/^not a valid audit record: \(record\)/);
  });
});

describe('auditRecordName', () => {
  it('computes zero-padded names that sort in chain order', () => {
    expect(auditRecordName(42)).toBe('000000000042.json');
    expect([auditRecordName(10), auditRecordName(9)].sort()).toEqual([
      '000000000009.json',
      '000000000010.json',
    ]);
    expect(sequenceOfRecordName('000000000042.json')).toBe(42);
    expect(sequenceOfRecordName('42.json')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { sealRecord, verifyChain } from '../../functions/core/audit/chain.js';
import { AuditChainError, AuditConflictError } from '../../functions/core/audit/errors.js';
import { auditRecordName } from '../../functions/core/audit/record.js';
import { AuditTrail } from '../../functions/handlers/audit-trail.js';
import { fixedClock, MemoryAuditStore, tempAuditStore } from './audit-support.js';

const draft = (runId: string) => ({ workflow: 'retraining' as const, kind: 'skip' as const, runId });

describe('AuditTrail', () => {
  it('computes a chain of appended records that verifies', async () => {
    // Given an empty trail in a directory
    const store = await tempAuditStore();
    const trail = new AuditTrail(store, fixedClock('2026-11-26T10:00:00Z'));
    // When three records are appended
    for (const run of ['a', 'b', 'c']) await trail.append('ep', async () => draft(run));
    // Then they are stored as 0..2 and the chain verifies
    const names = await store.names('ep');
    expect(names).toEqual(['000000000000.json', '000000000001.json', '000000000002.json']);
    const objects = await Promise.all(
      names.map(async (name) => ({ name, value: await store.read('ep', name) })),
    );
    const verified = verifyChain('ep', objects);
    expect(verified.intact).toBe(true);
    expect(verified.records.map((r) => r.runId)).toEqual(['a', 'b', 'c']);
  });

  it('computes the decision again after losing the race for the next sequence', async () => {
    // Given a store where another writer takes sequence 1 just before our first create
    const store = new MemoryAuditStore();
    const clock = fixedClock('2026-11-26T10:00:00Z');
    const trail = new AuditTrail(store, clock);
    await trail.append('ep', async () => draft('first'));
    let competing = true;
    store.beforeCreate = (endpoint, name) => {
      if (!competing) return;
      competing = false;
      const head = store.records(endpoint)[0] as { sequence: number; hash: string };
      store.objects.set(
        `${endpoint}/${name}`,
        JSON.stringify(sealRecord('ep', head, draft('other'), clock.now())),
      );
    };
    const seen: (number | undefined)[] = [];
    // When we append
    const record = await trail.append('ep', async (view) => {
      seen.push(view.head?.sequence);
      return draft('ours');
    });
    // Then the decision ran twice (heads 0, then 1) and our record is number 2
    expect(seen).toEqual([0, 1]);
    expect(record?.sequence).toBe(2);
    expect(store.records('ep').map((r) => r.runId)).toEqual(['first', 'other', 'ours']);
  });

  it('computes nothing when the decision appends nothing', async () => {
    const store = new MemoryAuditStore();
    const trail = new AuditTrail(store, fixedClock('2026-11-26T10:00:00Z'));
    expect(await trail.append('ep', async () => undefined)).toBeUndefined();
    expect(store.objects.size).toBe(0);
  });

  it('computes the records newest first', async () => {
    const store = new MemoryAuditStore();
    const trail = new AuditTrail(store, fixedClock('2026-11-26T10:00:00Z'));
    for (const run of ['a', 'b', 'c']) await trail.append('ep', async () => draft(run));
    const runs: string[] = [];
    for await (const record of (await trail.view('ep')).newestFirst()) runs.push(record.runId);
    expect(runs).toEqual(['c', 'b', 'a']);
  });

  it('throws when every attempt loses the race', async () => {
    // Given a store that always reports the name as taken
    const store = new MemoryAuditStore();
    store.create = async () => false;
    const trail = new AuditTrail(store, fixedClock('2026-11-26T10:00:00Z'), {
      maxAttempts: 3,
      pause: async () => {},
    });
    // When appending / Then a typed, retryable error
    await expect(trail.append('ep', async () => draft('x'))).rejects.toThrow(AuditConflictError);
    await expect(trail.append('ep', async () => draft('x'))).rejects.toThrow('taken 3 times in a row');
  });

  it('throws when the newest record is not a valid record', async () => {
    // Given a chain whose newest object was overwritten with junk
    const store = new MemoryAuditStore();
    store.objects.set(`ep/${auditRecordName(0)}`, '{"hello":"world"}');
    const trail = new AuditTrail(store, fixedClock('2026-11-26T10:00:00Z'));
    // When appending / Then the chain error names the object
    await expect(trail.append('ep', async () => draft('x'))).rejects.toThrow(AuditChainError);
    await expect(trail.append('ep', async () => draft('x'))).rejects.toThrow(
      'memory://audit/ep/000000000000.json',
    );
  });
});

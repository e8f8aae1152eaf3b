import { describe, expect, it } from 'vitest';
import { sealRecord } from '../../../functions/core/audit/chain.js';
import type { AuditDraftInput, AuditRecord } from '../../../functions/core/audit/record.js';
import {
  decideRetraining,
  type RetrainingRequest,
  readRetrainingHistory,
  runNames,
} from '../../../functions/core/audit/run-guard.js';

function chain(drafts: [string, AuditDraftInput][]): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const [at, draft] of drafts) records.push(sealRecord('ep', records.at(-1), draft, new Date(at)));
  return records;
}

async function* newestFirst(records: AuditRecord[]): AsyncGenerator<AuditRecord> {
  for (const record of [...records].reverse()) yield record;
}

const alarm: RetrainingRequest = { source: 'alarm', reason: 'drift', ignoreCooldown: false };

describe('readRetrainingHistory', () => {
  it('computes the last run and whether a final record closed it', async () => {
    // Given run A started and finished, run B started and is still open, and an unrelated deployment record
    const records = chain([
      ['2026-11-20T00:00:00Z', { workflow: 'retraining', kind: 'trigger', runId: 'A' }],
      ['2026-11-20T01:00:00Z', { workflow: 'retraining', kind: 'registration', runId: 'A', final: true }],
      ['2026-11-21T00:00:00Z', { workflow: 'retraining', kind: 'trigger', runId: 'B' }],
      [
        '2026-11-21T00:10:00Z',
        { workflow: 'deployment', kind: 'deployment-success', runId: 'D', final: true },
      ],
    ]);
    // When read newest first
    const open = await readRetrainingHistory(newestFirst(records), 'C');
    const closed = await readRetrainingHistory(newestFirst(records.slice(0, 2)), 'C');
    // Then B is the last run and open; with only A, A is closed
    expect(open).toEqual({
      lastRun: { runId: 'B', startedAt: new Date('2026-11-21T00:00:00Z'), closed: false },
    });
    expect(closed.lastRun).toEqual({ runId: 'A', startedAt: new Date('2026-11-20T00:00:00Z'), closed: true });
  });

  it("computes this execution's own earlier guard record, so a retried guard repeats its decision", async () => {
    // Given run A open and this execution C already recorded as skipped
    const records = chain([
      ['2026-11-21T00:00:00Z', { workflow: 'retraining', kind: 'trigger', runId: 'A' }],
      ['2026-11-21T00:00:01Z', { workflow: 'retraining', kind: 'skip', runId: 'C', final: true }],
    ]);
    // When read for C
    const history = await readRetrainingHistory(newestFirst(records), 'C');
    // Then C's skip is found
    expect(history.ownDecision?.sequence).toBe(1);
    expect(history.lastRun?.runId).toBe('A');
  });

  it('computes no last run for an empty trail', async () => {
    expect(await readRetrainingHistory(newestFirst([]), 'C')).toEqual({});
  });
});

describe('decideRetraining', () => {
  const lastRun = { runId: 'A', startedAt: new Date('2026-11-21T00:00:00Z'), closed: true };
  it.each([
    ['no run ever', undefined, false, '2026-11-21T01:00:00Z', alarm, { proceed: true }],
    [
      'the last run still active',
      lastRun,
      true,
      '2026-11-25T00:00:00Z',
      alarm,
      { proceed: false, reason: 'run-in-progress', runId: 'A' },
    ],
    [
      'the cooldown not over (23h59m of 24h)',
      lastRun,
      false,
      '2026-11-21T23:59:00Z',
      alarm,
      {
        proceed: false,
        reason: 'cooldown',
        lastStartedAt: '2026-11-21T00:00:00.000Z',
        nextAllowedAt: '2026-11-22T00:00:00.000Z',
      },
    ],
    ['the cooldown just over (24h of 24h)', lastRun, false, '2026-11-22T00:00:00Z', alarm, { proceed: true }],
    [
      'a manual request ignoring the cooldown',
      lastRun,
      false,
      '2026-11-21T01:00:00Z',
      { source: 'manual', reason: 'new data', ignoreCooldown: true },
      { proceed: true },
    ],
    [
      'a manual request ignoring the cooldown while a run is active',
      lastRun,
      true,
      '2026-11-21T01:00:00Z',
      { source: 'manual', reason: 'new data', ignoreCooldown: true },
      { proceed: false, reason: 'run-in-progress', runId: 'A' },
    ],
  ] as const)('computes the decision with %s', (_what, last, active, now, request, expected) => {
    // Given the last run, whether it is active, and a 24 h cooldown / When decided / Then
    const decision = decideRetraining({
      request: request as RetrainingRequest,
      ...(last ? { lastRun: last } : {}),
      lastRunActive: active,
      now: new Date(now),
      cooldownHours: 24,
    });
    expect(decision).toEqual(expected);
  });
});

describe('runNames', () => {
  it('computes SageMaker names of at most 63 characters that end in a letter or digit', () => {
    // Given an endpoint name of 63 characters whose cut falls on a hyphen
    const endpoint = `${'a'.repeat(31)}-${'b'.repeat(31)}`;
    // When names are derived
    const names = runNames(endpoint, new Date('2026-11-26T10:20:30.456Z'), 'arn:run');
    // Then each fits and matches SageMaker's name pattern
    for (const name of Object.values(names)) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    }
    expect(names.trainingJob).toMatch(/^a{31}-20261126102030-[0-9a-f]{4}$/);
    expect(names.challengerJob).toBe(`${names.trainingJob}-challenger`);
    expect(names.championJob).toBe(`${names.trainingJob}-champion`);
  });

  it('computes different names for different runs started in the same second', () => {
    const at = new Date('2026-11-26T10:20:30Z');
    expect(runNames('ep', at, 'run-1').trainingJob).not.toBe(runNames('ep', at, 'run-2').trainingJob);
  });
});

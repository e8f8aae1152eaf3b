import { describe, expect, it } from 'vitest';
import { hashJson } from '../../functions/core/audit/canonical-json.js';
import { verifyChain } from '../../functions/core/audit/chain.js';
import { InvalidEventError } from '../../functions/errors.js';
import { AuditTrail } from '../../functions/handlers/audit-trail.js';
import { createHandler, parseRetrainingRequest } from '../../functions/handlers/retrain-guard.js';
import type { ExecutionStatus } from '../../functions/ports/executions.js';
import { fixedClock, MemoryAuditStore, tempAuditStore } from './audit-support.js';

const ARN = (name: string) => `arn:aws:states:us-east-1:111111111111:execution:Retrain:${name}`;
const alarmEvent = {
  version: '0',
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  detail: { alarmName: 'churn-retrain', state: { value: 'ALARM', reason: 'Threshold Crossed' } },
};

function setup(statuses: Record<string, ExecutionStatus> = {}, store = new MemoryAuditStore()) {
  const clock = fixedClock('2026-11-26T10:00:00Z');
  const handler = createHandler({
    endpointName: 'churn-endpoint',
    cooldownHours: 24,
    trail: new AuditTrail(store, clock),
    executions: { status: async (arn) => statuses[arn] },
    clock,
  });
  const invoke = (name: string, input: unknown = alarmEvent) =>
    handler({ input, executionArn: ARN(name), startTime: clock.now().toISOString() });
  return { store, clock, invoke };
}

describe('retrain-guard', () => {
  it('computes a start and records a trigger with the hash of the input', async () => {
    // Given an empty trail
    const { store, invoke } = setup();
    // When the alarm starts an execution
    const result = await invoke('a');
    // Then the run proceeds and the trigger is recorded with the input's hash
    expect(result).toMatchObject({
      proceed: true,
      decision: { proceed: true },
      request: { source: 'alarm', alarmName: 'churn-retrain', reason: 'Threshold Crossed' },
      audit: { sequence: 0 },
    });
    expect(result.names.trainingJob).toMatch(/^churn-endpoint-20261126100000-[0-9a-f]{4}$/);
    expect(store.records('churn-endpoint')[0]).toMatchObject({
      kind: 'trigger',
      final: false,
      runId: ARN('a'),
      detail: { trainingJobName: result.names.trainingJob },
      inputs: [{ name: 'input', sha256: hashJson(alarmEvent) }],
    });
  });

  it('computes a skip while the last run is still running, recorded as final', async () => {
    // Given run a started and still RUNNING
    const { store, invoke, clock } = setup({ [ARN('a')]: 'RUNNING' });
    await invoke('a');
    clock.set('2026-11-28T10:00:00Z');
    // When b is triggered two days later (cooldown over)
    const result = await invoke('b', { trigger: 'manual', reason: 'new labels', ignoreCooldown: true });
    // Then b is skipped because a runs
    expect(result).toMatchObject({
      proceed: false,
      decision: { reason: 'run-in-progress', runId: ARN('a') },
    });
    expect(store.records('churn-endpoint')[1]).toMatchObject({ kind: 'skip', final: true, runId: ARN('b') });
  });

  it('computes a skip inside the cooldown and a start after it', async () => {
    // Given run a started and ended (its execution no longer runs)
    const { invoke, clock } = setup({ [ARN('a')]: 'FAILED' });
    await invoke('a');
    // When b comes 23 h later and c 24 h later
    clock.set('2026-11-27T09:00:00Z');
    const b = await invoke('b', { trigger: 'schedule' });
    clock.set('2026-11-27T10:00:00Z');
    const c = await invoke('c', { trigger: 'schedule' });
    // Then b is skipped with the time it may run, c proceeds
    expect(b.decision).toEqual({
      proceed: false,
      reason: 'cooldown',
      lastStartedAt: '2026-11-26T10:00:00.000Z',
      nextAllowedAt: '2026-11-27T10:00:00.000Z',
    });
    expect(c.proceed).toBe(true);
  });

  it('computes the same decision again when the task is retried', async () => {
    // Given a's guard already recorded its trigger
    const { store, invoke } = setup({ [ARN('a')]: 'RUNNING' });
    const first = await invoke('a');
    // When the same execution's guard runs again
    const again = await invoke('a');
    // Then nothing new is recorded and the decision is the same
    expect(again).toEqual(first);
    expect(store.records('churn-endpoint')).toHaveLength(1);
  });

  it('computes exactly one start from a burst of concurrent executions', async () => {
    // Given ten executions started by a burst of alarms, all RUNNING, on a directory trail (atomic creates)
    const names = Array.from({ length: 10 }, (_, i) => `burst-${i}`);
    const store = await tempAuditStore();
    const { invoke } = setup(
      Object.fromEntries(names.map((n) => [ARN(n), 'RUNNING' as const])),
      store as never,
    );
    // When all guards run at once
    const results = await Promise.all(names.map((n) => invoke(n)));
    // Then one proceeds, nine are skipped, and the chain is intact with ten records
    expect(results.filter((r) => r.proceed)).toHaveLength(1);
    expect(results.filter((r) => !r.proceed).map((r) => r.decision)).toEqual(
      Array.from({ length: 9 }, () => expect.objectContaining({ proceed: false })),
    );
    const stored = await Promise.all(
      (await store.names('churn-endpoint')).map(async (name) => ({
        name,
        value: await store.read('churn-endpoint', name),
      })),
    );
    const chain = verifyChain('churn-endpoint', stored);
    expect(chain.intact).toBe(true);
    expect(chain.records.filter((r) => r.kind === 'trigger')).toHaveLength(1);
  });

  it('throws when the task input lacks the execution ARN', async () => {
    const { clock } = setup();
    const handler = createHandler({
      endpointName: 'ep',
      cooldownHours: 1,
      trail: new AuditTrail(new MemoryAuditStore(), clock),
      executions: { status: async () => undefined },
      clock,
    });
    await expect(handler({ input: alarmEvent, startTime: '2026-11-26T10:00:00Z' })).rejects.toThrow(
      'retrain-guard task input: executionArn',
    );
  });
});

describe('parseRetrainingRequest', () => {
  it.each([
    [{ trigger: 'schedule' }, { source: 'schedule', reason: 'scheduled retraining', ignoreCooldown: false }],
    [
      { trigger: 'manual', reason: 'new labels' },
      { source: 'manual', reason: 'new labels', ignoreCooldown: false },
    ],
  ])('computes the request of %j', (input, expected) => {
    expect(parseRetrainingRequest(input)).toEqual(expected);
  });

  it.each([
    [
      'an alarm leaving ALARM',
      { ...alarmEvent, detail: { alarmName: 'x', state: { value: 'OK' } } },
      'detail.state.value: expected "ALARM"',
    ],
    [
      'a manual request without a reason',
      { trigger: 'manual' },
      'manual request: reason: expected the reason',
    ],
    [
      'a schedule asking to ignore the cooldown',
      { trigger: 'schedule', ignoreCooldown: true },
      'scheduled request',
    ],
    ['anything else', { hello: 1 }, 'expected a "CloudWatch Alarm State Change" event'],
  ])('throws when the input is %s', (_what, input, message) => {
    expect(() => parseRetrainingRequest(input)).toThrow(InvalidEventError);
    expect(() => parseRetrainingRequest(input)).toThrow(message);
  });
});

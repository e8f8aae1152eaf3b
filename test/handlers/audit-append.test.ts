import { describe, expect, it } from 'vitest';
import { hashJson } from '../../functions/core/audit/canonical-json.js';
import { InvalidEventError } from '../../functions/errors.js';
import { createHandler } from '../../functions/handlers/audit-append.js';
import { AuditTrail } from '../../functions/handlers/audit-trail.js';
import { fixedClock, MemoryAuditStore } from './audit-support.js';

function setup() {
  const store = new MemoryAuditStore();
  const handler = createHandler({
    endpointName: 'churn-endpoint',
    trail: new AuditTrail(store, fixedClock('2026-11-26T10:00:00Z')),
  });
  return { store, handler };
}

describe('audit-append', () => {
  it('computes a sealed record with hashed inputs', async () => {
    // Given a training result from the state machine
    const { store, handler } = setup();
    const job = {
      TrainingJobStatus: 'Completed',
      ModelArtifacts: { S3ModelArtifacts: 's3://m/model.tar.gz' },
    };
    // When appended
    const result = await handler({
      workflow: 'retraining',
      kind: 'training-result',
      runId: 'arn:run',
      detail: { status: 'Completed' },
      inputs: { trainingJob: job },
    });
    // Then the record holds the detail and only the hash of the input
    const [record] = store.records('churn-endpoint');
    expect(result).toEqual({ sequence: 0, hash: record?.hash });
    expect(record).toMatchObject({
      endpoint: 'churn-endpoint',
      kind: 'training-result',
      final: false,
      detail: { status: 'Completed' },
      inputs: [{ name: 'trainingJob', sha256: hashJson(job) }],
      recordedAt: '2026-11-26T10:00:00.000Z',
    });
  });

  it.each([
    ['an unknown kind', { workflow: 'retraining', kind: 'promote', runId: 'r' }, 'kind: expected one of'],
    ['no runId', { workflow: 'deployment', kind: 'rollback' }, 'runId: expected the execution ARN'],
    [
      'a detail that is a string',
      { workflow: 'deployment', kind: 'rollback', runId: 'r', detail: 'x' },
      'detail',
    ],
  ])('throws when the event has %s', async (_what, event, message) => {
    const { handler } = setup();
    await expect(handler(event)).rejects.toThrow(InvalidEventError);
    await expect(handler(event)).rejects.toThrow(message);
  });
});

/**
 * Load: 1,000 small capture objects uploaded concurrently to s3rver, their ObjectCreated events processed by the
 * real ingest handler in 8 simulated containers (each one invocation at a time, as Lambda runs them), then the
 * window evaluated. Every profile must exist and every total must be exact: nothing lost, nothing counted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../functions/services/ingest-object.js';
import { captureEmf, findMetrics } from '../handlers/support/emf.js';
import type { LocalS3 } from '../support/s3rver.js';
import {
  captureRecord,
  DIMS,
  HOUR_PREFIX,
  PROFILE_PREFIX,
  realHandlers,
  startBaselinedS3,
} from './support.js';

const OBJECTS = 1000;
const CONTAINERS = 8;
const UPLOADS_IN_FLIGHT = 25;
const NOW = new Date('2026-11-26T11:20:00Z');

/** Object i: (i mod 7) + 1 good records, plus one malformed line in every tenth object. */
function objectText(i: number): { text: string; good: number; bad: number } {
  const good = (i % 7) + 1;
  const lines = Array.from({ length: good }, (_, j) =>
    JSON.stringify(
      captureRecord(String((i + j) % 50), (i + j) % 2 ? 'b' : 'a', {
        eventId: `load-${i}-${j}`,
        inferenceTime: `2026-11-26T10:${String(i % 60).padStart(2, '0')}:${String(j).padStart(2, '0')}Z`,
      }),
    ),
  );
  const bad = i % 10 === 0 ? 1 : 0;
  if (bad) lines.push('{"captureData": truncated');
  return { text: `${lines.join('\n')}\n`, good, bad };
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function boundedAll<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
    }),
  );
  return results;
}

describe('load: 1,000 capture objects', () => {
  let s3: LocalS3;
  const events: unknown[] = [];

  beforeAll(async () => {
    s3 = await startBaselinedS3((event) => events.push(event));
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('computes every profile and exact totals with bounded concurrency', async () => {
    // Given: 1,000 objects uploaded concurrently; their expected counts computed as they are generated
    const objects = Array.from({ length: OBJECTS }, (_, i) => ({
      key: `${HOUR_PREFIX}/load-${String(i).padStart(4, '0')}.jsonl`,
      ...objectText(i),
    }));
    const expectedAccepted = objects.reduce((n, o) => n + o.good, 0);
    const expectedRejected = objects.reduce((n, o) => n + o.bad, 0);
    // By hand: 142 full cycles of 1..7 (28 each) plus 1..6 = 3,997 good records; every tenth object: 100 bad.
    expect([expectedAccepted, expectedRejected]).toEqual([3997, 100]);
    await boundedAll(objects, UPLOADS_IN_FLIGHT, (o) => s3.put('capture', o.key, o.text));
    const captureEvents = events.filter((e) => JSON.stringify(e).includes('"name":"capture"'));
    expect(captureEvents).toHaveLength(OBJECTS);
    const emf = captureEmf();
    let summaries: IngestSummary[][];
    try {
      // When: 8 containers take events from one queue, one invocation at a time each
      const queue = [...captureEvents];
      summaries = await Promise.all(
        Array.from({ length: CONTAINERS }, async () => {
          const { ingest } = realHandlers(s3, NOW);
          const done: IngestSummary[] = [];
          for (let e = queue.shift(); e !== undefined; e = queue.shift()) done.push(await ingest(e));
          return done;
        }),
      );
    } finally {
      emf.restore();
    }
    const ingestMetrics = emf.metrics();
    const window = await realHandlers(s3, NOW).evaluate({ endpoint: 'churn' });

    // Then: every object profiled exactly once, by some container
    const outcomes = summaries.flat().flatMap((s) => s.objects);
    expect(outcomes.filter((o) => o.status === 'profiled')).toHaveLength(OBJECTS);
    expect(new Set(outcomes.map((o) => o.key)).size).toBe(OBJECTS);
    expect(summaries.every((s) => s.length > 0)).toBe(true);
    // Then: every profile is in the reports bucket
    const keys = await s3.listKeys('reports', PROFILE_PREFIX);
    expect(keys.sort()).toEqual(
      objects.map((o) => o.key.replace(/^.*\//, PROFILE_PREFIX).replace(/\.jsonl$/, '.profile.json')).sort(),
    );
    // Then: exact totals in the results, the metrics and the evaluated window
    const sum = (values: (number | number[])[]) => values.flat().reduce((n, v) => n + v, 0);
    const accepted = outcomes.reduce((n, o) => n + (o.status === 'profiled' ? o.records.accepted : 0), 0);
    const rejected = outcomes.reduce((n, o) => n + (o.status === 'profiled' ? o.records.rejected : 0), 0);
    expect([accepted, rejected]).toEqual([expectedAccepted, expectedRejected]);
    expect(sum(findMetrics(ingestMetrics, 'RecordsAccepted', DIMS).map((m) => m.value))).toBe(
      expectedAccepted,
    );
    expect(sum(findMetrics(ingestMetrics, 'RecordsRejected', DIMS).map((m) => m.value))).toBe(
      expectedRejected,
    );
    expect(window).toMatchObject({
      status: 'evaluated',
      profiles: OBJECTS,
      profilesSkipped: 0,
      records: {
        lines: expectedAccepted + expectedRejected,
        accepted: expectedAccepted,
        rejected: expectedRejected,
      },
      rows: expectedAccepted,
    });
  });
});

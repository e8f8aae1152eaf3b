import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MonitorConfig } from '../../functions/core/config/schema.js';
import type { StatisticsFile, ViolationsFile } from '../../functions/core/model-monitor/types.js';
import { endpointMonitorSettings } from '../../functions/core/monitor-settings.js';
import { type DatasetProfileState, ProfileBuilder } from '../../functions/core/profile/dataset-profile.js';
import { BaselineError, InvalidEventError, StorageError } from '../../functions/errors.js';
import { createHandler } from '../../functions/handlers/evaluate-window.js';
import { activate } from '../../functions/services/baseline-cache.js';
import { defaultWindowEnd } from '../../functions/services/evaluate-window.js';
import { s3Body, s3Error } from '../support/s3-mock.js';
import { oneEndpointConfig, valuesOf } from './support/deps.js';
import { BASELINE_ROWS, serveBaseline, smallBaseline, unitDeps } from './support/fixtures.js';

const s3 = mockClient(S3Client);
const NOW = new Date('2026-11-26T12:20:00Z');
const WINDOW_END = new Date('2026-11-26T12:00:00Z');
const REPORTS = 'dw/reports/churn/churn-driftwatch/2026/11/26/12/';
const hourPrefix = (variant: string, hour: string) => `dw/profiles/churn/${variant}/2026/11/26/${hour}/`;

const twoVariants = (): MonitorConfig =>
  oneEndpointConfig({ variants: [{ name: 'AllTraffic' }, { name: 'Shadow' }], schedule: { windowHours: 2 } });

/** A profile of baseline rows [from, to), with x shifted by `shift`, built as the ingest function builds it. */
async function profileOf(
  config: MonitorConfig,
  from: number,
  to: number,
  shift = 0,
): Promise<DatasetProfileState> {
  const active = activate(await smallBaseline(), endpointMonitorSettings(config, 'churn'), '', '');
  const builder = new ProfileBuilder(active.schema);
  for (const r of BASELINE_ROWS.slice(from, to))
    builder.addRecord({ x: String(Number(r.x) + shift), c: r.c });
  return builder.toState();
}

function serveProfile(key: string, profile: unknown): void {
  s3.on(GetObjectCommand, { Bucket: 'reports', Key: key }).callsFake(() => ({
    Body: s3Body(JSON.stringify(profile)),
  }));
}

function written<T>(file: string): T {
  const call = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === `${REPORTS}${file}`);
  return JSON.parse(String(call?.args[0].input.Body)) as T;
}

describe('evaluate-window handler', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
  });

  it("computes the default window, merges every variant's profiles across pages and writes the three files", async () => {
    // Given: two hours (10:00 and 11:00) of two variants; AllTraffic repeats the baseline, Shadow shifts x by 100
    const config = twoVariants();
    await serveBaseline(s3);
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: hourPrefix('AllTraffic', '10') })
      .resolvesOnce({
        Contents: [
          { Key: `${hourPrefix('AllTraffic', '10')}a.profile.json` },
          { Key: `${hourPrefix('AllTraffic', '10')}notes.txt` },
        ],
        IsTruncated: true,
        NextContinuationToken: 'next',
      })
      .resolvesOnce({ Contents: [{ Key: `${hourPrefix('AllTraffic', '10')}b.profile.json` }] });
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: hourPrefix('AllTraffic', '11') }).resolves({
      Contents: [{ Key: `${hourPrefix('AllTraffic', '11')}c.profile.json` }],
    });
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: hourPrefix('Shadow', '11') }).resolves({
      Contents: [{ Key: `${hourPrefix('Shadow', '11')}d.profile.json` }],
    });
    serveProfile(`${hourPrefix('AllTraffic', '10')}a.profile.json`, await profileOf(config, 0, 50));
    serveProfile(`${hourPrefix('AllTraffic', '10')}b.profile.json`, await profileOf(config, 50, 100));
    serveProfile(`${hourPrefix('AllTraffic', '11')}c.profile.json`, await profileOf(config, 100, 150));
    serveProfile(`${hourPrefix('Shadow', '11')}d.profile.json`, await profileOf(config, 0, 200, 100));
    const { deps, metrics } = unitDeps(config, NOW);

    // When: the scheduler's static input
    const summary = await createHandler(deps)({ endpoint: 'churn' });

    // Then: the window [10:00, 12:00) ends at the last whole hour at least delayMinutes (15) before 12:20
    expect(summary).toMatchObject({
      endpoint: 'churn',
      windowStart: '2026-11-26T10:00:00.000Z',
      windowEnd: '2026-11-26T12:00:00.000Z',
      status: 'evaluated',
      profiles: 4,
      profilesSkipped: 0,
      rows: 350,
      drift: true,
      reportPrefix: `s3://reports/${REPORTS}`,
      variants: [
        { variant: 'AllTraffic', profiles: 3, rows: 150, driftedFeatureShare: 0, violations: 0 },
        { variant: 'Shadow', profiles: 1, rows: 200, driftedFeatureShare: 0.5, violations: 1 },
      ],
    });
    // Then: every hour prefix of every variant listed, the truncated one twice
    for (const variant of ['AllTraffic', 'Shadow']) {
      for (const hour of ['10', '11']) {
        expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
          Bucket: 'reports',
          Prefix: hourPrefix(variant, hour),
        });
      }
    }
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'reports',
      Prefix: hourPrefix('AllTraffic', '10'),
      ContinuationToken: 'next',
    });
    expect(
      s3
        .commandCalls(GetObjectCommand)
        .map((c) => c.args[0].input.Key)
        .filter((k) => k?.startsWith('dw/')),
    ).toEqual([
      `${hourPrefix('AllTraffic', '10')}a.profile.json`,
      `${hourPrefix('AllTraffic', '10')}b.profile.json`,
      `${hourPrefix('AllTraffic', '11')}c.profile.json`,
      `${hourPrefix('Shadow', '11')}d.profile.json`,
    ]);
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `${REPORTS}statistics.json`,
      `${REPORTS}constraint_violations.json`,
      `${REPORTS}drift-report.json`,
    ]);
    // Then: the files. x: 150 rows of 0..49 and 200 of 100..149 against 200 of 0..49, so KS D = 200/350 = 4/7
    // and Model Monitor's robust distance is D - 1.8 * sqrt((n + m) / (n m)) with n = 200, m = 350.
    const stats = written<StatisticsFile>('statistics.json');
    expect(stats.dataset.item_count).toBe(350);
    const robust = 4 / 7 - 1.8 * Math.sqrt(550 / (200 * 350));
    const violations = written<ViolationsFile>('constraint_violations.json').violations;
    expect(violations.map((v) => [v.feature_name, v.constraint_check_type])).toEqual([
      ['x', 'baseline_drift_check'],
    ]);
    expect(
      Number(/distance: (.+) exceeds threshold: (.+)/.exec(violations[0]?.description ?? '')?.[1]),
    ).toBeCloseTo(robust, 12);

    // Then: the metrics, all at the window's end
    const f = metrics.flushed;
    const all = { Endpoint: 'churn', Variant: 'AllTraffic' };
    const shadow = { Endpoint: 'churn', Variant: 'Shadow' };
    expect(
      f
        .filter((m) => m.name !== 'BaselineUnavailable')
        .every((m) => m.timestamp?.getTime() === WINDOW_END.getTime()),
    ).toBe(true);
    expect(valuesOf(f, 'DriftedFeatureShare', all)).toEqual([0]);
    expect(valuesOf(f, 'DriftedFeatureShare', shadow)).toEqual([0.5]);
    expect(valuesOf(f, 'FeatureDrifted', { ...shadow, Feature: 'x' })).toEqual([1]);
    expect(valuesOf(f, 'FeatureDrifted', { ...shadow, Feature: 'c' })).toEqual([0]);
    expect(valuesOf(f, 'FeatureDrifted', { ...all, Feature: 'x' })).toEqual([0]);
    expect(valuesOf(f, 'DriftStatistic', { ...shadow, Feature: 'x', Method: 'auto' })).toEqual([1]);
    expect(valuesOf(f, 'DriftStatistic', { ...all, Feature: 'x', Method: 'auto' })).toEqual([0]);
    expect(valuesOf(f, 'Violations', { ...shadow, CheckType: 'baseline_drift_check' })).toEqual([1]);
    expect(valuesOf(f, 'Violations', { ...shadow, CheckType: 'completeness_check' })).toEqual([0]);
    expect(valuesOf(f, 'Violations', shadow)).toEqual([1]);
    expect(valuesOf(f, 'Violations', all)).toEqual([0]);
    expect(f.filter((m) => m.name === 'Violations')).toHaveLength(14);
    const mm = { Endpoint: 'churn', MonitoringSchedule: 'churn-driftwatch' };
    expect(valuesOf(f, 'feature_baseline_drift_x', mm)[0]).toBeCloseTo(robust, 12);
    expect(valuesOf(f, 'feature_baseline_drift_c', mm)).toEqual([0]);
    expect(
      f.filter((m) => m.namespace === 'aws/sagemaker/Endpoints/data-metrics').map((m) => m.name),
    ).toEqual(['feature_baseline_drift_x', 'feature_baseline_drift_c']);
    expect(valuesOf(f, 'WindowProcessingTime', { Endpoint: 'churn' })).toEqual([250]);
    expect(valuesOf(f, 'BaselineUnavailable', { Endpoint: 'churn' })).toEqual([0]);
  });

  it('computes no Model Monitor metrics when the configuration sets emitMetrics false', async () => {
    // Given
    const config = oneEndpointConfig({ dataQuality: { emitMetrics: false } });
    await serveBaseline(s3);
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: hourPrefix('AllTraffic', '11') }).resolves({
      Contents: [{ Key: `${hourPrefix('AllTraffic', '11')}a.profile.json` }],
    });
    serveProfile(`${hourPrefix('AllTraffic', '11')}a.profile.json`, await profileOf(config, 0, 200, 100));
    const { deps, metrics } = unitDeps(config, NOW);
    // When
    const summary = await createHandler(deps)({ endpoint: 'churn' });
    // Then
    expect(summary.status).toBe('evaluated');
    expect(metrics.flushed.filter((m) => m.namespace !== 'driftwatch')).toEqual([]);
    expect(
      valuesOf(metrics.flushed, 'DriftedFeatureShare', { Endpoint: 'churn', Variant: 'AllTraffic' }),
    ).toEqual([0.5]);
  });

  it('computes the explicit window of a backfill event', async () => {
    // Given
    await serveBaseline(s3);
    const { deps } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const summary = await createHandler(deps)({
      endpoint: 'churn',
      windowEnd: '2026-11-20T05:00:00Z',
      windowHours: 3,
    });
    // Then: hours 02, 03 and 04 are listed and nothing else
    const prefixes = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
    expect(prefixes).toEqual([
      'churn/',
      'dw/profiles/churn/AllTraffic/2026/11/20/02/',
      'dw/profiles/churn/AllTraffic/2026/11/20/03/',
      'dw/profiles/churn/AllTraffic/2026/11/20/04/',
    ]);
    expect(summary).toMatchObject({
      windowStart: '2026-11-20T02:00:00.000Z',
      windowEnd: '2026-11-20T05:00:00.000Z',
    });
  });

  it('computes a no-data summary and writes nothing for a window without profiles', async () => {
    // Given
    await serveBaseline(s3);
    const { deps, metrics, log } = unitDeps(oneEndpointConfig(), NOW);
    // When
    const summary = await createHandler(deps)({ endpoint: 'churn' });
    // Then
    expect(summary).toMatchObject({ status: 'no-data', profiles: 0, variants: [] });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(metrics.flushed.map((m) => m.name).sort()).toEqual([
      'BaselineUnavailable',
      'WindowProcessingTime',
    ]);
    expect(log.entries).toMatchObject([{ level: 'warn', message: 'no profiles in the window' }]);
  });

  it('computes the window without profiles built against another baseline or unreadable, logging each', async () => {
    // Given: one good profile, one with other columns (an older baseline), one that is not a profile
    const config = oneEndpointConfig();
    await serveBaseline(s3);
    const prefix = hourPrefix('AllTraffic', '11');
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: prefix }).resolves({
      Contents: ['a', 'b', 'c'].map((n) => ({ Key: `${prefix}${n}.profile.json` })),
    });
    serveProfile(`${prefix}a.profile.json`, await profileOf(config, 0, 200));
    const other = new ProfileBuilder({ features: [{ name: 'y', kind: 'numeric' }] });
    other.addRecord({ y: '1' });
    serveProfile(`${prefix}b.profile.json`, other.toState());
    serveProfile(`${prefix}c.profile.json`, { format: 'something else' });
    const { deps, log } = unitDeps(config, NOW);
    // When
    const summary = await createHandler(deps)({ endpoint: 'churn' });
    // Then
    expect(summary).toMatchObject({ status: 'evaluated', profiles: 1, profilesSkipped: 2, rows: 200 });
    expect(
      log.entries.filter((e) => e.level === 'warn').map((e) => [e.message, e.attributes?.profile]),
    ).toEqual([
      ['skipped profile built against another baseline', `s3://reports/${prefix}b.profile.json`],
      ['skipped profile', `s3://reports/${prefix}c.profile.json`],
    ]);
  });

  it('throws when the event names another endpoint (InvalidEventError)', async () => {
    // Given
    const { deps, metrics } = unitDeps(oneEndpointConfig(), NOW);
    // When / Then
    await expect(createHandler(deps)({ endpoint: 'fraud' })).rejects.toThrow(
      'endpoint: expected "churn" (this function serves one endpoint), received "fraud"',
    );
    await expect(createHandler(deps)({ endpoint: 'fraud' })).rejects.toBeInstanceOf(InvalidEventError);
    expect(s3.calls()).toHaveLength(0);
    expect(metrics.flushes).toBe(2);
  });

  it('throws when the baseline is missing (BaselineError) after publishing BaselineUnavailable = 1', async () => {
    // Given: nothing under the baseline prefix
    const { deps, metrics } = unitDeps(oneEndpointConfig(), NOW);
    // When / Then
    await expect(createHandler(deps)({ endpoint: 'churn' })).rejects.toBeInstanceOf(BaselineError);
    expect(valuesOf(metrics.flushed, 'BaselineUnavailable', { Endpoint: 'churn' })).toEqual([1]);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 1);
  });

  it('throws when reading a profile fails (StorageError)', async () => {
    // Given
    await serveBaseline(s3);
    const prefix = hourPrefix('AllTraffic', '11');
    s3.on(ListObjectsV2Command, { Bucket: 'reports', Prefix: prefix }).resolves({
      Contents: [{ Key: `${prefix}a.profile.json` }],
    });
    s3.on(GetObjectCommand, { Bucket: 'reports' }).rejects(s3Error('InternalError', 500, 'x'));
    const { deps } = unitDeps(oneEndpointConfig(), NOW);
    // When / Then
    await expect(createHandler(deps)({ endpoint: 'churn' })).rejects.toBeInstanceOf(StorageError);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});

describe('defaultWindowEnd', () => {
  it.each([
    ['2026-11-26T10:14:59Z', 15, '2026-11-26T09:00:00.000Z'],
    ['2026-11-26T10:15:00Z', 15, '2026-11-26T10:00:00.000Z'],
    ['2026-11-26T10:00:00Z', 0, '2026-11-26T10:00:00.000Z'],
    ['2026-11-27T00:10:00Z', 15, '2026-11-26T23:00:00.000Z'],
  ])('computes %s with delayMinutes %i as %s', (now, delay, end) => {
    expect(defaultWindowEnd(new Date(now), delay).toISOString()).toBe(end);
  });
});

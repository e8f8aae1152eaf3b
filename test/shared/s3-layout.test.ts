import { describe, expect, it } from 'vitest';
import {
  hourPath,
  joinKey,
  parseCaptureKey,
  profileHourPrefix,
  profileKey,
  windowReportPrefix,
} from '../../functions/shared/s3-layout.js';

describe('s3 layout', () => {
  it('parses SageMaker capture keys under a prefix', () => {
    expect(
      parseCaptureKey('datacapture/churn/AllTraffic/2026/11/26/09/31-22-123-abc.jsonl', 'datacapture/'),
    ).toEqual({
      endpoint: 'churn',
      variant: 'AllTraffic',
      hour: '2026/11/26/09',
      file: '31-22-123-abc.jsonl',
    });
    expect(parseCaptureKey('churn/v1/2026/11/26/09/a.jsonl', '')).toMatchObject({
      endpoint: 'churn',
      variant: 'v1',
    });
  });

  it.each([
    ['other/churn/AllTraffic/2026/11/26/09/a.jsonl', 'datacapture'],
    ['datacapture/churn/AllTraffic/2026/11/26/a.jsonl', 'datacapture'],
    ['datacapture/x/churn/AllTraffic/2026/11/26/09/a.jsonl', 'datacapture'],
    ['datacapture/churn/AllTraffic/26/11/26/09/a.jsonl', 'datacapture'],
  ])('rejects %s (not a capture key under %s)', (key, prefix) => {
    expect(parseCaptureKey(key, prefix)).toBeUndefined();
  });

  it('derives one profile key per capture object', () => {
    const capture = { endpoint: 'churn', variant: 'AllTraffic', hour: '2026/11/26/09', file: 'a-b.jsonl' };
    expect(profileKey('monitoring/', capture)).toBe(
      'monitoring/profiles/churn/AllTraffic/2026/11/26/09/a-b.profile.json',
    );
    expect(profileKey('', { ...capture, file: 'x.jsonl.gz' })).toBe(
      'profiles/churn/AllTraffic/2026/11/26/09/x.profile.json',
    );
  });

  it('lays out hour prefixes in UTC', () => {
    const t = new Date(Date.UTC(2026, 0, 2, 3, 59));
    expect(hourPath(t)).toBe('2026/01/02/03');
    expect(profileHourPrefix('m', 'e', 'v', t)).toBe('m/profiles/e/v/2026/01/02/03/');
    expect(windowReportPrefix('m', 'e', 'e-driftwatch', t)).toBe('m/reports/e/e-driftwatch/2026/01/02/03/');
    expect(joinKey('/a/', '', 'b//c', '/')).toBe('a/b/c');
  });
});

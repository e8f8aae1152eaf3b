import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../functions/errors.js';
import {
  decodeS3EventKey,
  parseEvaluateWindowEvent,
  parseIngestEvent,
} from '../../functions/handlers/events.js';

const KEY = 'datacapture/churn/AllTraffic/2026/11/26/10/00-01-002-abc.jsonl';

// Shapes from the AWS documentation: "EventBridge event message structure" (S3 User Guide, ev-events) and
// "Event message structure" (S3 User Guide, notification-content-structure).
const eventBridgeEvent = (key: string, detailType = 'Object Created') => ({
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': detailType,
  source: 'aws.s3',
  account: '111122223333',
  time: '2021-11-12T00:00:00Z',
  region: 'ca-central-1',
  resources: ['arn:aws:s3:::capture'],
  detail: {
    version: '0',
    bucket: { name: 'capture' },
    object: { key, size: 5, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189' },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
});

const s3Notification = (key: string, eventName = 'ObjectCreated:Put') => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-west-2',
      eventTime: '1970-01-01T00:00:00.000Z',
      eventName,
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'testConfigRule',
        bucket: { name: 'capture', arn: 'arn:aws:s3:::capture' },
        object: {
          key,
          size: 1024,
          eTag: '0123456789abcdef0123456789abcdef',
          sequencer: '0A1B2C3D4E5F678901',
        },
      },
    },
  ],
});

describe('parseIngestEvent', () => {
  it('computes the object of an EventBridge "Object Created" event, its key as sent', () => {
    // Given / When
    const parsed = parseIngestEvent(eventBridgeEvent('datacapture/a b+c.jsonl'));
    // Then: EventBridge sends keys as stored (not URL-encoded)
    expect(parsed).toEqual({
      objects: [{ bucket: 'capture', key: 'datacapture/a b+c.jsonl', size: 5 }],
      skipped: [],
    });
  });

  it('computes the objects of an S3 notification, keys URL-decoded with "+" as space', () => {
    // Given: S3 sends "a b+c:d.jsonl" as "a+b%2Bc%3Ad.jsonl"
    const parsed = parseIngestEvent(s3Notification('datacapture/a+b%2Bc%3Ad.jsonl'));
    // Then
    expect(parsed.objects).toEqual([{ bucket: 'capture', key: 'datacapture/a b+c:d.jsonl', size: 1024 }]);
  });

  it('computes the object of a direct {bucket, key} payload (the backfill Distributed Map)', () => {
    expect(parseIngestEvent({ bucket: 'capture', key: KEY })).toEqual({
      objects: [{ bucket: 'capture', key: KEY }],
      skipped: [],
    });
  });

  it('computes events that are not creations as skipped', () => {
    // Given / When
    const deleted = parseIngestEvent(eventBridgeEvent(KEY, 'Object Deleted'));
    const removed = parseIngestEvent(s3Notification(KEY, 'ObjectRemoved:Delete'));
    // Then
    expect(deleted).toEqual({
      objects: [],
      skipped: [
        {
          status: 'skipped',
          bucket: 'capture',
          key: KEY,
          size: 5,
          reason: 'not-object-created',
          detail: 'event "Object Deleted"',
        },
      ],
    });
    expect(removed.objects).toEqual([]);
    expect(removed.skipped).toMatchObject([
      { reason: 'not-object-created', detail: 'event ObjectRemoved:Delete' },
    ]);
  });

  it.each([
    [null, 'received null'],
    [[], 'received an array'],
    ['capture/key', 'received string'],
    [{ Records: [] }, 'S3 notification: Records: expected at least one record'],
    [
      { Records: [{ s3: { bucket: { name: 'b' }, object: {} } }] },
      'S3 notification: Records.0.s3.object.key: expected an object key',
    ],
    [
      {
        source: 'aws.s3',
        'detail-type': 'Object Created',
        detail: { bucket: { name: 'b' }, object: { key: 'k', size: -1 } },
      },
      'EventBridge S3 event: detail.object.size: expected a size in bytes',
    ],
    [
      { source: 'aws.ec2', 'detail-type': 'x', detail: { bucket: { name: 'b' }, object: { key: 'k' } } },
      'EventBridge S3 event: source: expected "aws.s3"',
    ],
    [{ bucket: 'capture' }, 'key: expected an object key'],
    [{ bucket: '', key: 'k' }, 'bucket: expected a bucket name'],
  ])('throws when the event is %j (InvalidEventError naming the field)', (event, message) => {
    expect(() => parseIngestEvent(event)).toThrow(InvalidEventError);
    expect(() => parseIngestEvent(event)).toThrow(message);
  });
});

describe('decodeS3EventKey', () => {
  it.each([
    ['a+b.jsonl', 'a b.jsonl'],
    ['a%2Bb.jsonl', 'a+b.jsonl'],
    ['caf%C3%A9.jsonl', 'café.jsonl'],
    ['100%.jsonl', '100%.jsonl'],
  ])('computes %s as %s', (key, decoded) => {
    expect(decodeS3EventKey(key)).toBe(decoded);
  });
});

describe('parseEvaluateWindowEvent', () => {
  it('computes the endpoint, window end and hours', () => {
    expect(
      parseEvaluateWindowEvent({ endpoint: 'churn', windowEnd: '2026-11-26T10:00:00Z', windowHours: 3 }),
    ).toEqual({
      endpoint: 'churn',
      windowEnd: new Date(Date.UTC(2026, 10, 26, 10)),
      windowHours: 3,
    });
    expect(
      parseEvaluateWindowEvent({ endpoint: 'churn', windowEnd: '2026-11-26T12:00:00+02:00' }).windowEnd,
    ).toEqual(new Date(Date.UTC(2026, 10, 26, 10)));
  });

  it("computes only the endpoint from the scheduler's static input", () => {
    expect(parseEvaluateWindowEvent({ endpoint: 'churn' })).toEqual({ endpoint: 'churn' });
  });

  it.each([
    [{}, 'endpoint: expected the endpoint name'],
    [{ endpoint: 'churn', windowEnd: 'yesterday' }, 'windowEnd: expected an ISO-8601 time'],
    [{ endpoint: 'churn', windowEnd: '2026-11-26T10:30:00Z' }, 'windowEnd: expected a whole hour'],
    [{ endpoint: 'churn', windowHours: 0 }, 'windowHours: expected a whole number of hours from 1 to 8760'],
    [{ endpoint: 'churn', windowHours: 1.5 }, 'windowHours: expected a whole number of hours from 1 to 8760'],
    [null, '(event): expected an object'],
  ])('throws when the event is %j (InvalidEventError naming the field)', (event, message) => {
    expect(() => parseEvaluateWindowEvent(event)).toThrow(InvalidEventError);
    expect(() => parseEvaluateWindowEvent(event)).toThrow(message);
  });
});

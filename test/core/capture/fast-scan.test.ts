import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkStringContent,
  ENCODING_BASE64,
  ENCODING_CSV,
  ENCODING_JSON,
  findStringEnd,
  RecordTemplate,
  ScannedRecord,
  type ScannedSide,
  scanRecord,
} from '../../../functions/core/capture/fast-scan.js';
import { JSON_BREAKERS } from './support.js';

// The oracle throughout is JSON.parse: whatever the byte scanner accepts must be JSON, and the fields it reports
// must be the ones JSON.parse gives.

const ENCODINGS = ['', 'CSV', 'JSON', 'BASE64'];

/** The fields a scan found, as JSON.parse would give them (data decoded from its token). */
function scannedFields(bytes: Buffer, record: ScannedRecord) {
  const text = (start: number, end: number) => (start < 0 ? undefined : bytes.toString('latin1', start, end));
  const side = (s: ScannedSide) =>
    s.present
      ? {
          data: JSON.parse(bytes.toString('utf8', s.dataStart - 1, s.dataEnd + 1)) as unknown,
          encoding: ENCODINGS[s.encoding],
          contentType: s.contentType,
        }
      : undefined;
  return {
    input: side(record.input),
    output: side(record.output),
    eventId: text(record.eventIdStart, record.eventIdEnd),
    inferenceId: text(record.inferenceIdStart, record.inferenceIdEnd),
    time: text(record.timeStart, record.timeEnd),
  };
}

/** The same fields read from JSON.parse's object (null and absent alike are undefined). */
function parsedFields(record: Record<string, unknown>) {
  const capture = record.captureData as Record<string, Record<string, unknown> | null | undefined>;
  const meta = (record.eventMetadata ?? {}) as Record<string, unknown>;
  const side = (s: Record<string, unknown> | null | undefined) =>
    s === null || s === undefined
      ? undefined
      : {
          data: s.data,
          encoding: s.encoding,
          contentType: typeof s.observedContentType === 'string' ? s.observedContentType : undefined,
        };
  return {
    input: side(capture.endpointInput),
    output: side(capture.endpointOutput),
    eventId: meta.eventId ?? undefined,
    inferenceId: meta.inferenceId ?? undefined,
    time: meta.inferenceTime ?? undefined,
  };
}

const jsonLine = (value: unknown) => Buffer.from(JSON.stringify(value));
const side = { observedContentType: 'text/csv', mode: 'INPUT', data: '1,2', encoding: 'CSV' };
const meta = { eventId: 'e-1', inferenceTime: '2024-05-01T10:00:00Z' };

describe('scanRecord', () => {
  it('computes the fields of a typical capture line, with the data range still escaped', () => {
    // Given a record whose input data holds an escaped newline and whose output is JSON
    const bytes = jsonLine({
      captureData: {
        endpointInput: { ...side, data: '1,2\n3,4' },
        endpointOutput: {
          observedContentType: 'application/json',
          mode: 'OUTPUT',
          data: '{"a":1}',
          encoding: 'JSON',
        },
      },
      eventMetadata: { ...meta, inferenceId: '7' },
      eventVersion: '0',
    });
    const record = new ScannedRecord();

    // When it is scanned
    const ok = scanRecord(bytes, 0, bytes.length, record);

    // Then the ranges hold the raw content and the fields match JSON.parse's
    expect(ok).toBe(true);
    expect(bytes.toString('latin1', record.input.dataStart, record.input.dataEnd)).toBe('1,2\\n3,4');
    expect(record.input.encoding).toBe(ENCODING_CSV);
    expect(record.output.encoding).toBe(ENCODING_JSON);
    expect(scannedFields(bytes, record)).toEqual(parsedFields(JSON.parse(bytes.toString())));
  });

  it('computes absent sides and metadata for nulls and missing members', () => {
    // Given an output-only record with null metadata fields
    const bytes = jsonLine({
      captureData: { endpointInput: null, endpointOutput: { data: 'AQ==', encoding: 'BASE64' } },
      eventMetadata: { eventId: null, inferenceTime: null },
    });
    const record = new ScannedRecord();

    // When it is scanned
    const ok = scanRecord(bytes, 0, bytes.length, record);

    // Then only the output is present and no metadata range is set
    expect(ok).toBe(true);
    expect([record.input.present, record.output.present, record.output.encoding]).toEqual([
      false,
      true,
      ENCODING_BASE64,
    ]);
    expect([record.eventIdStart, record.inferenceIdStart, record.timeStart]).toEqual([-1, -1, -1]);
  });

  it.each([
    ['not JSON', '{"captureData":'],
    ['trailing garbage', `${JSON.stringify({ captureData: { endpointInput: side } })} x`],
    [
      'a leading zero in a skipped number',
      `{"x":01,"captureData":{"endpointInput":${JSON.stringify(side)}}}`,
    ],
    ['a bare minus in a skipped number', `{"x":-,"captureData":{"endpointInput":${JSON.stringify(side)}}}`],
    ['a fraction without digits', `{"x":1.,"captureData":{"endpointInput":${JSON.stringify(side)}}}`],
    ['an exponent without digits', `{"x":1e,"captureData":{"endpointInput":${JSON.stringify(side)}}}`],
    [
      'a bad escape in a skipped string',
      `{"x":"\\q","captureData":{"endpointInput":${JSON.stringify(side)}}}`,
    ],
    ['a short unicode escape', `{"x":"\\u12","captureData":{"endpointInput":${JSON.stringify(side)}}}`],
    ['a raw control character', `{"x":"a\u0001","captureData":{"endpointInput":${JSON.stringify(side)}}}`],
    ['a trailing comma', `{"captureData":{"endpointInput":${JSON.stringify(side)}},}`],
    ['an escaped key', `{"captur\\u0065Data":{"endpointInput":${JSON.stringify(side)}}}`],
    [
      'a repeated captureData',
      `{"captureData":null,"captureData":{"endpointInput":${JSON.stringify(side)}}}`,
    ],
    ['a repeated data', `{"captureData":{"endpointInput":{"data":"1","data":"2","encoding":"CSV"}}}`],
    ['an unknown encoding', `{"captureData":{"endpointInput":{"data":"1","encoding":"csv"}}}`],
    ['a non-string data', `{"captureData":{"endpointInput":{"data":1,"encoding":"CSV"}}}`],
    ['no side', `{"captureData":{"endpointInput":null}}`],
    ['no captureData', `{"eventMetadata":${JSON.stringify(meta)}}`],
    [
      'a numeric eventId',
      `{"captureData":{"endpointInput":${JSON.stringify(side)}},"eventMetadata":{"eventId":7}}`,
    ],
    [
      'an escaped eventId',
      `{"captureData":{"endpointInput":${JSON.stringify(side)}},"eventMetadata":{"eventId":"a\\tb"}}`,
    ],
    [
      'a non-ASCII time',
      `{"captureData":{"endpointInput":${JSON.stringify(side)}},"eventMetadata":{"inferenceTime":"é"}}`,
    ],
    [
      'metadata that is a list',
      `{"captureData":{"endpointInput":${JSON.stringify(side)}},"eventMetadata":[]}`,
    ],
    ['a top-level list', `[${JSON.stringify({ captureData: { endpointInput: side } })}]`],
    ['a form feed between tokens', `{\f"captureData":{"endpointInput":${JSON.stringify(side)}}}`],
    [
      'a non-breaking space between tokens',
      `{\u00a0"captureData":{"endpointInput":${JSON.stringify(side)}}}`,
    ],
  ])('computes false for %s', (_what, line) => {
    // Given a line the byte scanner must leave to the reference parser
    const bytes = Buffer.from(line);

    // When it is scanned, Then it says no
    expect(scanRecord(bytes, 0, bytes.length, new ScannedRecord())).toBe(false);
  });

  it('computes nothing beyond the line even when the bytes around it are JSON', () => {
    // Given a valid record inside a larger buffer, the same record missing its last byte, and a line that ends
    // inside a \u escape whose hex digits follow in the buffer
    const record = JSON.stringify({ captureData: { endpointInput: side } });
    const bytes = Buffer.from(`${record}\n${record}`);
    const start = `{"captureData":{"endpointInput":${JSON.stringify(side)}},"x":"\\u00`;
    const split = Buffer.from(`${start}41"}`);

    // When the first lines are scanned whole and cut short
    const whole = scanRecord(bytes, 0, record.length, new ScannedRecord());
    const cut = scanRecord(bytes, 0, record.length - 1, new ScannedRecord());
    const cutEscape = scanRecord(split, 0, start.length, new ScannedRecord());

    // Then only the whole line is accepted
    expect([whole, cut, cutEscape]).toEqual([true, false, false]);
  });

  it('computes only JSON, with the fields JSON.parse gives, for random and corrupted records', () => {
    // Random records with random extra members, then sometimes one character corrupted
    const record = fc.record({
      captureData: fc.record(
        {
          endpointInput: fc.option(
            fc.record({
              data: fc.string({ unit: 'binary', maxLength: 12 }),
              encoding: fc.constantFrom('CSV', 'JSON', 'BASE64', 'csv'),
              observedContentType: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
              extra: fc.jsonValue({ maxDepth: 3 }),
            }),
          ),
          endpointOutput: fc.option(
            fc.record({ data: fc.string(), encoding: fc.constantFrom('CSV', 'JSON') }),
          ),
          other: fc.jsonValue({ maxDepth: 2 }),
        },
        { requiredKeys: [] },
      ),
      eventMetadata: fc.option(
        fc.record(
          {
            eventId: fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constant(null), fc.integer()),
            inferenceTime: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)),
            custom: fc.jsonValue({ maxDepth: 2 }),
          },
          { requiredKeys: [] },
        ),
      ),
      extra: fc.jsonValue({ maxDepth: 3 }),
    });
    // and the first letters of null and true
    const chars = [...JSON_BREAKERS, 'n', 't'];
    fc.assert(
      fc.property(
        record,
        fc.option(fc.tuple(fc.nat(), fc.constantFrom(...chars))),
        fc.nat(3),
        (value, corruption, spacing) => {
          // Given the record's JSON, maybe spaced out, maybe with one character replaced
          let line =
            spacing === 0 ? JSON.stringify(value, null, 1).replaceAll('\n', ' ') : JSON.stringify(value);
          if (corruption !== null) {
            const at = corruption[0] % line.length;
            line = line.slice(0, at) + corruption[1] + line.slice(at + 1);
          }
          const bytes = Buffer.from(line);
          const scanned = new ScannedRecord();

          // When it is scanned
          if (!scanRecord(bytes, 0, bytes.length, scanned)) return;

          // Then JSON.parse of the decoded line (as the reference parser reads it) accepts it too and finds the same
          // fields (the data content is checked here)
          expect(scannedFields(bytes, scanned)).toEqual(parsedFields(JSON.parse(bytes.toString('utf8'))));
        },
      ),
      { seed: 20_261_129, numRuns: 3000 },
    );
  });
});

describe('RecordTemplate', () => {
  /** A template learned from the scan of `first`, as the fast parser learns one from a file's first line. */
  const learnedFrom = (first: Buffer) => {
    const template = new RecordTemplate();
    const learned = new ScannedRecord();
    scanRecord(first, 0, first.length, learned);
    template.learn(first, 0, first.length, learned);
    return template;
  };
  const line = (data: string, eventId: string, time: string) =>
    JSON.stringify({
      captureData: { endpointInput: { ...side, data }, endpointOutput: { ...side, data: '0.5' } },
      eventMetadata: { eventId, inferenceTime: time },
      eventVersion: '0',
    });

  it('computes the same scan as scanRecord for lines that differ only in data and metadata values', () => {
    // Given a template learned from one line, and a line with other values
    const first = Buffer.from(line('1,2', 'a', '2024-05-01T10:00:00Z'));
    const second = Buffer.from(line('10.5,-3e2,"q"\n7,8', 'event-b', '2024-05-01T10:00:01.5Z'));
    const template = learnedFrom(first);

    // When the second line is matched and, separately, scanned
    const matched = new ScannedRecord();
    const ok = template.match(second, 0, second.length, matched);
    const scanned = new ScannedRecord();
    scanRecord(second, 0, second.length, scanned);

    // Then the match finds what the scan finds
    expect(ok).toBe(true);
    expect(matched).toEqual(scanned);
  });

  it.each([
    ['another key order', (l: string) => l.replace('"eventVersion":"0"', '"eventVersion":"1"')],
    ['a changed encoding', (l: string) => l.replace('"encoding":"CSV"', '"encoding":"JSON"')],
    ['an escaped eventId', (l: string) => l.replace('"eventId":"a"', '"eventId":"a\\"b"')],
    ['one more byte at the end', (l: string) => `${l} `],
  ])('computes no match for %s', (_what, change) => {
    // Given a template and a line that differs outside the value holes
    const text = line('1,2', 'a', '2024-05-01T10:00:00Z');
    const first = Buffer.from(text);
    const template = learnedFrom(first);
    const other = Buffer.from(change(text));

    // When it is matched, Then it does not match
    expect(template.match(other, 0, other.length, new ScannedRecord())).toBe(false);
  });

  it('computes the end of a JSON payload full of escaped quotes from the bytes that follow it', () => {
    // Given a template from a JSON-payload line, and another such line
    const jsonLine = (data: string) =>
      JSON.stringify({ captureData: { endpointInput: { data, encoding: 'JSON' } }, eventMetadata: meta });
    const first = Buffer.from(jsonLine('{"a":1,"b":"x"}'));
    const second = Buffer.from(jsonLine('{"a":22,"b":"y\\"z","c":"encoding"}'));
    const template = learnedFrom(first);

    // When the second is matched
    const matched = new ScannedRecord();
    const ok = template.match(second, 0, second.length, matched);

    // Then its data is the whole payload
    expect(ok).toBe(true);
    expect(JSON.parse(second.toString('utf8', matched.input.dataStart - 1, matched.input.dataEnd + 1))).toBe(
      '{"a":22,"b":"y\\"z","c":"encoding"}',
    );
  });
});

describe('findStringEnd', () => {
  it.each([
    ['abc"', 3],
    ['a\\"b"', 4],
    ['a\\\\"b"', 3],
    ['\\\\\\"x"', 5],
    ['no end', -1],
  ])('computes the closing quote of %s', (content, expected) => {
    // Given string content followed by its closing quote
    const bytes = Buffer.from(content);

    // When the end is searched, Then it is the first quote after an even run of backslashes
    expect(findStringEnd(bytes, 0, bytes.length)).toBe(expected);
  });
});

describe('checkStringContent', () => {
  it('computes validity and flags as JSON.parse sees the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), fc.boolean(), (text, raw) => {
        // Given JSON string content, escaped as JSON.stringify does, or raw (possibly invalid)
        const content = raw ? text : JSON.stringify(text).slice(1, -1);
        const bytes = Buffer.from(content);
        const flags = { value: -1 };

        // When it is checked
        const ok = checkStringContent(bytes, 0, bytes.length, flags);

        // Then it is valid exactly when JSON.parse reads it, and the flags say escapes / non-ASCII
        let parsed = true;
        try {
          JSON.parse(`"${content}"`);
        } catch {
          parsed = false;
        }
        expect(ok).toBe(parsed);
        const nonAscii = [...content].some((ch) => ch.charCodeAt(0) >= 0x80);
        if (ok) expect(flags.value).toBe((content.includes('\\') ? 1 : 0) | (nonAscii ? 2 : 0));
      }),
      { seed: 20_261_130, numRuns: 2000 },
    );
  });
});

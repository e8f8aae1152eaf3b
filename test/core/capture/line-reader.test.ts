import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureOptionsError } from '../../../functions/core/capture/errors.js';
import { type LineEvent, readLines } from '../../../functions/core/capture/line-reader.js';
import { chunked } from './support.js';

const encoder = new TextEncoder();

async function collect(source: AsyncIterable<Uint8Array>, maxLineBytes = 1024): Promise<LineEvent[]> {
  const events: LineEvent[] = [];
  for await (const event of readLines(source, maxLineBytes)) events.push(event);
  return events;
}

async function* pieces(...parts: (string | number[])[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? encoder.encode(part) : Uint8Array.from(part);
}

/** Independent oracle: decode the whole byte string at once (TextDecoder drops a leading BOM), then split. */
function referenceLines(bytes: Uint8Array, maxLineBytes: number): LineEvent[] {
  const lines = new TextDecoder().decode(bytes).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const bytes = encoder.encode(line).length;
    return bytes > maxLineBytes ? { tooLong: true, lineNumber: i + 1, bytes } : { line, lineNumber: i + 1 };
  });
}

describe('readLines', () => {
  it('computes lines split on \\n with CRLF, a final line without \\n and blank lines kept', async () => {
    // Given a stream with CRLF, an empty line and no final newline
    const source = pieces('a,b\r\n', '\nc', 'd\r\nlast');

    // When it is read
    const events = await collect(source);

    // Then every line comes out, numbered from 1, without terminators
    expect(events).toEqual([
      { line: 'a,b', lineNumber: 1 },
      { line: '', lineNumber: 2 },
      { line: 'cd', lineNumber: 3 },
      { line: 'last', lineNumber: 4 },
    ]);
  });

  it('computes no extra line after a final \\n and none for an empty stream', async () => {
    // Given a stream ending in a newline, and an empty stream
    // When they are read
    const ending = await collect(pieces('x\n'));
    const empty = await collect(pieces());

    // Then the newline ends the last line and nothing is invented
    expect(ending).toEqual([{ line: 'x', lineNumber: 1 }]);
    expect(empty).toEqual([]);
  });

  it('computes lines without a UTF-8 BOM at the start, even when the BOM is split across chunks', async () => {
    // Given a BOM split over three chunks, and a BOM-like sequence later in the stream
    const source = pieces([0xef], [0xbb], [0xbf, 0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x62]);

    // When it is read
    const events = await collect(source);

    // Then only the leading BOM is removed
    expect(events).toEqual([
      { line: 'a', lineNumber: 1 },
      { line: '\uFEFFb', lineNumber: 2 },
    ]);
  });

  it('computes a short stream that is only part of a BOM', async () => {
    // Given a stream of two bytes that start like a BOM
    // When it is read
    const events = await collect(pieces([0xef, 0xbb]));

    // Then the bytes are a (malformed) line, not dropped
    expect(events).toEqual([{ line: '\uFFFD', lineNumber: 1 }]);
  });

  it('computes a multi-byte character split at every possible chunk boundary', async () => {
    // Given a line with 2-, 3- and 4-byte characters
    const text = 'é€😀\nß';
    const bytes = encoder.encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      // When the bytes arrive in two chunks cut at `cut`
      const events = await collect(
        pieces(Array.from(bytes.subarray(0, cut)), Array.from(bytes.subarray(cut))),
      );

      // Then the characters decode intact
      expect(events).toEqual([
        { line: 'é€😀', lineNumber: 1 },
        { line: 'ß', lineNumber: 2 },
      ]);
    }
  });

  it('computes a line split across many 1-byte chunks', async () => {
    // Given a JSON line with a multi-byte character, delivered one byte at a time
    const text = '{"city":"Zürich"}\r\n{"n":2}';

    // When it is read
    const events = await collect(chunked(text, 1));

    // Then the lines are whole
    expect(events).toEqual([
      { line: '{"city":"Zürich"}', lineNumber: 1 },
      { line: '{"n":2}', lineNumber: 2 },
    ]);
  });

  it('computes lines from string chunks (a Node stream with an encoding set)', async () => {
    // Given string chunks, one splitting a CRLF and one holding a non-ASCII character
    async function* source(): AsyncGenerator<string> {
      yield 'ab\r';
      yield '\nZürich';
    }

    // When it is read
    const events: LineEvent[] = [];
    for await (const event of readLines(source(), 100)) events.push(event);

    // Then strings are taken as their UTF-8 bytes
    expect(events).toEqual([
      { line: 'ab', lineNumber: 1 },
      { line: 'Zürich', lineNumber: 2 },
    ]);
  });

  it('computes invalid UTF-8 as U+FFFD', async () => {
    // Given a line with a lone continuation byte
    // When it is read
    const events = await collect(pieces([0x61, 0x80, 0x62]));

    // Then the bad byte is replaced, the line kept
    expect(events).toEqual([{ line: 'a\uFFFDb', lineNumber: 1 }]);
  });

  it('computes tooLong for lines over maxLineBytes and keeps reading after them', async () => {
    // Given lines of 5, 6 and (with CRLF) 5 bytes, and a limit of 5 bytes
    const text = 'abcde\nabcdef\r\nvwxyz\r\nok';
    for (const size of [1, 2, 3, 7, 100]) {
      // When it is read in chunks of `size`
      const events = await collect(chunked(text, size), 5);

      // Then only the 6-byte line is too long, its size excludes the CRLF, and the next lines are intact
      expect(events).toEqual([
        { line: 'abcde', lineNumber: 1 },
        { tooLong: true, lineNumber: 2, bytes: 6 },
        { line: 'vwxyz', lineNumber: 3 },
        { line: 'ok', lineNumber: 4 },
      ]);
    }
  });

  it('computes tooLong for a long final line without \\n and counts all its bytes', async () => {
    // Given a 10 000-byte final line arriving in 1000 chunks, with a limit of 100 bytes
    async function* source(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('first\n');
      for (let i = 0; i < 1000; i++) yield encoder.encode('x'.repeat(9) + (i === 999 ? '\r' : 'y'));
    }

    // When it is read
    const events = await collect(source(), 100);

    // Then the line is reported with its full size (the final \r excluded)
    expect(events).toEqual([
      { line: 'first', lineNumber: 1 },
      { tooLong: true, lineNumber: 2, bytes: 9999 },
    ]);
  });

  it('computes the same lines as decoding everything at once, for any chunking (property)', async () => {
    // Given any text of lines with CR, LF, BOM and non-ASCII characters, cut into arbitrary chunks
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('\n', '\r\n', '\r', '\uFEFF', 'é', '😀'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 12 }),
        async (parts, sizes, maxLineBytes) => {
          const bytes = encoder.encode(parts.join(''));
          async function* source(): AsyncGenerator<Uint8Array> {
            let at = 0;
            for (let i = 0; at < bytes.length; i++) {
              const size = sizes[i % sizes.length] ?? 1;
              yield bytes.subarray(at, at + size);
              at += size;
            }
          }

          // When it is read
          const events = await collect(source(), maxLineBytes);

          // Then it matches the oracle
          expect(events).toEqual(referenceLines(bytes, maxLineBytes));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('computes lines as they arrive, without reading ahead of the consumer', async () => {
    // Given a source of 200 000 lines, one per chunk, that counts what it has produced
    const total = 200_000;
    let produced = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 1; i <= total; i++) {
        produced = i;
        yield encoder.encode(`{"i":${i}}\n`);
      }
    }

    // When the lines are consumed one by one
    let consumed = 0;
    let maxLag = 0;
    for await (const event of readLines(source(), 1024)) {
      consumed++;
      maxLag = Math.max(maxLag, produced - event.lineNumber);
      if (!('line' in event) || event.line !== `{"i":${consumed}}`)
        throw new Error(`unexpected ${JSON.stringify(event)}`);
    }

    // Then every line was handed over before the next chunk was pulled (nothing accumulates)
    expect(consumed).toBe(total);
    expect(maxLag).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'throws when maxLineBytes is %s',
    async (max) => {
      // Given an unusable limit
      // When reading starts
      const reading = collect(pieces('a\n'), max);

      // Then a CaptureOptionsError names the option
      await expect(reading).rejects.toThrow(CaptureOptionsError);
      await expect(collect(pieces('a\n'), max)).rejects.toThrow(
        'capture option maxLineBytes: expected a positive integer',
      );
    },
  );
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureOptionsError, JsonPathSyntaxError } from '../../../functions/core/capture/errors.js';
import {
  outputColumnNames,
  parseCaptureLine,
  parseCaptureStream,
  parseIsoInstant,
} from '../../../functions/core/capture/parse-capture.js';
import type { CaptureParseOptions } from '../../../functions/core/capture/types.js';
import { base64, captureLine, chunked, csv, json, parseOne, parseText } from './support.js';

const INPUT_DATA = 'captureData.endpointInput.data';
const OUTPUT_DATA = 'captureData.endpointOutput.data';

describe('parseCaptureLine', () => {
  describe('CSV input', () => {
    it('computes one row with named columns, values kept as strings', () => {
      // Given a one-row CSV request and its CSV response (the AWS docs' capture example shape)
      const line = captureLine(csv('69,0,0.5,x\n'), csv('0.72\n'));

      // When it is parsed with column names
      const { rejection, rows } = parseOne(line, { input: { columns: ['age', 'kids', 'ratio', 'code'] } });

      // Then the row is keyed by those names
      expect(rejection).toBeUndefined();
      expect(rows).toEqual([
        { features: { age: '69', kids: '0', ratio: '0.5', code: 'x' }, outputs: ['0.72'] },
      ]);
    });

    it('computes several rows from a multi-row CSV batch with CRLF and a trailing newline', () => {
      // Given a 3-row batch and one prediction per row
      const line = captureLine(csv('1,2\r\n3,4\r\n5,\r\n'), csv('0.1\n0.2\n0.3\n'));

      // When it is parsed without column names
      const { rows } = parseOne(line);

      // Then rows are positional (_c0, _c1), the empty field is null, outputs align
      expect(rows).toEqual([
        { features: { _c0: '1', _c1: '2' }, outputs: ['0.1'] },
        { features: { _c0: '3', _c1: '4' }, outputs: ['0.2'] },
        { features: { _c0: '5', _c1: null }, outputs: ['0.3'] },
      ]);
    });

    it('computes quoted CSV fields the same way as the plain path would for unquoted ones', () => {
      // Given a quoted field holding a comma and a newline, next to plain fields
      const quoted = captureLine(csv('"a,b","x\ny",3\n"p",q,4'), csv('1\n0'));
      const plain = captureLine(csv('ab,xy,3\np,q,4'), csv('1\n0'));

      // When both are parsed
      const a = parseOne(quoted).rows;
      const b = parseOne(plain).rows;

      // Then the quotes only change the values inside them
      expect(a).toEqual([
        { features: { _c0: 'a,b', _c1: 'x\ny', _c2: '3' }, outputs: ['1'] },
        { features: { _c0: 'p', _c1: 'q', _c2: '4' }, outputs: ['0'] },
      ]);
      expect(b).toEqual([
        { features: { _c0: 'ab', _c1: 'xy', _c2: '3' }, outputs: ['1'] },
        { features: { _c0: 'p', _c1: 'q', _c2: '4' }, outputs: ['0'] },
      ]);
    });

    it('rejects a row whose field count differs from the columns, naming the row', () => {
      // Given columns for 3 fields and a batch whose second row has 2
      const line = captureLine(csv('1,2,3\n4,5\n'), csv('0\n1\n'));

      // When it is parsed
      const { rejection, rows } = parseOne(line, { input: { columns: ['a', 'b', 'c'] } });

      // Then the line is rejected and no row of it is emitted
      expect(rejection).toEqual({
        line: 1,
        field: INPUT_DATA,
        reason: 'row 2: expected 3 fields (input.columns), found 2',
      });
      expect(rows).toEqual([]);
    });

    it('rejects malformed CSV', () => {
      // Given an unclosed quote
      const { rejection } = parseOne(captureLine(csv('"1,2'), undefined));

      // Then the reason comes from csv-parse
      expect(rejection).toMatchObject({
        field: INPUT_DATA,
        reason: expect.stringMatching(/^malformed CSV: Quote Not Closed/),
      });
    });

    it('rejects an empty payload', () => {
      // Given CSV data with no rows
      const { rejection } = parseOne(captureLine(csv('\n'), csv('1')));

      // Then it is rejected
      expect(rejection).toEqual({ line: 1, field: INPUT_DATA, reason: 'no rows' });
    });
  });

  describe('JSON input', () => {
    it.each([
      [
        'an object keyed by feature name',
        { age: 31, city: 'Oslo', vip: true, note: null },
        [{ age: 31, city: 'Oslo', vip: true, note: null }],
      ],
      ['a list of objects', [{ a: 1 }, { a: 2, b: 'x' }], [{ a: 1 }, { a: 2, b: 'x' }]],
      ['instances of objects', { instances: [{ a: 1 }, { a: 2 }] }, [{ a: 1 }, { a: 2 }]],
      [
        'instances of positional lists',
        {
          instances: [
            [1, 'x'],
            [2, 'y'],
          ],
        },
        [
          { _c0: 1, _c1: 'x' },
          { _c0: 2, _c1: 'y' },
        ],
      ],
      [
        'instances of scalars (TF Serving: one row each)',
        { instances: [1.0, 2.0, 5.0] },
        [{ _c0: 1 }, { _c0: 2 }, { _c0: 5 }],
      ],
      ['features (one positional row)', { features: [28, 2, 'x'] }, [{ _c0: 28, _c1: 2, _c2: 'x' }]],
      ['features of lists', { features: [[1], [2]] }, [{ _c0: 1 }, { _c0: 2 }]],
      ['a positional list (one row)', [1, 2, 3], [{ _c0: 1, _c1: 2, _c2: 3 }]],
      [
        'a list of lists (several rows)',
        [
          [1, 2],
          [3, null],
        ],
        [
          { _c0: 1, _c1: 2 },
          { _c0: 3, _c1: null },
        ],
      ],
      ['a scalar', 42, [{ _c0: 42 }]],
      ['an empty object (one row without features)', {}, [{}]],
    ])('computes rows from %s', (_name, payload, expected) => {
      // Given a JSON request without mapping
      const line = captureLine(json(payload), undefined);

      // When it is parsed
      const { rejection, rows } = parseOne(line);

      // Then the rows follow the shape
      expect(rejection).toBeUndefined();
      expect(rows.map((row) => row.features)).toEqual(expected);
    });

    it('computes positional JSON rows named by columns', () => {
      // Given a list of lists and column names
      const line = captureLine(
        json([
          [1, 2],
          [3, 4],
        ]),
        undefined,
      );

      // When it is parsed with columns
      const { rows } = parseOne(line, { input: { columns: ['x', 'y'] } });

      // Then the names apply to every row
      expect(rows.map((row) => row.features)).toEqual([
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ]);
    });

    it('computes keyed rows without applying columns', () => {
      // Given keyed objects and columns that do not match them
      const line = captureLine(json({ a: 1 }), undefined);

      // When it is parsed
      const { rows } = parseOne(line, { input: { columns: ['x', 'y'] } });

      // Then the object's own keys are used
      expect(rows.map((row) => row.features)).toEqual([{ a: 1 }]);
    });

    it('computes rows from JSON Lines (one document per line)', () => {
      // Given the Clarify jsonlines request shape with two documents
      const line = captureLine(
        {
          data: '{"features":[1,2]}\n{"features":[3,4]}',
          encoding: 'JSON',
          observedContentType: 'application/jsonlines',
        },
        { data: '{"score":0.9}\n{"score":0.2}\n', encoding: 'JSON' },
      );

      // When it is parsed
      const { rows } = parseOne(line);

      // Then each document is a row, with its own output
      expect(rows).toEqual([
        { features: { _c0: 1, _c1: 2 }, outputs: [0.9] },
        { features: { _c0: 3, _c1: 4 }, outputs: [0.2] },
      ]);
    });

    it('computes rows from paths, one value per match', () => {
      // Given paths into instances
      const options: CaptureParseOptions = {
        input: { paths: { age: '$.instances[*].age', city: '$.instances[*].meta.city' } },
      };
      const payload = {
        instances: [
          { age: 31, meta: { city: 'Oslo' } },
          { age: 40, meta: { city: null } },
        ],
      };

      // When it is parsed
      const { rows } = parseOne(captureLine(json(payload), undefined), options);

      // Then each match index is a row
      expect(rows.map((row) => row.features)).toEqual([
        { age: 31, city: 'Oslo' },
        { age: 40, city: null },
      ]);
    });

    it.each([
      ['malformed JSON', '{"a":', /^malformed JSON: /],
      ['malformed JSON Lines', '{"a":1}\n{"a":', /^malformed JSON: .* \(nor JSON Lines: line 2: /],
      [
        'a nested value in a keyed row',
        { a: { b: 1 } },
        /^row 1: feature "a" is a nested object; map it with input.paths$/,
      ],
      ['a nested value in a positional row', [[1, [2]]], /^row 1: value 2 is a nested array$/],
      ['a mixed list', [1, [2]], /^mixed list: element 1 is array, element 0 is number$/],
      ['instances that are not a list', { instances: 'x' }, /^"instances" must be a list, found string$/],
      ['features that are not a list', { features: { a: 1 } }, /^"features" must be a list, found object$/],
      ['an empty list', [], /^no rows$/],
      ['empty instances', { instances: [] }, /^no rows$/],
    ])('rejects %s', (_name, payload, reason) => {
      // Given a JSON request that cannot be read as rows
      const { rejection, rows } = parseOne(captureLine(json(payload), undefined));

      // Then the data field is named with the reason
      expect(rejection).toEqual({ line: 1, field: INPUT_DATA, reason: expect.stringMatching(reason) });
      expect(rows).toEqual([]);
    });

    it('rejects positional JSON whose length differs from the columns', () => {
      // Given 3 values for 2 columns
      const { rejection } = parseOne(captureLine(json([1, 2, 3]), undefined), {
        input: { columns: ['a', 'b'] },
      });

      // Then the row is named
      expect(rejection).toEqual({
        line: 1,
        field: INPUT_DATA,
        reason: 'row 1: expected 2 values (input.columns), found 3',
      });
    });

    it('rejects paths that match different numbers of values', () => {
      // Given one instance without an age
      const options = { input: { paths: { age: '$.instances[*].age', city: '$.instances[*].city' } } };
      const payload = { instances: [{ age: 31, city: 'a' }, { city: 'b' }] };

      // When it is parsed
      const { rejection } = parseOne(captureLine(json(payload), undefined), options);

      // Then the counts per path are listed
      expect(rejection).toEqual({
        line: 1,
        field: INPUT_DATA,
        reason: 'input.paths match different numbers of values: age 1, city 2',
      });
    });

    it('rejects a path that matches a nested value', () => {
      // Given a path to an object
      const { rejection } = parseOne(captureLine(json({ a: { b: 1 } }), undefined), {
        input: { paths: { a: '$.a' } },
      });

      // Then it is named
      expect(rejection).toEqual({
        line: 1,
        field: INPUT_DATA,
        reason: 'row 1: input.paths.a matches a object, expected a scalar',
      });
    });
  });

  describe('BASE64', () => {
    it.each([
      [
        'CSV by content type',
        base64('1,2\n3,4\n', 'text/csv'),
        [
          { _c0: '1', _c1: '2' },
          { _c0: '3', _c1: '4' },
        ],
      ],
      ['JSON by content type', base64('{"a":1}', 'application/json'), [{ a: 1 }]],
      ['JSON by sniffing {', base64('  {"a":1}'), [{ a: 1 }]],
      ['JSON by sniffing [', base64('[[1],[2]]', 'application/octet-stream'), [{ _c0: 1 }, { _c0: 2 }]],
      ['CSV by sniffing', base64('7,8'), [{ _c0: '7', _c1: '8' }]],
      ['UTF-8 text', base64('Zürich,€', 'text/csv'), [{ _c0: 'Zürich', _c1: '€' }]],
    ])('computes rows from BASE64 wrapping %s', (_name, side, expected) => {
      // Given a BASE64 request
      const { rejection, rows } = parseOne(captureLine(side, undefined));

      // Then it is decoded and read in its format
      expect(rejection).toBeUndefined();
      expect(rows.map((row) => row.features)).toEqual(expected);
    });

    it('computes the configured format over the content type', () => {
      // Given BASE64 JSON text labelled text/csv
      const side = base64('[1,2]', 'text/csv');

      // When the input format is forced to JSON
      const { rows } = parseOne(captureLine(side, undefined), { input: { format: 'json' } });

      // Then it is read as JSON
      expect(rows.map((row) => row.features)).toEqual([{ _c0: 1, _c1: 2 }]);
    });

    it.each([
      [
        'a character outside the alphabet',
        'YWJj*GVm',
        'invalid BASE64: unexpected character "*" at offset 4',
      ],
      ['a length that is not a multiple of 4', 'YWJjZA', 'invalid BASE64: length 6 is not a multiple of 4'],
      ['padding in the middle', 'YQ==YWJj', 'invalid BASE64: unexpected character "=" at offset 2'],
      ['three padding characters', 'Y===', 'invalid BASE64: unexpected character "=" at offset 1'],
      ['whitespace', 'YWJj ZGVm', 'invalid BASE64: length 9 is not a multiple of 4'],
      ['URL-safe characters', 'a-b_', 'invalid BASE64: unexpected character "-" at offset 1'],
      [
        'binary (non-UTF-8) content',
        Buffer.from([0xff, 0xfe, 0x00]).toString('base64'),
        'BASE64 payload is not UTF-8 text (binary payloads are not supported)',
      ],
    ])('rejects BASE64 with %s', (_name, data, reason) => {
      // Given an undecodable BASE64 request (Buffer.from would silently accept most of these)
      const { rejection } = parseOne(captureLine({ data, encoding: 'BASE64' }, undefined));

      // Then the data field is rejected
      expect(rejection).toEqual({ line: 1, field: INPUT_DATA, reason });
    });
  });

  describe('outputs', () => {
    const one = csv('1,2');
    const two = csv('1,2\n3,4');
    const three = csv('1\n2\n3');
    it.each([
      ['a CSV number', one, csv('0.7'), [['0.7']]],
      ['CSV multiclass values', one, csv('0.1,0.2,0.7\n'), [['0.1', '0.2', '0.7']]],
      ['CSV rows of one value', two, csv('0.1\n0.9'), [['0.1'], ['0.9']]],
      [
        'CSV values one per line for a single row (one multiclass row)',
        one,
        csv('0.1\n0.9\n'),
        [['0.1', '0.9']],
      ],
      [
        'CSV multiclass rows',
        two,
        csv('0.1,0.9\n0.8,0.2'),
        [
          ['0.1', '0.9'],
          ['0.8', '0.2'],
        ],
      ],
      ['a JSON number', one, json(0.7), [[0.7]]],
      ['a JSON string label', one, json('"cat"'), [['cat']]],
      ['a list with one value per input row', three, json([0.1, 0.5, 0.9]), [[0.1], [0.5], [0.9]]],
      ['a list for a single input row (multiclass)', one, json([0.1, 0.2, 0.7]), [[0.1, 0.2, 0.7]]],
      [
        'a list of lists',
        two,
        json([
          [0.1, 0.9],
          [0.8, 0.2],
        ]),
        [
          [0.1, 0.9],
          [0.8, 0.2],
        ],
      ],
      ['predictions of numbers', two, json({ predictions: [1, 0] }), [[1], [0]]],
      [
        'predictions of objects',
        two,
        json({ predictions: [{ score: 0.9 }, { score: 0.1, predicted_label: 0 }] }),
        [[0.9], [0.1]],
      ],
      [
        'predictions of lists',
        two,
        json({
          predictions: [
            [0.9, 0.1],
            [0.3, 0.7],
          ],
        }),
        [
          [0.9, 0.1],
          [0.3, 0.7],
        ],
      ],
      [
        'predictions of objects holding lists',
        one,
        json({ predictions: [{ probabilities: [0.2, 0.8] }] }),
        [[0.2, 0.8]],
      ],
      ['score', one, json({ score: 0.9 }), [[0.9]]],
      ['probability', one, json({ probability: 0.4 }), [[0.4]]],
      ['probabilities', one, json({ probabilities: [0.1, 0.9] }), [[0.1, 0.9]]],
      ['predicted_label', one, json({ predicted_label: 'yes' }), [['yes']]],
      ['score before predicted_label', one, json({ predicted_label: 1, score: 0.8 }), [[0.8]]],
      [
        'pretty-printed JSON with embedded newlines',
        three,
        json('{\n    "predictions": [3.5, 4.0, 5.5\n    ]\n}'),
        [[3.5], [4], [5.5]],
      ],
    ])('computes outputs from %s', (_name, input, output, expected) => {
      // Given a record with both sides
      const { rejection, rows } = parseOne(captureLine(input, output));

      // Then each input row gets its output values
      expect(rejection).toBeUndefined();
      expect(rows.map((row) => row.outputs)).toEqual(expected);
    });

    it.each([
      ['$.predictions[*].score', two, { predictions: [{ score: 0.9 }, { score: 0.2 }] }, [[0.9], [0.2]]],
      ['$.predictions', two, { predictions: [0.9, 0.2] }, [[0.9], [0.2]]],
      [
        '$.result.probs',
        two,
        {
          result: {
            probs: [
              [0.1, 0.9],
              [0.6, 0.4],
            ],
          },
        },
        [
          [0.1, 0.9],
          [0.6, 0.4],
        ],
      ],
      ['$.label', one, { label: 'a', predictions: [1, 2] }, [['a']]],
      ['$.out[*].p', one, { out: [{ p: 0.3 }, { p: 0.7 }] }, [[0.3, 0.7]]],
    ])('computes outputs from the path %s', (path, input, payload, expected) => {
      // Given a configured output path
      const options = { output: { path } };

      // When it is parsed
      const { rows } = parseOne(captureLine(input, json(payload)), options);

      // Then the matches are the outputs (a single match is read like an unlocated value)
      expect(rows.map((row) => row.outputs)).toEqual(expected);
    });

    it('computes output-only and input-only records', () => {
      // Given a record with only an output and one with only an input
      const outputOnly = parseOne(captureLine(undefined, json([0.1, 0.9]))).rows;
      const inputOnly = parseOne(captureLine(csv('1,2'), undefined)).rows;

      // Then the missing side is empty features / absent outputs
      expect(outputOnly).toStrictEqual([{ features: {}, outputs: [0.1, 0.9] }]);
      expect(inputOnly).toStrictEqual([{ features: { _c0: '1', _c1: '2' } }]);
    });

    it('computes named outputs when output.names is set', () => {
      // Given two values per row and names for them
      const options = { output: { names: ['p_no', 'p_yes'] } };

      // When it is parsed
      const { rows } = parseOne(captureLine(csv('1'), json([0.3, 0.7])), options);

      // Then the values align with the names
      expect(rows).toEqual([{ features: { _c0: '1' }, outputs: [0.3, 0.7] }]);
      expect(outputColumnNames(2, options.output)).toEqual(['p_no', 'p_yes']);
    });

    it.each([
      [1, ['prediction']],
      [3, ['prediction_0', 'prediction_1', 'prediction_2']],
    ])('computes default output names for %i values', (width, expected) => {
      // Given no configured names
      // When names are asked for a row width
      // Then they follow the documented default
      expect(outputColumnNames(width)).toEqual(expected);
    });

    it.each([
      [
        'more output rows than input rows',
        csv('1\n2'),
        json([[1], [2], [3]]),
        'output has 3 rows, input has 2',
      ],
      [
        'a flat list that matches neither',
        csv('1\n2'),
        json([0.1, 0.2, 0.3]),
        'output has 1 rows, input has 2',
      ],
      ['fewer CSV output rows', csv('1\n2\n3'), csv('0.1,0.9\n0.2,0.8'), 'output has 2 rows, input has 3'],
      [
        'an object without a known key',
        csv('1'),
        json({ result: 1 }),
        'output object has none of predictions, score, probability, probabilities, predicted_label; set output.path',
      ],
      [
        'a nested output value',
        csv('1'),
        json({ score: { a: 1 } }),
        'output value is a nested object; set output.path',
      ],
      [
        'a list of nested lists',
        csv('1'),
        json([[[1]]]),
        'output row 1 is not a scalar or a list of scalars; set output.path',
      ],
      ['an empty list', csv('1'), json([]), 'no rows'],
      ['malformed JSON', csv('1'), json('{"score":'), expect.stringMatching(/^malformed JSON: /)],
    ])('rejects %s', (_name, input, output, reason) => {
      // Given outputs that do not fit the inputs
      const { rejection, rows } = parseOne(captureLine(input, output));

      // Then the output data is rejected and nothing emitted
      expect(rejection).toEqual({ line: 1, field: OUTPUT_DATA, reason });
      expect(rows).toEqual([]);
    });

    it.each([
      [
        'a width differing from output.names',
        { names: ['a', 'b'] },
        json([0.1, 0.2, 0.7]),
        'row 1: expected 2 output values (output.names), found 3',
      ],
      [
        'a path matching nothing',
        { path: '$.nope' },
        json({ score: 1 }),
        'output.path "$.nope" matches nothing',
      ],
      [
        'a path matching an object',
        { path: '$.out' },
        json({ out: { a: 1 } }),
        'output.path matches an object; expected a scalar or a list',
      ],
      [
        'a path matching objects',
        { path: '$.out[*]' },
        json({ out: [{ a: 1 }, { a: 2 }] }),
        'output.path matches objects; expected scalars or lists',
      ],
    ])('rejects %s', (_name, output, side, reason) => {
      // Given an output mapping the payload does not satisfy
      const { rejection } = parseOne(captureLine(csv('1'), side), { output });

      // Then the output data is rejected
      expect(rejection).toEqual({ line: 1, field: OUTPUT_DATA, reason });
    });
  });

  describe('record structure and metadata', () => {
    it('computes meta from eventMetadata for every row of the line', () => {
      // Given a 2-row record with eventId, inferenceId and inferenceTime
      const line = captureLine(csv('1\n2'), csv('0\n1'), {
        eventId: 'ev',
        inferenceId: 'inf-7',
        inferenceTime: '2021-02-05T04:14:02Z',
        customAttributes: ['x'],
      });
      const metas: unknown[] = [];

      // When it is parsed as line 12
      parseCaptureLine(line, 12, undefined, { row: (_row, meta) => metas.push(meta) });

      // Then both rows carry the same metadata
      const meta = { line: 12, eventId: 'ev', inferenceId: 'inf-7', inferenceTime: '2021-02-05T04:14:02Z' };
      expect(metas).toEqual([meta, meta]);
    });

    it('computes a row for a record without eventMetadata', () => {
      // Given a record without metadata
      const line = JSON.stringify({ captureData: { endpointInput: { data: '1', encoding: 'CSV' } } });
      const metas: unknown[] = [];

      // When it is parsed
      const rejection = parseCaptureLine(line, 3, undefined, { row: (_row, meta) => metas.push(meta) });

      // Then it is accepted with an unknown eventId
      expect(rejection).toBeUndefined();
      expect(metas).toEqual([{ line: 3 }]);
    });

    it.each([
      ['2021-02-05T04:14:02Z'],
      ['2021-02-05T04:14:02.123Z'],
      ['2021-02-05T04:14:02.123456789Z'],
      ['2021-02-05T04:14:02+01:00'],
      ['2021-02-05T04:14:02-0530'],
      ['2024-02-29T23:59:59Z'],
    ])('computes an accepted record for inferenceTime %s', (inferenceTime) => {
      // Given a valid ISO-8601 time
      const { rejection } = parseOne(captureLine(csv('1'), undefined, { inferenceTime }));

      // Then the record is accepted
      expect(rejection).toBeUndefined();
    });

    it.each([
      ['{%s}'],
      ['2021-02-30T00:00:00Z'],
      ['2023-02-29T00:00:00Z'],
      ['2021-02-05T24:00:00Z'],
      ['2021-02-05T04:60:00Z'],
      ['2021-13-05T04:14:02Z'],
      ['2021-02-05 04:14:02Z'],
      ['2021-02-05T04:14:02'],
      ['2021-02-05'],
      ['1612498442'],
      ['2021-02-05T04:14:02+25:00'],
    ])('rejects inferenceTime %j', (inferenceTime) => {
      // Given a time that is not an ISO-8601 instant
      const { rejection, rows } = parseOne(captureLine(csv('1'), undefined, { inferenceTime }));

      // Then the line is rejected naming the field and value
      expect(rejection).toEqual({
        line: 1,
        field: 'eventMetadata.inferenceTime',
        reason: `${JSON.stringify(inferenceTime)} is not an ISO-8601 date-time; expected YYYY-MM-DDTHH:MM:SS[.fraction] with Z or ±HH:MM`,
      });
      expect(rows).toEqual([]);
    });

    it.each([
      ['a malformed line', '{"captureData":', undefined, /^malformed JSON: /],
      ['a JSON array', '[1,2]', undefined, /^expected a JSON object, found array$/],
      ['a JSON string', '"x"', undefined, /^expected a JSON object, found string$/],
      [
        'a ground-truth record',
        '{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"e"}}',
        'captureData',
        /^missing; expected an object with endpointInput and\/or endpointOutput$/,
      ],
      [
        'captureData not an object',
        '{"captureData":[1]}',
        'captureData',
        /^expected an object, found array$/,
      ],
      [
        'neither side',
        '{"captureData":{"endpointInput":null}}',
        'captureData',
        /^has neither endpointInput nor endpointOutput$/,
      ],
      [
        'endpointInput not an object',
        '{"captureData":{"endpointInput":"1,2"}}',
        'captureData.endpointInput',
        /^expected an object, found string$/,
      ],
      [
        'endpointOutput not an object',
        '{"captureData":{"endpointOutput":5}}',
        'captureData.endpointOutput',
        /^expected an object, found number$/,
      ],
      [
        'data missing',
        '{"captureData":{"endpointInput":{"encoding":"CSV"}}}',
        INPUT_DATA,
        /^missing; expected a string$/,
      ],
      [
        'data not a string',
        '{"captureData":{"endpointInput":{"data":[1],"encoding":"JSON"}}}',
        INPUT_DATA,
        /^expected a string, found array$/,
      ],
      [
        'an unknown encoding',
        '{"captureData":{"endpointInput":{"data":"<a/>","encoding":"XML"}}}',
        'captureData.endpointInput.encoding',
        /^unknown encoding "XML"; expected CSV, JSON or BASE64$/,
      ],
      [
        'a lower-case encoding',
        '{"captureData":{"endpointInput":{"data":"1","encoding":"csv"}}}',
        'captureData.endpointInput.encoding',
        /^unknown encoding "csv"/,
      ],
      [
        'encoding missing',
        '{"captureData":{"endpointOutput":{"data":"1"}}}',
        'captureData.endpointOutput.encoding',
        /^missing; expected CSV, JSON or BASE64$/,
      ],
      [
        'encoding not a string',
        '{"captureData":{"endpointOutput":{"data":"1","encoding":1}}}',
        'captureData.endpointOutput.encoding',
        /^expected CSV, JSON or BASE64, found number$/,
      ],
      [
        'eventMetadata not an object',
        '{"eventMetadata":"x","captureData":{}}',
        'eventMetadata',
        /^expected an object, found string$/,
      ],
      [
        'eventId not a string',
        '{"eventMetadata":{"eventId":5},"captureData":{}}',
        'eventMetadata.eventId',
        /^expected a string, found number$/,
      ],
      [
        'inferenceId not a string',
        '{"eventMetadata":{"inferenceId":7},"captureData":{}}',
        'eventMetadata.inferenceId',
        /^expected a string, found number$/,
      ],
      [
        'inferenceTime not a string',
        '{"eventMetadata":{"inferenceTime":1612498442},"captureData":{}}',
        'eventMetadata.inferenceTime',
        /^expected a string, found number$/,
      ],
    ])('rejects %s', (_name, line, field, reason) => {
      // Given a line that is not a usable capture record
      const { rejection, rows } = parseOne(line);

      // Then the rejection names the field (none for whole-line problems) and the reason
      const expected =
        field === undefined
          ? { line: 1, reason: expect.stringMatching(reason) }
          : { line: 1, field, reason: expect.stringMatching(reason) };
      expect(rejection).toStrictEqual(expected);
      expect(rows).toEqual([]);
    });
  });

  it('throws when options are unusable', () => {
    // Given duplicate column names
    // When a line is parsed with them
    const parse = () => parseOne(captureLine(csv('1,2'), undefined), { input: { columns: ['a', 'a'] } });

    // Then a CaptureOptionsError is thrown before anything is read
    expect(parse).toThrow(CaptureOptionsError);
    expect(parse).toThrow('capture option input.columns: duplicate name "a"');
  });
});

describe('parseIsoInstant', () => {
  it.each([
    '2021-02-05T04:14:02Z',
    '2021-02-05T04:14:02.5Z',
    '2021-02-05T04:14:02.123Z',
    '2021-02-05T04:14:02+01:00',
    '2021-02-05T04:14:02-05:30',
    '1999-12-31T23:59:59Z',
    '2024-02-29T12:00:00Z',
  ])('computes the same instant as Date.parse for %s', (text) => {
    // Given a valid ISO-8601 instant (V8's Date.parse is the independent reference for valid input)
    // When it is parsed
    // Then the epoch milliseconds agree
    expect(parseIsoInstant(text)).toBe(Date.parse(text));
  });

  it('computes offsets without a colon and truncates sub-millisecond digits', () => {
    // Given a basic-format offset and nanoseconds
    // When they are parsed
    // Then +0100 equals +01:00 and digits beyond milliseconds are dropped
    expect(parseIsoInstant('2021-02-05T04:14:02+0100')).toBe(Date.parse('2021-02-05T04:14:02+01:00'));
    expect(parseIsoInstant('2021-02-05T04:14:02.123987654Z')).toBe(Date.parse('2021-02-05T04:14:02.123Z'));
  });

  it('computes years below 100 literally', () => {
    // Given year 0050 (Date.UTC would map it to 1950)
    // When it is parsed
    // Then the year is kept: 0050-01-01 is 1920 years before 1970-01-01 (-60589296000000 ms = -701265 days)
    expect(parseIsoInstant('0050-01-01T00:00:00Z')).toBe(-701_265 * 86_400_000);
  });
});

describe('parseCaptureStream', () => {
  const good = (n: number) =>
    captureLine(csv(`${n},${n + 1}`), csv(`0.${n}`), {
      eventId: `e${n}`,
      inferenceTime: `2024-05-01T10:00:0${n % 10}Z`,
    });

  it('computes a summary with blank lines skipped, line numbers kept, CRLF and a BOM', async () => {
    // Given a BOM, CRLF line endings, blank lines, a bad line and no final newline
    const text = `\uFEFF${good(1)}\r\n\r\n   \n${good(2)}\r\nnot json\n\t\n${good(3)}`;

    // When it is parsed in 5-byte chunks
    const { summary, rows } = await parseText(text, undefined, 5);

    // Then the counts add up and the rows keep their line numbers
    expect(summary).toEqual({
      lines: 4,
      blankLines: 3,
      accepted: 3,
      rejected: 1,
      rows: 3,
      rejections: [{ line: 5, reason: expect.stringMatching(/^malformed JSON: /) }],
      rejectionsTruncated: 0,
      outputNames: ['prediction'],
      featureNames: ['_c0', '_c1'],
      firstInferenceTime: '2024-05-01T10:00:01Z',
      lastInferenceTime: '2024-05-01T10:00:03Z',
    });
    expect(rows.map(({ meta }) => meta.line)).toEqual([1, 4, 7]);
  });

  it('computes the same result for 1-byte chunks and a multi-byte character split between chunks', async () => {
    // Given lines with 2-, 3- and 4-byte characters
    const text = `${captureLine(csv('Zürich,€,😀'), csv('1'))}\n${captureLine(json({ city: 'Kraków' }), json(0))}\n`;

    // When parsed whole and byte by byte
    const whole = await parseText(text);
    const bytes = await parseText(text, undefined, 1);

    // Then both give the decoded values
    expect(bytes).toEqual(whole);
    expect(bytes.rows.map(({ row }) => row.features)).toEqual([
      { _c0: 'Zürich', _c1: '€', _c2: '😀' },
      { city: 'Kraków' },
    ]);
  });

  it('computes a rejection for a line over maxLineBytes and reads the next line', async () => {
    // Given a long line between two good ones
    const long = captureLine(csv('9'.repeat(600)), undefined);
    const text = `${good(1)}\n${long}\n${good(2)}\n`;

    // When the limit is below the long line's size
    const { summary, rows } = await parseText(text, { maxLineBytes: 400 }, 64);

    // Then it is rejected with its size and the next line is read
    expect(summary.rejections).toEqual([
      { line: 2, reason: `line is ${Buffer.byteLength(long)} bytes, longer than maxLineBytes (400)` },
    ]);
    expect(summary.accepted).toBe(2);
    expect(rows.map(({ meta }) => meta.line)).toEqual([1, 3]);
  });

  it('computes first and last inference times as instants, not as strings', async () => {
    // Given 08:00Z written with a +02:00 offset after 09:00Z
    const a = captureLine(csv('1'), undefined, { inferenceTime: '2021-01-01T09:00:00Z' });
    const b = captureLine(csv('1'), undefined, { inferenceTime: '2021-01-01T10:00:00+02:00' });
    const c = captureLine(csv('1'), undefined, { inferenceTime: '2021-01-01T09:30:00.5Z' });
    const bad = captureLine(csv('1,2'), undefined, { inferenceTime: '2020-01-01T00:00:00Z' });

    // When parsed (the rejected line's earlier time must not count)
    const { summary } = await parseText([a, b, c, bad].join('\n'), { input: { columns: ['x'] } });

    // Then first is the earliest instant and last the latest, as written
    expect(summary.firstInferenceTime).toBe('2021-01-01T10:00:00+02:00');
    expect(summary.lastInferenceTime).toBe('2021-01-01T09:30:00.5Z');
    expect(summary.rejected).toBe(1);
  });

  it('computes feature and output names in first-seen order from accepted lines only', async () => {
    // Given keyed rows with differing keys, multiclass outputs and a rejected line with other names
    const lines = [
      captureLine(json({ b: 1, a: 2 }), json(0.5)),
      captureLine(json({ c: 1, a: 2 }), json([0.2, 0.8])),
      captureLine(json({ zzz: 1 }), json({ nothing: 1 })),
    ];

    // When parsed
    const { summary } = await parseText(lines.join('\n'));

    // Then names are unions of accepted rows only
    expect(summary.featureNames).toEqual(['b', 'a', 'c']);
    expect(summary.outputNames).toEqual(['prediction', 'prediction_0', 'prediction_1']);
  });

  it('computes truncated rejections beyond maxRejectionsKept', async () => {
    // Given five bad lines
    const text = ['x', 'y', good(1), 'z', '[]', '{}'].join('\n');

    // When at most two rejections are kept
    const { summary } = await parseText(text, { maxRejectionsKept: 2 });

    // Then two are listed and three counted
    expect(summary.rejections.map((r) => r.line)).toEqual([1, 2]);
    expect(summary.rejectionsTruncated).toBe(3);
    expect(summary.rejected).toBe(5);
    expect(summary.accepted).toBe(1);
  });

  it('computes accepted + rejected === lines for any mix of good, bad and blank lines (property)', async () => {
    // Given random lines: good ones with 1-3 rows, several kinds of bad ones, and blank ones
    const goodLine = fc.integer({ min: 1, max: 3 }).map((n) => ({
      kind: 'good' as const,
      rows: n,
      text: captureLine(
        csv(Array.from({ length: n }, (_, i) => `${i},x`).join('\n')),
        csv(Array.from({ length: n }, () => '0.5').join('\n')),
      ),
    }));
    const badLine = fc
      .constantFrom(
        'not json',
        '[]',
        '{"captureData":{}}',
        captureLine({ data: '1', encoding: 'XML' }, undefined),
        captureLine({ data: 'Y*==', encoding: 'BASE64' }, undefined),
        captureLine(csv('1,2\n3,4'), csv('1')),
        captureLine(csv('1'), undefined, { inferenceTime: '{%s}' }),
        captureLine(csv('1,2,3'), undefined),
        `{"a":"${'x'.repeat(500)}"}`,
      )
      .map((text) => ({ kind: 'bad' as const, rows: 0, text }));
    const blankLine = fc
      .constantFrom('', ' ', '\t', '\r')
      .map((text) => ({ kind: 'blank' as const, rows: 0, text }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(goodLine, badLine, blankLine), { maxLength: 40 }),
        fc.integer({ min: 1, max: 97 }),
        fc.boolean(),
        async (lines, chunkSize, finalNewline) => {
          const text = lines
            .map((l) => `${l.text}\n`)
            .join('')
            .slice(0, finalNewline ? undefined : -1);
          const options: CaptureParseOptions = {
            input: { columns: ['a', 'b'] },
            maxLineBytes: 400,
            maxRejectionsKept: 3,
          };

          // When the text is parsed in chunks
          const { summary, rows } = await parseText(text, options, chunkSize);

          // Then every non-blank line is accepted or rejected, and the counts match what was generated
          const count = (kind: string) => lines.filter((l) => l.kind === kind).length;
          // A trailing blank line without a final newline is still a line; one after the last \n is not.
          const blanks = count('blank') - (!finalNewline && lines.at(-1)?.text === '' ? 1 : 0);
          expect(summary.accepted + summary.rejected).toBe(summary.lines);
          expect(summary.accepted).toBe(count('good'));
          expect(summary.rejected).toBe(count('bad'));
          expect(summary.blankLines).toBe(blanks);
          expect(summary.rows).toBe(lines.reduce((sum, l) => sum + l.rows, 0));
          expect(rows.length).toBe(summary.rows);
          expect(summary.rejections.length + summary.rejectionsTruncated).toBe(summary.rejected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    [
      'maxLineBytes is 0',
      { maxLineBytes: 0 },
      'capture option maxLineBytes: expected an integer >= 1, got 0',
    ],
    [
      'maxRejectionsKept is negative',
      { maxRejectionsKept: -1 },
      'capture option maxRejectionsKept: expected an integer >= 0, got -1',
    ],
    [
      'maxRejectionsKept is fractional',
      { maxRejectionsKept: 1.5 },
      'capture option maxRejectionsKept: expected an integer >= 0, got 1.5',
    ],
    [
      'columns are empty',
      { input: { columns: [] } },
      'capture option input.columns: expected a non-empty list of names',
    ],
    [
      'columns hold an empty name',
      { input: { columns: ['a', ''] } },
      'capture option input.columns: name 2 must be a non-empty string',
    ],
    [
      'output names repeat',
      { output: { names: ['p', 'p'] } },
      'capture option output.names: duplicate name "p"',
    ],
    [
      'paths are empty',
      { input: { paths: {} } },
      'capture option input.paths: expected at least one name -> path',
    ],
    [
      'a path is not a string',
      { input: { paths: { a: 5 } } } as unknown as CaptureParseOptions,
      'capture option input.paths.a: expected a JSON path string, got number',
    ],
    [
      'an input format is unknown',
      { input: { format: 'xml' } } as unknown as CaptureParseOptions,
      "capture option input.format: expected 'auto', 'csv' or 'json', got \"xml\"",
    ],
    [
      'an output format is unknown',
      { output: { format: 'tsv' } } as unknown as CaptureParseOptions,
      "capture option output.format: expected 'auto', 'csv' or 'json', got \"tsv\"",
    ],
  ])('throws when %s', async (_name, options, message) => {
    // Given unusable options
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      pulled++;
      yield new TextEncoder().encode(`${good(1)}\n`);
    }

    // When a stream is parsed with them
    const parsing = parseCaptureStream(source(), { row: () => undefined }, options);

    // Then a CaptureOptionsError is thrown before anything is read
    await expect(parsing).rejects.toThrow(CaptureOptionsError);
    await expect(parseCaptureStream(source(), { row: () => undefined }, options)).rejects.toThrow(message);
    expect(pulled).toBe(0);
  });

  it.each([
    ['input.paths.age', { input: { paths: { age: '$..age' } } }],
    ['output.path', { output: { path: 'predictions' } }],
  ])(
    'throws when the JSON path of %s is invalid, keeping the JsonPathSyntaxError as cause',
    async (option, options) => {
      // Given an unsupported JSON path
      // When a stream is parsed with it
      const parsing = parseCaptureStream(chunked('', 1), { row: () => undefined }, options);

      // Then the error names the option and carries the path error
      await expect(parsing).rejects.toMatchObject({
        name: 'CaptureOptionsError',
        option,
        message: expect.stringContaining(`capture option ${option}: JSON path`),
        cause: expect.any(JsonPathSyntaxError),
      });
    },
  );
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CELL_FALSE,
  CELL_NULL,
  CELL_NUMBER,
  CELL_TEXT,
  CELL_TRUE,
  RowCells,
} from '../../../functions/core/capture/fast-cells.js';
import {
  JsonObjectReader,
  OUTPUT_LIST,
  OUTPUT_SCALAR,
  readEscapedJsonOutput,
} from '../../../functions/core/capture/fast-json.js';
import { OUTPUT_KEYS } from '../../../functions/core/capture/payload.js';

// The oracle is JSON.parse of the decoded payload: each cell must stand for the value JSON.parse finds there.

/** The value a cell stands for, as JSON.parse would give it. */
function cellValue(cells: RowCells, f: number): unknown {
  const text = Buffer.from(cells.bytes).toString('latin1', cells.fieldStart[f], cells.fieldEnd[f]);
  switch (cells.fieldKind[f]) {
    case CELL_TEXT:
      return text;
    case CELL_NUMBER:
      return JSON.parse(text);
    case CELL_TRUE:
      return true;
    case CELL_FALSE:
      return false;
    case CELL_NULL:
      return null;
    default:
      throw new Error(`unknown cell kind ${cells.fieldKind[f]}`);
  }
}

/** A payload as it sits in a capture line: JSON-escaped, with bytes around it. */
function escaped(payload: string): { bytes: Buffer; start: number; end: number } {
  const inner = JSON.stringify(payload).slice(1, -1);
  return { bytes: Buffer.from(`"x":"${inner}","y"`), start: 5, end: 5 + Buffer.byteLength(inner) };
}

const scalar = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 1e21, 5e-324, 1.7976931348623157e308),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('é', 'a"b', 'x\\y', 'tab\t'),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  fc.constantFrom('a', 'b', 'age', 'instances', 'features', '__proto__', '0', '1a', 'é', 'q"k'),
  fc.string({ maxLength: 4 }),
);
const objectText = (members: [string, unknown][], indent: string) =>
  `{${indent}${members.map(([k, v]) => `${JSON.stringify(k)}:${indent}${JSON.stringify(v)}`).join(`,${indent}`)}${indent}}`;

describe('JsonObjectReader', () => {
  it('computes the keys and values JSON.parse gives for flat objects, or declines', () => {
    const reader = new JsonObjectReader();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, scalar), { maxLength: 5 }),
        fc.constantFrom('', ' ', '\n', '\r\n\t'),
        fc.boolean(),
        (members, indent, nested) => {
          // Given a flat object payload (or one with a nested member), escaped in a line
          const payload = nested ? objectText([...members, ['n', [1]]], indent) : objectText(members, indent);
          const { bytes, start, end } = escaped(payload);
          const cells = new RowCells();

          // When it is read (twice: the second read takes the template path)
          const first = reader.read(bytes, start, end, cells);
          const second = reader.read(bytes, start, end, cells);

          // Then, when taken, its keys and cells are JSON.parse's object, in order
          expect(second).toBe(first);
          if (!first) return;
          const parsed = JSON.parse(payload) as Record<string, unknown>;
          expect(reader.names).toEqual(Object.keys(parsed));
          expect(cells.rows).toBe(1);
          const values = reader.names.map((_, f) => cellValue(cells, f));
          expect(values).toEqual(Object.values(parsed));
          // and it declines nesting, repeated keys, index-like or shape keys, and strings needing decoding
          const keys = members.map(([k]) => k);
          expect(nested).toBe(false);
          expect(new Set(keys).size).toBe(keys.length);
          expect(keys.some((k) => /^\d/.test(k) || ['instances', 'features', '__proto__'].includes(k))).toBe(
            false,
          );
        },
      ),
      { seed: 20_261_134, numRuns: 3000 },
    );
  });

  it('computes one names array for objects with the same keys, and a new one when they change', () => {
    // Given two objects with the same keys and one with other keys
    const reader = new JsonObjectReader();
    const cells = new RowCells();
    const read = (payload: string) => {
      const { bytes, start, end } = escaped(payload);
      expect(reader.read(bytes, start, end, cells)).toBe(true);
      return reader.names;
    };

    // When they are read in turn
    const a = read('{"a":1,"b":"x"}');
    const b = read('{"a":22,"b":null}');
    const c = read('{"a":1,"c":2}');

    // Then the first two share one array
    expect(a).toBe(b);
    expect(c).toEqual(['a', 'c']);
  });
});

describe('readEscapedJsonOutput', () => {
  /** What readOutputRows would locate in one document: the scalar, or the list of scalars. */
  function located(doc: unknown): { kind: number; values: unknown[] } | undefined {
    const isScalar = (v: unknown) => v === null || ['number', 'string', 'boolean'].includes(typeof v);
    const list = (v: unknown) =>
      Array.isArray(v) && v.length > 0 && v.every(isScalar) ? { kind: OUTPUT_LIST, values: v } : undefined;
    if (isScalar(doc)) return { kind: OUTPUT_SCALAR, values: [doc] };
    if (Array.isArray(doc)) return list(doc);
    const object = doc as Record<string, unknown>;
    const found = OUTPUT_KEYS.find((k) => Object.hasOwn(object, k));
    if (found === undefined) return undefined;
    const value = object[found];
    return isScalar(value) ? { kind: OUTPUT_SCALAR, values: [value] } : list(value);
  }

  it('computes the scalar or list readOutputRows locates, or declines', () => {
    const document = fc.oneof(
      scalar.map((v) => JSON.stringify(v)),
      fc.array(scalar, { maxLength: 4 }).map((a) => JSON.stringify(a)),
      fc
        .array(
          fc.tuple(
            fc.constantFrom(...OUTPUT_KEYS, 'other'),
            fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.constant({ x: 1 })),
          ),
          { maxLength: 3 },
        )
        .map((members) => objectText(members, '')),
      fc.constantFrom('[[1,2]]', '[{"score":1}]', '{"score":{"a":1}}', '[]', '{}'),
    );
    fc.assert(
      fc.property(document, (payload) => {
        // Given an output payload, escaped in a line
        const { bytes, start, end } = escaped(payload);
        const cells = new RowCells();

        // When it is read
        const kind = readEscapedJsonOutput(bytes, start, end, cells);

        // Then, when taken, the cells are what readOutputRows locates in JSON.parse's document
        if (kind < 0) return;
        const expected = located(JSON.parse(payload));
        expect(expected).toBeDefined();
        expect(kind).toBe(expected?.kind);
        const values = Array.from({ length: cells.fields }, (_, f) => cellValue(cells, f));
        expect(values).toEqual(expected?.values);
      }),
      { seed: 20_261_135, numRuns: 3000 },
    );
  });

  it.each([
    ['an object without an output key', '{"label":1}'],
    ['a repeated chosen key', '{"score":1,"score":2}'],
    ['a nested value', '{"score":{"a":1}}'],
    ['an empty list', '{"predictions":[]}'],
    ['a list of lists', '[[0.1,0.9]]'],
    ['two documents', '{"score":1}\n{"score":2}'],
  ])('computes -1 for %s', (_what, payload) => {
    // Given a payload the byte path leaves to the reference reader
    const { bytes, start, end } = escaped(payload);

    // When it is read, Then it declines
    expect(readEscapedJsonOutput(bytes, start, end, new RowCells())).toBe(-1);
  });

  it('computes the first output key in OUTPUT_KEYS order, not in document order', () => {
    // Given an object listing score before predictions
    const { bytes, start, end } = escaped('{"score":0.5,"predictions":[1,0]}');
    const cells = new RowCells();

    // When it is read
    const kind = readEscapedJsonOutput(bytes, start, end, cells);

    // Then predictions wins, as in readOutputRows
    expect(kind).toBe(OUTPUT_LIST);
    expect([cellValue(cells, 0), cellValue(cells, 1)]).toEqual([1, 0]);
  });
});

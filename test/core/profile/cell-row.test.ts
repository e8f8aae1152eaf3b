import { describe, expect, it } from 'vitest';
import { CellRowView, RowCells, splitRawCsv } from '../../../functions/core/capture/fast-cells.js';
import { positionalNames } from '../../../functions/core/capture/payload.js';
import { ProfileBuilder, type ProfileSchema } from '../../../functions/core/profile/dataset-profile.js';

/** A view of one CSV row (and optional output row) for cellRow. */
function view(input: string | undefined, output: string | undefined, names?: readonly string[]): CellRowView {
  const v = new CellRowView();
  if (input !== undefined) {
    const cells = new RowCells();
    splitRawCsv(Buffer.from(input), 0, input.length, cells);
    v.input = cells;
    v.names = names ?? positionalNames(cells.fields);
    v.inputFrom = 0;
    v.inputTo = cells.fields;
  }
  if (output !== undefined) {
    const cells = new RowCells();
    splitRawCsv(Buffer.from(output), 0, output.length, cells);
    v.output = cells;
    v.outputFrom = 0;
    v.outputTo = cells.fields;
  }
  v.inferenceTime = '2024-05-01T10:00:00Z';
  return v;
}

/** The same row as a CaptureRow: empty fields are null, as the reference CSV reader gives them. */
function fields(text: string, names: readonly string[]): Record<string, string | null> {
  const values = text.split(',');
  return Object.fromEntries(names.map((name, i) => [name, values[i] === '' ? null : (values[i] ?? null)]));
}

const meta = { line: 1, inferenceTime: '2024-05-01T10:00:00Z' };

describe('ProfileBuilder.cellRow', () => {
  it('computes the profile row() computes from the same row, extra and missing columns included', () => {
    // Given a schema that knows some columns, and rows with one unknown column and one empty field
    const schema: ProfileSchema = {
      features: [
        { name: 'a', kind: 'numeric', binEdges: [0, 10] },
        { name: 'b', kind: 'categorical' },
        { name: 'absent' },
      ],
      outputs: [{ name: 'prediction' }],
    };
    const names = ['a', 'b', 'extra'];
    const rows = ['1.5,x,9', '-0,,8', ' 12 ,y,7'];
    const viaCells = new ProfileBuilder(schema);
    const viaRows = new ProfileBuilder(schema);

    // When one builder gets cell rows and the other CaptureRows
    for (const row of rows) {
      viaCells.cellRow(view(row, '0.25,0.75', names));
      viaRows.row({ features: fields(row, names), outputs: ['0.25', '0.75'] }, meta);
    }

    // Then the profiles are identical (the second output value has no column and is dropped by both)
    expect(viaCells.toState()).toStrictEqual(viaRows.toState());
    expect(viaCells.toState().extraColumns).toEqual({ extra: 3 });
  });

  it('computes every feature as missing for an output-only row', () => {
    // Given a schema with one feature
    const builder = new ProfileBuilder({ features: [{ name: 'a' }], outputs: [{ name: 'prediction' }] });

    // When a row without input arrives
    builder.cellRow(view(undefined, '1'));

    // Then the feature counts one missing value and the output one integral value
    const state = builder.toState();
    expect([state.features[0]?.missing, state.outputs[0]?.integral]).toEqual([1, 1]);
  });
});

describe('ProfileBuilder.acceptsCells', () => {
  it('computes true for a fixed schema and false when a dynamic schema would add columns', () => {
    // Given a fixed schema and a dynamic one that has seen column a only
    const fixed = new ProfileBuilder({ features: [{ name: 'a' }] });
    const dynamic = new ProfileBuilder({ features: [], dynamic: true });
    dynamic.addRecord({ a: '1' }, ['0']);

    // When they are asked about rows with known and unknown names and output widths
    const answers = [
      fixed.acceptsCells(['a', 'b'], 3),
      dynamic.acceptsCells(['a'], 1),
      dynamic.acceptsCells(['a', 'b'], 1),
      dynamic.acceptsCells(['a'], 2),
      dynamic.acceptsCells(undefined, 1),
    ];

    // Then only rows that need no new column are taken as cells by the dynamic schema
    expect(answers).toEqual([true, true, false, false, true]);
  });
});

describe('ProfileBuilder.addRecord', () => {
  it('computes features named like Object.prototype members as missing when a row lacks them', () => {
    // Given features named constructor and toString, and a row without them
    const builder = new ProfileBuilder({ features: [{ name: 'constructor' }, { name: 'toString' }] });

    // When the row is profiled (before, this read Object.prototype's functions and threw)
    builder.addRecord({ other: '1' });

    // Then both count a missing value
    const state = builder.toState();
    expect(state.features.map((f) => f.missing)).toEqual([1, 1]);
  });
});

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type CsvRejection,
  type CsvRow,
  expandInputs,
  openInput,
  readCsvRows,
  readJsonFile,
} from '../../functions/adapters/local-files.js';

async function dir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'driftwatch-files-'));
}

async function csv(text: string, options: Parameters<typeof readCsvRows>[1] = {}) {
  const d = await dir();
  const path = join(d, 'x.csv');
  await writeFile(path, text);
  const rows: CsvRow[] = [];
  const rejected: CsvRejection[] = [];
  for await (const r of readCsvRows(path, options, (x) => rejected.push(x))) rows.push(r);
  return { rows, rejected };
}

async function readAll(path: string): Promise<string> {
  let s = '';
  for await (const chunk of await openInput(path)) s += chunk.toString();
  return s;
}

describe('readCsvRows', () => {
  it('detects a header and names values by it', async () => {
    const { rows } = await csv('age,city\n30,paris\n41,lima\n');
    expect(rows).toEqual([
      { line: 2, values: { age: '30', city: 'paris' } },
      { line: 3, values: { age: '41', city: 'lima' } },
    ]);
  });

  it('names headerless columns _c0, _c1, ... or by the given columns', async () => {
    expect((await csv('1,2\n3,4\n')).rows[0]?.values).toEqual({ _c0: '1', _c1: '2' });
    expect((await csv('1,2\n', { columns: ['a', 'b'] })).rows[0]?.values).toEqual({ a: '1', b: '2' });
    expect((await csv('a,b\n1,2\n', { columns: ['a', 'b'] })).rows).toHaveLength(1);
    expect((await csv('x,y\n1,2\n', { header: false })).rows).toHaveLength(2);
  });

  it('rejects rows with the wrong field count, with their line, and keeps the rest', async () => {
    const { rows, rejected } = await csv('a,b\n1,2\n1,2,3\n\n4\n5,6\n');
    expect(rows.map((r) => r.line)).toEqual([2, 6]);
    expect(rejected).toEqual([
      { line: 3, reason: 'expected 2 fields, found 3' },
      { line: 5, reason: 'expected 2 fields, found 1' },
    ]);
  });

  it('trims spaces after commas but not inside quotes, and strips a BOM', async () => {
    const { rows } = await csv('\uFEFFname, note\n"Smith, J", " hi "\n');
    expect(rows[0]?.values).toEqual({ name: 'Smith, J', note: ' hi ' });
  });

  it('throws when the header repeats a name', async () => {
    await expect(csv('a,a\n1,2\n')).rejects.toThrow(/duplicate column name "a"/);
  });
});

describe('expandInputs', () => {
  it('expands directories recursively in sorted order, skipping unrelated files', async () => {
    const d = await dir();
    await mkdir(join(d, '2026', '11'), { recursive: true });
    await writeFile(join(d, '2026', '11', 'b.jsonl'), '');
    await writeFile(join(d, '2026', '11', 'a.jsonl.gz'), '');
    await writeFile(join(d, 'statistics.json'), '{}');
    await writeFile(join(d, 'h1.profile.json'), '{}');
    await writeFile(join(d, 'notes.txt'), '');
    const files = await expandInputs([d]);
    expect(files.map((f) => [f.path.slice(d.length + 1), f.kind])).toEqual([
      ['2026/11/a.jsonl.gz', 'capture'],
      ['2026/11/b.jsonl', 'capture'],
      ['h1.profile.json', 'profile'],
    ]);
  });

  it('throws when a path does not exist or has an unknown type', async () => {
    await expect(expandInputs(['/nonexistent/x.jsonl'])).rejects.toThrow(
      '/nonexistent/x.jsonl: no such file or directory',
    );
    const d = await dir();
    await writeFile(join(d, 'x.parquet'), '');
    await expect(expandInputs([join(d, 'x.parquet')])).rejects.toThrow(/unknown input type/);
  });
});

describe('openInput', () => {
  it('gunzips gzip files by their magic bytes, whatever their name', async () => {
    const d = await dir();
    await writeFile(join(d, 'a.jsonl'), gzipSync('{"x":1}\n'));
    await writeFile(join(d, 'b.jsonl'), '{"y":2}\n');
    expect(await readAll(join(d, 'a.jsonl'))).toBe('{"x":1}\n');
    expect(await readAll(join(d, 'b.jsonl'))).toBe('{"y":2}\n');
  });

  it('throws when the file does not exist', async () => {
    await expect(openInput('/nonexistent/capture.jsonl')).rejects.toThrow(
      '/nonexistent/capture.jsonl: no such file',
    );
  });
});

describe('readJsonFile', () => {
  it('throws naming the file on invalid JSON', async () => {
    const d = await dir();
    await writeFile(join(d, 'bad.json'), '{"a":');
    await expect(readJsonFile(join(d, 'bad.json'))).rejects.toThrow(/bad.json: invalid JSON/);
  });
});

import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { RawValue } from '../core/capture/types.js';
import { InputError } from '../errors.js';

/** What an input path holds, by its name (and, for .json, its content). */
export type InputKind = 'capture' | 'profile' | 'csv';

/** One input file to read. */
export interface InputFile {
  path: string;
  kind: InputKind;
  /** Bytes, when the listing told. */
  size?: number;
}

const KINDS: Array<[RegExp, InputKind]> = [
  [/\.jsonl(\.gz)?$/i, 'capture'],
  [/\.profile\.json$/i, 'profile'],
  [/\.json$/i, 'profile'],
  [/\.csv(\.gz)?$/i, 'csv'],
];

/** The kind of an input named explicitly, by its extension. */
export function kindOf(path: string): InputKind | undefined {
  return KINDS.find(([re]) => re.test(path))?.[1];
}

/** In directories, only `*.profile.json` counts as a profile: statistics.json and the like sit beside captures. */
export function kindInDirectory(path: string): InputKind | undefined {
  const kind = kindOf(path);
  return kind === 'profile' && !/\.profile\.json$/i.test(path) ? undefined : kind;
}

/**
 * Expands files and directories (recursively, in sorted order) into input files. Directory entries with
 * other extensions are skipped; a file named explicitly with an unknown extension is an error.
 */
export async function expandInputs(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const p of paths) {
    const info = await stat(p).catch((err: NodeJS.ErrnoException) => {
      throw new InputError(`${p}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`, {
        cause: err,
      });
    });
    if (info.isDirectory()) {
      const entries = await readdir(p, { recursive: true, withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath ?? p, e.name))
        .sort();
      for (const f of files) {
        const kind = kindInDirectory(f);
        if (kind) out.push({ path: f, kind });
      }
    } else {
      const kind = kindOf(p);
      if (!kind)
        throw new InputError(`${p}: unknown input type; expected .jsonl (capture), .json (profile) or .csv`);
      out.push({ path: p, kind });
    }
  }
  return out;
}

/** A byte stream of a local file, gunzipped when it starts with the gzip magic bytes. */
export async function openInput(path: string): Promise<NodeJS.ReadableStream> {
  const head = Buffer.alloc(2);
  try {
    const fh = await open(path, 'r');
    try {
      await fh.read(head, 0, 2, 0);
    } finally {
      await fh.close();
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, { cause: err });
  }
  const stream = createReadStream(path);
  return head[0] === 0x1f && head[1] === 0x8b ? stream.pipe(createGunzip()) : stream;
}

/** Reads a whole JSON file, naming the file and position on a syntax error. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { cause: err });
  });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** A CSV data row with its 1-based line number. */
export interface CsvRow {
  line: number;
  values: Record<string, RawValue>;
}

/** A CSV row that could not be used. */
export interface CsvRejection {
  line: number;
  reason: string;
}

/** How to name CSV columns. */
export interface CsvOptions {
  /**
   * `true`: the first row is a header; `false`: it is data, named by `columns` or `_c0`, `_c1`, ...;
   * `'auto'`: a header when none of its fields is a number (or, with `columns`, when it equals them).
   * @default 'auto'
   */
  header?: boolean | 'auto';
  /** Column names for headerless files. */
  columns?: readonly string[];
}

function looksLikeHeader(fields: readonly string[], columns: readonly string[] | undefined): boolean {
  if (columns && fields.length === columns.length && fields.every((f, i) => f.trim() === columns[i]))
    return true;
  return fields.every((f) => f.trim() !== '' && Number.isNaN(Number(f.trim())));
}

/**
 * Streams a CSV file as named rows. Every data row is either yielded or passed to `reject` with its line and
 * reason (a wrong field count); `trim` removes the spaces after commas that files such as UCI Adult carry.
 */
export async function* readCsvRows(
  path: string,
  options: CsvOptions,
  reject: (r: CsvRejection) => void,
  open: (path: string) => Promise<NodeJS.ReadableStream> = openInput,
): AsyncGenerator<CsvRow> {
  const parser = (await open(path)).pipe(
    parse({ relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, info: true }),
  );
  let names: string[] | undefined;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const fields = rec.record;
    const line = rec.info.lines;
    if (!names) {
      const header = options.header ?? 'auto';
      const isHeader = header === 'auto' ? looksLikeHeader(fields, options.columns) : header;
      if (isHeader) {
        names = fields.map((f) => f.trim());
        const dup = names.find((n, i) => names?.indexOf(n) !== i);
        if (dup !== undefined)
          throw new InputError(`${path}:${line}: duplicate column name "${dup}" in the header`);
        continue;
      }
      names = options.columns ? [...options.columns] : fields.map((_, i) => `_c${i}`);
    }
    if (fields.length !== names.length) {
      reject({ line, reason: `expected ${names.length} fields, found ${fields.length}` });
      continue;
    }
    const values: Record<string, RawValue> = {};
    for (let i = 0; i < names.length; i++) values[names[i] ?? `_c${i}`] = fields[i] ?? null;
    yield { line, values };
  }
}

/** A path relative to the working directory when it is inside it, for shorter messages. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

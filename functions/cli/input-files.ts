import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import * as local from '../adapters/local-files.js';
import { expandS3Inputs, openS3Input, readS3Json } from '../adapters/s3-inputs.js';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { parseS3Uri, S3UriError } from '../core/config/s3-uri.js';
import { InputError } from '../errors.js';
import type { ObjectStore } from '../ports/object-store.js';

// The CLI reads every input, baseline and saved report from a local path or an s3:// URI. This module picks the
// adapter by the name; S3 is reached with the default credential chain and region (AWS_PROFILE, AWS_REGION,
// AWS_ENDPOINT_URL_S3 for an S3-compatible server), and only when an s3:// URI is given.

export type { CsvOptions, CsvRejection, CsvRow, InputFile, InputKind } from '../adapters/local-files.js';

let store: ObjectStore | undefined;

/** The object store behind s3:// URIs; tests give one on a local S3-protocol server. */
export function useObjectStore(next: ObjectStore | undefined): void {
  store = next;
}

function s3(): ObjectStore {
  store ??= new S3ObjectStore(new S3Client({}));
  return store;
}

/** Whether `path` is an s3:// URI. */
export function isS3(path: string): boolean {
  return path.startsWith('s3://');
}

/** Validates an s3:// URI, as an InputError naming it when it is malformed. */
function checked(uri: string): string {
  try {
    parseS3Uri(uri);
    return uri;
  } catch (err) {
    if (err instanceof S3UriError) throw new InputError(err.message, { cause: err });
    throw err;
  }
}

/** Files, directories, s3:// objects and prefixes expanded into input files with their sizes, in the given order. */
export async function expandInputs(paths: readonly string[]): Promise<local.InputFile[]> {
  const out: local.InputFile[] = [];
  for (const path of paths) {
    if (isS3(path)) {
      out.push(...(await expandS3Inputs([checked(path)], s3())));
    } else {
      for (const file of await local.expandInputs([path])) {
        out.push({ ...file, size: (await stat(file.path)).size });
      }
    }
  }
  return out;
}

/** A byte stream of an input, gunzipped when it starts with the gzip magic bytes. */
export function openInput(path: string): Promise<NodeJS.ReadableStream> {
  return isS3(path) ? openS3Input(checked(path), s3()) : local.openInput(path);
}

/** A whole JSON input, naming it on failure. */
export function readJsonFile(path: string): Promise<unknown> {
  return isS3(path) ? readS3Json(checked(path), s3()) : local.readJsonFile(path);
}

/** Named CSV rows of an input; see local-files.ts. */
export function readCsvRows(
  path: string,
  options: local.CsvOptions,
  reject: (r: local.CsvRejection) => void,
): AsyncGenerator<local.CsvRow> {
  return local.readCsvRows(path, options, reject, openInput);
}

/** Whether an input exists: a local file or directory, or an S3 object. */
export async function exists(path: string): Promise<boolean> {
  if (!isS3(path))
    return stat(path).then(
      () => true,
      () => false,
    );
  const { bucket, key } = parseS3Uri(checked(path));
  return (await s3().head({ bucket, key })) !== undefined;
}

/** A path for messages: relative to the working directory when inside it; URIs as they are. */
export function displayPath(path: string): string {
  return isS3(path) ? path : local.displayPath(path);
}

/** Joins a directory or an s3:// prefix with a file name. */
export function joinPath(dir: string, name: string): string {
  return isS3(dir) ? `${dir.replace(/\/+$/, '')}/${name}` : join(dir, name);
}

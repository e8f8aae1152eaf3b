import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, ObjectNotFoundError } from '../errors.js';
import type { AuditStore } from '../ports/audit-store.js';

/** {@link AuditStore} in a local directory: files `<dir>/<endpoint>/<name>`, created exclusively (`wx`). */
export class LocalAuditStore implements AuditStore {
  /** @param location the directory holding one folder per endpoint */
  constructor(readonly location: string) {}

  async endpoints(): Promise<string[]> {
    const entries = await readdir(this.location, { withFileTypes: true }).catch(
      (err: NodeJS.ErrnoException) => {
        throw new InputError(
          `${this.location}: ${err.code === 'ENOENT' ? 'no such directory' : err.message}`,
          {
            cause: err,
          },
        );
      },
    );
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  }

  async names(endpoint: string): Promise<string[]> {
    const entries = await readdir(join(this.location, endpoint), { withFileTypes: true }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw new InputError(`${join(this.location, endpoint)}: ${err.message}`, { cause: err });
      },
    );
    return entries
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  }

  async read(endpoint: string, name: string): Promise<unknown> {
    const path = join(this.location, endpoint, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') throw new ObjectNotFoundError(`${path}: not found`, { cause: err });
      throw new InputError(`${path}: ${e.message}`, { cause: err });
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new InputError(`${path}: invalid JSON: ${(err as Error).message}`, { cause: err });
    }
  }

  async create(endpoint: string, name: string, text: string): Promise<boolean> {
    const folder = join(this.location, endpoint);
    await mkdir(folder, { recursive: true });
    try {
      await writeFile(join(folder, name), text, { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }
}

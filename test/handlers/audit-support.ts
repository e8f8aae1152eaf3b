import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalAuditStore } from '../../functions/adapters/local-audit-store.js';
import { ObjectNotFoundError } from '../../functions/errors.js';
import type { AuditStore } from '../../functions/ports/audit-store.js';
import type { Clock } from '../../functions/ports/clock.js';

/** An AuditStore in memory; `beforeCreate` runs before each create (to stage a competing writer). */
export class MemoryAuditStore implements AuditStore {
  readonly location = 'memory://audit';
  readonly objects = new Map<string, string>();
  beforeCreate?: (endpoint: string, name: string) => void;

  async endpoints(): Promise<string[]> {
    return [...new Set([...this.objects.keys()].map((k) => k.split('/')[0] as string))].sort();
  }
  async names(endpoint: string): Promise<string[]> {
    return [...this.objects.keys()]
      .filter((k) => k.startsWith(`${endpoint}/`))
      .map((k) => k.slice(endpoint.length + 1))
      .sort();
  }
  async read(endpoint: string, name: string): Promise<unknown> {
    const text = this.objects.get(`${endpoint}/${name}`);
    if (text === undefined) throw new ObjectNotFoundError(`${endpoint}/${name}: not found`);
    return JSON.parse(text);
  }
  async create(endpoint: string, name: string, text: string): Promise<boolean> {
    this.beforeCreate?.(endpoint, name);
    const key = `${endpoint}/${name}`;
    if (this.objects.has(key)) return false;
    this.objects.set(key, text);
    return true;
  }
  /** The parsed records of one endpoint, in order. */
  records(endpoint: string): Record<string, unknown>[] {
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`${endpoint}/`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, v]) => JSON.parse(v) as Record<string, unknown>);
  }
}

/** A LocalAuditStore in a fresh temporary directory. */
export async function tempAuditStore(): Promise<LocalAuditStore> {
  return new LocalAuditStore(await mkdtemp(join(tmpdir(), 'driftwatch-audit-')));
}

/** A clock fixed at `iso`, movable with `set`. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
}

import { canonicalJson } from '../core/audit/canonical-json.js';
import { type ChainHead, sealRecord } from '../core/audit/chain.js';
import { AuditChainError, AuditConflictError } from '../core/audit/errors.js';
import {
  type AuditDraftInput,
  type AuditRecord,
  AuditRecordSchema,
  auditRecordName,
  sequenceOfRecordName,
} from '../core/audit/record.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';

/** What a decision sees of an endpoint's chain when it is about to append. */
export interface ChainView {
  /** The newest record, or undefined for an empty chain. */
  head?: ChainHead;
  /** The records from the newest back, read lazily (a decision usually needs only the last few). */
  newestFirst(): AsyncIterable<AuditRecord>;
}

/**
 * Decides what to append from the chain as it is now (undefined: append nothing); called again when another
 * writer appended first.
 */
export type AuditDecision = (view: ChainView) => Promise<AuditDraftInput | undefined>;

/** Options of an {@link AuditTrail}. */
export interface AuditTrailOptions {
  /**
   * Attempts of one append; each lost race means another writer appended, so N concurrent writers need at most N.
   * @default 16
   */
  maxAttempts?: number;
  /**
   * Waits before attempt `attempt` (from 2), to spread writers that lost a race.
   * @default - a random 10-50 ms per attempt already made
   */
  pause?: (attempt: number) => Promise<void>;
}

const randomPause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, (attempt - 1) * (10 + Math.random() * 40)));

/**
 * Appends records to an endpoint's hash chain. An append is a compare-and-swap: the record is sealed after the
 * head that was read and created under the next sequence number only if that name is still free; when another
 * writer took it, the chain is read again and the decision made again, up to `maxAttempts` times.
 */
export class AuditTrail {
  private readonly maxAttempts: number;
  private readonly pause: (attempt: number) => Promise<void>;

  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
    options: AuditTrailOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 16;
    this.pause = options.pause ?? randomPause;
  }

  /** Where the records are kept. */
  get location(): string {
    return this.store.location;
  }

  /**
   * Appends the draft `decide` returns and returns the sealed record (undefined when `decide` returned none).
   * @throws AuditConflictError after `maxAttempts` lost races; AuditChainError when the chain cannot be read
   */
  async append(endpoint: string, decide: AuditDecision): Promise<AuditRecord | undefined> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await this.pause(attempt);
      const view = await this.view(endpoint);
      const draft = await decide(view);
      if (draft === undefined) return undefined;
      const record = sealRecord(endpoint, view.head, draft, this.clock.now());
      if (await this.store.create(endpoint, auditRecordName(record.sequence), `${canonicalJson(record)}\n`)) {
        return record;
      }
    }
    throw new AuditConflictError(
      `${this.store.location}/${endpoint}: the next sequence number was taken ${this.maxAttempts} times in a row ` +
        'by other writers; retry',
    );
  }

  /** Reads the chain's current state (lists the names, reads the newest record). */
  async view(endpoint: string): Promise<ChainView> {
    const names = (await this.store.names(endpoint)).filter(
      (name) => sequenceOfRecordName(name) !== undefined,
    );
    const newestName = names.at(-1);
    const newest = newestName === undefined ? undefined : await this.readRecord(endpoint, newestName);
    const trail = this;
    return {
      ...(newest !== undefined ? { head: { sequence: newest.sequence, hash: newest.hash } } : {}),
      async *newestFirst() {
        if (newest !== undefined) yield newest;
        for (let index = names.length - 2; index >= 0; index--) {
          yield await trail.readRecord(endpoint, names[index] as string);
        }
      },
    };
  }

  private async readRecord(endpoint: string, name: string): Promise<AuditRecord> {
    const parsed = AuditRecordSchema.safeParse(await this.store.read(endpoint, name));
    if (!parsed.success) {
      throw new AuditChainError(
        `${this.store.location}/${endpoint}/${name} is not a valid audit record (${parsed.error.issues
          .map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`)
          .join('; ')}); run \`driftwatch audit\` on the location to see the chain`,
      );
    }
    if (parsed.data.sequence !== sequenceOfRecordName(name)) {
      throw new AuditChainError(
        `${this.store.location}/${endpoint}/${name} holds sequence ${parsed.data.sequence}; run \`driftwatch audit\``,
      );
    }
    return parsed.data;
  }
}

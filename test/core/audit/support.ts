import { readFileSync } from 'node:fs';
import type { AuditDraftInput, AuditRecord } from '../../../functions/core/audit/record.js';

/**
 * Reference values computed independently of the TypeScript code by scripts/reference/audit-chain.py
 * (`python3 scripts/reference/audit-chain.py > test/fixtures/audit/audit-reference.json`): an RFC 8785
 * implementation written from the RFC's rules, and hashlib SHA-256.
 */
export interface AuditReference {
  canonical: { name: string; json: string; canonical: string; sha256: string }[];
  event: unknown;
  eventSha256: string;
  chain: { recordedAt: string; draft: AuditDraftInput; record: AuditRecord }[];
}

/** The reference file. */
export function auditReference(): AuditReference {
  return JSON.parse(
    readFileSync(new URL('../../fixtures/audit/audit-reference.json', import.meta.url), 'utf8'),
  ) as AuditReference;
}

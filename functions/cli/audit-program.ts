import { basename, dirname } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { type Command, Option } from 'commander';
import { LocalAuditStore } from '../adapters/local-audit-store.js';
import { S3AuditStore } from '../adapters/s3-audit-store.js';
import { type ChainVerification, verifyChain } from '../core/audit/chain.js';
import type { AuditRecord } from '../core/audit/record.js';
import { parseS3Uri } from '../core/config/s3-uri.js';
import { InputError } from '../errors.js';
import type { AuditStore } from '../ports/audit-store.js';
import { joinKey } from '../shared/s3-layout.js';
import { type CommandResult, EXIT } from './commands.js';
import { emit } from './drift-program.js';

/** Output formats of `driftwatch audit`. */
export const AUDIT_FORMATS = ['text', 'json'] as const;

/** Options of `driftwatch audit`. */
export interface AuditCommandOptions {
  /** `s3://bucket/prefix` or a directory: the audit root (one folder per endpoint) or one endpoint's folder. */
  location: string;
  /** Only this endpoint's chain. */
  endpoint?: string;
  /** The head hash published elsewhere (a notification); a different head means records were removed from the end. */
  expectHead?: string;
  format: (typeof AUDIT_FORMATS)[number];
}

/** What `driftwatch audit` needs beyond its options. */
export interface AuditCommandDeps {
  /** @default - a new S3 client with the default credential chain */
  s3Client?: S3Client;
}

/** The stores to read: the location as an audit root, and the same location seen as one endpoint's folder. */
function storesFor(
  location: string,
  deps: AuditCommandDeps,
): { root: AuditStore; asFolder: () => AuditStore } {
  if (location.startsWith('s3://')) {
    const { bucket, key } = parseS3Uri(location);
    const client = deps.s3Client ?? new S3Client({});
    const prefix = joinKey(key);
    const parent = prefix.split('/').slice(0, -1).join('/');
    return {
      root: new S3AuditStore(client, bucket, prefix),
      asFolder: () => new S3AuditStore(client, bucket, parent),
    };
  }
  return { root: new LocalAuditStore(location), asFolder: () => new LocalAuditStore(dirname(location)) };
}

async function verifyEndpoint(store: AuditStore, endpoint: string): Promise<ChainVerification> {
  const names = await store.names(endpoint);
  const objects = [];
  for (const name of names) {
    let value: unknown;
    try {
      value = await store.read(endpoint, name);
    } catch (err) {
      // An unreadable object is a broken link, reported by verifyChain as "not a valid audit record".
      value = { unreadable: (err as Error).message };
    }
    objects.push({ name, value });
  }
  return verifyChain(endpoint, objects);
}

function summary(record: AuditRecord): string {
  const d = record.detail;
  const parts = ['verdict', 'status', 'source', 'reason', 'modelPackageArn', 'endpointConfigName', 'error']
    .map((key) => d[key])
    .filter((v): v is string => typeof v === 'string');
  const decision = d.decision as { reason?: string } | undefined;
  if (record.kind === 'skip' && typeof decision?.reason === 'string') parts.unshift(decision.reason);
  return parts.slice(0, 3).join(', ');
}

function renderText(location: string, chains: ChainVerification[]): string {
  const lines = [`audit trail ${location}`];
  for (const chain of chains) {
    const state = chain.intact ? 'intact' : `BROKEN (${chain.problems.length} problem(s))`;
    lines.push(
      '',
      `${chain.endpoint}: ${chain.records.length} record(s), ${state}${chain.headHash ? `, head ${chain.headHash}` : ''}`,
    );
    for (const r of chain.records) {
      const flag = chain.problems.some((p) => p.position === r.sequence) ? '!' : ' ';
      lines.push(
        `${flag} #${String(r.sequence).padEnd(4)} ${r.recordedAt}  ${r.workflow.padEnd(10)} ${r.kind.padEnd(18)} ${summary(r)}`,
      );
    }
    for (const p of chain.problems) lines.push(`  problem at ${p.name}: ${p.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `driftwatch audit`: lists the records of every chain under the location (or one endpoint's) and verifies each
 * chain. Exit 0 when every chain is intact, 1 when one is broken, 2 when nothing could be read.
 * @throws InputError when the location holds no audit records
 */
export async function auditCommand(
  o: AuditCommandOptions,
  deps: AuditCommandDeps = {},
): Promise<CommandResult> {
  const { root, asFolder } = storesFor(o.location, deps);
  let store = root;
  let endpoints = await root.endpoints();
  if (endpoints.length === 0) {
    // The location may be one endpoint's folder: read it from its parent.
    store = asFolder();
    endpoints = [basename(joinKey(o.location.replace(/^s3:\/\/[^/]+/, '')) || o.location)];
  }
  if (o.endpoint !== undefined) endpoints = endpoints.filter((e) => e === o.endpoint);
  const chains: ChainVerification[] = [];
  for (const endpoint of endpoints) {
    const chain = await verifyEndpoint(store, endpoint);
    if (chain.records.length > 0 || chain.problems.length > 0) chains.push(chain);
  }
  if (chains.length === 0) {
    throw new InputError(
      `${o.location}: no audit records found${o.endpoint ? ` for endpoint ${o.endpoint}` : ''} (expected ` +
        '<location>/<endpoint>/<12-digit sequence>.json)',
    );
  }
  if (o.expectHead !== undefined) {
    if (chains.length !== 1) throw new InputError('--expect-head needs exactly one chain: add --endpoint');
    const chain = chains[0] as ChainVerification;
    if (chain.headHash !== o.expectHead) {
      chain.problems.push({
        name: '(end of chain)',
        position: chain.records.length,
        message: `head is ${chain.headHash ?? 'empty'}, expected ${o.expectHead} (records were removed from the end)`,
      });
      chain.intact = false;
    }
  }
  const intact = chains.every((c) => c.intact);
  const stdout =
    o.format === 'json'
      ? `${JSON.stringify({ location: store.location, intact, chains }, null, 2)}\n`
      : renderText(store.location, chains);
  return { exitCode: intact ? EXIT.ok : EXIT.drift, stdout };
}

/** Registers `audit`. */
export function registerAuditCommands(program: Command): void {
  program
    .command('audit')
    .description(
      'list the audit records of the retraining and deployment workflows and verify their hash chains',
    )
    .argument('<location>', 's3://bucket/prefix or a directory: the audit root or one endpoint folder')
    .option('--endpoint <name>', 'only this endpoint')
    .option(
      '--expect-head <sha256>',
      'fail unless the chain ends with this record hash (detects removed records)',
    )
    .addOption(new Option('--format <format>', 'output format').choices([...AUDIT_FORMATS]).default('text'))
    .action((location: string, o: Record<string, unknown>) =>
      emit(
        auditCommand({
          location,
          format: o.format as AuditCommandOptions['format'],
          ...(o.endpoint ? { endpoint: o.endpoint as string } : {}),
          ...(o.expectHead ? { expectHead: o.expectHead as string } : {}),
        }),
      ),
    );
}

import { sha256Hex } from './canonical-json.js';
import type { AuditRecord } from './record.js';

// The retraining guard's decision, made from the audit trail: at most one run at a time and a cooldown between
// run starts. The trail is the lock: the guard appends its `trigger` (or `skip`) record conditionally on the
// chain head it decided from, so two executions deciding at once cannot both start (see docs/retraining.md).

/** Where a retraining request came from. */
export type TriggerSource = 'alarm' | 'schedule' | 'manual';

/** A validated request to retrain. */
export interface RetrainingRequest {
  source: TriggerSource;
  /** Why, in words (the alarm's reason, "scheduled", or the operator's reason). */
  reason: string;
  /** The alarm that fired, for `alarm`. */
  alarmName?: string;
  /** Manual requests may skip the cooldown (never the one-at-a-time rule). */
  ignoreCooldown: boolean;
}

/** The most recent retraining run in the trail, as far as the guard needs it. */
export interface LastRun {
  runId: string;
  startedAt: Date;
  /** Whether a `final` record of that run follows its trigger. */
  closed: boolean;
}

/** What the trail says about retraining, read newest first. */
export interface RetrainingHistory {
  /** The newest run that started (a retraining `trigger` record). */
  lastRun?: LastRun;
  /** This execution's own guard record, when an earlier attempt of the guard already wrote it. */
  ownDecision?: AuditRecord;
}

/**
 * Reads the trail newest first until the most recent retraining `trigger`, noting which runs have a `final`
 * record and whether `runId` already has a guard record (`trigger` or `skip`) newer than that trigger.
 */
export async function readRetrainingHistory(
  newestFirst: AsyncIterable<AuditRecord>,
  runId: string,
): Promise<RetrainingHistory> {
  const closedRuns = new Set<string>();
  const history: RetrainingHistory = {};
  for await (const record of newestFirst) {
    if (record.workflow !== 'retraining') continue;
    const isGuardRecord = record.kind === 'trigger' || record.kind === 'skip';
    if (isGuardRecord && record.runId === runId && history.ownDecision === undefined) {
      history.ownDecision = record;
    }
    if (record.final) closedRuns.add(record.runId);
    if (record.kind === 'trigger') {
      history.lastRun = {
        runId: record.runId,
        startedAt: new Date(record.recordedAt),
        closed: closedRuns.has(record.runId),
      };
      return history;
    }
  }
  return history;
}

/** The guard's decision. */
export type GuardDecision =
  | { proceed: true }
  | { proceed: false; reason: 'run-in-progress'; runId: string }
  | { proceed: false; reason: 'cooldown'; lastStartedAt: string; nextAllowedAt: string };

/** What {@link decideRetraining} needs. */
export interface GuardInput {
  request: RetrainingRequest;
  lastRun?: LastRun;
  /** Whether the last run is still executing (false when it is closed, or its execution has ended). */
  lastRunActive: boolean;
  now: Date;
  cooldownHours: number;
}

/**
 * Decides whether a retraining may start: not while the last run is active; not within `cooldownHours` of the
 * last run's start (measured from its trigger record's time), unless a manual request ignores the cooldown.
 */
export function decideRetraining(input: GuardInput): GuardDecision {
  const { lastRun } = input;
  if (lastRun === undefined) return { proceed: true };
  if (input.lastRunActive) return { proceed: false, reason: 'run-in-progress', runId: lastRun.runId };
  const next = lastRun.startedAt.getTime() + input.cooldownHours * 3_600_000;
  if (!input.request.ignoreCooldown && input.now.getTime() < next) {
    return {
      proceed: false,
      reason: 'cooldown',
      lastStartedAt: lastRun.startedAt.toISOString(),
      nextAllowedAt: new Date(next).toISOString(),
    };
  }
  return { proceed: true };
}

/** SageMaker job and model names of one retraining run. */
export interface RunNames {
  trainingJob: string;
  model: string;
  championJob: string;
  challengerJob: string;
}

const MAX_NAME = 63;
const LONGEST_SUFFIX = '-challenger';
const STAMP_AND_HASH = 20; // "-yyyymmddhhmmss-xxxx"

/**
 * Names of a run's SageMaker resources: `<endpoint>-<yyyymmddhhmmss>-<4 hex of sha256(runId)>` for the training
 * job and the candidate model, with `-champion`/`-challenger` for the scoring jobs. The endpoint part is cut so
 * every name fits SageMaker's 63 characters and still ends in a letter or digit.
 */
export function runNames(endpoint: string, startedAt: Date, runId: string): RunNames {
  const room = MAX_NAME - LONGEST_SUFFIX.length - STAMP_AND_HASH;
  const prefix = endpoint.slice(0, room).replace(/-+$/, '');
  const stamp = startedAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const base = `${prefix}-${stamp}-${sha256Hex(runId).slice(0, 4)}`;
  return {
    trainingJob: base,
    model: base,
    championJob: `${base}-champion`,
    challengerJob: `${base}-challenger`,
  };
}

/**
 * Retrain-guard Lambda, the first task of the retraining state machine. It reads the request (a "CloudWatch Alarm
 * State Change" event of the retrain alarm, `{"trigger": "schedule"}` from the schedule, or
 * `{"trigger": "manual", "reason": "...", "ignoreCooldown"?: true}` by hand), decides from the audit trail whether a
 * run may start (one at a time, `retraining.cooldownHours` between starts) and records the decision: a `trigger`
 * record when the run starts, a final `skip` record when it does not. Deciding and recording are one conditional
 * append to the trail, so of a burst of executions at most one starts (see docs/retraining.md, "Guard").
 *
 * Task input: `{ "input": <execution input>, "executionArn": $$.Execution.Id, "startTime": $$.Execution.StartTime }`.
 * Errors: InvalidEventError, AuditConflictError (retried), AuditChainError, AwsServiceError, StorageError.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { SfnExecutions } from '../adapters/sfn-executions.js';
import { hashJson } from '../core/audit/canonical-json.js';
import type { AuditDraftInput, AuditRecord } from '../core/audit/record.js';
import {
  decideRetraining,
  type GuardDecision,
  type RetrainingRequest,
  type RunNames,
  readRetrainingHistory,
  runNames,
} from '../core/audit/run-guard.js';
import { InvalidEventError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ExecutionStatusReader } from '../ports/executions.js';
import type { AuditTrail } from './audit-trail.js';
import { auditTrailFromEnv, lifecycleEndpoint } from './lifecycle-runtime.js';
import { BUNDLED_CONFIG_FILE, createLogger, once, systemClock, withMiddleware } from './runtime.js';
import { parseEvent } from './validation.js';

/** What the guard needs. */
export interface RetrainGuardDeps {
  endpointName: string;
  cooldownHours: number;
  trail: AuditTrail;
  executions: ExecutionStatusReader;
  clock: Clock;
}

/** What the guard returns to the state machine. */
export interface GuardResult {
  proceed: boolean;
  decision: GuardDecision;
  request: RetrainingRequest;
  /** Names of the run's SageMaker jobs and model. */
  names: RunNames;
  /** The guard's audit record. */
  audit: { sequence: number; hash: string };
}

const AlarmEvent = z.object({
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal('CloudWatch Alarm State Change', {
    error: 'expected "CloudWatch Alarm State Change"',
  }),
  detail: z.object({
    alarmName: z.string({ error: 'expected the alarm name' }),
    state: z.object({
      value: z.literal('ALARM', {
        error: 'expected "ALARM" (only an alarm entering ALARM starts retraining)',
      }),
      reason: z.string().optional(),
    }),
  }),
});

const ScheduledRequest = z.strictObject({ trigger: z.literal('schedule') });

const ManualRequest = z.strictObject({
  trigger: z.literal('manual'),
  reason: z
    .string({ error: 'expected the reason for retraining by hand' })
    .min(1, { error: 'expected the reason for retraining by hand' })
    .max(1024, { error: 'expected a reason of at most 1024 characters' }),
  ignoreCooldown: z.boolean({ error: 'expected true or false' }).optional(),
});

const GuardEvent = z.object({
  input: z.unknown(),
  executionArn: z.string({ error: 'expected the execution ARN ($$.Execution.Id)' }).min(1),
  startTime: z.iso.datetime({ error: 'expected the execution start time ($$.Execution.StartTime)' }),
});

const ACCEPTED =
  'expected a "CloudWatch Alarm State Change" event, {"trigger": "schedule"} or ' +
  '{"trigger": "manual", "reason": "...", "ignoreCooldown"?: true}';

/**
 * Reads the execution input as a retraining request.
 * @throws InvalidEventError naming the field and what was expected
 */
export function parseRetrainingRequest(input: unknown): RetrainingRequest {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : undefined;
  if (record?.source === 'aws.cloudwatch') {
    const { alarmName, state } = parseEvent(AlarmEvent, input, 'alarm event', '(input)').detail;
    return {
      source: 'alarm',
      reason: state.reason ?? `${alarmName} in ALARM`,
      alarmName,
      ignoreCooldown: false,
    };
  }
  if (record?.trigger === 'schedule') {
    parseEvent(ScheduledRequest, input, 'scheduled request', '(input)');
    return { source: 'schedule', reason: 'scheduled retraining', ignoreCooldown: false };
  }
  if (record?.trigger === 'manual') {
    const manual = parseEvent(ManualRequest, input, 'manual request', '(input)');
    return {
      source: 'manual',
      reason: manual.reason,
      ignoreCooldown: manual.ignoreCooldown ?? false,
    };
  }
  throw new InvalidEventError(`${ACCEPTED}; received ${JSON.stringify(input)?.slice(0, 200)}`);
}

function decisionOf(record: AuditRecord): GuardDecision {
  const decision = record.detail.decision as GuardDecision | undefined;
  if (decision !== undefined) return decision;
  return record.kind === 'trigger'
    ? { proceed: true }
    : { proceed: false, reason: 'run-in-progress', runId: '' };
}

/** The guard over its ports. */
export function createHandler(deps: RetrainGuardDeps): (event: unknown) => Promise<GuardResult> {
  return async (event) => {
    const { input, executionArn, startTime } = parseEvent(
      GuardEvent,
      event,
      'retrain-guard task input',
      '(input)',
    );
    const request = parseRetrainingRequest(input);
    const names = runNames(deps.endpointName, new Date(startTime), executionArn);
    let replayed: AuditRecord | undefined;
    let decision: GuardDecision = { proceed: true };
    const record = await deps.trail.append(
      deps.endpointName,
      async (view): Promise<AuditDraftInput | undefined> => {
        const history = await readRetrainingHistory(view.newestFirst(), executionArn);
        if (history.ownDecision !== undefined) {
          // An earlier attempt of this task already decided (the task was retried): repeat that decision.
          replayed = history.ownDecision;
          return undefined;
        }
        const lastRun = history.lastRun;
        const lastRunActive =
          lastRun !== undefined &&
          !lastRun.closed &&
          (await deps.executions.status(lastRun.runId)) === 'RUNNING';
        decision = decideRetraining({
          request,
          ...(lastRun !== undefined ? { lastRun } : {}),
          lastRunActive,
          now: deps.clock.now(),
          cooldownHours: deps.cooldownHours,
        });
        return {
          workflow: 'retraining',
          kind: decision.proceed ? 'trigger' : 'skip',
          runId: executionArn,
          final: !decision.proceed,
          detail: {
            ...request,
            decision,
            ...(decision.proceed ? { trainingJobName: names.trainingJob } : {}),
          },
          inputs: [{ name: 'input', sha256: hashJson(input) }],
        };
      },
    );
    const written = record ?? replayed;
    if (written === undefined) throw new Error('retrain-guard: no decision was recorded');
    const final = replayed !== undefined ? decisionOf(replayed) : decision;
    return {
      proceed: final.proceed,
      decision: final,
      request,
      names,
      audit: { sequence: written.sequence, hash: written.hash },
    };
  };
}

const logger = createLogger();

/** Dependencies from the environment: the endpoint's retraining settings, the audit trail, Step Functions. */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): RetrainGuardDeps {
  const { endpoint } = lifecycleEndpoint(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url));
  return {
    endpointName: endpoint.name,
    cooldownHours: endpoint.retraining?.cooldownHours ?? 24,
    trail: auditTrailFromEnv(env),
    executions: new SfnExecutions(new SFNClient({})),
    clock: systemClock,
  };
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);

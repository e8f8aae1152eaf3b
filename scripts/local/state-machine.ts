// Runs synthesized state machines on this machine: aws-local-stepfunctions with every Task state answered by a
// local handler. Shared by the workflow tests and the demo (which must not import from test/).
import type { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { ObjectNotFoundError } from '../../functions/errors.js';
import type {
  ObjectBody,
  ObjectInfo,
  ObjectLocation,
  ObjectStore,
} from '../../functions/ports/object-store.js';
import { type AslDefinition, type CfnTemplate, resolveCfn, stateMachineAsl } from './asl.js';
import './polyfill.js';

/**
 * Replaces each cross-stack reference of `template` (`Fn::ImportValue` of an export, or `Fn::GetStackOutput` of an
 * output, which cdk.json's flags choose) by the value the other template gives it, so references to the monitoring
 * stack (its topic, its alarms) resolve as they do when both stacks are deployed.
 */
export function withImportsResolved(
  template: CfnTemplate,
  exporter: CfnTemplate & { Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }> },
): CfnTemplate {
  const exports = new Map<string, string>();
  const outputs = new Map<string, string>();
  for (const [id, output] of Object.entries(exporter.Outputs ?? {})) {
    const value = String(resolveCfn(output.Value, exporter));
    outputs.set(id, value);
    const name = output.Export?.Name;
    if (typeof name === 'string') exports.set(name, value);
  }
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (value === null || typeof value !== 'object') return value;
    const node = value as Record<string, unknown>;
    const imported = node['Fn::ImportValue'];
    if (typeof imported === 'string') {
      const resolved = exports.get(imported);
      if (resolved === undefined) throw new Error(`no export ${imported}`);
      return resolved;
    }
    const output = (node['Fn::GetStackOutput'] as { OutputName?: string } | undefined)?.OutputName;
    if (output !== undefined) {
      const resolved = outputs.get(output);
      if (resolved === undefined) throw new Error(`no output ${output}`);
      return resolved;
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replace(v)]));
  };
  return replace(template) as CfnTemplate;
}

/** The runnable ASL of a state machine of the lifecycle template, by logical ID prefix. */
export function aslOf(template: Template, logicalIdPrefix: string, monitoring?: Template): AslDefinition {
  const json = template.toJSON() as CfnTemplate;
  const resolved = monitoring === undefined ? json : withImportsResolved(json, monitoring.toJSON() as never);
  return stateMachineAsl(resolved, logicalIdPrefix);
}

/** What a local execution did. */
export interface LocalRun {
  /** The execution's output, when it succeeded. */
  output?: unknown;
  /** The Fail state's (or the uncaught) error name and cause, when it failed. */
  error?: { name: string; cause: string };
  /** Names of the states entered, in order. */
  states: string[];
  /** Inputs each overridden task received, by state name. */
  calls: Map<string, unknown[]>;
  /** The output of each state that was left, by state name (the last time it was left). */
  outputs: Map<string, unknown>;
}

/** A task override: receives the task's rendered Parameters, returns its result or throws a named error. */
export type TaskHandler = (input: unknown) => unknown;

/** The input the first call of task `state` received. */
export function firstCall<T>(run: LocalRun, state: string): T {
  const input = run.calls.get(state)?.[0];
  if (input === undefined) throw new Error(`task "${state}" was not called`);
  return input as T;
}

/** An Error whose name is `name`, as a Task failure with that error name. */
export function taskError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** `handler`, except that its first `times` calls fail with error `name` (a throttled API, for retry paths). */
export function failingFirst(times: number, name: string, handler: TaskHandler | undefined): TaskHandler {
  if (handler === undefined) throw new Error('failingFirst: no handler to answer after the failures');
  let calls = 0;
  return (input) => {
    calls += 1;
    if (calls <= times) throw taskError(name, 'Rate exceeded');
    return handler(input);
  };
}

/**
 * Runs a synthesized definition in aws-local-stepfunctions: every Task state is answered by `handlers` (an
 * unhandled Task fails the test), Wait states and retry pauses take no time.
 */
export async function runLocally(
  asl: AslDefinition,
  input: unknown,
  handlers: Record<string, TaskHandler>,
  execution: { id: string; name: string; startTime: string },
): Promise<LocalRun> {
  const calls = new Map<string, unknown[]>();
  const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
  const waits: Record<string, number> = {};
  const retries: Record<string, number> = {};
  const visit = (states: Record<string, { Type: string; [k: string]: unknown }>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Wait') waits[name] = 0;
      if (Array.isArray(state.Retry)) retries[name] = 0;
      if (state.Type === 'Task') {
        overrides[name] = async (taskInput: unknown) => {
          calls.set(name, [...(calls.get(name) ?? []), taskInput]);
          const handler = handlers[name];
          if (handler === undefined) throw taskError('UnhandledTask', `no test handler for task "${name}"`);
          return JSON.parse(JSON.stringify((await handler(taskInput)) ?? null)) as unknown;
        };
      }
      for (const branch of (state.Branches as { States: typeof states }[] | undefined) ?? [])
        visit(branch.States);
    }
  };
  visit(asl.States as never);
  const machine = new StateMachine(asl as never, { validationOptions: { checkPaths: true, checkArn: true } });
  const run = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: overrides as never,
      waitTimeOverrides: waits,
      retryIntervalOverrides: retries,
    },
    context: {
      Execution: {
        Id: execution.id,
        Name: execution.name,
        StartTime: execution.startTime,
        Input: input as never,
      },
    },
  });
  const states: string[] = [];
  const outputs = new Map<string, unknown>();
  const collecting = (async () => {
    for await (const event of run.eventLogs) {
      const state = (event as { state?: { name: string; output?: unknown } }).state;
      if (event.type === 'StateEntered' && state !== undefined) states.push(state.name);
      if (event.type === 'StateExited' && state !== undefined) outputs.set(state.name, state.output);
    }
  })();
  const outcome: LocalRun = { states, calls, outputs };
  try {
    outcome.output = await run.result;
  } catch (err) {
    const cause = (err as { cause?: { name?: string; message?: string } }).cause;
    outcome.error = {
      name: cause?.name ?? (err as Error).name,
      cause: cause?.message ?? (err as Error).message,
    };
  }
  await collecting;
  return outcome;
}

/** An ObjectStore in memory (JSON objects and text). */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, string>();

  private static id(location: ObjectLocation): string {
    return `${location.bucket}/${location.key}`;
  }
  put(location: ObjectLocation, text: string): void {
    this.objects.set(MemoryObjectStore.id(location), text);
  }
  text(location: ObjectLocation): string | undefined {
    return this.objects.get(MemoryObjectStore.id(location));
  }
  async getStream(location: ObjectLocation): Promise<ObjectBody> {
    const text = this.text(location);
    if (text === undefined) throw new ObjectNotFoundError(`${MemoryObjectStore.id(location)}: not found`);
    return {
      body: (async function* () {
        yield Buffer.from(text);
      })(),
      size: text.length,
      cancel: () => {},
    };
  }
  async getJson(location: ObjectLocation): Promise<unknown> {
    const text = this.text(location);
    if (text === undefined) throw new ObjectNotFoundError(`${MemoryObjectStore.id(location)}: not found`);
    return JSON.parse(text);
  }
  async putJson(location: ObjectLocation, value: unknown): Promise<void> {
    this.put(location, `${JSON.stringify(value)}\n`);
  }
  async *list(bucket: string, prefix: string): AsyncGenerator<ObjectInfo> {
    const keys = [...this.objects.keys()]
      .filter((id) => id.startsWith(`${bucket}/${prefix}`))
      .map((id) => id.slice(bucket.length + 1))
      .sort();
    for (const key of keys) yield { key, size: this.objects.get(`${bucket}/${key}`)?.length ?? 0, etag: 'e' };
  }
  async head(location: ObjectLocation): Promise<ObjectInfo | undefined> {
    const text = this.text(location);
    return text === undefined ? undefined : { key: location.key, size: text.length, etag: 'e' };
  }
}

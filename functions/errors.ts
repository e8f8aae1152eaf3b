/**
 * Typed errors. Each sets `name` (Step Functions Retry/Catch and the CLI's exit codes match on it, so names
 * are part of the contract) and keeps `cause`. Drift found is a result, never an error; a bad record is a
 * rejection in the result, never an error. These are thrown only when an input as a whole cannot be used.
 */

/** Base class: sets `name` from the subclass and keeps `cause`. */
export class DriftwatchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Thrown when two profiles cannot be merged (different features, kinds or baseline bins). */
export class ProfileMergeError extends DriftwatchError {}

/** Thrown when a baseline (statistics.json, constraints.json or baseline profile) is missing or unusable. */
export class BaselineError extends DriftwatchError {}

/** Thrown when an input file as a whole cannot be used (not found, unreadable, no header, not a profile...). */
export class InputError extends DriftwatchError {}

/** Thrown when a Lambda event matches none of the shapes the function accepts; the message names the field. */
export class InvalidEventError extends DriftwatchError {}

/** Thrown when a function's deployment configuration (config file, environment variables) is missing or invalid. */
export class ConfigurationError extends DriftwatchError {}

/** Thrown by an ObjectStore when the object (or its bucket) does not exist. */
export class ObjectNotFoundError extends DriftwatchError {}

/** Thrown by an ObjectStore when a create-only write (`ifNoneMatch`) finds the object already there. */
export class ObjectExistsError extends DriftwatchError {}

/**
 * Thrown by an ObjectStore when storage fails after the SDK's own retries (5xx, throttling, network, access
 * denied); the invocation fails so that Lambda, or a Step Functions Retry on this name, tries again.
 */
export class StorageError extends DriftwatchError {}

/** Thrown when a call to an AWS service (SageMaker, Step Functions) fails after the SDK's own retries. */
export class AwsServiceError extends DriftwatchError {}

/** Thrown when a deployment cannot be planned: wrong model package group, not approved, or no data capture. */
export class DeploymentPlanError extends DriftwatchError {}

/** Thrown when the holdout predictions of champion or challenger cannot be read or paired with labels. */
export class EvaluationInputError extends DriftwatchError {}

/** Wraps an SDK failure as an {@link AwsServiceError} naming the call. */
export function awsFailure(call: string, err: unknown): AwsServiceError {
  const e = err as { name?: string; message?: string };
  return new AwsServiceError(`${call} failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`, {
    cause: err,
  });
}

import { z } from 'zod';
import { compileJsonPath } from '../capture/json-path.js';
import { configuredS3UriProblem } from './s3-uri.js';
import { scheduleExpressionProblem, timeZoneProblem } from './schedule-expression.js';

// Field builders whose error messages state the expectation in the user's terms ("expected an integer between 1
// and 100"); parse.ts appends what was received and where.

/** Bounds of a numeric field; `gt`/`lt` are exclusive, `min`/`max` inclusive. */
export interface NumberRange {
  min?: number;
  max?: number;
  gt?: number;
  lt?: number;
  int?: boolean;
}

/** Describes a range in words: `an integer between 1 and 100`, `a number > 0`, `a number strictly between 0 and 1`. */
export function describeRange(range: NumberRange): string {
  const noun = range.int === true ? 'an integer' : 'a number';
  const { min, max, gt, lt } = range;
  if (min !== undefined && max !== undefined) {
    return `${noun} between ${min} and ${max}`;
  }
  if (gt !== undefined && lt !== undefined) {
    return `${noun} strictly between ${gt} and ${lt}`;
  }
  const bounds = [
    gt === undefined ? undefined : `> ${gt}`,
    min === undefined ? undefined : `>= ${min}`,
    lt === undefined ? undefined : `< ${lt}`,
    max === undefined ? undefined : `<= ${max}`,
  ].filter((bound) => bound !== undefined);
  return bounds.length === 0 ? noun : `${noun} ${bounds.join(' and ')}`;
}

/** A number (or integer) field constrained to `range`, every failure reported as `expected <range in words>`. */
export function numberIn(range: NumberRange): z.ZodNumber {
  const error = `expected ${describeRange(range)}`;
  let schema = z.number({ error });
  if (range.int === true) {
    schema = schema.int({ error });
  }
  if (range.min !== undefined) {
    schema = schema.min(range.min, { error });
  }
  if (range.max !== undefined) {
    schema = schema.max(range.max, { error });
  }
  if (range.gt !== undefined) {
    schema = schema.gt(range.gt, { error });
  }
  if (range.lt !== undefined) {
    schema = schema.lt(range.lt, { error });
  }
  return schema;
}

/** A string that must match `pattern`; `expectation` completes "expected ..." (e.g. `a SageMaker endpoint name`). */
export function matching(pattern: RegExp, expectation: string): z.ZodString {
  const error = `expected ${expectation}`;
  return z.string({ error }).regex(pattern, { error });
}

/** A non-empty string of at most `maxLength` characters. */
export function text(expectation: string, maxLength: number): z.ZodString {
  const error = `expected ${expectation} (1-${maxLength} characters)`;
  return z.string({ error }).min(1, { error }).max(maxLength, { error });
}

/** One of a fixed set of strings, reported as `expected one of "a", "b"`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: `expected one of ${values.map((value) => JSON.stringify(value)).join(', ')}`,
  });
}

/** A boolean, reported as `expected true or false`. */
export function flag(): z.ZodBoolean {
  return z.boolean({ error: 'expected true or false' });
}

/** An `s3://bucket/key` URI with a valid bucket name (see s3-uri.ts). */
export function s3Uri() {
  return z
    .string({ error: 'expected an s3://bucket/key URI' })
    .superRefine((value, ctx) => {
      const problem = configuredS3UriProblem(value);
      if (problem !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected an s3://bucket/key URI (${problem})`,
          input: value,
        });
      }
    })
    .meta({ pattern: '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$' });
}

/** An EventBridge Scheduler `rate(...)` or `cron(...)` expression (see schedule-expression.ts). */
export function scheduleExpression() {
  return z
    .string({ error: 'expected a schedule expression such as "rate(1 hour)" or "cron(0 * * * ? *)"' })
    .superRefine((value, ctx) => {
      const problem = scheduleExpressionProblem(value);
      if (problem !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a rate(...) or cron(...) expression: ${problem}`,
          input: value,
        });
      }
    })
    .meta({ pattern: '^(rate|cron)\\(.+\\)$' });
}

/** An IANA time zone name known to the runtime. */
export function timeZone() {
  return z.string({ error: 'expected an IANA time zone name such as "UTC"' }).superRefine((value, ctx) => {
    const problem = timeZoneProblem(value);
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: `expected an IANA time zone name: ${problem}`, input: value });
    }
  });
}

/** Adds a static default and a description that ends with `Default: <value>.` so the JSON Schema states both. */
export function withDefault<S extends z.ZodType>(
  schema: S,
  value: z.util.NoUndefined<z.input<S>>,
  description: string,
) {
  return schema
    .default(value as z.util.NoUndefined<z.output<S>>)
    .describe(`${description} Default: ${JSON.stringify(value)}.`);
}

/** An optional field whose default is a behaviour, stated in words (`Default: - <behaviour>.`, as in CDK docs). */
export function optionalWith<S extends z.ZodType>(schema: S, description: string, defaultBehaviour: string) {
  return schema.optional().describe(`${description} Default: - ${defaultBehaviour}.`);
}

/** An object section that may be omitted; when omitted every field inside takes its own default. */
export function section<S extends z.ZodType>(schema: S, description: string) {
  return schema.prefault({} as z.input<S>).describe(`${description} Default: every field at its default.`);
}

/** Bytes in a gibibyte / mebibyte. */
export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const FEATURE_NAME = /^\P{Cc}{1,200}$/u;
const ECR_IMAGE =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})?$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;

/** A SageMaker resource name (endpoint, variant, schedule, model package group): `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`. */
export function sageMakerName(what: string): z.ZodString {
  return matching(
    SAGEMAKER_NAME,
    `${what} (1-63 letters, digits and hyphens, starting and ending with a letter or digit)`,
  );
}

/** A feature or output name: 1-200 characters, no control characters (it becomes part of CloudWatch metric names). */
export function featureName(): z.ZodString {
  return matching(FEATURE_NAME, 'a feature name of 1-200 characters without control characters');
}

/** A JSON path in the capture parser's subset ($, .name, ['name'], [n], [*]), checked by the parser's own compiler. */
export function jsonPath() {
  return z
    .string({ error: 'expected a JSON path such as "$.instances[*].age"' })
    .superRefine((value, ctx) => {
      try {
        compileJsonPath(value);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        ctx.addIssue({
          code: 'custom',
          message: `expected a JSON path made of $, .name, ['name'], [n] and [*] (${detail})`,
          input: value,
        });
      }
    })
    .meta({
      pattern: '^\\$(\\.[A-Za-z0-9_-]+|\\[([0-9]+|\\*|\'([^\'\\\\]|\\\\.)*\'|"([^"\\\\]|\\\\.)*")\\])*$',
    });
}

/** An ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@sha256:digest]`). */
export function ecrImage(): z.ZodString {
  return matching(
    ECR_IMAGE,
    'an ECR image URI such as "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag"',
  );
}

/** A SageMaker instance type with its `ml.` prefix, with a default. */
export function instanceType(description: string, fallback: string) {
  return withDefault(
    matching(INSTANCE_TYPE, 'a SageMaker instance type such as "ml.m5.xlarge"'),
    fallback,
    description,
  );
}

/** An optional SageMaker instance type whose default is a behaviour. */
export function optionalInstanceType(description: string, defaultBehaviour: string) {
  return optionalWith(
    matching(INSTANCE_TYPE, 'a SageMaker instance type such as "ml.m5.xlarge"'),
    description,
    defaultBehaviour,
  );
}

/** Why `value` is outside `range` (as `expected <range in words>`), or `undefined` when it is inside. */
export function rangeProblem(range: NumberRange, value: number): string | undefined {
  const { min, max, gt, lt } = range;
  const outside =
    (min !== undefined && value < min) ||
    (max !== undefined && value > max) ||
    (gt !== undefined && value <= gt) ||
    (lt !== undefined && value >= lt);
  return outside ? `expected ${describeRange(range)}` : undefined;
}

/** Adds an issue for every name that repeats an earlier one, pointing at the repeat and naming the first index. */
export function reportDuplicates(
  names: readonly string[],
  pathOf: (index: number) => (string | number)[],
  what: string,
  ctx: z.RefinementCtx,
): void {
  const first = new Map<string, number>();
  names.forEach((name, index) => {
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: pathOf(index),
      message: `expected a unique ${what} (already used at index ${earlier})`,
      input: name,
    });
  });
}

/**
 * Adds an issue for a field that is required by another field's value but absent. Marked so that the message says
 * the field is missing instead of quoting the enclosing object.
 */
export function reportMissing(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message, input: undefined, params: { missing: true } });
}

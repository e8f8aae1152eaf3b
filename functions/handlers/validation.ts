import type { z } from 'zod';
import { InvalidEventError } from '../errors.js';

/**
 * The issues of a failed validation as `path: message; ...`, with `root` for an issue of the whole value.
 * @example describeIssues(error, '(input)') // 'statisticsS3Uri: expected an s3:// URI; (input): ...'
 */
export function describeIssues(error: z.ZodError, root = '(event)'): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : root}: ${i.message}`)
    .join('; ');
}

/**
 * `value` as `schema` reads it; the edge check of every handler's event or task input.
 * @throws InvalidEventError `<what>: <path>: <message>; ...` when `value` does not match
 */
export function parseEvent<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
  root = '(event)',
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidEventError(`${what}: ${describeIssues(parsed.error, root)}`);
  return parsed.data;
}

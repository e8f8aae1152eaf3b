import { z } from 'zod';
import { InputError } from '../../errors.js';
import { type DatasetProfileState, PROFILE_FORMAT } from './dataset-profile.js';

const count = z.number().int().nonnegative();
const finite = z.number();

const FeatureProfileSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['numeric', 'categorical']).optional(),
  count,
  missing: count,
  integral: count,
  fractional: count,
  string: count,
  numeric: z
    .object({
      n: count,
      sum: finite,
      mean: finite,
      m2: finite,
      // JSON turns +/-Infinity (an empty accumulator's min/max) into null.
      min: finite.nullable(),
      max: finite.nullable(),
      sketch: z.object({ k: z.number(), c: z.number(), n: count, levels: z.array(z.array(finite)) }).loose(),
    })
    .optional(),
  bins: z.object({ edges: z.array(finite), counts: z.array(z.number().nonnegative()) }).optional(),
  categories: z
    .object({ topK: z.number().int().positive(), counts: z.record(z.string(), count), other: count })
    .optional(),
});

const DatasetProfileSchema = z.object({
  format: z.literal(PROFILE_FORMAT),
  version: z.literal(1),
  records: z.object({ lines: count, accepted: count, rejected: count }),
  rows: count,
  inferenceTime: z.object({ first: z.string(), last: z.string() }).optional(),
  extraColumns: z.record(z.string(), count),
  features: z.array(FeatureProfileSchema),
  outputs: z.array(FeatureProfileSchema),
});

/** Formats zod issues as `<source>: <path>: <message>` lines. */
export function describeIssues(source: string, error: z.ZodError): string {
  return error.issues
    .map((i) => `${source}: ${i.path.length > 0 ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
    .join('\n');
}

/** Validates a parsed profile document; throws InputError naming the source and each bad field. */
export function parseDatasetProfile(json: unknown, source: string): DatasetProfileState {
  const result = DatasetProfileSchema.safeParse(json);
  if (!result.success)
    throw new InputError(`not a valid driftwatch profile:\n${describeIssues(source, result.error)}`);
  const fix = (v: number | null, fallback: number) => (v === null ? fallback : v);
  const state = result.data as unknown as DatasetProfileState;
  for (const f of [...state.features, ...state.outputs]) {
    if (f.numeric) {
      f.numeric.min = fix(f.numeric.min as number | null, Number.POSITIVE_INFINITY);
      f.numeric.max = fix(f.numeric.max as number | null, Number.NEGATIVE_INFINITY);
    }
  }
  return state;
}

/** True when a parsed JSON document declares itself a driftwatch profile. */
export function isDatasetProfile(json: unknown): boolean {
  return (
    typeof json === 'object' && json !== null && (json as { format?: unknown }).format === PROFILE_FORMAT
  );
}

import { z } from 'zod';
import { BaselineError } from '../../errors.js';
import { parseDatasetProfile } from '../profile/parse.js';
import { BASELINE_FORMAT, type Baseline } from './types.js';

const ColumnSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['numeric', 'categorical']),
  inferredType: z.enum(['Integral', 'Fractional', 'String', 'Unknown']),
  binEdges: z.array(z.number()).optional(),
  sourceColumn: z.string().optional(),
});

const BaselineSchema = z.object({
  format: z.literal(BASELINE_FORMAT),
  version: z.literal(1),
  source: z.string(),
  features: z.array(ColumnSchema),
  outputs: z.array(ColumnSchema),
  profile: z.unknown(),
});

/** Validates a parsed baseline.json; throws BaselineError naming the source and each bad field. */
export function parseBaseline(json: unknown, source: string): Baseline {
  const result = BaselineSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `${source}: ${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
    );
    throw new BaselineError(`not a valid driftwatch baseline:\n${lines.join('\n')}`);
  }
  let profile: Baseline['profile'];
  try {
    profile = parseDatasetProfile(result.data.profile, `${source} (profile)`);
  } catch (err) {
    throw new BaselineError((err as Error).message, { cause: err });
  }
  for (const col of result.data.features) {
    if (!profile.features.some((f) => f.name === col.name)) {
      throw new BaselineError(`${source}: features: "${col.name}" has no profile in profile.features`);
    }
  }
  return { ...result.data, profile } as Baseline;
}

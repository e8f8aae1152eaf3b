import type { FeatureProfileState } from '../profile/feature-profile.js';
import type { InferredType } from './types.js';

/**
 * A feature's Model Monitor type from its value-class counts, as Deequ's `DataTypeHistogram.determineType`
 * decides it. Definition: no present value (every value missing, or none seen) -> Unknown; any string value ->
 * String; else any fractional value -> Fractional; else Integral. Deequ's Boolean class does not arise:
 * classifyValue counts booleans as strings, which is also where Deequ puts booleans mixed with numbers.
 */
export function inferType(f: FeatureProfileState): InferredType {
  if (f.count - f.missing <= 0) return 'Unknown';
  if (f.string > 0) return 'String';
  if (f.fractional > 0) return 'Fractional';
  return 'Integral';
}

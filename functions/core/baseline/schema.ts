import type { ColumnSpec, ProfileSchema } from '../profile/dataset-profile.js';
import type { Baseline, BaselineColumn } from './types.js';

/** Profile shape options shared by every column. */
export interface ProfileShapeOptions {
  /** @default 100 */
  categoricalTopK?: number;
  /** @default KllSketch.DEFAULT_K */
  sketchK?: number;
}

/** The profile schema for data compared with this baseline: its columns, kinds and bin edges. */
export function baselineProfileSchema(baseline: Baseline, options: ProfileShapeOptions = {}): ProfileSchema {
  const spec = (c: BaselineColumn): ColumnSpec => ({
    name: c.name,
    kind: c.kind,
    ...(c.binEdges ? { binEdges: c.binEdges } : {}),
    ...(options.categoricalTopK !== undefined ? { categoricalTopK: options.categoricalTopK } : {}),
    ...(options.sketchK !== undefined ? { sketchK: options.sketchK } : {}),
  });
  return { features: baseline.features.map(spec), outputs: baseline.outputs.map(spec) };
}

import { statisticsToProfile } from '../model-monitor/statistics.js';
import type { StatisticsFile } from '../model-monitor/types.js';
import { KllSketch } from '../sketch/kll.js';
import { decileEdges } from './build.js';
import { BASELINE_FORMAT, type Baseline, type BaselineColumn } from './types.js';

/**
 * A baseline from a statistics.json that Model Monitor (or driftwatch) wrote. Types come from `inferred_type`;
 * numeric columns get their bin edges from the deciles of the file's KLL sketch, since the data itself is gone.
 */
export function baselineFromStatistics(
  statistics: StatisticsFile,
  source: string,
  options: { categorical?: readonly string[] } = {},
): Baseline {
  const forced = new Set(options.categorical ?? []);
  const profile = statisticsToProfile(statistics, source);
  const features: BaselineColumn[] = statistics.features.map((f) => {
    const kind = f.inferred_type === 'String' || forced.has(f.name) ? 'categorical' : 'numeric';
    const column: BaselineColumn = { name: f.name, kind, inferredType: f.inferred_type };
    const p = profile.features.find((x) => x.name === f.name);
    if (kind === 'numeric' && p?.numeric && p.numeric.n > 0) {
      const sketch = KllSketch.fromJSON(p.numeric.sketch);
      column.binEdges = decileEdges((q) => sketch.quantile(q));
    }
    if (p) p.kind = kind;
    return column;
  });
  return { format: BASELINE_FORMAT, version: 1, source, features, outputs: [], profile };
}

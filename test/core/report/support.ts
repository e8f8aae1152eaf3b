import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineCommand, driftCommand } from '../../../functions/cli/commands.js';
import type { DriftReport } from '../../../functions/core/report/drift-report.js';

/** The marketplace data-quality fixture: AWS built its inference file to drift and break constraints. */
export const MARKETPLACE = 'test/fixtures/drift-datasets/marketplace-data-quality';

const cache = new Map<string, Promise<DriftReport>>();

/**
 * The real drift report of the marketplace inference CSV against a baseline of its training CSV (target left
 * out), optionally with some columns baselined as categorical; built once per set of options.
 */
export function marketplaceReport(categorical: readonly string[] = []): Promise<DriftReport> {
  const key = categorical.join(',');
  let report = cache.get(key);
  if (!report) {
    report = (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'driftwatch-report-'));
      await baselineCommand({
        input: `${MARKETPLACE}/baseline.csv`,
        out: dir,
        target: 'target',
        ...(categorical.length > 0 ? { categorical } : {}),
      });
      const result = await driftCommand({
        inputs: [`${MARKETPLACE}/data_quality_drift.csv`],
        baseline: dir,
        format: 'json',
      });
      return result.report;
    })();
    cache.set(key, report);
  }
  return report;
}

/** A copy of a report with every column passing and no violations: what a clean run renders. */
export function cleanReport(report: DriftReport): DriftReport {
  const pass = <T extends { drift: boolean }>(f: T): T => ({ ...f, drift: false });
  return {
    ...structuredClone(report),
    features: report.features.map(pass),
    outputs: report.outputs.map(pass),
    prediction: report.prediction ? pass(report.prediction) : null,
    driftedShare: 0,
    drift: false,
    violations: [],
  };
}

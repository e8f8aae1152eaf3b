import { describe, expect, it } from 'vitest';
import { parseDriftReport } from '../../../functions/core/report/drift-report.js';
import { marketplaceReport } from './support.js';

describe('parseDriftReport', () => {
  it('computes the same report from its saved JSON, Infinity read back as absent', async () => {
    // Given: a real report whose gender column has an infinite normalised Wasserstein (constant baseline)
    const report = await marketplaceReport();
    expect(report.features[0]?.statistics.wassersteinNorm).toBe(Number.POSITIVE_INFINITY);
    // When
    const parsed = parseDriftReport(JSON.parse(JSON.stringify(report)), 'drift-report.json');
    // Then
    const { wassersteinNorm: _, ...rest } = report.features[0]?.statistics ?? {};
    expect(parsed.features[0]?.statistics).toEqual(rest);
    expect(parsed.features.slice(1)).toEqual(report.features.slice(1));
    expect(parsed.violations).toEqual(report.violations);
    expect(parsed.charts).toEqual(report.charts);
  });

  it('computes an empty chart list for a report saved before charts existed', async () => {
    const { charts: _, ...old } = JSON.parse(JSON.stringify(await marketplaceReport()));
    expect(parseDriftReport(old, 'old.json').charts).toEqual([]);
  });

  it('throws when the file is not a drift report, naming the file and the field', async () => {
    const saved = JSON.parse(JSON.stringify(await marketplaceReport()));
    saved.features[1].drift = 'yes';
    expect(() => parseDriftReport(saved, 'r.json')).toThrow(/r\.json: features\[1\]\.drift: .*boolean/);
    expect(() => parseDriftReport({ format: 'driftwatch.profile' }, 'p.json')).toThrow(
      expect.objectContaining({ name: 'InputError', message: expect.stringMatching(/p\.json: format/) }),
    );
  });
});

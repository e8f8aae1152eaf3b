import { describe, expect, it } from 'vitest';
import { type FailOn, failsOn, headline, verdictStatus } from '../../../functions/core/report/verdict.js';
import { cleanReport, marketplaceReport } from './support.js';

describe('failsOn', () => {
  it.each<[string, boolean, number, FailOn, boolean]>([
    ['drift and violations', true, 6, 'violations', true],
    ['drift and violations', true, 6, 'drift', true],
    ['drift and violations', true, 6, 'none', false],
    ['violations only', false, 1, 'violations', true],
    ['violations only', false, 1, 'drift', false],
    ['violations only', false, 1, 'none', false],
    ['drift only', true, 0, 'violations', true],
    ['drift only', true, 0, 'drift', true],
    ['nothing', false, 0, 'violations', false],
    ['nothing', false, 0, 'drift', false],
  ])(
    'computes the verdict for %s (drift %s, %i violations) under --fail-on %s',
    async (_, drift, n, failOn, expected) => {
      // Given
      const base = await marketplaceReport();
      const report = { ...base, drift, violations: base.violations.slice(0, n) };
      // When / Then
      expect(failsOn(report, failOn)).toBe(expected);
    },
  );
});

describe('headline', () => {
  it('computes the counts of drifted features and violations', async () => {
    const report = await marketplaceReport();
    expect(headline(report)).toBe('3 of 28 features drifted; 6 violations');
    expect(verdictStatus(report)).toBe('drift');
  });

  it('computes the clean verdict', async () => {
    const report = cleanReport(await marketplaceReport());
    expect(headline(report)).toBe('No drift in 28 features; no violations');
    expect(verdictStatus(report)).toBe('ok');
    expect(verdictStatus({ ...report, violations: (await marketplaceReport()).violations })).toBe(
      'violations',
    );
  });
});

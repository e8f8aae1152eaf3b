import { describe, expect, it } from 'vitest';
import { renderText } from '../../../functions/core/report/text.js';
import { cleanReport, marketplaceReport } from './support.js';

describe('renderText', () => {
  it('computes the verdict, a row per column and the violations', async () => {
    const report = await marketplaceReport();
    const text = renderText(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('DRIFT: 3 of 28 features drifted; 6 violation(s)');
    expect(lines.filter((l) => /^(DRIFT|ok) {2,}/.test(l))).toHaveLength(28);
    expect(lines.filter((l) => l.startsWith('DRIFT  '))).toHaveLength(3);
    expect(text).toContain('\nviolations:\n');
    for (const v of report.violations) expect(text).toContain(v.description);
  });

  it('computes a VIOLATIONS verdict when nothing drifted but constraints failed', async () => {
    const violations = (await marketplaceReport()).violations.slice(0, 1);
    const text = renderText({ ...cleanReport(await marketplaceReport()), violations });
    expect(text.split('\n')[0]).toBe('VIOLATIONS: 0 of 28 features drifted; 1 violation(s)');
  });

  it('computes the OK verdict', async () => {
    const text = renderText(cleanReport(await marketplaceReport()));
    expect(text.split('\n')[0]).toBe('OK: no drift in 28 features; no violations');
  });
});

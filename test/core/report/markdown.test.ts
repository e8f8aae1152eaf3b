import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdown } from '../../../functions/core/report/markdown.js';
import { cleanReport, marketplaceReport } from './support.js';

describe('renderMarkdown', () => {
  it('computes the verdict first, then the drifted features, then the violations, then the details', async () => {
    // Given: the real marketplace report (3 drifted features, 6 violations)
    const report = await marketplaceReport();
    // When
    const md = renderMarkdown(report);
    // Then
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ Drift detected: driftwatch drift check');
    expect(lines[2]).toBe('**3 of 28 features drifted; 6 violations**');
    const at = (s: string) => md.indexOf(s);
    expect(at('### Drifted features')).toBeGreaterThan(0);
    expect(at('### Violations (6)')).toBeGreaterThan(at('### Drifted features'));
    expect(at('<details>')).toBeGreaterThan(at('### Violations (6)'));
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
    // the drifted table: one row per drifted feature with method, statistic and threshold
    const drifted = md.slice(at('### Drifted features'), at('### Violations'));
    expect(drifted).toContain('| feature | type | method | statistic | threshold |');
    const gender = report.features.find((f) => f.name === 'gender');
    expect(drifted).toContain(
      `| \`gender\` | numeric | auto (L-infinity) | ${gender?.statistic?.toPrecision(4)}`,
    );
    expect(drifted.match(/^\| `/gm)).toHaveLength(3);
    // every violation, with Model Monitor's own description
    for (const v of report.violations) {
      expect(md).toContain(
        `| \`${v.feature_name}\` | \`${v.constraint_check_type}\` | ${escapeMarkdown(v.description)} |`,
      );
    }
    // the details block lists all 28 columns
    const details = md.slice(at('<details>'));
    expect(details.match(/^\| (❌|✅) \|/gm)).toHaveLength(28);
  });

  it('computes a clean verdict with no drift or violation sections', async () => {
    const md = renderMarkdown(cleanReport(await marketplaceReport()));
    expect(md.split('\n')[0]).toBe('## ✅ No drift: driftwatch drift check');
    expect(md).not.toContain('### Drifted features');
    expect(md).not.toContain('### Violations');
    expect(md).toContain('<details>');
  });

  it('computes table cells that cannot break the table or inject HTML', async () => {
    // Given: names and descriptions with pipes, backticks, HTML and newlines
    const report = structuredClone(await marketplaceReport());
    const [first] = report.features;
    if (!first) throw new Error('no features');
    first.name = 'a|b`c<script>';
    const [v] = report.violations;
    if (!v) throw new Error('no violations');
    v.feature_name = 'x|y';
    v.description = 'bad <b>value</b> | *here*\nsecond line';
    // When
    const md = renderMarkdown(report);
    // Then
    expect(md).toContain('| ``a\\|b`c<script>`` | numeric |');
    expect(md).toContain('| `x\\|y` |');
    expect(md).toContain('bad \\<b>value\\</b> \\| \\*here\\* second line |');
    expect(md).not.toMatch(/<script>(?!`)/);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['plain text 1.0%', 'plain text 1.0%'],
    ['a|b', 'a\\|b'],
    ['*x* _y_ `z`', '\\*x\\* \\_y\\_ \\`z\\`'],
    ['<img src=x>', '\\<img src=x>'],
    ['[link](u)', '\\[link\\](u)'],
    ['a\nb\r\nc', 'a b c'],
    ['&amp;', '\\&amp;'],
  ])('computes %j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

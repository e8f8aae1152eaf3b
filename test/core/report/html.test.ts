import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistogramChart } from '../../../functions/core/report/chart-data.js';
import { binLabels, escapeHtml, renderHtml } from '../../../functions/core/report/html.js';
import { cleanReport, marketplaceReport } from './support.js';

const chartJs = await readFile(
  join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js'),
  'utf8',
);

/** The JSON the page's script reads. */
function pageData(html: string): { charts: Array<{ name: string; labels: string[]; unseen: boolean[] }> } {
  const json = html.match(/<script type="application\/json" id="driftwatch-data">([^<]*)<\/script>/)?.[1];
  return JSON.parse(json ?? 'null');
}

describe('renderHtml', () => {
  it('computes one self-contained page: Chart.js inlined, every fetch forbidden, no external reference', async () => {
    // When
    const html = renderHtml(await marketplaceReport(), { chartJs });
    // Then
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).toContain('Chart.js v4');
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/sourceMappingURL/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)[^\s"')]*\.(js|css|woff2?|png|svg)/i);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('computes the verdict banner, the violations table, the data-quality counts and a chart per feature', async () => {
    // Given
    const report = await marketplaceReport();
    // When
    const html = renderHtml(report, { chartJs });
    // Then
    expect(html).toMatch(/<header class="banner drift" id="verdict" data-status="drift">/);
    expect(html).toContain('<h1>Drift detected</h1>');
    expect(html).toContain('<p>3 of 28 features drifted; 6 violations</p>');
    const violations = html.slice(html.indexOf('<table id="violations">'), html.indexOf('</table>'));
    expect(violations.match(/<tr><td>/g)).toHaveLength(report.violations.length);
    expect(html).toMatch(
      /data-check="data_type_check"[^>]*><div class="label">Data type<\/div><div class="value">2</,
    );
    expect(html).toMatch(
      /data-check="completeness_check"[^>]*><div class="label">Completeness<\/div><div class="value">1</,
    );
    const canvases = [...html.matchAll(/<canvas data-chart="(\d+)" data-feature="([^"]*)"/g)];
    expect(canvases.map((m) => m[2]).sort()).toEqual(report.features.map((f) => f.name).sort());
    expect(pageData(html).charts).toHaveLength(28);
    // drifted features come first
    expect(canvases.slice(0, 3).map((m) => m[2])).toEqual(['gender', 'age_range', 'household_income_range']);
  });

  it('computes category bars with the unseen categories marked', async () => {
    const html = renderHtml(await marketplaceReport(['gender', 'age_range']), { chartJs });
    const age = pageData(html).charts.find((c) => c.name === 'age_range');
    // the baseline has 3 and 4 only (test/fixtures/report/marketplace-charts.json)
    const marked = age?.labels.filter((_, i) => age.unseen[i]);
    expect(marked?.sort()).toEqual(['1 (new)', '2 (new)', '5 (new)', '6 (new)']);
    expect(html).toContain('unseen: 1, 2, 5, 6');
  });

  it('computes the clean banner', async () => {
    const html = renderHtml(cleanReport(await marketplaceReport()), { chartJs });
    expect(html).toContain('data-status="ok"');
    expect(html).toContain('<h1>No drift</h1>');
    expect(html).toContain('No constraint violations.');
  });

  it('computes markup that names cannot break out of', async () => {
    // Given: a feature name that closes the script block
    const report = structuredClone(await marketplaceReport());
    const [first] = report.features;
    const [chart] = report.charts;
    if (!first || !chart) throw new Error('no features');
    first.name = '</script><img src=x onerror=alert(1)>';
    chart.name = first.name;
    // When
    const html = renderHtml(report, { chartJs });
    // Then
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(pageData(html).charts[0]?.name).toBe(first.name);
  });

  it('throws when chartJs is not the Chart.js source', async () => {
    const report = cleanReport(await marketplaceReport());
    expect(() => renderHtml(report, { chartJs: '' })).toThrow(
      /chartJs must be the source of Chart\.js's UMD build/,
    );
  });
});

describe('binLabels', () => {
  const chart = (edges: number[], range?: { min: number; max: number }): HistogramChart => ({
    name: 'x',
    kind: 'histogram',
    edges,
    baseline: [],
    current: [],
    estimated: false,
    ...(range ? { range } : {}),
  });
  it.each<[HistogramChart, string[]]>([
    [chart([3, 4], { min: 1, max: 6 }), ['[1, 3)', '[3, 4)', '[4, 6]']],
    [chart([1], { min: 1, max: 1 }), ['< 1', '[1, 1]']],
    [chart([0.5, 2.25]), ['< 0.5', '[0.5, 2.25)', '≥ 2.25']],
    [chart([]), ['all values']],
  ])('computes labels for edges %#', (c, expected) => {
    expect(binLabels(c)).toEqual(expected);
  });
});

describe('escapeHtml', () => {
  it('computes entities for the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

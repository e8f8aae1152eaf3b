import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { escapeXmlAttribute, escapeXmlText, renderJunit } from '../../../functions/core/report/junit.js';
import { CHECK_TYPES } from '../../../functions/core/report/verdict.js';
import { cleanReport, marketplaceReport } from './support.js';

// The Apache Ant JUnit XML schema as published by Windy Road (windyroad/JUnit-Schema, Apache-2.0); see
// test/fixtures/PROVENANCE.md. Strict: it requires properties, system-out, system-err, hostname and a
// zone-less timestamp on every testsuite, and package and id inside testsuites.
const XSD = await readFile('test/fixtures/junit/JUnit.xsd', 'utf8');
const AT = new Date('2026-11-26T10:20:30.456Z');

async function validate(xml: string) {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [XSD] });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

/** The testsuite elements, each with its attributes and body. */
function suites(xml: string) {
  return [...xml.matchAll(/<testsuite ([^>]*)>([\s\S]*?)<\/testsuite>/g)].map((m) => ({
    attrs: Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
    body: m[2] ?? '',
  }));
}

describe('renderJunit', () => {
  it('computes JUnit XML that the published Ant JUnit schema accepts, for a failing and a passing run', async () => {
    const report = await marketplaceReport(['gender', 'age_range']);
    for (const r of [report, cleanReport(report)]) {
      const xml = renderJunit(r, { timestamp: AT, hostname: 'ci-runner' });
      expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    }
  });

  it('computes a schema failure when a required attribute is missing (the check can fail)', async () => {
    // Given: valid output with the required hostname removed
    const xml = renderJunit(await marketplaceReport(), { timestamp: AT }).replace(/ hostname="[^"]*"/, '');
    // Then
    const result = await validate(xml);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/hostname/);
  });

  it('computes one testsuite per check type and one testcase per feature', async () => {
    // Given
    const report = await marketplaceReport();
    // When
    const parsed = suites(renderJunit(report, { timestamp: AT, hostname: 'ci-runner' }));
    // Then
    expect(parsed.map((s) => s.attrs.name)).toEqual(['drift', ...CHECK_TYPES]);
    expect(parsed.map((s) => s.attrs.id)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(parsed[0]?.attrs).toMatchObject({
      package: 'driftwatch',
      timestamp: '2026-11-26T10:20:30',
      hostname: 'ci-runner',
      tests: '28',
      failures: '3',
      errors: '0',
    });
    for (const s of parsed) {
      const names = [...s.body.matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1]);
      expect(names).toEqual(report.features.map((f) => f.name));
      const failed = (s.body.match(/<failure /g) ?? []).length;
      expect(String(failed)).toBe(s.attrs.failures);
    }
    const failures = Object.fromEntries(parsed.map((s) => [s.attrs.name, Number(s.attrs.failures)]));
    const byCheck = (t: string) => report.violations.filter((v) => v.constraint_check_type === t).length;
    expect(failures).toEqual({
      drift: 3,
      baseline_drift_check: byCheck('baseline_drift_check'),
      data_type_check: 2,
      completeness_check: 1,
      missing_column_check: 0,
      extra_column_check: 0,
      categorical_values_check: 0,
    });
  });

  it('computes a drift failure carrying the method, the statistic and the threshold', async () => {
    const report = await marketplaceReport();
    const gender = report.features.find((f) => f.name === 'gender');
    const xml = renderJunit(report, { timestamp: AT });
    const testcase = xml.match(
      /<testcase name="gender" classname="driftwatch.drift.features"[\s\S]*?<\/testcase>/,
    );
    expect(testcase?.[0]).toContain(
      '<failure type="drift" message="gender drifted: auto (L-infinity) statistic',
    );
    expect(testcase?.[0]).toContain('method: auto\n');
    expect(testcase?.[0]).toContain(`statistic: ${gender?.statistic}\n`);
    expect(testcase?.[0]).toContain(`threshold: ${gender?.threshold}\n`);
  });

  it('computes a data-quality failure with the violation description and a testcase for an extra column', async () => {
    // Given: a violation on a column that was not compared (the training CSV still has its target)
    const report = structuredClone(await marketplaceReport());
    report.violations.push({
      feature_name: 'target',
      constraint_check_type: 'extra_column_check',
      description: 'There are extra columns in current dataset.',
    });
    // When
    const extra = suites(renderJunit(report, { timestamp: AT })).find(
      (s) => s.attrs.name === 'extra_column_check',
    );
    // Then
    expect(extra?.attrs.tests).toBe('29');
    expect(extra?.body).toContain(
      '<testcase name="target" classname="driftwatch.data_quality.extra_column_check" time="0">\n      <failure type="extra_column_check" message="There are extra columns in current dataset.">',
    );
  });

  it('computes a skipped testcase, with its reason, for a column without a verdict', async () => {
    const report = structuredClone(await marketplaceReport());
    const [first] = report.features;
    if (!first) throw new Error('no features');
    Object.assign(first, { drift: false, statistic: null, note: 'insufficient data: 3 values' });
    const xml = renderJunit(report, { timestamp: AT });
    expect(suites(xml)[0]?.attrs.skipped).toBe('1');
    expect(xml).toContain('<skipped message="insufficient data: 3 values"/>');
    expect((await validate(xml)).valid).toBe(true);
  });

  it('computes valid XML from names with markup, quotes and control characters', async () => {
    const report = structuredClone(await marketplaceReport());
    const [first] = report.features;
    if (!first) throw new Error('no features');
    first.name = 'a<b>&"c"\u0001\td';
    const xml = renderJunit(report, { timestamp: AT });
    expect(xml).toContain('name="a&lt;b&gt;&amp;&quot;c&quot;\uFFFD&#9;d"');
    expect((await validate(xml)).valid).toBe(true);
  });
});

describe('escapeXmlText', () => {
  it.each([
    ['a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    ['bell\u0007 and nul\u0000', 'bell\uFFFD and nul\uFFFD'],
    ['line\nbreak', 'line\nbreak'],
  ])('computes %j', (input, expected) => {
    expect(escapeXmlText(input)).toBe(expected);
  });

  it('computes attributes that keep quotes and newlines', () => {
    expect(escapeXmlAttribute('say "hi"\nnow')).toBe('say &quot;hi&quot;&#10;now');
  });
});

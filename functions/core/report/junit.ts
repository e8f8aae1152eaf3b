import type { FeatureDrift } from '../drift/compare.js';
import type { ConstraintCheckType, Violation } from '../model-monitor/types.js';
import type { DriftReport } from './drift-report.js';
import { formatNumber } from './text.js';
import { CHECK_TYPES, headline, methodLabel } from './verdict.js';

/** Options of {@link renderJunit}. */
export interface JunitOptions {
  /** When the check ran, written in UTC without a zone as the Ant schema wants. @default now */
  timestamp?: Date;
  /** @default 'localhost' (the Ant schema's word for an unknown host) */
  hostname?: string;
}

// XML 1.0 cannot hold these code points at all, not even as character references.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for XML character data; code points XML 1.0 cannot hold become U+FFFD. */
export function escapeXmlText(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Escapes text for a double-quoted XML attribute, keeping newlines and tabs (which attributes would fold). */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

const attrs = (a: Record<string, string | number>) =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeXmlAttribute(String(v))}"`)
    .join('');

interface TestCase {
  name: string;
  classname: string;
  failure?: { type: string; message: string; body: string };
  skipped?: string;
}

interface Suite {
  name: string;
  cases: TestCase[];
  out: string;
}

function driftCase(f: FeatureDrift, classname: string): TestCase {
  const tc: TestCase = { name: f.name, classname };
  if (f.drift) {
    const cmp = f.direction === 'above' ? '>' : '<';
    tc.failure = {
      type: 'drift',
      message: `${f.name} drifted: ${methodLabel(f)} statistic ${formatNumber(f.statistic)} ${cmp} threshold ${formatNumber(f.threshold)}`,
      body: [
        `method: ${f.method}`,
        `statistic: ${String(f.statistic)}`,
        `threshold: ${String(f.threshold)}`,
        `drift when: statistic ${f.direction} threshold`,
        `values compared: ${f.count} current, ${f.baselineCount} baseline`,
        `missing: ${formatNumber(f.missingRate * 100)}% current, ${formatNumber(f.baselineMissingRate * 100)}% baseline`,
      ].join('\n'),
    };
  } else if (f.note) {
    tc.skipped = f.note;
  }
  return tc;
}

function checkSuite(type: ConstraintCheckType, names: readonly string[], violations: Violation[]): Suite {
  const mine = violations.filter((v) => v.constraint_check_type === type);
  const all = [...new Set([...names, ...mine.map((v) => v.feature_name)])];
  return {
    name: type,
    out: `${mine.length} ${type} violation(s)`,
    cases: all.map((name) => {
      const tc: TestCase = { name, classname: `driftwatch.data_quality.${type}` };
      const found = mine.filter((v) => v.feature_name === name);
      if (found.length > 0) {
        const description = found.map((v) => v.description).join('\n');
        tc.failure = { type, message: description, body: description };
      }
      return tc;
    }),
  };
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC: the Ant schema's timestamp pattern has no zone and no fraction. */
function antTimestamp(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/**
 * Renders a drift report as JUnit XML in the Apache Ant format (the windyroad JUnit.xsd): one testsuite per
 * check type and one testcase per feature. Suite `drift` holds driftwatch's drift verdict per feature and
 * prediction column (a failure carries method, statistic and threshold; a column with no verdict is skipped
 * with the reason). One suite per Model Monitor check (baseline_drift_check, data_type_check, ...) holds a
 * testcase per compared column and per column named only in its violations; a testcase fails when that check
 * reported a violation for it, with the violation's description.
 */
export function renderJunit(report: DriftReport, options: JunitOptions = {}): string {
  const names = [...report.features, ...report.outputs].map((f) => f.name);
  const suites: Suite[] = [
    {
      name: 'drift',
      out: headline(report),
      cases: [
        ...report.features.map((f) => driftCase(f, 'driftwatch.drift.features')),
        ...report.outputs.map((f) => driftCase(f, 'driftwatch.drift.prediction')),
      ],
    },
    ...CHECK_TYPES.map((type) => checkSuite(type, names, report.violations)),
  ];
  const properties: Array<[string, string]> = [
    ['baseline', report.baseline.source],
    ['inputs', String(report.inputs.length)],
    ['records.accepted', String(report.records.accepted)],
    ['records.rejected', String(report.records.rejected)],
    ['rows', String(report.rows)],
    ...(report.inferenceTime
      ? ([
          ['inferenceTime.first', report.inferenceTime.first],
          ['inferenceTime.last', report.inferenceTime.last],
        ] as Array<[string, string]>)
      : []),
  ];
  const timestamp = antTimestamp(options.timestamp ?? new Date());
  const hostname = options.hostname || 'localhost';
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  suites.forEach((s, id) => {
    const failures = s.cases.filter((c) => c.failure).length;
    const skipped = s.cases.filter((c) => c.skipped !== undefined).length;
    lines.push(
      `  <testsuite${attrs({ name: s.name, package: 'driftwatch', id, timestamp, hostname, tests: s.cases.length, failures, errors: 0, skipped, time: 0 })}>`,
      '    <properties>',
      ...properties.map(([name, value]) => `      <property${attrs({ name, value })}/>`),
      '    </properties>',
    );
    for (const c of s.cases) {
      const open = `    <testcase${attrs({ name: c.name, classname: c.classname, time: 0 })}`;
      if (c.failure) {
        lines.push(
          `${open}>`,
          `      <failure${attrs({ type: c.failure.type, message: c.failure.message })}>${escapeXmlText(c.failure.body)}</failure>`,
          '    </testcase>',
        );
      } else if (c.skipped !== undefined) {
        lines.push(`${open}>`, `      <skipped${attrs({ message: c.skipped })}/>`, '    </testcase>');
      } else {
        lines.push(`${open}/>`);
      }
    }
    lines.push(
      `    <system-out>${escapeXmlText(s.out)}</system-out>`,
      '    <system-err></system-err>',
      '  </testsuite>',
    );
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

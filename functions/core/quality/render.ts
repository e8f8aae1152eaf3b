/**
 * Human-readable renderings of quality, gate, A/B and CBPE results: plain text in the drift report's style
 * (a verdict line, then aligned tables), and Markdown and JUnit XML for the gate (CI summaries and test
 * reports).
 */
import { escapeXmlAttribute, escapeXmlText } from '../report/junit.js';
import { formatNumber, table } from '../report/text.js';
import type { AbResult } from './ab-test.js';
import type { CbpeEstimate } from './cbpe.js';
import type { ModelQualityResult } from './evaluate.js';
import type { GateResult } from './gate.js';
import { readMetricValues } from './statistics.js';

const pct = (x: number | null) => (x === null ? '-' : `${formatNumber(x * 100)}%`);
const interval = (lo: number, hi: number) => `[${formatNumber(lo)}, ${formatNumber(hi)}]`;

/** Plain-text summary of a model-quality evaluation: verdict, join, metrics and violations. */
export function renderQualityText(result: ModelQualityResult, source?: string): string {
  const metrics = readMetricValues(result.statistics, 'statistics');
  const violations = result.check.violations;
  const verdict = !result.checked
    ? `NOT CHECKED: ${result.notChecked ?? 'constraints were not checked'}`
    : violations.length > 0
      ? `VIOLATIONS: ${violations.length} model-quality constraint(s) violated`
      : 'OK: no model-quality constraint violated';
  const j = result.join;
  const out = [
    verdict,
    `${metrics.problemType}: ${result.evaluated} pairs evaluated, ${result.rejectedPairs} rejected${source ? `; ${source}` : ''}`,
  ];
  if (j !== null) {
    out.push(
      `join: ${j.matched} of ${j.captures} captures matched (${pct(j.joinRate)}); ${j.unmatchedCaptures} unmatched, ` +
        `${j.ambiguousCaptures} ambiguous; labels: ${j.labels} (${j.orphanedLabels} orphaned, ${j.outsideLookback} outside lookback, ` +
        `${j.supersededLabels} superseded)`,
    );
  }
  if (j?.latency) {
    out.push(
      `label latency (hours): median ${formatNumber(j.latency.median)}, p90 ${formatNumber(j.latency.p90)}, max ${formatNumber(j.latency.max)}`,
    );
  }
  out.push(
    '',
    table(
      ['metric', 'value', 'std dev'],
      Object.keys(metrics.values).map((m) => [
        m,
        formatNumber(metrics.values[m]),
        formatNumber(metrics.standardDeviations[m]),
      ]),
    ),
  );
  if (violations.length > 0) {
    out.push(
      '',
      'violations:',
      table(
        ['metric', 'check', 'description'],
        violations.map((v) => [v.metric_name, v.constraint_check_type, v.description]),
      ),
    );
  }
  for (const u of result.check.unchecked) out.push(`not checked: ${u.metric}: ${u.reason}`);
  for (const r of result.pairRejections.slice(0, 20)) out.push(`  pair ${r.index + 1}: ${r.reason}`);
  return `${out.join('\n')}\n`;
}

function comparisonRows(result: GateResult): string[][] {
  return result.comparisons.map((c) => [
    c.metric,
    formatNumber(c.champion),
    formatNumber(c.challenger),
    formatNumber(c.improvement),
    interval(c.interval.lower, c.interval.upper),
  ]);
}

const OUTCOME = { pass: 'pass', fail: 'FAIL', inconclusive: '??' } as const;

/** Plain-text gate report: the verdict with its reasons, the compared metrics and every check. */
export function renderGateText(result: GateResult): string {
  const method = result.paired
    ? `paired bootstrap over ${result.rows} rows (${result.bootstrap?.samples} resamples, seed ${result.bootstrap?.seed}, ${formatNumber((result.bootstrap?.confidence ?? 0) * 100)}% intervals)`
    : 'from metrics files (normal approximation from their standard deviations, else point values)';
  const out = [
    `${result.verdict}: ${result.reasons[0] ?? ''}`,
    ...result.reasons.slice(1).map((r) => `  ${r}`),
    `${result.problemType}; ${method}`,
    '',
    table(['metric', 'champion', 'challenger', 'improvement', 'interval'], comparisonRows(result)),
    '',
    table(
      ['', 'rule', 'metric', 'detail'],
      result.checks.map((c) => [OUTCOME[c.outcome], c.rule, c.metric, c.detail]),
    ),
  ];
  return `${out.join('\n')}\n`;
}

const mdCell = (s: string) => s.replaceAll('|', '\\|');

/** Markdown gate report (for a pull-request comment or a CI job summary). */
export function renderGateMarkdown(result: GateResult): string {
  const icon = { PROMOTE: '✅', REJECT: '❌', INCONCLUSIVE: '⚠️' }[result.verdict];
  const out = [
    `## ${icon} Quality gate: ${result.verdict}`,
    '',
    ...result.reasons.map((r) => `- ${mdCell(r)}`),
    '',
    '| metric | champion | challenger | improvement | interval |',
    '| --- | ---: | ---: | ---: | --- |',
    ...comparisonRows(result).map((r) => `| ${r.map(mdCell).join(' | ')} |`),
    '',
    '| outcome | rule | metric | detail |',
    '| --- | --- | --- | --- |',
    ...result.checks.map((c) => `| ${OUTCOME[c.outcome]} | ${c.rule} | ${c.metric} | ${mdCell(c.detail)} |`),
  ];
  if (result.paired && result.bootstrap !== null) {
    out.push(
      '',
      `Paired bootstrap over ${result.rows} rows: ${result.bootstrap.samples} resamples, seed ${result.bootstrap.seed}, ` +
        `${formatNumber(result.bootstrap.confidence * 100)}% intervals.`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** Options of {@link renderGateJunit}. */
export interface GateJunitOptions {
  /** When the gate ran, written in UTC without a zone as the Ant schema wants. @default now */
  timestamp?: Date;
  /** @default 'localhost' */
  hostname?: string;
}

const xmlAttrs = (a: Record<string, string | number>) =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeXmlAttribute(String(v))}"`)
    .join('');

/**
 * JUnit XML gate report in the Apache Ant format the drift report's JUnit also follows (windyroad JUnit.xsd):
 * one testsuite `quality_gate` with the verdict and settings as properties, one testcase per check; a failed
 * check is a `<failure type="fail">`, an inconclusive one a `<failure type="inconclusive">` (so CI shows both),
 * a passed one is empty; the reasons are the suite's system-out.
 */
export function renderGateJunit(result: GateResult, options: GateJunitOptions = {}): string {
  const failures = result.checks.filter((c) => c.outcome !== 'pass').length;
  const properties: [string, string][] = [
    ['verdict', result.verdict],
    ['problemType', result.problemType],
    ['paired', String(result.paired)],
    ...(result.rows === null ? [] : ([['rows', String(result.rows)]] as [string, string][])),
    ...(result.bootstrap === null
      ? []
      : ([
          ['bootstrap.samples', String(result.bootstrap.samples)],
          ['bootstrap.seed', String(result.bootstrap.seed)],
          ['bootstrap.confidence', String(result.bootstrap.confidence)],
        ] as [string, string][])),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites>',
    `  <testsuite${xmlAttrs({
      name: 'quality_gate',
      package: 'driftwatch',
      id: 0,
      timestamp: (options.timestamp ?? new Date()).toISOString().slice(0, 19),
      hostname: options.hostname || 'localhost',
      tests: result.checks.length,
      failures,
      errors: 0,
      skipped: 0,
      time: 0,
    })}>`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property${xmlAttrs({ name, value })}/>`),
    '    </properties>',
  ];
  for (const c of result.checks) {
    const open = `    <testcase${xmlAttrs({ name: `${c.rule} ${c.metric}`, classname: `driftwatch.gate.${c.rule}`, time: 0 })}`;
    if (c.outcome === 'pass') {
      lines.push(`${open}/>`);
    } else {
      lines.push(
        `${open}>`,
        `      <failure${xmlAttrs({ type: c.outcome, message: c.detail })}>${escapeXmlText(c.detail)}</failure>`,
        '    </testcase>',
      );
    }
  }
  lines.push(
    `    <system-out>${escapeXmlText(`${result.verdict}\n${result.reasons.join('\n')}`)}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
    '</testsuites>',
  );
  return `${lines.join('\n')}\n`;
}

/** Plain-text A/B report. */
export function renderAbText(result: AbResult): string {
  const [a, b] = result.variants;
  const p = result.primary;
  const verdict = p.significant
    ? `DIFFERENT: ${p.better} has the better ${p.metric} (p = ${formatNumber(p.test.pvalue)})`
    : `NO SIGNIFICANT DIFFERENCE in ${p.metric} (p = ${formatNumber(p.test.pvalue)})`;
  const s = result.sampleSize;
  const d = result.predictionDrift;
  const out = [
    verdict,
    `${result.problemType}: ${a?.name} ${a?.rows} rows, ${b?.name} ${b?.rows} rows; ${p.test.name} statistic ${formatNumber(p.test.statistic)}`,
    `sample size: ${s.reached ? 'reached' : 'NOT reached'}: ${s.requiredPerVariant} rows per variant needed to detect a ` +
      `${formatNumber(s.minDetectableEffect)} change in ${s.metric} (alpha ${s.alpha}, power ${s.power})`,
    `prediction drift between variants: ${d.drift ? 'yes' : 'no'} (${d.method} on ${d.of}: statistic ${formatNumber(d.statistic)}, p = ${formatNumber(d.pvalue)})`,
    '',
    table(
      [
        'metric',
        a?.name ?? 'a',
        b?.name ?? 'b',
        'difference',
        `${formatNumber(result.confidence * 100)}% interval`,
      ],
      result.comparisons.map((c) => [
        c.metric,
        formatNumber(c.a),
        formatNumber(c.b),
        formatNumber(c.difference),
        interval(c.lower, c.upper),
      ]),
    ),
  ];
  return `${out.join('\n')}\n`;
}

/** Plain-text CBPE report for one or more windows. */
export function renderEstimateText(windows: readonly { name: string; estimate: CbpeEstimate }[]): string {
  const out = [
    'ESTIMATE (CBPE, isotonic calibration; no labels used)',
    `assumes ${windows[0]?.estimate.assumption ?? ''}`,
    '',
    table(
      ['window', 'rows', 'accuracy', '+/- se', 'precision', 'recall', 'f1', 'auc'],
      windows.map(({ name, estimate: e }) => [
        name,
        String(e.rows),
        formatNumber(e.estimates.accuracy),
        formatNumber(e.accuracyStandardError),
        formatNumber(e.estimates.precision),
        formatNumber(e.estimates.recall),
        formatNumber(e.estimates.f1),
        formatNumber(e.estimates.auc),
      ]),
    ),
  ];
  for (const { name, estimate } of windows)
    for (const w of estimate.warnings) out.push(`warning: ${name}: ${w}`);
  return `${out.join('\n')}\n`;
}
